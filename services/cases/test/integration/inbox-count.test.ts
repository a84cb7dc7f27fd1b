/**
 * The Inbox count on the cases pages (WEB.md: every page's navigation shows "Inbox" with the
 * worker's unread count; ADR 0013): notifications' counter events kept by this service's
 * inbox-changed consumer in its own table, read in the same round as the page's own reads, through
 * the real handler with a sealed session against DynamoDB Local.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { idempotencyPartitionKey } from '@fsp/shared/consumer';
import { generateSessionKey, serializeSessionKeys } from '@fsp/shared/http/session';
import { createInboxChangedConsumer } from '@fsp/shared/inbox/consumer';
import { INBOX_CHANGED_SUBSCRIPTION } from '@fsp/shared/inbox/subscription';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import type { TestTable } from '@fsp/shared/testing/dynamodb';
import { type DeliverableEvent, deliverUntilAccepted } from '@fsp/shared/testing/events';
import { mainTextOf } from '@fsp/shared/testing/html';
import { inboxBadgeOf, inboxDelivered, inboxItemTextOf, inboxRead } from '@fsp/shared/testing/inbox';
import { type PageWorker, pageVisitor } from '@fsp/shared/testing/pages';
import { countingRounds } from '@fsp/shared/testing/read-rounds';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { fixedClock } from '@fsp/shared/time/clock';
import { createReferralAcceptedConsumer } from '../../src/consumers/referral-accepted';
import { caseIdForReferral } from '../../src/domain/case';
import { casesPagesHandler } from '../support/pages';
import { referralAccepted } from '../support/referral-accepted';

const NOW = '2026-01-06T09:15:00.000Z';
const ORIGIN = 'http://127.0.0.1:3000';

const manager: PageWorker = { userId: 'tm-0001', name: 'Tara Mensah', roles: ['team-manager'], teamId: 'team-north-1' };
const colleague: PageWorker = { userId: 'sw-0001', name: 'Sam Okafor', roles: ['social-worker'], teamId: 'team-north-1' };

let table: TestTable;
let runtime: ServiceRuntime;
let rounds: ReturnType<typeof countingRounds>;
let visitor: ReturnType<typeof pageVisitor>;
const caseId = caseIdForReferral('ref-inbox-1');

const hear = (...events: DeliverableEvent[]) => deliverUntilAccepted(createInboxChangedConsumer(runtime), events);

beforeAll(async () => {
  ({ table, runtime } = await createTestRuntime('cases', fixedClock(NOW)));
  await deliverUntilAccepted(createReferralAcceptedConsumer(runtime), [
    referralAccepted({ referralId: 'ref-inbox-1', teamId: 'team-north-1' }),
  ]);
  rounds = countingRounds(runtime.documents);
  const keys = [generateSessionKey(1)];
  const handler = casesPagesHandler(
    { ...runtime, documents: rounds.documents },
    { environment: { SESSION_KEYS: serializeSessionKeys(keys), PUBLIC_ORIGIN: ORIGIN }, now: runtime.clock },
  );
  visitor = pageVisitor({ handler, keys, origin: ORIGIN, clock: runtime.clock });
});
afterAll(async () => {
  await table.drop();
});

const page = async (worker: PageWorker, path: string) => {
  rounds.take();
  const response = await visitor.get(worker, path);
  return { status: response.statusCode, html: response.body ?? '', rounds: rounds.take() };
};

describe('the Inbox item on the cases pages', () => {
  it('shows no count before notifications has told this service of any item', async () => {
    const cases = await page(manager, '/cases');
    expect(cases.status).toBe(200);
    expect(inboxItemTextOf(cases.html)).toBe('Inbox');
  });

  it('shows the team’s and the worker’s own items less those the worker read, read with the page’s own data', async () => {
    // Heard in any order, one twice: the counts are the highest heard.
    await hear(
      inboxRead('tm-0001', 'team:team-north-1', 2),
      inboxDelivered('team:team-north-1', 3),
      inboxDelivered('team:team-north-1', 5),
      inboxDelivered('user:tm-0001', 1),
      inboxDelivered('team:team-north-1', 5),
      inboxDelivered('team:team-south-2', 7),
    );

    const cases = await page(manager, '/cases');
    expect(inboxItemTextOf(cases.html)).toBe('Inbox 4 (4 unread)');
    expect(cases.rounds).toBe(1);

    const summary = await page(manager, `/cases/${caseId}`);
    expect(summary.status).toBe(200);
    expect(inboxBadgeOf(summary.html)).toBe(4);
    // One round of reads, then the audit of the read.
    expect(summary.rounds).toBe(2);

    // A page saying there is no such case has the count too, and reads nothing else.
    const missing = await page(manager, '/cases/no-such-case');
    expect(missing.status).toBe(404);
    expect(mainTextOf(missing.html)).toContain('There is no such case that you can see');
    expect(inboxBadgeOf(missing.html)).toBe(4);

    // Read state is each worker's own.
    expect(inboxBadgeOf((await page(colleague, '/cases')).html)).toBe(5);
  });

  it('loses the badge when the worker has read everything', async () => {
    await hear(inboxRead('tm-0001', 'team:team-north-1', 5), inboxRead('tm-0001', 'user:tm-0001', 1));
    expect(inboxItemTextOf((await page(manager, '/cases')).html)).toBe('Inbox');
    expect(inboxBadgeOf((await page(manager, '/cases?cursor=not-ours')).html)).toBeUndefined();
  });

  it('hears one fact five times at once as once, in one round, writing no idempotency record', async () => {
    const delivered = inboxDelivered('team:team-north-1', 6);
    // Concurrent copies of one fact: none is asked to wait for another, as none needs a record of it.
    expect(await hear(delivered, delivered, delivered, delivered, delivered)).toBe(1);

    expect(inboxBadgeOf((await page(manager, '/cases')).html)).toBe(1);
    expect(inboxBadgeOf((await page(colleague, '/cases')).html)).toBe(6);
    const idempotency = await table.documentClient.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': idempotencyPartitionKey('cases') },
      }),
    );
    expect(idempotency.Items?.filter((item) => String(item.sk).includes(INBOX_CHANGED_SUBSCRIPTION))).toEqual([]);
  });
});
