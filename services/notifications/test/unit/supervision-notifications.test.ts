/** What group supervision's overdue facts and actions tell whom (domain/notification.ts), and the ids that make each once per recipient. */
import {
  supervisionActionAssignedV1,
  supervisionActionBecameOverdueV1,
  supervisionBecameOverdueV1,
} from '@fsp/shared/events/definitions/supervision';
import fc from 'fast-check';
import {
  NOTIFICATION_ID_PATTERN,
  supervisionActionAssignedNotifications,
  supervisionActionBecameOverdueNotifications,
  supervisionBecameOverdueNotifications,
  teamManagerMailboxes,
} from '../../src/domain/notification';

const fact = { eventId: '3f1c8e2a-7b4d-4c5e-9f60-1a2b3c4d5e6f', occurredAt: '2026-02-06T00:15:00.000Z', correlationId: 'corr-1' };
const otherEvent = { eventId: '0d9e4b1a-2c3f-4a5b-8c7d-6e5f4a3b2c1d', occurredAt: '2026-02-06T00:15:00.000Z', correlationId: 'corr-2' };

const overdue = supervisionBecameOverdueV1.fixtures[0]!;
const assigned = supervisionActionAssignedV1.fixtures[0]!;
const [ownerOverdue, managerOverdue] = supervisionActionBecameOverdueV1.fixtures as [
  (typeof supervisionActionBecameOverdueV1.fixtures)[number],
  (typeof supervisionActionBecameOverdueV1.fixtures)[number],
];

const managers = ['tm-0001', 'tm-0002'];

describe('a supervision not held by its due date', () => {
  it('is escalated to each of the team’s managers, in their own mailbox, naming the case by its reference', () => {
    const drafts = supervisionBecameOverdueNotifications(overdue, fact, managers);
    expect(drafts.map((draft) => draft.mailbox)).toEqual(['user:tm-0001', 'user:tm-0002']);
    for (const draft of drafts) {
      expect(draft).toMatchObject({
        channel: 'inbox',
        kind: 'supervision-overdue',
        title: 'Group supervision of case FSP-2026-000123 is overdue — it was due by the end of Thursday 5 February 2026',
        link: '/supervision/cases/case-01JGZB7XQ2',
        createdAt: '2026-02-06T00:15:00.000Z',
        sourceEventId: fact.eventId,
        correlationId: 'corr-1',
      });
      expect(draft.notificationId).toMatch(NOTIFICATION_ID_PATTERN);
    }
  });

  it('goes to the team’s mailbox when the directory lists no team manager, never to nobody', () => {
    const drafts = supervisionBecameOverdueNotifications(overdue, fact, []);
    expect(drafts.map((draft) => draft.mailbox)).toEqual(['team:team-north-1']);
  });
});

describe('a supervision action', () => {
  it('is given to its owner, in their own mailbox, with the case’s reference and the due date, never its words', () => {
    const [draft, ...rest] = supervisionActionAssignedNotifications(assigned, fact);
    expect(rest).toEqual([]);
    expect(draft).toMatchObject({
      mailbox: 'user:3f1c9a2e-7b4d-4e8a-9c1f-2d6b8e0a4c71',
      kind: 'supervision-action-assigned',
      title: 'You have a new action from group supervision of case FSP-2026-000123, due Tuesday 17 February 2026',
      link: '/supervision/actions',
    });
  });

  it('past its due date, is escalated to its owner alone', () => {
    const drafts = supervisionActionBecameOverdueNotifications(ownerOverdue, fact, { managerIds: managers, ownerName: 'Sam Okafor' });
    expect(drafts).toEqual([
      expect.objectContaining({
        mailbox: 'user:3f1c9a2e-7b4d-4e8a-9c1f-2d6b8e0a4c71',
        kind: 'supervision-action-overdue',
        title: 'Your action from group supervision of case FSP-2026-000123 is overdue — it was due Tuesday 17 February 2026',
        link: '/supervision/actions',
      }),
    ]);
  });

  it('still open later, is escalated to each team manager, saying whose it is when the directory knows them', () => {
    const drafts = supervisionActionBecameOverdueNotifications(managerOverdue, fact, { managerIds: managers, ownerName: 'Sam Okafor' });
    expect(drafts.map(({ mailbox, kind, title, link }) => ({ mailbox, kind, title, link }))).toEqual(
      ['user:tm-0001', 'user:tm-0002'].map((mailbox) => ({
        mailbox,
        kind: 'supervision-action-escalated',
        title: 'Sam Okafor’s action from group supervision of case FSP-2026-000123 is still open — it was due Tuesday 17 February 2026',
        link: '/supervision/overdue',
      })),
    );
    const [unknownOwner] = supervisionActionBecameOverdueNotifications(managerOverdue, fact, { managerIds: [] });
    expect(unknownOwner).toMatchObject({
      mailbox: 'team:team-north-1',
      title: 'An action from group supervision of case FSP-2026-000123 is still open — it was due Tuesday 17 February 2026',
    });
  });
});

describe('ids from the fact, not the event', () => {
  it('are the same for the same fact and recipient under another event id, and differ between recipients and escalations', () => {
    const ids = (event: typeof fact) =>
      [
        ...supervisionBecameOverdueNotifications(overdue, event, managers),
        ...supervisionActionAssignedNotifications(assigned, event),
        ...supervisionActionBecameOverdueNotifications(ownerOverdue, event, { managerIds: managers }),
        ...supervisionActionBecameOverdueNotifications(managerOverdue, event, { managerIds: managers }),
      ].map((draft) => draft.notificationId);
    const first = ids(fact);
    expect(ids(otherEvent)).toEqual(first);
    expect(new Set(first).size).toBe(first.length);
    // Each draft names its fact by its natural key, which the store's marker holds to once per mailbox.
    const [assignedDraft] = supervisionActionAssignedNotifications(assigned, fact);
    expect(assignedDraft?.factKey).toBe('SupervisionActionAssigned:case-01JGZB7XQ2:act-5d1f0c9e2b7a4e3f');
  });

  it('sends each team manager one item however the directory repeats them', () => {
    expect(teamManagerMailboxes('t1', ['a', 'b', 'a'])).toEqual(['user:a', 'user:b']);
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 6 }), (ids) => {
        const mailboxes = teamManagerMailboxes('t1', ids);
        expect(new Set(mailboxes).size).toBe(mailboxes.length);
        expect(mailboxes.length).toBe(ids.length === 0 ? 1 : new Set(ids).size);
      }),
      { numRuns: 100 },
    );
  });
});
