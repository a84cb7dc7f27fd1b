/**
 * Runs the plan's steps (plan.ts) against a running local cloud, each through the platform's own
 * front doors: the partner API with an agency's client-credentials token, the public web form, the
 * front door's JSON API with the demo front-door worker's token, and the decision-reminders
 * schedule's function invoked with a Scheduled Event as the local scheduler invokes it.
 *
 * Time: each step happens at its planned instant because the functions' clock is set to it first
 * (FunctionRuntime.setClockOffset); the function that receives a referral "days ago" stamps it as
 * received then, and everything the platform derives (the decision deadline, the case's
 * assessment date, the first supervision, the inbox items' times) follows from that, as it would
 * have. Before the clock moves on, the events of the step before are left to arrive (the queues
 * fall quiet), so that their consumers, too, act at the step's time.
 *
 * A new kind of step (holding a supervision, recording a note) is a new member of `Step` in
 * plan.ts and a new entry in `HANDLERS`.
 */
import { randomUUID } from 'node:crypto';
import type { ReferralOutcome } from '@fsp/shared/events/codes';
import type { LocalCloud } from '../local-cloud';
import { functionIdOf } from '../runtime/types';
import { eventually, type SeedClient, SeedError } from './client';
import type { AgencyKey, Referrer, SeedFamily, SeedReferral, TeamId } from './data';
import { submitThroughForm } from './form';
import { referralName, type Step, submissionOf } from './plan';

/** The decision-reminders schedule's function (services/referrals/service.ts). */
export const DECISION_REMINDERS_FUNCTION = functionIdOf('referrals', 'decision-reminders');
const ACCEPTED: ReadonlySet<ReferralOutcome> = new Set(['assessment', 'strategy-discussion', 'added-to-open-case']);
const OPENS_A_CASE: ReadonlySet<ReferralOutcome> = new Set(['assessment', 'strategy-discussion']);

/** What the seed knows about a referral it made: the platform's ids for it. */
export interface SeededReferral {
  name: string;
  family: SeedFamily;
  referral: SeedReferral;
  referralId: string;
  reference: string;
  caseId?: string;
}

export interface SeedContext {
  /** The issuer for the workers' ids (`sub`), which an allocation names. */
  cloud: Pick<LocalCloud, 'runtime' | 'queues' | 'issuer'>;
  client: SeedClient;
  present: Date;
  /** Demo workers' tokens: the front door, and each team's manager (team records are theirs alone; managers allocate). */
  tokens: { frontDoor: string; teams: Record<TeamId, string> };
  agencies: Map<AgencyKey, { token: string; referrer: Referrer }>;
  seeded: Map<string, SeededReferral>;
  log: (line: string) => void;
}

type Handler<K extends Step['kind']> = (step: Extract<Step, { kind: K }>, context: SeedContext) => Promise<{ quietAfter: boolean }>;

const HANDLERS: { [K in Step['kind']]: Handler<K> } = {
  submit: async ({ family, referral }, context) => {
    const name = referralName(family, referral);
    let seeded: SeededReferral;
    if ('agency' in referral.from) {
      const agency = context.agencies.get(referral.from.agency);
      if (!agency) throw new SeedError(`${name}: no token for agency ${referral.from.agency}`);
      const receipt = await context.client.expect<{ id: string; reference: string }>(201, 'POST', '/v1/referrals', {
        token: agency.token,
        // One key per referral: a repeated submission is the same referral (PARTNER-API.md, idempotency).
        headers: { 'idempotency-key': `seed/${name}` },
        body: submissionOf(family, referral, context.present, agency.referrer),
      });
      seeded = { name, family, referral, referralId: receipt.id, reference: receipt.reference };
    } else {
      const { reference } = await submitThroughForm(context.client.url, submissionOf(family, referral, context.present));
      // The form tells the referrer only the reference; the front door's queue knows the id.
      const queued = await eventually(async () => {
        const queue = await context.client.expect<{ referrals: { referralId: string; reference: string }[] }>(
          200,
          'GET',
          '/api/front-door/referrals',
          { token: context.tokens.frontDoor },
        );
        return queue.referrals.find((entry) => entry.reference === reference);
      }, `${name} (${reference}) in the front door's queue`);
      seeded = { name, family, referral, referralId: queued.referralId, reference };
    }
    context.seeded.set(name, seeded);
    // The known-family check follows intake; the front door sees its result before the clock moves on.
    await eventually(async () => {
      const shown = await context.client.expect<{ knownFamilyCheck: string }>(
        200,
        'GET',
        `/api/front-door/referrals/${seeded.referralId}`,
        {
          token: context.tokens.frontDoor,
        },
      );
      return shown.knownFamilyCheck === 'done' ? true : undefined;
    }, `the known-family check of ${name}`);
    return { quietAfter: true };
  },

  screen: async ({ family, referral }, context) => {
    const seeded = seededOf(context, referralName(family, referral));
    await context.client.expect(200, 'POST', `/api/front-door/referrals/${seeded.referralId}/screening`, {
      token: context.tokens.frontDoor,
    });
    return { quietAfter: false };
  },

  decide: async ({ family, referral, decision }, context) => {
    const name = referralName(family, referral);
    const seeded = seededOf(context, name);
    let existingCaseId: string | undefined;
    if (decision.outcome === 'added-to-open-case') {
      if (!decision.addedToCaseOf) throw new SeedError(`${name}: added to which open case?`);
      existingCaseId = seededOf(context, decision.addedToCaseOf).caseId;
      if (!existingCaseId) throw new SeedError(`${name}: ${decision.addedToCaseOf} opened no case to add it to`);
    }
    await context.client.expect(200, 'POST', `/api/front-door/referrals/${seeded.referralId}/decision`, {
      token: context.tokens.frontDoor,
      body: {
        outcome: decision.outcome,
        reason: decision.reason,
        ...(decision.team ? { teamId: decision.team } : {}),
        ...(existingCaseId ? { existingCaseId } : {}),
      },
    });
    if (!ACCEPTED.has(decision.outcome)) return { quietAfter: true };
    // The case opens (or takes the referral) at the decision's time, not after the clock has moved on.
    const found = await eventually(async () => {
      const answer = await context.client.call<{ id?: string }>('GET', `/api/cases?referralId=${encodeURIComponent(seeded.referralId)}`, {
        token: context.tokens.frontDoor,
      });
      return answer.status === 200 && answer.body.id ? answer.body.id : undefined;
    }, `the case for ${name}`);
    context.seeded.set(name, { ...seeded, caseId: found });
    if (OPENS_A_CASE.has(decision.outcome)) {
      if (!decision.team) throw new SeedError(`${name}: ${decision.outcome} names no team`);
      const teamToken = context.tokens.teams[decision.team];
      // Supervision knows the case once CaseOpened has reached it; its first supervision waits for its social worker.
      await eventually(async () => {
        const answer = await context.client.call('GET', `/api/supervision/cases/${found}`, { token: teamToken });
        return answer.status === 200 ? true : undefined;
      }, `supervision hearing of ${name}'s case`);
    }
    return { quietAfter: true };
  },

  allocate: async ({ family, referral, allocation }, context) => {
    const name = referralName(family, referral);
    const seeded = seededOf(context, name);
    const team = referral.decided?.team;
    if (!seeded.caseId || !team) throw new SeedError(`${name}: no case of a team to allocate`);
    const subOf = (username: string): string => {
      const entry = context.cloud.issuer.directoryEntries().find((candidate) => candidate.username === username);
      if (!entry) throw new SeedError(`${name}: the local user pool has no worker ${username} to allocate`);
      return entry.sub;
    };
    const specialists = Object.fromEntries(
      Object.entries(allocation.specialists ?? {}).map(([specialism, who]) => [specialism, subOf(who!)]),
    );
    // The team manager allocates through the cases API, as the allocation form does: the first allocation, from version 0.
    await context.client.expect(200, 'PUT', `/api/cases/${seeded.caseId}/allocation`, {
      token: context.tokens.teams[team],
      body: { version: 0, socialWorkerId: subOf(allocation.socialWorker), specialists },
    });
    // The first social worker schedules the first group supervision (CaseAllocated), at the allocation's time.
    await eventually(async () => {
      const answer = await context.client.call<{ supervisions?: unknown[] }>('GET', `/api/supervision/cases/${seeded.caseId}`, {
        token: context.tokens.teams[team],
      });
      return answer.status === 200 && (answer.body.supervisions?.length ?? 0) > 0 ? true : undefined;
    }, `the first supervision of ${name}'s case`);
    return { quietAfter: true };
  },

  reminders: async ({ at }, context) => {
    const run = (await context.cloud.runtime.invoke(DECISION_REMINDERS_FUNCTION, scheduledEvent(at))) as { due?: number; overdue?: number };
    return { quietAfter: (run.due ?? 0) + (run.overdue ?? 0) > 0 };
  },
};

function seededOf(context: SeedContext, name: string): SeededReferral {
  const seeded = context.seeded.get(name);
  if (!seeded) throw new SeedError(`${name} has not been submitted yet`);
  return seeded;
}

/** The event EventBridge Scheduler (and the local scheduler) gives a scheduled function. */
function scheduledEvent(at: Date) {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.scheduler',
    account: '000000000000',
    time: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: 'eu-west-2',
    resources: ['arn:aws:scheduler:eu-west-2:000000000000:schedule/default/referrals-decision-reminders'],
    detail: {},
  };
}

/** The functions' clock reads `at` from now on (and runs on from it). */
export function setFunctionClock(context: Pick<SeedContext, 'cloud'>, at: Date): void {
  context.cloud.runtime.setClockOffset(at.getTime() - Date.now());
}

/**
 * Waits until every queue has been empty, with nothing new sent to any, for four looks in a row:
 * the last step's events have been relayed, delivered and consumed.
 */
export async function quiet(context: Pick<SeedContext, 'cloud'>, timeoutMs = 60_000): Promise<void> {
  const queues = () => context.cloud.queues.all();
  const sentSoFar = () => queues().reduce((sum, queue) => sum + queue.stats().sentSinceStart, 0);
  let calm = 0;
  let sent = sentSoFar();
  try {
    await eventually(
      async () => {
        const now = sentSoFar();
        calm = now === sent && queues().every((queue) => queue.depth() === 0) ? calm + 1 : 0;
        sent = now;
        return calm >= 4 ? true : undefined;
      },
      'the queues to fall quiet',
      timeoutMs,
    );
  } catch (error) {
    const busy = queues()
      .filter((queue) => queue.depth() > 0)
      .map((queue) => `${queue.name} (${queue.depth()})`);
    throw new SeedError(`${(error as Error).message}; still holding messages: ${busy.join(', ') || 'none, but more kept arriving'}`);
  }
}

export async function runStep(step: Step, context: SeedContext): Promise<{ quietAfter: boolean }> {
  const handler = HANDLERS[step.kind] as Handler<Step['kind']>;
  try {
    return await handler(step as never, context);
  } catch (error) {
    const what = step.kind === 'reminders' ? 'the decision reminders' : referralName(step.family, step.referral);
    throw new SeedError(`seeding failed at ${step.kind} ${what} (${step.at.toISOString()}): ${(error as Error).message}`, { cause: error });
  }
}
