/**
 * Drill A (QUALITY.md, Reliability; issue 16, Deliver 7): the local cloud run as an operator runs it
 * (`npm start -- --data-dir <dir>`, a process of its own with DynamoDB Local as its child), a burst of
 * partner referrals at concurrency 10, and in the middle of it SIGKILL of the whole process group
 * (node and java: nothing is flushed, nothing shut down). Then a restart on the same data directory,
 * and the outcome read from the tables:
 * - every referral that was answered 201 is stored;
 * - every stored referral (those whose request died with the connection included) had its
 *   ReferralSubmitted carried to both subscribers exactly once: one item in the front door's team
 *   inbox, which the mailbox's delivered counter counts once, and the known-family check recorded;
 * - nothing is left in any queue or DLQ.
 * The kill is chosen by the number of 201s, never by time; every wait is on a condition with a
 * deadline. It joins the e2e tier, near its 30-minute limit: a small burst, and at most 90 s.
 *
 * What a kill costs the local cloud, and why this passes (ADR 0024): DynamoDB Local acknowledges a
 * transaction before committing it (the commit barrier in dynamodb-local.ts holds the answer until
 * it is), and the relay publishes at start the outbox items its journal does not name. Messages a
 * consumer had in flight at the kill wait out that invocation's deadline (the consumer's timeout,
 * 30 s) before they are delivered again: the longest wait here.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { teamMailbox } from '@fsp/shared/inbox/mailbox';
import { tableNameFor } from '@fsp/shared/table';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../src/dynamodb-local';
import { LOCAL_STAGE } from '../../../src/local-cloud';
import { freePort } from '../../../src/net';
import { createAdminClient } from '../../../src/queues/admin-client';

const REPO_ROOT = resolve(__dirname, '../../../../..');
const MAIN = join(REPO_ROOT, 'infra/local/src/main.ts');
const CONCURRENCY = 10;
/** The most the burst would send; it is cut short by the kill long before. */
const MOST_REQUESTS = 120;
const KILL_AFTER_CREATED = 20;
/** The whole drill's bound (the e2e tier's budget); each wait takes what is left of it, less a margin to clean up. */
const DRILL_MS = 90_000;
const CLEAN_UP_MS = 5_000;
const drillDeadline = Date.now() + DRILL_MS;
const leftMs = () => Math.max(0, drillDeadline - CLEAN_UP_MS - Date.now());
const FRONT_DOOR_TEAM = 'front-door';
/** FSP_TEST_VERBOSE=1: each step on stderr as it happens. */
const note = process.env.FSP_TEST_VERBOSE
  ? (line: string) => process.stderr.write(`drill A ${new Date().toISOString()} ${line}\n`)
  : () => {};

const referral = {
  referrer: { name: 'Drill Referrer', organisation: 'Demo Primary School', email: 'drill@demo-school.example' },
  referralSource: '2A',
  children: [{ firstName: 'Mia', lastName: 'Jones', dateOfBirth: '2018-03-14' }],
  concerns: { whatHappened: 'Disclosure of violence at home.', whyNow: 'Third disclosure this term.' },
  factors: ['3B'],
  consent: { familyKnows: true, consentGiven: true },
};

interface Running {
  child: ChildProcess;
  url: string;
  dynamoEndpoint: string;
  variables: Record<string, string>;
  output: () => string;
}

/** `npm start -- --data-dir <dir> --port <port>` in a process group of its own, resolved at its ready screen. */
async function startOperatorCloud(dataDirectory: string, port: number): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--data-dir', dataDirectory, '--port', String(port)], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    // The functions log to this process's stdout; the last lines are what a failure needs.
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code, signal) => reject(new Error(`the local cloud exited (${code ?? signal}) before it was ready:\n${output}`))),
  );
  const ready = new Promise<Running>((resolveReady) => {
    let screen = '';
    const look = (chunk: Buffer) => {
      screen += chunk.toString();
      const exports = /^\s*export (FSP=.*)$/m.exec(screen);
      const dynamo = /DynamoDB Local\s+(http:\/\/\S+)/.exec(screen);
      if (!exports?.[1] || !dynamo?.[1]) return;
      child.stdout?.off('data', look);
      const variables = Object.fromEntries([...exports[1].matchAll(/(\w+)='([^']*)'/g)].map((match) => [match[1]!, match[2]!]));
      resolveReady({ child, url: variables.FSP!, dynamoEndpoint: dynamo[1], variables, output: () => output });
    };
    child.stdout?.on('data', look);
  });
  let timer: NodeJS.Timeout | undefined;
  const startMs = leftMs();
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the local cloud was not ready within ${startMs / 1000} s:\n${output}`)), startMs);
  });
  try {
    return await Promise.race([ready, exited, late]);
  } catch (error) {
    // Not ready: nothing of it may outlive the test.
    if (child.exitCode === null && child.signalCode === null) await killGroup(child);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** SIGKILL to every process of the group this test started, then waits until none of them is left. */
async function killGroup(child: ChildProcess): Promise<void> {
  const group = child.pid!;
  process.kill(-group, 'SIGKILL');
  await eventually(
    'every process of the killed local cloud to be gone',
    async () => {
      try {
        process.kill(-group, 0);
        return undefined;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ESRCH') return true;
        throw error;
      }
    },
    10_000,
  );
}

/** Looks again every quarter second until `check` gives a value, or fails at the deadline saying what it last saw. */
async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  seen?: () => Promise<string>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
      last = undefined;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const state = seen ? await seen().catch((error: unknown) => `(could not look: ${String(error)})`) : '';
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? `: ${String(last)}` : ''}\n${state}`);
    }
    await new Promise((resolveLook) => setTimeout(resolveLook, 250));
  }
}

async function partnerToken(running: Running): Promise<string> {
  const response = await fetch(`${running.url}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: running.variables.FSP_CLIENT_ID!,
      client_secret: running.variables.FSP_CLIENT_SECRET!,
      scope: 'referrals/submit',
    }).toString(),
  });
  if (response.status !== 200) throw new Error(`the token endpoint answered ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

interface BurstOutcome {
  created: string[];
  connectionErrors: number;
  /** The first connection error's cause, for a failure's message. */
  firstConnectionError?: string;
  otherAnswers: number[];
}

/**
 * One referral before the burst, sent again while the gateway answers 503 (a cold start past its
 * integration timeout on a loaded machine), so that the burst meets a warm partner API.
 */
async function warmPartnerApi(running: Running, token: string): Promise<string> {
  return eventually(
    'the partner API to answer a first referral with 201',
    async () => {
      const response = await fetch(`${running.url}/v1/referrals`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
        body: JSON.stringify(referral),
      });
      const body = await response.text();
      if (response.status === 503) return undefined;
      if (response.status !== 201) throw new Error(`the first referral was answered ${response.status}: ${body}`);
      return (JSON.parse(body) as { id: string }).id;
    },
    leftMs(),
  );
}

/** POSTs at `CONCURRENCY` until `KILL_AFTER_CREATED` 201s have come back, then kills the local cloud mid-burst. */
async function burstUntilKilled(running: Running, token: string): Promise<BurstOutcome> {
  const outcome: BurstOutcome = { created: [], connectionErrors: 0, otherAnswers: [] };
  let sent = 0;
  let killing: Promise<void> | undefined;
  const worker = async () => {
    while (killing === undefined && sent < MOST_REQUESTS) {
      sent += 1;
      try {
        const response = await fetch(`${running.url}/v1/referrals`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
          body: JSON.stringify(referral),
        });
        const body = await response.text();
        if (response.status === 201) {
          outcome.created.push((JSON.parse(body) as { id: string }).id);
          if (outcome.created.length === KILL_AFTER_CREATED) killing = killGroup(running.child);
        } else outcome.otherAnswers.push(response.status);
      } catch (error) {
        // The connection died with the process: the referral may or may not have been stored.
        outcome.connectionErrors += 1;
        outcome.firstConnectionError ??= `${String(error)} (${String((error as { cause?: unknown }).cause)})`;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  await killing;
  return outcome;
}

let dataDirectory: string;
let running: Running | undefined;
let documents: DynamoDBDocumentClient | undefined;

beforeAll(() => {
  dataDirectory = mkdtempSync(join(tmpdir(), 'fsp-drill-restart-'));
});

afterAll(async () => {
  documents?.destroy();
  if (running && running.child.exitCode === null && running.child.signalCode === null) await killGroup(running.child);
  rmSync(dataDirectory, { recursive: true, force: true });
});

async function queryAll(input: ConstructorParameters<typeof QueryCommand>[0]): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await documents!.send(new QueryCommand({ ...input, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

/** Test-only reading of the whole table (no request path scans). */
async function scanAll(tableName: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await documents!.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

interface Observed {
  referralIds: string[];
  checked: Set<string>;
  submittedEvents: Map<string, number>;
  inboxItems: Map<string, number>;
  inboxItemCount: number;
  deliveredCount: number;
}

async function observe(): Promise<Observed> {
  const referralsTable = tableNameFor(LOCAL_STAGE, 'referrals');
  const notificationsTable = tableNameFor(LOCAL_STAGE, 'notifications');
  const referralItems = await scanAll(referralsTable);
  const referrals = referralItems.filter((item) => item.kind === 'referral');
  const submittedEvents = new Map<string, number>();
  for (const item of referralItems) {
    if (item.kind !== 'outbox' || item.detailType !== 'ReferralSubmitted') continue;
    const id = (JSON.parse(String(item.detail)) as { data: { referralId: string } }).data.referralId;
    submittedEvents.set(id, (submittedEvents.get(id) ?? 0) + 1);
  }
  const mailbox = `MAILBOX#${teamMailbox(FRONT_DOOR_TEAM)}`;
  const mailboxItems = await queryAll({
    TableName: notificationsTable,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': mailbox },
  });
  const items = mailboxItems.filter((item) => String(item.sk).startsWith('ITEM#'));
  const inboxItems = new Map<string, number>();
  for (const item of items) {
    const match = /^\/front-door\/referrals\/(.+)$/.exec(String(item.link));
    if (item.kind === 'referral-submitted' && match?.[1]) inboxItems.set(match[1], (inboxItems.get(match[1]) ?? 0) + 1);
  }
  const counter = mailboxItems.find((item) => item.sk === 'COUNTER');
  return {
    referralIds: referrals.map((item) => String(item.referralId)),
    checked: new Set(referrals.filter((item) => item.familyMatches !== undefined).map((item) => String(item.referralId))),
    submittedEvents,
    inboxItems,
    inboxItemCount: items.length,
    deliveredCount: Number(counter?.deliveredCount ?? 0),
  };
}

/** For a failure: which stored referrals lack what, and what each queue holds. */
async function whatIsMissing(url: string, dataDirectory: string): Promise<string> {
  const observed = await observe();
  const lacking = observed.referralIds
    .filter((id) => !(observed.inboxItems.has(id) && observed.checked.has(id)))
    .map(
      (id) =>
        `${id}: event ${observed.submittedEvents.get(id) ?? 0}, inbox ${observed.inboxItems.get(id) ?? 0}, checked ${observed.checked.has(id)}`,
    );
  const queues = await createAdminClient(url).listQueues();
  const journal = readFileSync(join(dataDirectory, 'relay-journal.jsonl'), 'utf8').split('\n').filter(Boolean);
  return [
    `${lacking.length} of ${observed.referralIds.length} stored referrals not carried through:`,
    ...lacking,
    `queues: ${queues.map((queue) => `${queue.name} depth ${queue.depth} in flight ${queue.inFlight} dead ${queue.deadLetters}`).join('; ')}`,
    `relay journal: ${journal.length} lines, first ${journal[0]}`,
  ].join('\n');
}

/** Carried through: each stored referral has its inbox item and its check, and no queue holds anything. */
async function carriedThrough(url: string): Promise<Observed | undefined> {
  const observed = await observe();
  const missing = observed.referralIds.filter((id) => !(observed.inboxItems.has(id) && observed.checked.has(id)));
  note(`${observed.referralIds.length} referrals, ${missing.length} not yet carried through`);
  if (!observed.referralIds.every((id) => observed.inboxItems.has(id) && observed.checked.has(id))) return undefined;
  const queues = await createAdminClient(url).listQueues();
  if (queues.some((queue) => queue.depth > 0)) return undefined;
  return observed;
}

describe('drill A: the local cloud killed in the middle of a burst and restarted on its data', () => {
  it(
    'keeps every 201 and carries every stored referral to each subscriber exactly once',
    async () => {
      const port = await freePort();
      running = await startOperatorCloud(dataDirectory, port);
      note(`started at ${running.url}`);
      const token = await partnerToken(running);
      const first = await warmPartnerApi(running, token);
      note(`first referral ${first} stored`);
      const burst = await burstUntilKilled(running, token);
      burst.created.unshift(first);
      note(
        `killed: ${burst.created.length} created, ${burst.connectionErrors} connection errors (first: ${burst.firstConnectionError}), other answers ${burst.otherAnswers.join(' ')}`,
      );
      if (burst.created.length < KILL_AFTER_CREATED) note(`the local cloud's last output:\n${running.output().slice(-4_000)}`);
      // An overloaded machine may answer 503 (with Retry-After) or time a function out; never a refusal of the request itself.
      expect(burst.otherAnswers.filter((status) => status < 500)).toEqual([]);
      expect(burst.created.length).toBeGreaterThanOrEqual(KILL_AFTER_CREATED);
      // The kill landed while requests were still in flight.
      expect(burst.connectionErrors).toBeGreaterThan(0);

      running = await startOperatorCloud(dataDirectory, port);
      note('restarted');
      documents = DynamoDBDocumentClient.from(
        new DynamoDBClient({ endpoint: running.dynamoEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }),
      );
      const url = running.url;
      const observed = await eventually(
        'every stored referral to reach the inbox and the known-family check',
        () => carriedThrough(url),
        leftMs(),
        () => whatIsMissing(url, dataDirectory),
      );

      const stored = new Set(observed.referralIds);
      expect(burst.created.filter((id) => !stored.has(id))).toEqual([]);
      // Those whose request died with the process (or timed out) are stored or not, never half: the checks above hold for them too.
      expect(observed.referralIds.length).toBeGreaterThanOrEqual(burst.created.length);
      expect(observed.referralIds.length).toBeLessThanOrEqual(burst.created.length + burst.connectionErrors + burst.otherAnswers.length);
      for (const id of observed.referralIds) {
        expect({ id, events: observed.submittedEvents.get(id) }).toEqual({ id, events: 1 });
        expect({ id, inboxItems: observed.inboxItems.get(id) }).toEqual({ id, inboxItems: 1 });
      }
      expect(observed.checked.size).toBe(observed.referralIds.length);
      // The mailbox's counter moves with each new item, in the same transaction: a second delivery would show here.
      expect(observed.deliveredCount).toBe(observed.inboxItemCount);
      expect(observed.inboxItems.size).toBe(observed.referralIds.length);
      const deadLetters = await createAdminClient(url).listDeadLetters();
      expect(deadLetters).toEqual([]);
    },
    DRILL_MS,
  );
});
