/**
 * QUALITY.md, storage cost: the DynamoDB capacity each business operation consumes, as DynamoDB
 * reports it (`ReturnConsumedCapacity: TOTAL`, asked for by every function of the local cloud when
 * the bench sets FSP_CAPACITY_LOG=1: shared/src/consumed-capacity.ts), and proof that no function
 * sent a Scan meanwhile. One referral is carried through the operations in turn (submit it, decide
 * it, open its case's page, allocate the case, list the social worker's caseload, record a note,
 * record the first group supervision), `FSP_BENCH_FLOWS` times; after each operation the bench waits
 * until the local cloud has carried through everything it set off (`cloud.settled()`), so each
 * operation is shown twice: the request's own function, and everything it set off (consumers,
 * projections, inbox deliveries). DynamoDB Local's answer for a transaction is wrong (ADR 0034):
 * each step's transactions are priced from the tables' streams instead (stream-ledger.ts).
 *
 * The same windows give the cost model its counts (cost-model.ts): the functions' invocations and
 * durations (invocations.ts), the SQS messages their batches held, and the facts published, counted
 * afterwards as the outbox items written in the window (a Scan by the bench itself, of DynamoDB
 * Local, after the fact: not a request path).
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { BroadcastChannel } from 'node:worker_threads';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { workerToken } from '../infra/local/src/demo-tokens';
import type { LocalCloud } from '../infra/local/src/local-cloud';
import { CAPACITY_CHANNEL, type CapacityReport } from '../shared/src/consumed-capacity';
import type { ResolvedManifest } from '../shared/src/manifest-resolve';
import { OUTBOX_PREFIX } from '../shared/src/outbox';
import { londonWallClockOf } from '../shared/src/time/london';
import { type CapacitySum, perReferralSum, priceTransactions, sumCapacity, usageOf } from './accounting';
import type { Usage } from './cost-model';
import type { InvocationRecord } from './invocations';
import { localDynamoClient } from './local-client';
import { sessionCookieFor } from './page-overhead';
import { openStreamLedger, type StreamLedger } from './stream-ledger';

export const FLOW_RUNS = Number(process.env.FSP_BENCH_FLOWS ?? 3);

export interface OperationCapacity {
  operation: string;
  /** The HTTP function(s) the operation's requests reached: what the request itself consumed. */
  request: CapacitySum;
  /** With everything it set off, until the local cloud settled. */
  total: CapacitySum;
  runs: number;
}

export interface StorageCostResult {
  operations: OperationCapacity[];
  /** Functions that sent a Scan during the operations (empty: none). */
  scans: string[];
  /** Commands the functions sent during the operations, all told. */
  commands: number;
  /** The operations' counts for the cost model, per referral carried through them. */
  usage: Usage;
}

interface Timed<T> {
  at: number;
  value: T;
}

/** Everything functions report while the bench runs: capacity (the channel) and invocations (invocations.ts). */
export interface Capture {
  mark(): number;
  capacitySince(from: number, to?: number): CapacityReport[];
  invocationsSince(from: number, to?: number): InvocationRecord[];
  close(): void;
}

export function captureFunctions(invocations: readonly InvocationRecord[]): Capture {
  const channel = new BroadcastChannel(CAPACITY_CHANNEL);
  const reports: Timed<CapacityReport>[] = [];
  channel.onmessage = (message) => {
    const report = (message as { data: CapacityReport }).data;
    // The bench's own clients have no function name: only the functions' commands count.
    if (report.function) reports.push({ at: performance.now(), value: report });
  };
  const within = (at: number, from: number, to: number) => at >= from && at < to;
  return {
    mark: () => performance.now(),
    capacitySince: (from, to = Number.POSITIVE_INFINITY) =>
      reports.filter((report) => within(report.at, from, to)).map((report) => report.value),
    invocationsSince: (from, to = Number.POSITIVE_INFINITY) => invocations.filter((record) => within(record.endedAt, from, to)),
    close: () => channel.close(),
  };
}

/** Outbox items written at or after `since` (ISO) in every service's table: the facts published. The bench's own Scan, after the fact. */
export async function outboxItemsSince(cloud: LocalCloud, since: string): Promise<number> {
  const client = localDynamoClient(cloud);
  try {
    let count = 0;
    for (const tableName of Object.values(cloud.tableNames)) {
      let after: Record<string, never> | undefined;
      do {
        const page = await client.send(
          new ScanCommand({
            TableName: tableName,
            Select: 'COUNT',
            FilterExpression: 'begins_with(pk, :outbox) AND createdAt >= :since',
            ExpressionAttributeValues: { ':outbox': { S: OUTBOX_PREFIX }, ':since': { S: since } },
            ...(after ? { ExclusiveStartKey: after } : {}),
          }),
        );
        count += page.Count ?? 0;
        after = page.LastEvaluatedKey as typeof after;
      } while (after);
    }
    return count;
  } finally {
    client.destroy();
  }
}

/** Function ids that serve no route: queue consumers and schedules (`<service>-<function>`). */
export function backgroundFunctions(manifests: readonly ResolvedManifest[]): Set<string> {
  return new Set(
    manifests.flatMap((manifest) => [
      ...manifest.subscriptions.map((subscription) => `${manifest.name}-${subscription.consumer.name}`),
      ...manifest.schedules.map((schedule) => `${manifest.name}-${schedule.function.name}`),
    ]),
  );
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Step {
  operation: string;
  /** Sends the operation's requests; answers how many it sent. */
  act(): Promise<number>;
}

export async function measureStorageCost(
  cloud: LocalCloud,
  capture: Capture,
  manifests: readonly ResolvedManifest[],
  partnerToken: string,
  runs = FLOW_RUNS,
): Promise<StorageCostResult> {
  const background = backgroundFunctions(manifests);
  const tokens = {
    frontDoor: await workerToken(cloud, 'frontdoor'),
    manager: await workerToken(cloud, 'manager'),
    socialWorker: await workerToken(cloud, 'socialworker'),
  };
  const managerCookie = sessionCookieFor(cloud, 'manager');
  const socialWorkerCookie = sessionCookieFor(cloud, 'socialworker');
  const people = cloud.issuer.directoryEntries();
  const subOf = (username: string) => {
    const entry = people.find((candidate) => candidate.username === username);
    if (!entry) throw new Error(`the local user pool has no ${username}`);
    return entry.sub;
  };
  const call = async (method: string, path: string, auth: { token?: string; cookie?: string }, body?: unknown): Promise<string> => {
    const response = await fetch(`${cloud.url}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        ...(auth.token ? { authorization: `Bearer ${auth.token}` } : {}),
        ...(auth.cookie ? { cookie: auth.cookie } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json', 'idempotency-key': randomUUID() }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (response.status !== 200 && response.status !== 201)
      throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
    return text;
  };
  const wall = londonWallClockOf(new Date());
  const two = (value: number) => String(value).padStart(2, '0');
  const today = `${wall.year}-${two(wall.month)}-${two(wall.day)}`;
  const inAWeek = new Date(Date.UTC(wall.year, wall.month - 1, wall.day + 7)).toISOString().slice(0, 10);
  const referral = JSON.stringify({
    referrer: { name: 'Bench Referrer', organisation: 'Demo Primary School', email: 'bench@demo-school.example' },
    referralSource: '2A',
    children: [{ firstName: 'Mia', lastName: 'Jones', dateOfBirth: '2018-03-14' }],
    concerns: { whatHappened: 'Disclosure of violence at home.', whyNow: 'Third disclosure this term.' },
    factors: ['3B'],
    consent: { familyKnows: true, consentGiven: true },
  });

  const ledgerClient = localDynamoClient(cloud);
  const ledger = openStreamLedger(ledgerClient, cloud.dynamoEndpoint, Object.values(cloud.tableNames));
  try {
    return await measureWithLedger(ledger);
  } finally {
    ledger.close();
    ledgerClient.destroy();
  }

  async function measureWithLedger(ledger: StreamLedger): Promise<StorageCostResult> {
    // Every item written so far (agencies, the other measurements' referrals): their images, not this run's writes.
    await ledger.writes();
    const totals = new Map<string, { request: CapacitySum[]; total: CapacitySum[] }>();
    const usages: Usage[] = [];
    const allReports: CapacityReport[] = [];
    for (let run = 0; run < runs; run += 1) {
      let referralId = '';
      let caseId = '';
      const steps: Step[] = [
        {
          operation: 'submit a referral',
          act: async () => {
            referralId = (JSON.parse(await call('POST', '/v1/referrals', { token: partnerToken }, JSON.parse(referral))) as { id: string })
              .id;
            return 1;
          },
        },
        {
          operation: 'decide it (a case opens)',
          act: async () => {
            await call(
              'POST',
              `/api/front-door/referrals/${referralId}/decision`,
              { token: tokens.frontDoor },
              { outcome: 'assessment', reason: 'The bench carries a referral through to its first supervision.', teamId: 'north' },
            );
            return 1;
          },
        },
        {
          operation: 'open a case page',
          act: async () => {
            await call('GET', `/cases/${caseId}`, { cookie: managerCookie });
            return 1;
          },
        },
        {
          operation: 'allocate the case',
          act: async () => {
            await call(
              'PUT',
              `/api/cases/${caseId}/allocation`,
              { token: tokens.manager },
              { version: 0, socialWorkerId: subOf('socialworker'), specialists: {} },
            );
            return 1;
          },
        },
        {
          operation: 'list a caseload',
          act: async () => {
            await call('GET', '/cases/caseload', { cookie: socialWorkerCookie });
            return 1;
          },
        },
        {
          operation: 'record a note',
          act: async () => {
            const draft = JSON.parse(
              await call(
                'POST',
                `/api/cases/${caseId}/notes`,
                { token: tokens.socialWorker },
                {
                  type: 'home-visit',
                  contactDate: today,
                  contactTime: `${two(wall.hour)}:${two(wall.minute)}`,
                  seenPersonIds: [],
                  narrative: 'Visited the family at home and spoke with their mother about the plan for the assessment.',
                  significant: true,
                },
              ),
            ) as { id: string; version: number };
            await call(
              'POST',
              `/api/cases/${caseId}/notes/${draft.id}/complete`,
              { token: tokens.socialWorker },
              { version: draft.version },
            );
            return 2;
          },
        },
        {
          operation: 'record a supervision',
          act: async () => {
            await call(
              'POST',
              `/api/supervision/cases/${caseId}/supervisions/1/record/complete`,
              { token: tokens.manager },
              {
                expectedVersion: 0,
                heldOn: today,
                attendees: [subOf('socialworker'), subOf('manager')],
                rating: 'amber',
                ratingRationale: 'The assessment has started; the family is engaging.',
                discussion: 'The referral and the first home visit.',
                decisions: 'Continue the assessment.',
                actions: [{ what: 'Visit again with the adult specialist', ownerId: subOf('socialworker'), dueDate: inAWeek }],
              },
            );
            return 1;
          },
        },
      ];
      for (const step of steps) {
        const since = new Date().toISOString();
        const from = capture.mark();
        const httpRequests = await step.act();
        await cloud.settled(120_000);
        // Reports posted before the cloud settled are on their way through the channel: let them land.
        await pause(100);
        const to = capture.mark();
        const capacity = priceTransactions(capture.capacitySince(from, to), await ledger.writes(), ledger.sizeOf);
        allReports.push(...capacity);
        const sums = totals.get(step.operation) ?? { request: [], total: [] };
        sums.request.push(sumCapacity(capacity, (report) => !background.has(report.function ?? '')));
        sums.total.push(sumCapacity(capacity));
        totals.set(step.operation, sums);
        usages.push(
          usageOf(
            { capacity, invocations: capture.invocationsSince(from, to), httpRequests, events: await outboxItemsSince(cloud, since) },
            1,
          ),
        );
        if (step.operation.startsWith('decide')) caseId = await caseOf(cloud, tokens.manager, referralId);
      }
    }
    const mean = (sums: readonly CapacitySum[]): CapacitySum => {
      const round = (value: number) => Math.round((value / sums.length) * 10) / 10;
      return {
        read: round(sums.reduce((sum, entry) => sum + entry.read, 0)),
        write: round(sums.reduce((sum, entry) => sum + entry.write, 0)),
        commands: round(sums.reduce((sum, entry) => sum + entry.commands, 0)),
      };
    };
    const flow = perReferralSum(...usages);
    return {
      operations: [...totals].map(([operation, sums]) => ({
        operation,
        request: mean(sums.request),
        total: mean(sums.total),
        runs: sums.total.length,
      })),
      scans: [...new Set(allReports.filter((report) => report.command === 'ScanCommand').map((report) => report.function ?? 'unknown'))],
      commands: allReports.length,
      // perReferralSum added the steps of every run: one referral carried through is that divided by the runs.
      usage: perReferralSum({ ...flow, referrals: runs }),
    };
  }
}

async function caseOf(cloud: LocalCloud, managerToken: string, referralId: string): Promise<string> {
  const found = await fetch(`${cloud.url}/api/cases?referralId=${referralId}`, { headers: { authorization: `Bearer ${managerToken}` } });
  if (found.status !== 200) throw new Error(`no case opened from ${referralId}: GET /api/cases answered ${found.status}`);
  return ((await found.json()) as { id: string }).id;
}

export function describeStorageCost(result: StorageCostResult): string {
  const cell = (sum: CapacitySum) =>
    `${String(sum.read).padStart(6)} RRU ${String(sum.write).padStart(6)} WRU ${String(sum.commands).padStart(5)} cmds`;
  const lines = result.operations.map(
    (operation) => `  ${operation.operation.padEnd(28)} ${cell(operation.request)}   ${cell(operation.total)}`,
  );
  return `Storage cost per business operation (DynamoDB's ConsumedCapacity, a transaction's writes priced as AWS bills them, twice each, from the items before and after: ADR 0034; mean of ${result.operations[0]?.runs ?? 0} runs)
  ${'operation'.padEnd(28)} ${'the request itself'.padEnd(32)}   with everything it set off
${lines.join('\n')}
  Scan: ${result.scans.length === 0 ? `none among the ${result.commands} commands the functions sent` : `sent by ${result.scans.join(', ')}`}`;
}
