/**
 * Runs the plan's steps (plan.ts) against a running local cloud, each through the platform's own
 * front doors: the partner API with an agency's client-credentials token, the public web form, the
 * front door's JSON API with the demo front-door worker's token, the cases and supervision JSON APIs
 * with each worker's own token, and the decision-reminders and supervision-timescales schedules'
 * functions invoked with a Scheduled Event as the local scheduler invokes them.
 *
 * Time: each step happens at its planned instant because the functions' clock is set to it first
 * (FunctionRuntime.setClockOffset); the function that receives a referral "days ago" stamps it as
 * received then, and everything the platform derives (the decision deadline, the case's
 * assessment date, the first supervision, the inbox items' times) follows from that, as it would
 * have. Before the clock moves on, the events of the step before are left to arrive (the queues
 * fall quiet), so that their consumers, too, act at the step's time.
 *
 * A new kind of step is a new member of `Step` in plan.ts and a new entry in `HANDLERS`.
 */
import type { ReferralOutcome } from '@fsp/shared/events/codes';
import { londonDateOf } from '@fsp/shared/time/london';
import type { LocalCloud } from '../local-cloud';
import { functionIdOf } from '../runtime/types';
import { scheduledEventFor } from '../scheduler/scheduler';
import { eventually, type SeedClient, SeedError } from './client';
import type { AgencyKey, Referrer, SeedFamily, SeedReferral, TeamId } from './data';
import { submitThroughForm } from './form';
import {
  actionDueDate,
  amendedNarrative,
  instantOf,
  noteName,
  practiceFields,
  referralName,
  type Step,
  stepSubject,
  submissionOf,
} from './plan';

/** The decision-reminders schedule's function (services/referrals/service.ts). */
export const DECISION_REMINDERS_FUNCTION = functionIdOf('referrals', 'decision-reminders');
/** The supervision-timescales schedule's function (services/supervision/service.ts). */
export const SUPERVISION_TIMESCALES_FUNCTION = functionIdOf('supervision', 'supervision-timescales');
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
  cloud: Pick<LocalCloud, 'runtime' | 'queues' | 'issuer' | 'settled'>;
  client: SeedClient;
  present: Date;
  /**
   * Demo workers' tokens: the front door, each team's manager (team records are theirs alone;
   * managers allocate), and by username each worker who records in a case.
   */
  tokens: { frontDoor: string; teams: Record<TeamId, string>; workers: Record<string, string> };
  agencies: Map<AgencyKey, { token: string; referrer: Referrer }>;
  seeded: Map<string, SeededReferral>;
  /** The notes recorded so far, by `noteName`: the platform's id for each. */
  notes: Map<string, string>;
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
    const specialists = Object.fromEntries(
      Object.entries(allocation.specialists ?? {}).map(([specialism, who]) => [specialism, subOf(context, who!)]),
    );
    // The team manager allocates through the cases API, as the allocation form does: the first allocation, from version 0.
    await context.client.expect(200, 'PUT', `/api/cases/${seeded.caseId}/allocation`, {
      token: context.tokens.teams[team],
      body: { version: 0, socialWorkerId: subOf(context, allocation.socialWorker), specialists },
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

  // A worker on the case records a note through the notes API, as the note form does: the draft, then (unless it is left a draft) completing it.
  record: async ({ family, referral, note }, context) => {
    const caseId = caseOf(context, referralName(family, referral));
    const token = workerTokenOf(context, note.by);
    const people = await networkIdsOf(context, caseId, token, family);
    const contact = instantOf(note.contact, context.present);
    const idOf = (key: string) => {
      const id = people.get(key);
      if (!id) throw new SeedError(`${noteName(family, referral, note)}: ${key} is not in the case's family network`);
      return id;
    };
    const draft = await context.client.expect<{ id: string; version: number }>(201, 'POST', `/api/cases/${caseId}/notes`, {
      token,
      body: {
        type: note.type,
        contactDate: londonDateOf(contact),
        contactTime: note.contact.at,
        seenPersonIds: (note.seen ?? []).map(idOf),
        ...(note.seenOthers ? { seenOthers: note.seenOthers } : {}),
        childrenSeenAlone: Object.entries(note.childrenSeenAlone ?? {}).map(([key, answer]) => ({ childId: idOf(key), answer })),
        narrative: note.narrative,
        significant: note.significant ?? false,
        visibleTo: note.visibleTo ?? [],
      },
    });
    context.notes.set(noteName(family, referral, note), draft.id);
    if (!note.draft) {
      await context.client.expect(200, 'POST', `/api/cases/${caseId}/notes/${draft.id}/complete`, {
        token,
        body: { version: draft.version },
      });
    }
    return { quietAfter: false };
  },

  // Its author corrects a completed note with an amendment: the reason and the narrative as it should now read.
  amend: async ({ family, referral, note }, context) => {
    const name = noteName(family, referral, note);
    const caseId = caseOf(context, referralName(family, referral));
    const noteId = context.notes.get(name);
    if (!noteId || !note.amended) throw new SeedError(`${name}: no recorded note to amend`);
    await context.client.expect(201, 'POST', `/api/cases/${caseId}/notes/${noteId}/amendments`, {
      token: workerTokenOf(context, note.by),
      body: { reason: note.amended.reason, narrative: amendedNarrative(note), amendmentCount: 0 },
    });
    return { quietAfter: false };
  },

  // The case's social worker writes its summary through the summary API, over the version read.
  summarise: async ({ family, referral, summary }, context) => {
    const caseId = caseOf(context, referralName(family, referral));
    const token = workerTokenOf(context, summary.by);
    const current = await context.client.expect<{ version: number }>(200, 'GET', `/api/cases/${caseId}/summary`, { token });
    await context.client.expect(200, 'PUT', `/api/cases/${caseId}/summary`, {
      token,
      body: { version: current.version, text: summary.text },
    });
    return { quietAfter: false };
  },

  /** A step of the case's statutory path, or its plan agreed or reviewed, from the version read just before. */
  practise: async ({ family, referral, practice, at }, context) => {
    const caseId = caseOf(context, referralName(family, referral));
    const token = workerTokenOf(context, practice.by);
    const fields = practiceFields(practice.fields, londonDateOf(at)) as Record<string, unknown>;
    if (practice.step === 'stage-of-change') {
      const adult = practice.adult ?? '';
      const personId = (await networkIdsOf(context, caseId, token, family)).get(adult);
      if (!personId) throw new SeedError(`${referralName(family, referral)}: ${adult || 'no adult'} is not in the case's family network`);
      const motivation = await context.client.expect<{ version: number }>(200, 'GET', `/api/cases/${caseId}/motivation`, { token });
      await context.client.expect(201, 'POST', `/api/cases/${caseId}/motivation`, {
        token,
        body: { version: motivation.version, personId, ...fields },
      });
    } else if (practice.step === 'path') {
      const path = await context.client.expect<{ version: number }>(200, 'GET', `/api/cases/${caseId}/path`, { token });
      await context.client.expect(200, 'POST', `/api/cases/${caseId}/path/${practice.pathStep}`, {
        token,
        body: { version: path.version, ...fields },
      });
    } else {
      const plan = await context.client.expect<{ version: number }>(200, 'GET', `/api/cases/${caseId}/plan`, { token });
      if (practice.step === 'plan')
        await context.client.expect(200, 'PUT', `/api/cases/${caseId}/plan`, { token, body: { version: plan.version, ...fields } });
      else
        await context.client.expect(200, 'POST', `/api/cases/${caseId}/plan/reviews`, {
          token,
          body: { version: plan.version, ...fields },
        });
    }
    return { quietAfter: true };
  },

  /**
   * The team manager chairs the case's scheduled supervision and writes its record through the
   * supervision API, as the record form does: saved as a draft as she goes (the day, who came, the
   * rating and the discussion), then completed with everything, which sets the actions and schedules
   * the next one.
   */
  supervise: async ({ family, referral, sequence, heldOn, supervision }, context) => {
    const name = referralName(family, referral);
    const caseId = caseOf(context, name);
    const team = referral.decided?.team;
    if (!team) throw new SeedError(`${name}: no team holds the case to supervise it`);
    const token = context.tokens.teams[team];
    const path = `/api/supervision/cases/${caseId}/supervisions/${sequence}/record`;
    const started = {
      heldOn,
      attendees: supervision.attendees.map((username) => subOf(context, username)),
      apologies: (supervision.apologies ?? []).map((username) => subOf(context, username)),
      rating: supervision.rating,
      ratingRationale: supervision.ratingRationale,
      discussion: supervision.discussion,
    };
    const draft = await context.client.expect<{ version: number }>(200, 'PUT', path, {
      token,
      body: { ...started, expectedVersion: 0 },
    });
    await context.client.expect(200, 'POST', `${path}/complete`, {
      token,
      body: {
        ...started,
        risks: supervision.risks,
        strengths: supervision.strengths,
        decisions: supervision.decisions,
        actions: supervision.actions.map((action) => ({
          what: action.what,
          ownerId: subOf(context, action.owner),
          dueDate: actionDueDate(heldOn, action),
        })),
        expectedVersion: draft.version,
      },
    });
    return { quietAfter: true };
  },

  // Its owner marks an action done through the supervision API, as "Mark as done" on their actions page does.
  'complete-action': async ({ family, referral, sequence, action }, context) => {
    const name = referralName(family, referral);
    const caseId = caseOf(context, name);
    const token = workerTokenOf(context, action.owner);
    const { actions } = await context.client.expect<{ actions: { actionId: string; sequence: number; what: string }[] }>(
      200,
      'GET',
      `/api/supervision/cases/${caseId}`,
      { token },
    );
    const assigned = actions.find((candidate) => candidate.sequence === sequence && candidate.what === action.what);
    if (!assigned) throw new SeedError(`${name}: supervision ${sequence} set no action "${action.what}"`);
    await context.client.expect(200, 'POST', `/api/supervision/actions/${caseId}/${assigned.actionId}/complete`, { token });
    return { quietAfter: false };
  },

  reminders: async ({ at }, context) => {
    const event = scheduledEventFor('referrals-decision-reminders', at);
    const run = (await context.cloud.runtime.invoke(DECISION_REMINDERS_FUNCTION, event)) as { due?: number; overdue?: number };
    return { quietAfter: (run.due ?? 0) + (run.overdue ?? 0) > 0 };
  },

  timescales: async ({ at }, context) => {
    const event = scheduledEventFor('supervision-supervision-timescales', at);
    const run = (await context.cloud.runtime.invoke(SUPERVISION_TIMESCALES_FUNCTION, event)) as {
      supervisionsOverdue?: number;
      actionsOverdueToOwner?: number;
      actionsOverdueToManager?: number;
    };
    return { quietAfter: (run.supervisionsOverdue ?? 0) + (run.actionsOverdueToOwner ?? 0) + (run.actionsOverdueToManager ?? 0) > 0 };
  },
};

/** A demo worker's id, as sign-in gives it (`sub`): what an allocation, an attendee or an action's owner names. */
function subOf(context: SeedContext, username: string): string {
  const entry = context.cloud.issuer.directoryEntries().find((candidate) => candidate.username === username);
  if (!entry) throw new SeedError(`the local user pool has no worker ${username}`);
  return entry.sub;
}

function seededOf(context: SeedContext, name: string): SeededReferral {
  const seeded = context.seeded.get(name);
  if (!seeded) throw new SeedError(`${name} has not been submitted yet`);
  return seeded;
}

function caseOf(context: SeedContext, name: string): string {
  const caseId = seededOf(context, name).caseId;
  if (!caseId) throw new SeedError(`${name} opened no case to record in`);
  return caseId;
}

function workerTokenOf(context: SeedContext, username: string): string {
  const token = context.tokens.workers[username];
  if (!token) throw new SeedError(`no token for the demo worker ${username}`);
  return token;
}

interface NetworkPerson {
  personId: string;
  firstName: string;
  lastName: string;
}

/** The family's children and adults (by the data's keys) as the case's family network names them (by name). */
async function networkIdsOf(context: SeedContext, caseId: string, token: string, family: SeedFamily): Promise<Map<string, string>> {
  const { network } = await context.client.expect<{ network: { children: NetworkPerson[]; adults: NetworkPerson[] } }>(
    200,
    'GET',
    `/api/cases/${caseId}/network`,
    { token },
  );
  const ids = new Map<string, string>();
  const match = (people: Record<string, { firstName: string; lastName: string }>, listed: NetworkPerson[]) => {
    for (const [key, person] of Object.entries(people)) {
      const found = listed.find((candidate) => candidate.firstName === person.firstName && candidate.lastName === person.lastName);
      if (found) ids.set(key, found.personId);
    }
  };
  match(family.children, network.children);
  match(family.adults, network.adults);
  return ids;
}

/** The functions' clock reads `at` from now on (and runs on from it). */
export function setFunctionClock(context: Pick<SeedContext, 'cloud'>, at: Date): void {
  context.cloud.runtime.setClockOffset(at.getTime() - Date.now());
}

/**
 * Waits until the last step's events have been relayed, delivered and consumed, and what their
 * consumers published too: every queue empty and the outbox relay's reads of every table's stream
 * finding nothing new (LocalCloud.settled), so that consumers act at the step's time.
 */
export async function quiet(context: Pick<SeedContext, 'cloud'>, timeoutMs = 60_000): Promise<void> {
  try {
    await context.cloud.settled(timeoutMs);
  } catch (error) {
    throw new SeedError((error as Error).message, { cause: error });
  }
}

export async function runStep(step: Step, context: SeedContext): Promise<{ quietAfter: boolean }> {
  const handler = HANDLERS[step.kind] as Handler<Step['kind']>;
  try {
    return await handler(step as never, context);
  } catch (error) {
    throw new SeedError(`seeding failed at ${step.kind} ${stepSubject(step)} (${step.at.toISOString()}): ${(error as Error).message}`, {
      cause: error,
    });
  }
}
