/**
 * `npm start -- --seed` (WEB.md, Demo data): loads the fictional demo data set (data.ts) into a
 * running local cloud through the platform's own APIs and events, never by writing a table: the
 * partner API and the public web form for referrals, the front door's JSON API for screening and
 * decisions, the cases API for allocations, notes and case summaries, the supervision API for group
 * supervision records (the team manager) and actions done (their owners), each worker with their
 * own token; the decision-reminders and supervision-timescales schedules' functions for reminders
 * and escalations. Cases, scheduled supervisions, chronology entries and inbox items then follow
 * through the event flow, as they would for anyone's referral.
 *
 * Referrals received days ago are received days ago: the functions' clock (and only theirs) is set
 * to each step's time before it runs (FunctionRuntime.setClockOffset, local only), then back to the
 * present. See steps.ts.
 *
 * Once per data directory: with data kept on disk, a record beside it (`seed.json`) says it was
 * loaded, and a later `--seed` only checks, through the front door's API, that the data is still
 * there. The south team's people are added to the local user pool at every `--seed` start, since
 * the pool is made afresh at each start.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as z from 'zod/mini';
import type { LocalCloud } from '../local-cloud';
import type { RegisteredDemoWorker } from '../oidc';
import { createSeedClient, type SeedClient, SeedError } from './client';
import {
  type AgencyKey,
  type Referrer,
  SEED_AGENCIES,
  SEED_FAMILIES,
  SEED_WORKERS,
  type SeedAgency,
  type SeedFamily,
  type TeamId,
} from './data';
import { isScheduleStep, planSteps, referralName } from './plan';
import { quiet, runStep, type SeedContext, type SeededReferral, setFunctionClock } from './steps';
import { collectState, describe, type SeedState } from './summary';

export { SeedError } from './client';

export interface SeedOptions {
  /**
   * The seed's present: the day the data set is "today" for. Undefined (npm start) for now, and the
   * functions' clock goes back to the real time afterwards; a fixed instant (tests) leaves the
   * functions' clock running on from it, so that what is due today stays due today.
   */
  present?: Date;
  /** Where the seed records what it loaded, beside data kept on disk; undefined when nothing is kept. */
  recordFile?: string;
  families?: readonly SeedFamily[];
  log?: (line: string) => void;
}

export interface SeedResult {
  outcome: 'loaded' | 'already-loaded' | 'interrupted';
  /** The ready screen's lines. */
  lines: string[];
  /** Absent when an earlier load was interrupted and nothing was read. */
  state?: SeedState;
  seeded: SeededReferral[];
  /** The workers the seed added to the local user pool (also added to `cloud.demoWorkers`). */
  workers: RegisteredDemoWorker[];
}

const recordSchema = z.object({
  version: z.literal(1),
  state: z.enum(['loading', 'loaded']),
  startedAt: z.iso.datetime(),
  loadedAt: z.optional(z.iso.datetime()),
  referrals: z.optional(z.record(z.string(), z.object({ referralId: z.string(), reference: z.string(), caseId: z.optional(z.string()) }))),
});
type SeedRecord = z.infer<typeof recordSchema>;

const SUBMIT_SCOPE = 'referrals/submit';

export async function seedDemoData(cloud: LocalCloud, options: SeedOptions = {}): Promise<SeedResult> {
  const log = options.log ?? (() => {});
  const families = options.families ?? SEED_FAMILIES;
  const workers = addSeedWorkers(cloud);
  const client = createSeedClient(cloud.url);
  const password = (username: string) => {
    const worker = cloud.demoWorkers.find((candidate) => candidate.username === username);
    if (!worker) throw new SeedError(`the local user pool has no demo worker ${username}`);
    return worker.password;
  };
  const tokens = {
    frontDoor: await client.workerToken('frontdoor', password('frontdoor')),
    teams: {
      north: await client.workerToken('manager', password('manager')),
      south: await client.workerToken('southmanager', password('southmanager')),
    } satisfies Record<TeamId, string>,
    workers: Object.fromEntries(
      await Promise.all(
        recordingWorkers(families).map(async (username) => [username, await client.workerToken(username, password(username))]),
      ),
    ) as Record<string, string>,
  };

  const record = readRecord(options.recordFile);
  if (record?.state === 'loading') {
    return {
      outcome: 'interrupted',
      lines: [
        'Demo data: an earlier --seed into this data directory stopped before it finished, so it is not loaded again.',
        '  Start with --in-memory, or remove the data directory, to load it afresh.',
      ],
      seeded: [],
      workers,
    };
  }
  if (record?.state === 'loaded' && record.referrals) {
    const seeded = seededFromRecord(record.referrals, families);
    const first = seeded[0];
    const kept =
      first && (await client.call('GET', `/api/front-door/referrals/${first.referralId}`, { token: tokens.frontDoor })).status === 200;
    if (kept) {
      const state = await collectState(client, tokens, seeded, functionsNow(cloud));
      return {
        outcome: 'already-loaded',
        lines: describe(state, { loadedAt: new Date(record.loadedAt ?? record.startedAt) }),
        state,
        seeded,
        workers,
      };
    }
    log('seed: the data recorded as loaded is no longer there; loading it again');
  }

  const present = options.present ?? new Date();
  const finalClock = () => (options.present ? setFunctionClock({ cloud }, options.present) : cloud.runtime.setClockOffset(0));
  const steps = planSteps(families, present);
  const context: SeedContext = { cloud, client, present, tokens, agencies: new Map(), seeded: new Map(), notes: new Map(), log };
  const startedAt = new Date();
  writeRecord(options.recordFile, { version: 1, state: 'loading', startedAt: startedAt.toISOString() });
  try {
    // The agencies were onboarded before their first referral.
    if (steps[0]) setFunctionClock({ cloud }, new Date(steps[0].at.getTime() - 60 * 60 * 1000));
    await onboardAgencies(cloud, client, context.agencies, password('admin'));
    await quiet(context);

    let quietAfter = false;
    for (const [index, step] of steps.entries()) {
      if (quietAfter) await quiet(context);
      if (index === steps.length - 1) finalClock();
      else setFunctionClock(context, step.at);
      log(`seed: ${step.at.toISOString()} ${step.kind}${isScheduleStep(step) ? '' : ` ${referralName(step.family, step.referral)}`}`);
      ({ quietAfter } = await runStep(step, context));
    }
    await quiet(context);
  } finally {
    finalClock();
  }

  const seeded = [...context.seeded.values()];
  const state = await collectState(client, tokens, seeded, functionsNow(cloud));
  writeRecord(options.recordFile, {
    version: 1,
    state: 'loaded',
    startedAt: startedAt.toISOString(),
    loadedAt: new Date().toISOString(),
    referrals: Object.fromEntries(
      seeded.map(({ name, referralId, reference, caseId }) => [name, { referralId, reference, ...(caseId ? { caseId } : {}) }]),
    ),
  });
  return { outcome: 'loaded', lines: describe(state), state, seeded, workers };
}

/** The demo workers who record in the cases (notes, summaries) or do supervision actions: each signs in for the seed, as at the pages. */
function recordingWorkers(families: readonly SeedFamily[]): string[] {
  const usernames = new Set<string>();
  for (const referral of families.flatMap((family) => family.referrals)) {
    if (referral.decided?.summary) usernames.add(referral.decided.summary.by);
    for (const note of referral.decided?.notes ?? []) usernames.add(note.by);
    for (const action of (referral.decided?.supervisions ?? []).flatMap((supervision) => supervision.actions)) {
      if (action.done) usernames.add(action.owner);
    }
  }
  return [...usernames].sort();
}

/** The south team joins the local user pool (and the ready screen's list of demo workers). */
function addSeedWorkers(cloud: LocalCloud): RegisteredDemoWorker[] {
  const added: RegisteredDemoWorker[] = [];
  for (const worker of SEED_WORKERS) {
    if (cloud.demoWorkers.some((existing) => existing.username === worker.username)) continue;
    const { password } = cloud.issuer.registerWorker({ ...worker, roles: [...worker.roles] });
    // The id sign-in gives them, as the local cloud's own demo workers carry it.
    const sub = cloud.issuer.directoryEntries().find((entry) => entry.username === worker.username)?.sub;
    if (!sub) throw new SeedError(`the local user pool did not register ${worker.username}`);
    const demoWorker: RegisteredDemoWorker = { ...worker, roles: [...worker.roles], password, sub };
    cloud.demoWorkers.push(demoWorker);
    added.push(demoWorker);
  }
  return added;
}

/**
 * The agencies' tokens: the local cloud's demo school with its own credentials, the others
 * onboarded as an administrator onboards any agency (or, when kept from an earlier load, given a
 * fresh secret: secrets are shown once and never stored).
 */
async function onboardAgencies(
  cloud: LocalCloud,
  client: SeedClient,
  agencies: Map<AgencyKey, { token: string; referrer: Referrer }>,
  adminPassword: string,
): Promise<void> {
  const admin = await client.workerToken('admin', adminPassword);
  for (const agency of SEED_AGENCIES) {
    const credentials = agency.onboard ? await credentialsOf(client, admin, agency.onboard) : cloud.demoPartner;
    agencies.set(agency.key, {
      token: await client.partnerToken(credentials.clientId, credentials.clientSecret, SUBMIT_SCOPE),
      referrer: agency.referrer,
    });
  }
}

async function credentialsOf(
  client: SeedClient,
  admin: string,
  agency: NonNullable<SeedAgency['onboard']>,
): Promise<{ clientId: string; clientSecret: string }> {
  const path = `/api/admin/agencies/${agency.agencyId}`;
  const found = await client.call<{ clientId: string }>('GET', path, { token: admin });
  if (found.status === 404) return client.expect(201, 'POST', '/api/admin/agencies', { token: admin, body: agency });
  if (found.status !== 200) throw new SeedError(`GET ${path} answered ${found.status}: ${JSON.stringify(found.body)}`);
  const rotated = await client.expect<{ clientSecret: string }>(201, 'POST', `${path}/credentials`, { token: admin });
  return { clientId: found.body.clientId, clientSecret: rotated.clientSecret };
}

function seededFromRecord(referrals: NonNullable<SeedRecord['referrals']>, families: readonly SeedFamily[]): SeededReferral[] {
  const seeded: SeededReferral[] = [];
  for (const family of families) {
    for (const referral of family.referrals) {
      const kept = referrals[referralName(family, referral)];
      if (kept) seeded.push({ name: referralName(family, referral), family, referral, ...kept });
    }
  }
  return seeded;
}

const functionsNow = (cloud: LocalCloud): Date => new Date(Date.now() + cloud.runtime.clockOffset());

function readRecord(file: string | undefined): SeedRecord | undefined {
  if (!file || !existsSync(file)) return undefined;
  const problem = (why: string) => new SeedError(`${file} is not a record the seed wrote (${why}); remove it to load the demo data again`);
  let content: unknown;
  try {
    content = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw problem((error as Error).message);
  }
  const parsed = z.safeParse(recordSchema, content);
  if (!parsed.success)
    throw problem(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'the record'}: ${issue.message}`).join('; '));
  return parsed.data;
}

function writeRecord(file: string | undefined, record: SeedRecord): void {
  if (file) writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
}
