/**
 * Which items of an inbox page the worker has read comes with the page's items, in one round of
 * reads (WEB.md): the reader's newest receipts, which are the receipts of the items the page can
 * show because ids are time-ordered. Receipts the reader holds from another mailbox (a team they
 * left) can crowd that window; then the items below it are looked up in a second round, and the
 * page is still right. Against DynamoDB Local.
 */
import { type Mailbox, teamMailbox, userMailbox, type WorkerMailboxes } from '@fsp/shared/inbox/mailbox';
import { createTestTable, type TestTable } from '@fsp/shared/testing/dynamodb';
import { countingRounds } from '@fsp/shared/testing/read-rounds';
import { FIRST_PAGE } from '../../src/domain/inbox-page';
import { notificationIdOf } from '../../src/domain/notification';
import { createInboxStore } from '../../src/store/inbox-store';

const PAGE_SIZE = 20;
const reader = 'reader-0001';
const now = new Date('2026-03-02T09:00:00.000Z');
const cause = { correlationId: 'corr-reading', causationId: 'req-reading' };

let table: TestTable;
let store: ReturnType<typeof createInboxStore>;
let rounds: ReturnType<typeof countingRounds>;

beforeAll(async () => {
  table = await createTestTable('notifications');
  rounds = countingRounds(table.documentClient);
  store = createInboxStore(rounds.documents, table.tableName, { conflictBackoffMs: 5 });
});
afterAll(() => table.drop());

/** An item in `mailbox` at minute `minute` of 2 March 2026 (a later minute is a newer item). */
async function deliver(mailbox: Mailbox, minute: number): Promise<string> {
  const occurredAt = new Date(Date.UTC(2026, 2, 2, 8, 0) + minute * 60_000).toISOString();
  const eventId = `00000000-0000-4000-8000-${String(minute).padStart(6, '0')}${mailbox.length.toString().padStart(6, '0')}`;
  const notificationId = notificationIdOf({ eventId, occurredAt }, mailbox, 'inbox');
  await store.deliver(
    {
      notificationId,
      mailbox,
      channel: 'inbox',
      kind: 'referral-submitted',
      title: `Item of ${mailbox} at minute ${minute}`,
      link: '/front-door',
      createdAt: occurredAt,
      sourceEventId: eventId,
      correlationId: `corr-${minute}`,
    },
    now,
  );
  return notificationId;
}

async function readAll(mailboxes: WorkerMailboxes): Promise<{ id: string; read: boolean }[]> {
  const items: { id: string; read: boolean }[] = [];
  let from = FIRST_PAGE;
  for (;;) {
    const { page } = await store.inboxPage(reader, mailboxes, from, PAGE_SIZE);
    items.push(...page.items.map((item) => ({ id: item.notificationId, read: item.read })));
    if (!page.next) return items;
    from = page.next;
  }
}

describe('an inbox page’s read state', () => {
  const current: WorkerMailboxes = { user: userMailbox(reader), team: teamMailbox('team-now') };
  const earlier: WorkerMailboxes = { user: userMailbox(reader), team: teamMailbox('team-before') };
  const readByReader = new Set<string>();

  beforeAll(async () => {
    // 30 items of the reader's present team, every third one read, over two pages.
    for (let minute = 0; minute < 30; minute += 1) {
      const id = await deliver(current.team, minute);
      if (minute % 3 === 0) {
        expect(await store.markRead(reader, current, id, now, cause)).toBe('marked');
        readByReader.add(id);
      }
    }
  });

  it('comes with the items, in one round of reads, on the first page and the next', async () => {
    rounds.take();
    const first = await store.inboxPage(reader, current, FIRST_PAGE, PAGE_SIZE);
    expect(rounds.take()).toBe(1);
    expect(first.page.next).not.toBeNull();
    await store.inboxPage(reader, current, first.page.next!, PAGE_SIZE);
    expect(rounds.take()).toBe(1);
    const all = await readAll(current);
    expect(all).toHaveLength(30);
    expect(all.filter((item) => item.read).map((item) => item.id)).toEqual([...readByReader].sort().reverse());
  });

  it('is still right when receipts from a team the reader left crowd the window, with a second round then', async () => {
    // 45 newer items in the team the reader was in before, all read by them there: their newest receipts are not this inbox's.
    for (let minute = 100; minute < 145; minute += 1) {
      const id = await deliver(earlier.team, minute);
      expect(await store.markRead(reader, earlier, id, now, cause)).toBe('marked');
    }
    rounds.take();
    await store.inboxPage(reader, current, FIRST_PAGE, PAGE_SIZE);
    expect(rounds.take()).toBe(2);
    const all = await readAll(current);
    expect(all).toHaveLength(30);
    expect(all.filter((item) => item.read).map((item) => item.id)).toEqual([...readByReader].sort().reverse());
  });
});
