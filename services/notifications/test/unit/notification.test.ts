import { ADULT_SPECIALISMS, caseAllocatedV1, caseOpenedV1 } from '@fsp/shared/events/definitions/cases';
import { referralSubmittedV1 } from '@fsp/shared/events/definitions/referrals';
import { supervisionScheduledV1 } from '@fsp/shared/events/definitions/supervision';
import { teamMailbox, userMailbox } from '@fsp/shared/inbox/mailbox';
import { londonDateText, londonDateTimeText, londonDeadlineText, londonTimeText } from '@fsp/shared/time/london-words';
import fc from 'fast-check';
import {
  caseAllocatedNotifications,
  caseOpenedNotifications,
  NOTIFICATION_ID_PATTERN,
  notificationIdOf,
  referralSubmittedNotifications,
  supervisionScheduledNotifications,
} from '../../src/domain/notification';

const fact = { eventId: '3f1c8e2a-7b4d-4c5e-9f60-1a2b3c4d5e6f', occurredAt: '2026-01-05T09:30:00.000Z', correlationId: 'corr-1' };

describe('what each fact tells whom', () => {
  it('tells the front-door team of a new referral, with the decision deadline on the London clock', () => {
    const [draft, ...rest] = referralSubmittedNotifications(referralSubmittedV1.fixtures[0]!, fact, 'front-door');
    expect(rest).toEqual([]);
    expect(draft).toMatchObject({
      mailbox: 'team:front-door',
      channel: 'inbox',
      kind: 'referral-submitted',
      title: 'New referral FSP-2026-000123 — decision due by 9:30am on Tuesday 6 January 2026',
      link: '/front-door/referrals/01JGZ8Q4V7K3M2N5P6R8S9T0VW',
      createdAt: '2026-01-05T09:30:00.000Z',
      sourceEventId: fact.eventId,
      correlationId: 'corr-1',
    });
  });

  it('shows a summer deadline in British Summer Time, on the London date', () => {
    const data = { ...referralSubmittedV1.fixtures[0]!, decisionDueBy: '2026-06-04T23:30:00.000Z' };
    const [draft] = referralSubmittedNotifications(data, fact, 'front-door');
    expect(draft?.title).toBe('New referral FSP-2026-000123 — decision due by 12:30am on Friday 5 June 2026');
  });

  it('asks the case-holding team to allocate a newly opened case', () => {
    const [draft, ...rest] = caseOpenedNotifications(caseOpenedV1.fixtures[0]!, fact);
    expect(rest).toEqual([]);
    expect(draft).toMatchObject({
      mailbox: 'team:team-north-1',
      kind: 'case-opened',
      title: 'Case opened from referral — allocate a social worker',
      link: '/cases/case-01JGZB7XQ2',
    });
  });

  it('tells the worker allocated to a case, in their own mailbox, the case by its reference and what they are on it', () => {
    const [firstSocialWorker, specialist, change] = caseAllocatedV1.fixtures;
    const [draft, ...rest] = caseAllocatedNotifications(firstSocialWorker!, fact);
    expect(rest).toEqual([]);
    expect(draft).toMatchObject({
      mailbox: 'user:3f1c9a2e-7b4d-4e8a-9c1f-2d6b8e0a4c71',
      channel: 'inbox',
      kind: 'case-allocated',
      title: 'You have been allocated to case FSP-2026-000123 as social worker',
      link: '/cases/case-01JGZB7XQ2',
      createdAt: '2026-01-05T09:30:00.000Z',
    });
    expect(caseAllocatedNotifications(specialist!, fact)[0]).toMatchObject({
      mailbox: 'user:6d8a1f3c-2e9b-4c7d-a5f0-8b3e1d4c9a26',
      title: 'You have been allocated to case FSP-2026-000123 as domestic abuse worker (victims)',
    });
    expect(caseAllocatedNotifications(change!, fact)[0]).toMatchObject({
      mailbox: 'user:c4e7b2a9-1d3f-4b8e-9a6c-5f2d0e8b1a37',
      title: 'You have been allocated to case FSP-2026-000123 as the new social worker',
    });
  });

  it('names every specialism in words, never its code, and tells nobody but the allocated worker', () => {
    const words = ADULT_SPECIALISMS.map((specialism) => {
      const [draft, ...rest] = caseAllocatedNotifications({ ...caseAllocatedV1.fixtures[1]!, specialism }, fact);
      expect(rest).toEqual([]);
      expect(draft!.mailbox).toBe('user:6d8a1f3c-2e9b-4c7d-a5f0-8b3e1d4c9a26');
      expect(draft!.title).not.toContain(specialism);
      return draft!.title.replace('You have been allocated to case FSP-2026-000123 as ', '');
    });
    expect(words).toEqual([
      'domestic abuse worker (victims)',
      'domestic abuse worker (perpetrators)',
      'mental health worker',
      'substance misuse worker',
    ]);
  });

  it('tells the case team when group supervision is and when it is due', () => {
    const [draft, ...rest] = supervisionScheduledNotifications(supervisionScheduledV1.fixtures[0]!, fact);
    expect(rest).toEqual([]);
    expect(draft).toMatchObject({
      mailbox: 'team:team-north-1',
      kind: 'supervision-scheduled',
      title: 'Group supervision scheduled for 10am on Wednesday 28 January 2026, due by Thursday 5 February 2026',
      link: '/supervision/cases/case-01JGZB7XQ2',
    });
  });
});

describe('notification ids', () => {
  it('are the same for the same fact, mailbox and channel, whatever offset the time was written with', () => {
    const id = notificationIdOf(fact, teamMailbox('t1'), 'inbox');
    expect(id).toMatch(NOTIFICATION_ID_PATTERN);
    expect(id.startsWith('20260105T093000000Z-')).toBe(true);
    expect(notificationIdOf({ ...fact, occurredAt: '2026-01-05T09:30:00Z' }, teamMailbox('t1'), 'inbox')).toBe(id);
    expect(notificationIdOf({ ...fact, occurredAt: '2026-01-05T10:30:00+01:00' }, teamMailbox('t1'), 'inbox')).toBe(id);
  });

  it('differ between recipients and between facts', () => {
    const id = notificationIdOf(fact, teamMailbox('t1'), 'inbox');
    expect(notificationIdOf(fact, teamMailbox('t2'), 'inbox')).not.toBe(id);
    expect(notificationIdOf(fact, userMailbox('t1'), 'inbox')).not.toBe(id);
    expect(notificationIdOf({ ...fact, eventId: '0d9e4b1a-2c3f-4a5b-8c7d-6e5f4a3b2c1d' }, teamMailbox('t1'), 'inbox')).not.toBe(id);
  });

  it('sort by the time of the fact', () => {
    const earlier = notificationIdOf({ ...fact, occurredAt: '2026-01-05T09:29:59.999Z' }, teamMailbox('t1'), 'inbox');
    expect(earlier < notificationIdOf(fact, teamMailbox('t9'), 'inbox')).toBe(true);
  });
});

describe('London wording (GOV.UK style)', () => {
  it.each([
    ['2026-01-06T00:00:00.000Z', 'midnight'],
    ['2026-01-06T12:00:00.000Z', 'midday'],
    ['2026-01-06T13:05:00.000Z', '1:05pm'],
    ['2026-07-06T11:00:00.000Z', 'midday'],
    ['2026-07-06T08:00:00.000Z', '9am'],
  ])('%s reads as %s in London', (instant, text) => {
    expect(londonTimeText(new Date(instant))).toBe(text);
  });

  it('names the London date across the clock change', () => {
    expect(londonDateTimeText(new Date('2026-03-29T00:30:00.000Z'))).toBe('12:30am on Sunday 29 March 2026');
    expect(londonDateTimeText(new Date('2026-03-29T01:30:00.000Z'))).toBe('2:30am on Sunday 29 March 2026');
  });

  it('reads a working-day deadline as the end of its London day, in GMT and in BST', () => {
    expect(londonDeadlineText(new Date('2026-11-24T23:59:59.999Z'))).toBe('the end of Tuesday 24 November 2026');
    expect(londonDeadlineText(new Date('2026-06-08T22:59:59.999Z'))).toBe('the end of Monday 8 June 2026');
    expect(londonDeadlineText(new Date('2026-01-06T09:30:00.000Z'))).toBe('9:30am on Tuesday 6 January 2026');
  });
});

describe('London dates in words', () => {
  const tzDatabase = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  });
  it("names the same day as the tz database's Europe/London at any instant 2024–2040", () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2040, 11, 31) }), (instant) => {
        expect(londonDateText(new Date(instant))).toBe(tzDatabase.format(new Date(instant)).replace(',', ''));
      }),
      { numRuns: 2000 },
    );
  });
});
