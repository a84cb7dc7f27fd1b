import { FIRST_PAGE, type InboxCursor, mergeNewestFirst } from '../../src/domain/inbox-page';

const id = (minute: number, tag: string) => `20260105T09${String(minute).padStart(2, '0')}00000Z-${tag.repeat(32).slice(0, 32)}`;
const items = (...ids: string[]) => ids.map((notificationId) => ({ notificationId }));

describe('merging a worker’s two mailboxes', () => {
  it('orders the page newest first across both mailboxes and remembers where each stopped', () => {
    const user = items(id(50, 'a'), id(30, 'a'), id(10, 'a'));
    const team = items(id(40, 'b'), id(20, 'b'), id(5, 'b'));
    const page = mergeNewestFirst(FIRST_PAGE, { user: { items: user, truncated: false }, team: { items: team, truncated: false } }, 3);
    expect(page.items.map((item) => item.notificationId)).toEqual([id(50, 'a'), id(40, 'b'), id(30, 'a')]);
    expect(page.next).toEqual({ user: { after: id(30, 'a'), done: false }, team: { after: id(40, 'b'), done: false } });
  });

  it('ends when both mailboxes have given everything', () => {
    const page = mergeNewestFirst(
      FIRST_PAGE,
      { user: { items: items(id(50, 'a')), truncated: false }, team: { items: [], truncated: false } },
      3,
    );
    expect(page.next).toBeNull();
  });

  it('keeps a mailbox’s position when the page took nothing from it', () => {
    const from: InboxCursor = { user: { after: id(50, 'a'), done: false }, team: { after: null, done: false } };
    const page = mergeNewestFirst(
      from,
      { user: { items: items(id(1, 'a')), truncated: false }, team: { items: items(id(40, 'b'), id(30, 'b')), truncated: false } },
      1,
    );
    expect(page.next).toEqual({ user: { after: id(50, 'a'), done: false }, team: { after: id(40, 'b'), done: false } });
  });

  it('does not call a mailbox finished when its query was cut short', () => {
    const page = mergeNewestFirst(FIRST_PAGE, { user: { items: [], truncated: true }, team: { items: [], truncated: false } }, 5);
    expect(page.next).toEqual({ user: { after: null, done: false }, team: { after: null, done: true } });
  });
});
