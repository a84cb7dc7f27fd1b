/**
 * QUALITY.md, burst: `FSP_BENCH_BURST` (1,000) referrals through the local gateway at concurrency
 * 20, with the consumers running, each a different valid body under a new Idempotency-Key. Then:
 *
 * - errors: every answer that is not 201, by status;
 * - lost: a 201 whose referral is not in the referrals table, or that never gets its front-door
 *   inbox item; duplicated: a referral with more than one front-door inbox item;
 * - throughput: 201s per second from the first request to the last 201, against the raw
 *   throughput of DynamoDB Local for the same writes: the very TransactWriteItems intake sends
 *   (the partner API's routes run in this process with a client that hands over its transaction
 *   instead of sending it, as api-overhead.ts does), one per referral, sent with the SDK at the
 *   same concurrency to intake's own table, each item's partition key prefixed so that it is read
 *   by nothing and its outbox item sets off no consumer (ADR 0033). Intake's own table, not a
 *   fresh one: DynamoDB Local spends, on each stream record it writes for a table, time in
 *   proportion to the stream records of every table written before that table's first one, so a
 *   table made mid-run was measured in a state intake's table is not in (3 to 8 times slower).
 *   Measured first, after a warm-up (RAW_WARM_UP), on the cloud as idle as the burst finds it; the
 *   items stay (the bench's cloud is thrown away with them);
 * - inbox drain: from the last 201 until the front-door team's mailbox has delivered an item for
 *   every 201. Polled with one GetItem of the mailbox's delivered counter (the inbox store's
 *   COUNTER item) per round, never a read per referral; the mailbox's items are read once at the
 *   end (a paged Query of its partition) to account for each referral.
 *
 * The partner rate limit (1,200 a minute per agency) would refuse most of a burst from the one
 * demo agency within its minute: `npm run bench` raises it for the whole run through the
 * functions' environment (PARTNER_RATE_LIMIT_PER_MINUTE, `BENCH_RATE_LIMIT_PER_MINUTE`), so every
 * submission still counts on its agency's counter in its transaction, as in production, and none
 * is refused for it. The rate limit's own refusal is tested by the referrals service's tests.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, QueryCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { LocalCloud } from '../infra/local/src/local-cloud';
import { deliveredCounterKey, INBOX_ITEM_PREFIX, mailboxKey } from '../services/notifications/src/store/inbox-store';
import { referralKey } from '../services/referrals/src/store/items/referral';
import { teamMailbox } from '../shared/src/inbox/mailbox';
import { createDocumentClient } from '../shared/src/runtime';
import { accountBurst, intoOwnPartitions, perSecond } from './accounting';
import { captureIntake } from './intake-capture';
import { localDynamoClient } from './local-client';

export const BURST_REFERRALS = Number(process.env.FSP_BENCH_BURST ?? 1000);
export const BURST_CONCURRENCY = 20;
/** For the whole bench run (see above): high enough that no burst request is refused for it. */
export const BENCH_RATE_LIMIT_PER_MINUTE = '1000000';
const DRAIN_TIMEOUT_MS = 120_000;
const DRAIN_POLL_MS = 50;
/** The raw baseline's partitions in intake's table: no key the platform reads starts so. */
const RAW_PARTITION_PREFIX = 'BENCH-RAW#';
/**
 * Raw transactions sent, untimed, before the timed ones. DynamoDB Local's JVM compiles its hot
 * paths as it goes: a first thousand timed cold ran at 57–62/s, after these 300 at 77–89/s. The
 * burst that follows meets a JVM warmed by the raw phase, so the raw phase must meet one too. The
 * raw figure still varies from run to run by more than warm-up explains (ADR 0033).
 */
const RAW_WARM_UP = 300;

export interface BurstResult {
  requests: number;
  concurrency: number;
  created: number;
  errorsByStatus: Record<string, number>;
  lost: { notStored: number; noInboxItem: number };
  duplicated: number;
  firstRequestToLast201Ms: number;
  throughputPerSecond: number;
  raw: { transactions: number; warmUp: number; elapsedMs: number; transactionsPerSecond: number; failed: number };
  throughputRatio: number;
  /** null: not every item appeared within `drainTimeoutMs`. */
  drainMs: number | null;
  drainTimeoutMs: number;
  rateLimit: string;
}

const FIRST_NAMES = ['Mia', 'Noah', 'Ava', 'Leo', 'Isla', 'Oscar', 'Freya', 'Arlo', 'Ivy', 'Theo', 'Rosie', 'Finley', 'Maya'];
const LAST_NAMES = ['Jones', 'Smith', 'Patel', 'Khan', 'Evans', 'Brown', 'Ahmed', 'Taylor', 'Wilson', 'Davies', 'Hughes'];
const ORGANISATIONS = ['Demo Primary School', 'Northtown Health Centre', 'Demo Police', 'Northtown Academy'];
const FACTORS = [['3B'], ['3B', '17A'], ['17A'], ['2B', '3B']];

/** The `index`th body of run `run`: valid, and different from every other (names, dates, concerns, children, adults). */
export function burstReferral(run: string, index: number): Record<string, unknown> {
  const pick = <T>(list: readonly T[], salt: number): T => list[(index * salt + salt) % list.length] as T;
  const day = new Date(Date.UTC(2009, 0, 1) + ((index * 37) % 5800) * 86_400_000).toISOString().slice(0, 10);
  const lastName = pick(LAST_NAMES, 7);
  const child = (salt: number) => ({ firstName: pick(FIRST_NAMES, salt), lastName, dateOfBirth: day });
  return {
    referrer: { name: 'Bench Referrer', organisation: pick(ORGANISATIONS, 3), email: `referrer-${index}@demo-school.example` },
    referralSource: '2A',
    children: index % 4 === 0 ? [child(5), child(11)] : [child(5)],
    ...(index % 3 === 0 ? { adults: [{ firstName: 'Kerry', lastName, relationship: 'mother' }] } : {}),
    concerns: {
      whatHappened: `Disclosure at school of violence at home (bench ${run}, referral ${index}).`,
      whyNow: `Disclosure ${1 + (index % 5)} this term.`,
    },
    factors: pick(FACTORS, 13),
    consent: { familyKnows: index % 2 === 0, consentGiven: index % 2 === 0 },
  };
}

/** Runs `task(index)` for every index below `count`, `concurrency` at a time. */
export async function inPool(count: number, concurrency: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const index = next;
        next += 1;
        await task(index);
      }
    }),
  );
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function measureBurst(
  cloud: LocalCloud,
  options: { partnerToken: string; frontDoorTeamId: string; referrals?: number; concurrency?: number },
): Promise<BurstResult> {
  const requests = options.referrals ?? BURST_REFERRALS;
  const concurrency = options.concurrency ?? BURST_CONCURRENCY;
  const referralsTable = cloud.tableNames.referrals;
  const notificationsTable = cloud.tableNames.notifications;
  if (!referralsTable || !notificationsTable) throw new Error('the local cloud has no referrals or notifications table');
  const client = localDynamoClient(cloud);
  // The bench's own reads: no capacity reporting (the bench process has FSP_CAPACITY_LOG for its functions).
  const documents = createDocumentClient(client, {});
  const mailbox = teamMailbox(options.frontDoorTeamId);
  const deliveredCount = async (): Promise<number> => {
    const { Item } = await documents.send(
      new GetCommand({ TableName: notificationsTable, Key: deliveredCounterKey(mailbox), ConsistentRead: true }),
    );
    return Number(Item?.deliveredCount ?? 0);
  };
  const run = randomUUID().slice(0, 8);
  try {
    // Before the burst, while the cloud is as idle as the burst finds it: run after it, the raw
    // writes met DynamoDB Local still busy with the burst's consequences (the relay reading its
    // streams, the consumers' writes) and ran at a fifth of the rate they reach alone.
    const raw = await rawTransactions(cloud, client, requests, concurrency, run);
    const bodies = Array.from({ length: requests }, (_, index) => JSON.stringify(burstReferral(run, index)));
    const deliveredBefore = await deliveredCount();

    const created: string[] = [];
    const errorsByStatus: Record<string, number> = {};
    let last201 = 0;
    const started = performance.now();
    await inPool(requests, concurrency, async (index) => {
      let status: string;
      try {
        const response = await fetch(`${cloud.url}/v1/referrals`, {
          method: 'POST',
          headers: { authorization: `Bearer ${options.partnerToken}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
          body: bodies[index] as string,
        });
        const text = await response.text();
        if (response.status === 201) {
          last201 = performance.now();
          created.push((JSON.parse(text) as { id: string }).id);
          return;
        }
        status = String(response.status);
      } catch (error) {
        status = `no answer (${(error as Error).message})`;
      }
      errorsByStatus[status] = (errorsByStatus[status] ?? 0) + 1;
    });
    const firstRequestToLast201Ms = created.length > 0 ? last201 - started : 0;

    // The drain: the mailbox's delivered counter, one GetItem a round, until it has grown by every 201.
    let drainMs: number | null = null;
    for (;;) {
      const elapsed = performance.now() - last201;
      if ((await deliveredCount()) - deliveredBefore >= created.length) {
        drainMs = Math.round(performance.now() - last201);
        break;
      }
      if (elapsed > DRAIN_TIMEOUT_MS) break;
      await pause(DRAIN_POLL_MS);
    }

    const stored = await storedReferrals(documents, referralsTable, created);
    const inboxLinks = await mailboxLinks(documents, notificationsTable, mailbox);
    const account = accountBurst(created, stored, inboxLinks);
    const throughputPerSecond = created.length > 0 ? perSecond(created.length, firstRequestToLast201Ms) : 0;
    return {
      requests,
      concurrency,
      created: created.length,
      errorsByStatus,
      ...account,
      firstRequestToLast201Ms: Math.round(firstRequestToLast201Ms),
      throughputPerSecond,
      raw,
      throughputRatio: Math.round((throughputPerSecond / raw.transactionsPerSecond) * 100) / 100,
      drainMs,
      drainTimeoutMs: DRAIN_TIMEOUT_MS,
      rateLimit: `PARTNER_RATE_LIMIT_PER_MINUTE=${process.env.PARTNER_RATE_LIMIT_PER_MINUTE ?? 'unset (1,200)'} for the run`,
    };
  } finally {
    client.destroy();
  }
}

/** The ids among `ids` whose referral item is stored (BatchGetItem, 100 keys at a time, keys only). */
async function storedReferrals(documents: ReturnType<typeof createDocumentClient>, tableName: string, ids: readonly string[]) {
  const stored = new Set<string>();
  for (let from = 0; from < ids.length; from += 100) {
    let request: Record<string, { Keys: Record<string, string>[]; ProjectionExpression: string }> | undefined = {
      [tableName]: { Keys: ids.slice(from, from + 100).map(referralKey), ProjectionExpression: 'pk' },
    };
    while (request && Object.keys(request).length > 0) {
      const answer = await documents.send(new BatchGetCommand({ RequestItems: request }));
      for (const item of answer.Responses?.[tableName] ?? []) stored.add(String(item.pk).slice('REFERRAL#'.length));
      request = answer.UnprocessedKeys as typeof request;
    }
  }
  return stored;
}

/** Every inbox item's link in the mailbox: its partition's ITEM# items, paged. */
async function mailboxLinks(
  documents: ReturnType<typeof createDocumentClient>,
  tableName: string,
  mailbox: ReturnType<typeof teamMailbox>,
) {
  const links: string[] = [];
  let after: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :item)',
        ExpressionAttributeValues: { ':pk': mailboxKey(mailbox), ':item': INBOX_ITEM_PREFIX },
        ProjectionExpression: 'link',
        ...(after ? { ExclusiveStartKey: after } : {}),
      }),
    );
    for (const item of page.Items ?? []) links.push(String(item.link));
    after = page.LastEvaluatedKey;
  } while (after);
  return links;
}

/**
 * Intake's own transactions, one per referral, captured from the partner API's routes run in this
 * process, then sent directly at `concurrency` to intake's own table, each item moved into
 * partitions of the run's own (`intoOwnPartitions`); timed from the first send to the last answer.
 */
async function rawTransactions(cloud: LocalCloud, client: DynamoDBClient, count: number, concurrency: number, run: string) {
  const tableName = cloud.tableNames.referrals;
  if (!tableName) throw new Error('the local cloud has no referrals table');
  const intake = captureIntake(cloud, client);
  const direct = createDocumentClient(client, {});
  try {
    const transactions: TransactWriteCommandInput[] = [];
    for (let index = 0; index < RAW_WARM_UP + count; index += 1) {
      const captured = await intake.transactionOf(JSON.stringify(burstReferral(`${run}-raw`, index)));
      transactions.push(intoOwnPartitions(captured, `${RAW_PARTITION_PREFIX}${run}#`));
    }
    const send = (transaction: TransactWriteCommandInput) => direct.send(new TransactWriteCommand(transaction));
    await inPool(RAW_WARM_UP, concurrency, (index) => send(transactions[index] as TransactWriteCommandInput).then(() => undefined));
    let failed = 0;
    const started = performance.now();
    await inPool(count, concurrency, async (index) => {
      try {
        await send(transactions[RAW_WARM_UP + index] as TransactWriteCommandInput);
      } catch {
        failed += 1;
      }
    });
    const elapsedMs = performance.now() - started;
    return {
      transactions: count,
      warmUp: RAW_WARM_UP,
      elapsedMs: Math.round(elapsedMs),
      transactionsPerSecond: perSecond(count - failed, elapsedMs),
      failed,
    };
  } finally {
    intake.destroy();
  }
}
