/**
 * Issue 15 Deliver 1–2 (domain/notification.ts, domain/progress.ts): who is told personally of what,
 * the escalations to the team's and the service's managers, and the lifecycle that keeps every
 * reminder from arriving stale: any order and any repeats of a thing's facts tell each recipient at
 * most once per stage, and nothing after the thing is done.
 */
import { caseAllocatedV1, caseStatusChangedV1, caseTimescaleDueSoonV1, caseTimescaleOverdueV1 } from '@fsp/shared/events/definitions/cases';
import { referralDecisionOverdueV1 } from '@fsp/shared/events/definitions/referrals';
import {
  supervisionActionBecameOverdueV1,
  supervisionActionDueSoonV1,
  supervisionDueSoonV1,
} from '@fsp/shared/events/definitions/supervision';
import fc from 'fast-check';
import {
  breachEscalatedNotifications,
  caseDeallocatedNotifications,
  caseStatusChangedNotifications,
  caseTimescaleBreach,
  caseTimescaleDueSoonNotifications,
  caseTimescaleOverdueNotifications,
  factDigestOf,
  type NotificationDraft,
  referralDecisionOverdueNotifications,
  supervisionActionBecameOverdueNotifications,
  supervisionActionDueSoonNotifications,
  supervisionDueSoonNotifications,
} from '../../src/domain/notification';
import { advanced, escalateAtOf, finished, mayTell, NOT_STARTED, type Progress, type Stage } from '../../src/domain/progress';

const fact = { eventId: '3f1c8e2a-7b4d-4c5e-9f60-1a2b3c4d5e6f', occurredAt: '2026-02-06T00:15:00.000Z', correlationId: 'corr-1' };
const otherEvent = { eventId: '0d9e4b1a-2c3f-4a5b-8c7d-6e5f4a3b2c1d', occurredAt: '2026-02-09T07:00:00.000Z', correlationId: 'corr-2' };
const [, , replacement] = caseAllocatedV1.fixtures;
const statusChanged = caseStatusChangedV1.fixtures[0]!;
const [conferenceDueSoon] = caseTimescaleDueSoonV1.fixtures;
const reviewOverdue = caseTimescaleOverdueV1.fixtures[0]!;
const managers = ['tm-0001', 'tm-0002'];

const mailboxes = (drafts: readonly NotificationDraft[]) => drafts.map((draft) => draft.mailbox);

describe('personal notifications', () => {
  it('a change of social worker tells the previous one, in their own mailbox, that they are no longer on the case', () => {
    const [draft, ...rest] = caseDeallocatedNotifications(replacement!, fact);
    expect(rest).toEqual([]);
    expect(draft).toMatchObject({
      mailbox: `user:${replacement!.previousWorkerId}`,
      kind: 'case-deallocated',
      title: 'You are no longer allocated to case FSP-2026-000123 as social worker',
      link: '/cases/case-01JGZB7XQ2',
      reference: 'FSP-2026-000123',
      teamId: 'team-north-1',
    });
    // The same change published again under a new event id is the same item.
    expect(caseDeallocatedNotifications(replacement!, otherEvent)[0]!.factKey).toBe(draft!.factKey);
    expect(caseDeallocatedNotifications(caseAllocatedV1.fixtures[0]!, fact)).toEqual([]);
  });

  it('a status change tells each allocated worker but the one who recorded it; the team before anyone is allocated', () => {
    const drafts = caseStatusChangedNotifications(statusChanged, fact, ['sw-1', statusChanged.changedBy, 'as-1']);
    expect(mailboxes(drafts)).toEqual(['user:sw-1', 'user:as-1']);
    expect(drafts[0]).toMatchObject({
      kind: 'case-status-changed',
      title: 'Case FSP-2026-000123 moved from assessment to child protection on Monday 2 February 2026',
      link: '/cases/case-01JGZB7XQ2/path',
      teamId: 'team-north-1',
    });
    expect(mailboxes(caseStatusChangedNotifications(statusChanged, fact, []))).toEqual(['team:team-north-1']);
    expect(caseStatusChangedNotifications(statusChanged, fact, [statusChanged.changedBy])).toEqual([]);
  });

  it('group supervision due soon tells each worker allocated to the case (all take part), or the team', () => {
    const data = supervisionDueSoonV1.fixtures[0]!;
    const drafts = supervisionDueSoonNotifications(data, fact, ['sw-1', 'as-1', 'sw-1']);
    expect(mailboxes(drafts)).toEqual(['user:sw-1', 'user:as-1']);
    expect(drafts[0]!.title).toBe(
      'Group supervision of case FSP-2026-000123 is due by the end of Thursday 5 February 2026 — scheduled for 10am on Tuesday 3 February 2026',
    );
    expect(mailboxes(supervisionDueSoonNotifications(data, fact, []))).toEqual(['team:team-north-1']);
  });

  it('an action due soon reminds its owner, never saying what the action is', () => {
    const data = supervisionActionDueSoonV1.fixtures[0]!;
    expect(supervisionActionDueSoonNotifications(data, fact)).toEqual([
      expect.objectContaining({
        mailbox: `user:${data.ownerId}`,
        kind: 'supervision-action-due-soon',
        title: 'Your action from group supervision of case FSP-2026-000123 is due Tuesday 17 February 2026',
        link: '/supervision/actions',
        teamId: 'team-north-1',
      }),
    ]);
  });

  it('an assessment, conference or review due soon tells the social worker, or the team when the case has none', () => {
    const [draft] = caseTimescaleDueSoonNotifications(conferenceDueSoon!, fact);
    expect(draft).toMatchObject({
      mailbox: `user:${conferenceDueSoon!.socialWorkerId}`,
      kind: 'case-timescale-due-soon',
      title: 'The initial child protection conference of case FSP-2026-000123 is due by Monday 2 February 2026',
      link: '/cases/case-01JGZB7XQ2/path',
    });
    const { socialWorkerId: _none, ...unallocated } = conferenceDueSoon!;
    expect(mailboxes(caseTimescaleDueSoonNotifications(unallocated, fact))).toEqual(['team:team-north-1']);
  });

  it('an overdue timescale tells the social worker and escalates to each of the team’s managers', () => {
    const drafts = caseTimescaleOverdueNotifications(reviewOverdue, fact, managers);
    expect(drafts.map((draft) => [draft.mailbox, draft.kind, draft.title])).toEqual([
      [
        `user:${reviewOverdue.socialWorkerId}`,
        'case-timescale-overdue',
        'Overdue: the child protection review of case FSP-2026-000123 was due by Saturday 2 May 2026',
      ],
      ...managers.map((id) => [
        `user:${id}`,
        'case-timescale-escalated',
        'Overdue: the child protection review of case FSP-2026-000123 was due by Saturday 2 May 2026 — escalated to you as team manager',
      ]),
    ]);
    // Neither a social worker nor a manager listed: the team's mailbox gets the escalation, once.
    const { socialWorkerId: _none, ...unallocated } = reviewOverdue;
    expect(caseTimescaleOverdueNotifications(unallocated, fact, []).map((draft) => [draft.mailbox, draft.kind])).toEqual([
      ['team:team-north-1', 'case-timescale-escalated'],
    ]);
  });

  it('an overdue referral decision escalates to each of the front-door team’s managers, or the team when none is listed', () => {
    const data = referralDecisionOverdueV1.fixtures[0]!;
    expect(mailboxes(referralDecisionOverdueNotifications(data, fact, 'front-door', ['tm-fd']))).toEqual(['user:tm-fd']);
    expect(mailboxes(referralDecisionOverdueNotifications(data, fact, 'front-door', []))).toEqual(['team:front-door']);
    const [first] = referralDecisionOverdueNotifications(data, fact, 'front-door', ['tm-fd']);
    const [again] = referralDecisionOverdueNotifications(data, otherEvent, 'front-door', ['tm-fd']);
    expect(again!.factKey).toBe(first!.factKey);
  });

  it('a breach still open goes to each service manager, saying how long and what, by reference only', () => {
    const breach = { ...caseTimescaleBreach(reviewOverdue, fact), key: 'CASE/case-01JGZB7XQ2/timescale/review-1-1' };
    const drafts = breachEscalatedNotifications(breach, '2026-02-13T00:15:00.000Z', 5, ['sm-1', 'sm-2']);
    expect(drafts.map((draft) => [draft.mailbox, draft.kind])).toEqual([
      ['user:sm-1', 'breach-escalated'],
      ['user:sm-2', 'breach-escalated'],
    ]);
    expect(drafts[0]).toMatchObject({
      title:
        'Still overdue after 5 working days: the child protection review of case FSP-2026-000123, due by Saturday 2 May 2026 — escalated to the service manager',
      link: '/cases/case-01JGZB7XQ2/path',
      teamId: 'team-north-1',
      correlationId: 'corr-1',
      createdAt: '2026-02-13T00:15:00.000Z',
    });
    expect(mailboxes(breachEscalatedNotifications(breach, '2026-02-13T00:15:00.000Z', 1, []))).toEqual(['team:team-north-1']);
    expect(breachEscalatedNotifications(breach, '2026-02-13T00:15:00.000Z', 1, [])[0]!.title).toContain('after 1 working day:');
  });

  it('every personal draft names the team whose managers receive it if its recipient has left', () => {
    const personal = [
      ...caseDeallocatedNotifications(replacement!, fact),
      ...caseStatusChangedNotifications(statusChanged, fact, ['sw-1']),
      ...supervisionDueSoonNotifications(supervisionDueSoonV1.fixtures[0]!, fact, ['sw-1']),
      ...supervisionActionDueSoonNotifications(supervisionActionDueSoonV1.fixtures[0]!, fact),
      ...caseTimescaleDueSoonNotifications(conferenceDueSoon!, fact),
      ...caseTimescaleOverdueNotifications(reviewOverdue, fact, managers),
      ...referralDecisionOverdueNotifications(referralDecisionOverdueV1.fixtures[0]!, fact, 'front-door', ['tm-fd']),
    ];
    for (const draft of personal) {
      expect(draft.mailbox.startsWith('user:')).toBe(true);
      expect(draft.teamId).toEqual(expect.any(String));
      expect(draft.factKey).toEqual(expect.any(String));
    }
  });
});

describe('a breach goes to the service manager after working days', () => {
  it('five working days on, at the same London time: a Thursday breach escalates the next Thursday, over the weekend', () => {
    expect(escalateAtOf(new Date('2026-12-03T00:15:00.000Z'), 5).toISOString()).toBe('2026-12-10T00:15:00.000Z');
  });

  it('counts no weekend day or bank holiday: a Saturday breach escalates the Friday after; Christmas and Boxing Day pass', () => {
    expect(escalateAtOf(new Date('2026-12-05T09:00:00.000Z'), 5).toISOString()).toBe('2026-12-11T09:00:00.000Z');
    // Thursday 24 December 2026 + 2 working days: 25 (Friday) and 28 (Boxing Day substitute, Monday) are bank holidays.
    expect(escalateAtOf(new Date('2026-12-24T10:00:00.000Z'), 2).toISOString()).toBe('2026-12-30T10:00:00.000Z');
  });

  it('keeps the London wall-clock time across a change of the clocks', () => {
    // Wednesday 25 March 2026, 09:00 GMT; the clocks go forward on the 29th: 09:00 BST on Wednesday 1 April is 08:00 UTC.
    expect(escalateAtOf(new Date('2026-03-25T09:00:00.000Z'), 5).toISOString()).toBe('2026-04-01T08:00:00.000Z');
  });
});

describe('never a stale one', () => {
  it('a stage below the one reached, or anything after done, tells nobody; the stage reached tells again (a retried delivery)', () => {
    const overdue = advanced(NOT_STARTED, 'overdue');
    expect(mayTell(overdue, 'due-soon')).toBe(false);
    expect(mayTell(overdue, 'overdue')).toBe(true);
    expect(mayTell(overdue, 'escalated')).toBe(true);
    expect(advanced(overdue, 'due-soon')).toEqual(overdue);
    const done = finished(overdue);
    for (const stage of ['due-soon', 'overdue', 'escalated'] as const) expect(mayTell(done, stage)).toBe(false);
    expect(mayTell(finished(NOT_STARTED), 'due-soon')).toBe(false);
  });

  /**
   * One supervision action's facts (due soon, overdue to its owner, escalated to the managers,
   * completed), in any order, each any number of times under new event ids: the inbox (a set of fact
   * markers, as the store keeps them) holds at most one item per recipient and stage, none told after
   * the completion, and no due-soon told after the overdue.
   */
  it('any order, any repeats of a thing’s facts: at most one item per recipient and stage, none after done', () => {
    const action = supervisionActionBecameOverdueV1.fixtures[0]!;
    const dueSoon = supervisionActionDueSoonV1.fixtures[0]!;
    type Step = { kind: Stage | 'done'; eventId: string };
    const step = fc.record({
      kind: fc.constantFrom<Stage | 'done'>('due-soon', 'overdue', 'escalated', 'done'),
      eventId: fc.uuid(),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 20 }), fc.subarray(['tm-0001', 'tm-0002', 'tm-0003']), (steps: Step[], managerIds) => {
        let progress: Progress = NOT_STARTED;
        const markers = new Set<string>();
        const told: { kind: Stage; mailbox: string; afterDone: boolean }[] = [];
        let doneSeen = false;
        for (const { kind, eventId } of steps) {
          if (kind === 'done') {
            progress = finished(progress);
            doneSeen = true;
            continue;
          }
          if (!mayTell(progress, kind)) continue;
          progress = advanced(progress, kind);
          const reference = { eventId, occurredAt: '2026-02-18T00:15:00.000Z', correlationId: 'c' };
          const drafts =
            kind === 'due-soon'
              ? supervisionActionDueSoonNotifications(dueSoon, reference)
              : supervisionActionBecameOverdueNotifications(
                  { ...action, escalatedTo: kind === 'overdue' ? 'owner' : 'team-manager' },
                  reference,
                  { managerIds },
                );
          for (const draft of drafts) {
            const marker = factDigestOf(draft.factKey!, draft.mailbox, draft.channel);
            if (markers.has(marker)) continue;
            markers.add(marker);
            told.push({ kind, mailbox: draft.mailbox, afterDone: doneSeen });
          }
        }
        const perRecipientAndStage = new Set(told.map((item) => `${item.mailbox}|${item.kind}`));
        expect(perRecipientAndStage.size).toBe(told.length);
        expect(told.filter((item) => item.afterDone)).toEqual([]);
        const firstOverdue = told.findIndex((item) => item.kind !== 'due-soon');
        if (firstOverdue >= 0) expect(told.slice(firstOverdue).filter((item) => item.kind === 'due-soon')).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
