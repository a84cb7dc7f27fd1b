/**
 * The inbox's filters (issue 15 Deliver 7): what unread, urgent and a case mean, how an address spells
 * them, and the filtered walk over the two mailboxes, with a property that paging through any inbox
 * with any filter shows exactly the matching items, newest first, each once.
 */
import fc from 'fast-check';
import {
  CASE_REFERENCE_ERROR,
  filterFromQuery,
  filterQueryOf,
  type InboxFilter,
  isFiltered,
  isUrgentKind,
  matchesFilter,
  NO_FILTER,
  referenceOfItem,
  URGENT_KINDS,
  walkFiltered,
} from '../../src/domain/inbox-filter';
import { FIRST_PAGE, type InboxCursor } from '../../src/domain/inbox-page';
import { NOTIFICATION_KINDS, type NotificationKind } from '../../src/domain/notification';
import { type InboxItemView, inboxFiltersView, markShownView } from '../../src/web/inbox-view';

const entry = (over: Partial<{ kind: NotificationKind; title: string; reference: string; read: boolean }> = {}) => ({
  kind: 'case-allocated' as NotificationKind,
  title: 'You have been allocated to case FSP-2026-7K3M2N as social worker',
  read: false,
  ...over,
});

describe('what each filter means', () => {
  it('urgent: a timescale due today, overdue or escalated; nothing else', () => {
    expect([...URGENT_KINDS].sort()).toEqual([
      'breach-escalated',
      'case-timescale-escalated',
      'case-timescale-overdue',
      'referral-decision-due',
      'referral-decision-overdue',
      'supervision-action-escalated',
      'supervision-action-overdue',
      'supervision-overdue',
    ]);
    for (const kind of NOTIFICATION_KINDS) expect(isUrgentKind(kind)).toBe(URGENT_KINDS.has(kind));
    expect(isUrgentKind('case-allocated')).toBe(false);
    // Due soon is a reminder, not yet urgent; a status change is news.
    for (const kind of ['case-timescale-due-soon', 'supervision-due-soon', 'supervision-action-due-soon', 'case-status-changed'] as const)
      expect(isUrgentKind(kind)).toBe(false);
  });

  it('a case: the reference the item was delivered with, else the one in its title (items from before), whole', () => {
    expect(referenceOfItem({ reference: 'FSP-2026-000123', title: 'Case opened from referral' })).toBe('FSP-2026-000123');
    expect(referenceOfItem({ title: 'Overdue: FSP-2026-4K7Q2M — the decision was due' })).toBe('FSP-2026-4K7Q2M');
    expect(referenceOfItem({ title: 'Case opened from referral — allocate a social worker' })).toBeUndefined();
    // A longer run of characters is not the reference it starts with.
    expect(referenceOfItem({ title: 'about FSP-2026-4K7Q2MX' })).toBeUndefined();
  });

  it('keeps an item only when every filter on matches it', () => {
    const filter: InboxFilter = { unread: true, urgent: true, caseReference: 'FSP-2026-4K7Q2M' };
    const urgent = entry({ kind: 'referral-decision-overdue', title: 'Overdue: FSP-2026-4K7Q2M' });
    expect(matchesFilter(urgent, filter)).toBe(true);
    expect(matchesFilter({ ...urgent, read: true }, filter)).toBe(false);
    expect(matchesFilter({ ...urgent, kind: 'referral-submitted' }, filter)).toBe(false);
    expect(matchesFilter({ ...urgent, title: 'Overdue: FSP-2026-8H3T6W' }, filter)).toBe(false);
    expect(matchesFilter({ ...urgent, read: true, kind: 'case-opened' }, NO_FILTER)).toBe(true);
  });
});

describe('the filters in an address', () => {
  it('reads unread=yes, urgent=yes and a case reference as typed (spaces, lower case), the first of repeats', () => {
    expect(filterFromQuery({ unread: 'yes', urgent: ['yes', 'no'], case: '  fsp-2026-4k7q2m ' })).toEqual({
      filter: { unread: true, urgent: true, caseReference: 'FSP-2026-4K7Q2M' },
      typedCase: 'FSP-2026-4K7Q2M',
    });
    expect(filterFromQuery({})).toEqual({ filter: NO_FILTER, typedCase: '' });
    expect(filterFromQuery({ unread: 'true', urgent: '1', case: '' })).toEqual({ filter: NO_FILTER, typedCase: '' });
  });

  it('leaves out a case reference that is not one, saying why and keeping what was typed', () => {
    expect(filterFromQuery({ case: 'Jones family', urgent: 'yes' })).toEqual({
      filter: { unread: false, urgent: true },
      typedCase: 'Jones family',
      caseError: CASE_REFERENCE_ERROR,
    });
    // I, L, O and U are never in a reference.
    expect(filterFromQuery({ case: 'FSP-2026-4K7Q2I' }).caseError).toBe(CASE_REFERENCE_ERROR);
  });

  it('spells them back the same way, and no filter as nothing', () => {
    const filter: InboxFilter = { unread: true, urgent: false, caseReference: 'FSP-2026-4K7Q2M' };
    expect(filterQueryOf(filter)).toEqual({ unread: 'yes', case: 'FSP-2026-4K7Q2M' });
    expect(filterFromQuery(filterQueryOf(filter)).filter).toEqual(filter);
    expect(filterQueryOf(NO_FILTER)).toEqual({});
    expect(isFiltered(NO_FILTER)).toBe(false);
    expect(isFiltered({ ...NO_FILTER, urgent: true })).toBe(true);
  });

  it('says in words what the list shows, and carries the filters in hidden fields', () => {
    expect(inboxFiltersView(filterFromQuery({ unread: 'yes', urgent: 'yes', case: 'FSP-2026-4K7Q2M' }))).toEqual({
      unread: true,
      urgent: true,
      typedCase: 'FSP-2026-4K7Q2M',
      active: true,
      summary: 'Showing only unread, urgent items about case FSP-2026-4K7Q2M.',
      fields: [
        { name: 'unread', value: 'yes' },
        { name: 'urgent', value: 'yes' },
        { name: 'case', value: 'FSP-2026-4K7Q2M' },
      ],
    });
    expect(inboxFiltersView(filterFromQuery({ case: 'FSP-2026-4K7Q2M' })).summary).toBe('Showing only items about case FSP-2026-4K7Q2M.');
    expect(inboxFiltersView(filterFromQuery({}))).toEqual({ unread: false, urgent: false, typedCase: '', active: false, fields: [] });
  });
});

// --- The filtered walk ---------------------------------------------------------------------------

interface Item {
  notificationId: string;
  match: boolean;
}

const idAt = (n: number) => `2026${String(n).padStart(13, '0')}Z-${'0'.repeat(32)}`;

/** As the store's Query: the items after `after`, newest first, `limit` + 1 of them. */
const sliceOf = (items: readonly Item[], after: string | null, limit: number) => {
  const rest = items.filter((item) => after === null || item.notificationId < after);
  return { items: rest.slice(0, limit + 1), truncated: false };
};

describe('walkFiltered', () => {
  it('keeps the matching items newest first across both mailboxes, and stops where the page is full', () => {
    const user = [9, 6, 3].map((n) => ({ notificationId: idAt(n), match: n !== 6 }));
    const team = [8, 7, 2].map((n) => ({ notificationId: idAt(n), match: true }));
    const walked = walkFiltered(FIRST_PAGE, { user: sliceOf(user, null, 5), team: sliceOf(team, null, 5) }, 5, 3, (item) => item.match);
    expect(walked.items.map((item) => item.notificationId)).toEqual([idAt(9), idAt(8), idAt(7)]);
    expect(walked.next).toEqual({ user: { after: idAt(9), done: false }, team: { after: idAt(7), done: false } });
    expect(walked.complete).toBe(true);
  });

  it('never walks past what a mailbox fetched while it may hold more: the page is then incomplete', () => {
    const user = [9, 8, 7, 1].map((n) => ({ notificationId: idAt(n), match: false }));
    const team = [5, 4].map((n) => ({ notificationId: idAt(n), match: true }));
    // Two fetched of the user's (and a third saying there are more): the team's 5 may not be shown before the user's 6 is known.
    const walked = walkFiltered(FIRST_PAGE, { user: sliceOf(user, null, 2), team: sliceOf(team, null, 2) }, 2, 10, (item) => item.match);
    expect(walked.items).toEqual([]);
    expect(walked.complete).toBe(false);
    expect(walked.next?.user).toEqual({ after: idAt(7), done: false });
    expect(walked.next?.team).toEqual({ after: null, done: false });
  });

  it('is done (no next) when both mailboxes are walked to their end', () => {
    const walked = walkFiltered(
      FIRST_PAGE,
      { user: sliceOf([{ notificationId: idAt(2), match: true }], null, 5), team: sliceOf([], null, 5) },
      5,
      20,
      (item) => item.match,
    );
    expect(walked.items).toHaveLength(1);
    expect(walked.next).toBeNull();
  });

  it('property: paging with any fetch and page size shows exactly the matching items, newest first, once each', () => {
    const mailbox = fc.uniqueArray(fc.integer({ min: 1, max: 10_000 }), { maxLength: 60 });
    fc.assert(
      fc.property(
        mailbox,
        mailbox,
        fc.func(fc.boolean()),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 12 }),
        (userNs, teamNs, matchOf, fetched, want) => {
          // Ids never repeat across mailboxes: the team's are odd, the user's even.
          const build = (ns: number[], parity: number) =>
            [...new Set(ns.map((n) => n * 2 + parity))].sort((a, b) => b - a).map((n) => ({ notificationId: idAt(n), match: matchOf(n) }));
          const user = build(userNs, 0);
          const team = build(teamNs, 1);
          const shown: Item[] = [];
          let cursor: InboxCursor | null = FIRST_PAGE;
          for (let rounds = 0; cursor; rounds += 1) {
            if (rounds > 500) throw new Error('the walk never ends');
            const at: InboxCursor = cursor;
            const walked = walkFiltered(
              at,
              {
                user: at.user.done ? { items: [], truncated: false } : sliceOf(user, at.user.after, fetched),
                team: at.team.done ? { items: [], truncated: false } : sliceOf(team, at.team.after, fetched),
              },
              fetched,
              want,
              (item) => item.match,
            );
            expect(walked.items.length).toBeLessThanOrEqual(want);
            shown.push(...walked.items);
            cursor = walked.next;
          }
          const expected = [...user, ...team]
            .filter((item) => item.match)
            .sort((a, b) => (a.notificationId < b.notificationId ? 1 : -1))
            .map((item) => item.notificationId);
          expect(shown.map((item) => item.notificationId)).toEqual(expected);
        },
      ),
    );
  });
});

describe('marking a filtered page’s items read', () => {
  const item = (id: string, unread: boolean): InboxItemView => ({
    id,
    anchor: `item-${id}`,
    title: `Item ${id}`,
    href: '/cases/case-1',
    when: 'Today at 9am',
    at: '2026-03-02T09:00:00.000Z',
    unread,
    urgent: false,
  });

  it('offers the unread items shown, and only those, counting them in its words', () => {
    expect(markShownView([item('a', true), item('b', false), item('c', true)])).toEqual({
      ids: ['a', 'c'],
      text: 'Mark these 2 unread items as read',
    });
  });

  it('offers nothing when fewer than two shown are unread: one has its own “Mark as read”', () => {
    expect(markShownView([item('a', false), item('b', true)])).toBeUndefined();
    expect(markShownView([item('a', false)])).toBeUndefined();
    expect(markShownView([])).toBeUndefined();
  });
});
