/**
 * The workers' mail store against DynamoDB Local: an intent is recorded once however often delivery
 * records it, waits in the index until its time, and is gathered into exactly one mail.
 */
import { createTestTable, type TestTable } from '@fsp/shared/testing/dynamodb';
import type { WorkerMailIntent } from '../../src/domain/worker-mail';
import { createWorkerMailStore, groupIntoMails, type WorkerMailStore } from '../../src/store/worker-mail-store';

let table: TestTable;
let store: WorkerMailStore;

beforeAll(async () => {
  table = await createTestTable('notifications');
  store = createWorkerMailStore(table.documentClient, table.tableName);
});
afterAll(async () => {
  await table.drop();
});

const intent = (overrides: Partial<WorkerMailIntent> = {}): WorkerMailIntent => ({
  notificationId: 'n-1',
  userId: 'user-store-1',
  mode: 'immediate',
  sendAt: '2026-01-05T10:00:00.000Z',
  kind: 'case-allocated',
  title: 'Case FSP-2026-000124 allocated to you',
  link: '/cases/c-1',
  reference: 'FSP-2026-000124',
  urgent: false,
  createdAt: '2026-01-05T10:00:00.000Z',
  ...overrides,
});

describe('the workers’ mail store', () => {
  it('records an intent once under five repeats, and it is due only from its sendAt', async () => {
    const now = new Date('2026-01-05T10:00:00.000Z');
    const one = intent({ userId: 'user-repeat', notificationId: 'n-repeat', sendAt: '2026-01-05T10:05:00.000Z' });
    for (let i = 0; i < 5; i += 1) await store.record([one], now);
    await Promise.all([store.record([one], now), store.record([{ ...one, title: 'changed' }], now)]);
    const before = await store.dueIntents(new Date('2026-01-05T10:04:59.999Z'), 50);
    expect(before.filter((i) => i.userId === 'user-repeat')).toEqual([]);
    const due = (await store.dueIntents(new Date('2026-01-05T10:05:00.000Z'), 50)).filter((i) => i.userId === 'user-repeat');
    expect(due).toEqual([one]);
  });

  it('the same notification for the same worker by the other mode is a second intent', async () => {
    const now = new Date('2026-01-05T10:00:00.000Z');
    const immediate = intent({ userId: 'user-modes', notificationId: 'n-modes' });
    await store.record([immediate, { ...immediate, mode: 'digest', sendAt: '2026-01-06T08:00:00.000Z' }], now);
    const due = (await store.dueIntents(new Date('2026-01-06T08:00:00.000Z'), 50)).filter((i) => i.userId === 'user-modes');
    expect(due.map((i) => i.mode).sort()).toEqual(['digest', 'immediate']);
  });

  it('refuses an intent that is not valid, naming the field', async () => {
    await expect(store.record([intent({ link: 'https://elsewhere.example/x' })], new Date())).rejects.toThrow(/link/);
  });

  it('gathers due intents into one mail once: a second gathering of the same intents changes nothing', async () => {
    const now = new Date('2026-01-07T08:00:00.000Z');
    const digest = (id: string) =>
      intent({ userId: 'user-gather', notificationId: id, mode: 'digest', sendAt: '2026-01-07T08:00:00.000Z' });
    await store.record([digest('a'), digest('b'), digest('c')], now);
    const due = (await store.dueIntents(now, 50)).filter((i) => i.userId === 'user-gather');
    const mails = groupIntoMails(due);
    expect(mails).toHaveLength(1);
    expect(await store.gather(mails[0]!.mailId, mails[0]!.intents, now)).toBe(true);
    expect(await store.gather(mails[0]!.mailId, mails[0]!.intents, now)).toBe(false);
    expect((await store.dueIntents(now, 50)).filter((i) => i.userId === 'user-gather')).toEqual([]);
    const mail = await store.get(mails[0]!.mailId);
    expect(mail).toMatchObject({ state: 'due', userId: 'user-gather', mode: 'digest', attempts: 0 });
    expect(mail!.intents.map((i) => i.notificationId)).toEqual(['a', 'b', 'c']);
  });
});
