/**
 * Family group decision making's JSON routes and the work its pages share (issue 14 Deliver 7;
 * domain/fgdm.ts): a conference offered (accepted, or declined with the family's reason), held
 * (who came from the family's network, others by name) and the family's own plan in their words.
 *
 * - GET /api/cases/{caseId}/family-group-decision-making: offers, conferences, whether one was held
 *   (required before pre-proceedings), pre-proceedings and whether they may start, the version to send back;
 * - POST /api/cases/{caseId}/family-group-decision-making/{fgdmStep} (offer | held | family-plan |
 *   pre-proceedings | pre-proceedings-ended): `version` (the one read) and the step's fields.
 *
 * The case is opened through the gate (its read audited; a case the worker may not see is a 404
 * exactly as one that does not exist) in the same round as the Query of the module's own partition.
 * Recording needs a working relationship (allocated, or in the holding team), and pre-proceedings
 * the holding team's manager (403 for anyone else); the write is
 * conditional on the module's version (409 when it moved); a step the record's state forbids is a
 * 409 with its reason, a field the rules refuse a 400 naming it.
 */

import { randomUUID } from 'node:crypto';
import { idSchema } from '@fsp/shared/events/definitions/common';
import type { WorkerClaims } from '@fsp/shared/http/claims';
import { defineRoute, json, type Route } from '@fsp/shared/http/handler';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { localDateSchema } from '@fsp/shared/time/local-date';
import { londonDateOf } from '@fsp/shared/time/london';
import * as z from 'zod/mini';
import type { CaseAccess } from '../domain/access';
import type { ChronologyEntry, ChronologyEntryKind } from '../domain/case';
import {
  type Attendee,
  type CaseFgdm,
  FGDM_STEPS,
  type FgdmContext,
  type FgdmResult,
  type FgdmStep,
  fgdmHeld,
  MANAGER_FGDM_STEPS,
  preProceedingsBasis,
  recordFamilyPlan,
  recordHeld,
  recordOffer,
  recordPreProceedingsEnd,
  recordPreProceedingsStart,
  runningPreProceedings,
} from '../domain/fgdm';
import type { CaseFile } from '../store/case-store';
import { createFgdmStore, FgdmVersionConflictError } from '../store/fgdm-store';
import { chronologyEntryAdded } from '../store/items/chronology-entry';
import { createCaseGate, routeKeyOf } from './case-access';
import { invalidBody, jsonAnswer, noSuchCase } from './outcome-answers';
import { pathOf } from './path-work';
import { routes } from './routes';

const day = localDateSchema;
const words = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

/** Each step's input, as the JSON API takes it (the pages build the same shape from their forms). */
export const FGDM_INPUTS = {
  offer: z.lazy(() =>
    z.discriminatedUnion('response', [
      z.object({ offeredOn: day, response: z.literal('accepted') }),
      z.object({ offeredOn: day, response: z.literal('declined'), declinedReason: words(2000) }),
    ]),
  ),
  held: z.lazy(() =>
    z.object({
      heldOn: day,
      attendeeIds: z.array(idSchema).check(z.minLength(1, 'Select at least one person from the family’s network'), z.maxLength(50)),
      others: z.optional(z.array(words(200)).check(z.maxLength(20))),
    }),
  ),
  'family-plan': z.lazy(() => z.object({ agreedOn: day, inFamilysWords: words(5000) })),
  'pre-proceedings': z.lazy(() => z.object({ startedOn: day })),
  'pre-proceedings-ended': z.lazy(() =>
    z.discriminatedUnion('outcome', [
      z.object({ endedOn: day, outcome: z.literal('care-proceedings-issued') }),
      z.object({ endedOn: day, outcome: z.literal('step-down') }),
      z.object({ endedOn: day, outcome: z.literal('other'), otherOutcome: words(2000) }),
    ]),
  ),
} as const;

export type FgdmInput<S extends FgdmStep> = z.infer<(typeof FGDM_INPUTS)[S]>;

export const mayRecordFgdm = (access: CaseAccess): boolean => access === 'allocated' || access === 'team-member';

/** The holding team's manager: who alone starts and ends pre-proceedings. */
export const isHoldingTeamManager = (worker: Pick<WorkerClaims, 'roles' | 'teamId'>, file: Pick<CaseFile, 'record'>): boolean =>
  worker.roles.includes('team-manager') && worker.teamId === file.record.teamId;

/** May this worker record this step? A working relationship for every step; pre-proceedings, the holding team's manager. */
export const mayRecordFgdmStep = (
  step: FgdmStep,
  worker: Pick<WorkerClaims, 'roles' | 'teamId'>,
  file: Pick<CaseFile, 'record'>,
  access: CaseAccess,
): boolean => mayRecordFgdm(access) && (!MANAGER_FGDM_STEPS.has(step) || isHoldingTeamManager(worker, file));

export const isFgdmStep = (step: string): step is FgdmStep => (FGDM_STEPS as readonly string[]).includes(step);

/** Who in the case's network may attend a conference: its children, household adults and wider family, by name. */
export const networkAttendeesOf = (file: Pick<CaseFile, 'network'>): Attendee[] => {
  const network = file.network?.network;
  if (!network) return [];
  return [...network.adults, ...network.widerFamily, ...network.children].map((person) => ({
    personId: person.personId,
    name: `${person.firstName} ${person.lastName}`,
  }));
};

function decide(step: FgdmStep, fgdm: CaseFgdm, input: FgdmInput<FgdmStep>, context: FgdmContext): FgdmResult {
  switch (step) {
    case 'offer': {
      const offer = input as FgdmInput<'offer'>;
      return recordOffer(
        fgdm,
        {
          offeredOn: offer.offeredOn,
          response: offer.response,
          ...(offer.response === 'declined' ? { declinedReason: offer.declinedReason } : {}),
        },
        context,
      );
    }
    case 'held': {
      const held = input as FgdmInput<'held'>;
      return recordHeld(fgdm, { heldOn: held.heldOn, attendeeIds: held.attendeeIds, others: held.others ?? [] }, context);
    }
    case 'family-plan':
      return recordFamilyPlan(fgdm, input as FgdmInput<'family-plan'>, context);
    case 'pre-proceedings':
      return recordPreProceedingsStart(fgdm, input as FgdmInput<'pre-proceedings'>, context);
    case 'pre-proceedings-ended': {
      const ended = input as FgdmInput<'pre-proceedings-ended'>;
      return recordPreProceedingsEnd(
        fgdm,
        { endedOn: ended.endedOn, outcome: ended.outcome, ...(ended.outcome === 'other' ? { otherOutcome: ended.otherOutcome } : {}) },
        context,
      );
    }
  }
}

/** The chronology kind of a step's entry; an offer has none. */
const ENTRY_KINDS: Readonly<Record<FgdmStep, ChronologyEntryKind | undefined>> = {
  offer: undefined,
  held: 'fgdm-held',
  'family-plan': 'family-plan-recorded',
  'pre-proceedings': 'pre-proceedings',
  'pre-proceedings-ended': 'pre-proceedings',
};

export interface ReadAudit {
  requestId: string;
  what: string;
}

export type FgdmOutcome =
  | { kind: 'not-found' }
  | ((
      | { kind: 'not-permitted' }
      | { kind: 'changed' }
      | { kind: 'refused'; field: string; reason: string }
      | { kind: 'recorded'; line: string }
    ) & { file: CaseFile; access: CaseAccess; fgdm: CaseFgdm });

export function createFgdmWork(runtime: Pick<ServiceRuntime, 'documents' | 'tableName' | 'clock'>) {
  const gate = createCaseGate(runtime);
  const store = createFgdmStore(runtime.documents, runtime.tableName);

  async function visible(caseId: string, worker: WorkerClaims, audit: ReadAudit) {
    const [opened, fgdm] = await Promise.all([gate.open({ caseId, reader: worker, ...audit }), store.read(caseId)]);
    return opened ? { file: opened.file, access: opened.access, fgdm } : undefined;
  }

  async function record(
    caseId: string,
    worker: WorkerClaims,
    step: FgdmStep,
    input: FgdmInput<FgdmStep>,
    readVersion: number,
    audit: ReadAudit & { correlationId?: string },
  ): Promise<FgdmOutcome> {
    const seen = await visible(caseId, worker, audit);
    if (!seen) return { kind: 'not-found' };
    const { file, fgdm } = seen;
    if (!mayRecordFgdmStep(step, worker, file, seen.access)) return { kind: 'not-permitted', ...seen };
    if (readVersion !== fgdm.version) return { kind: 'changed', ...seen };
    const now = runtime.clock();
    const path = pathOf(file);
    const decided = decide(step, fgdm, input, {
      now,
      by: { userId: worker.userId, name: worker.name ?? worker.username },
      openedOn: londonDateOf(new Date(file.record.openedAt)),
      referralDate: path.referralDate,
      caseClosed: path.status === 'closed',
      network: networkAttendeesOf(file),
    });
    if (decided.refused) return { kind: 'refused', field: decided.field, reason: decided.reason, ...seen };
    // A conference held, the family's plan and pre-proceedings are the case's chronology; an offer is not.
    const kind = ENTRY_KINDS[step];
    const entry: ChronologyEntry | undefined =
      kind === undefined
        ? undefined
        : {
            entryId: `fgdm-${decided.fgdm.version}-${step}`,
            caseId: file.record.caseId,
            kind,
            at: now.toISOString(),
            text: `${decided.line} (recorded by ${worker.name ?? worker.username})`,
            referralId: file.record.referralId,
            sourceEventId: randomUUID(),
          };
    try {
      await store.write(
        decided.fgdm,
        fgdm.version,
        now,
        entry
          ? {
              entry,
              event: chronologyEntryAdded(entry, file.record, {
                clock: () => now,
                correlationId: audit.correlationId ?? audit.requestId,
                causationId: audit.requestId,
              }),
            }
          : undefined,
      );
    } catch (error) {
      if (error instanceof FgdmVersionConflictError) return { kind: 'changed', ...seen };
      throw error;
    }
    return { kind: 'recorded', line: decided.line, ...seen, fgdm: decided.fgdm };
  }

  return { visible, record };
}

/** The record as the API shows it: whether pre-proceedings may start now (a conference held, or the latest offer declined) and, if not, why. */
export const fgdmView = (fgdm: CaseFgdm) => {
  const basis = preProceedingsBasis(fgdm);
  return {
    caseId: fgdm.caseId,
    version: fgdm.version,
    held: fgdmHeld(fgdm),
    ...('why' in basis ? { warning: 'No family group conference has been held: one is required before pre-proceedings.' } : {}),
    offers: fgdm.offers,
    conferences: fgdm.conferences,
    preProceedings: fgdm.preProceedings,
    preProceedingsRunning: runningPreProceedings(fgdm) !== undefined,
    ...('why' in basis ? { preProceedingsMayNotStart: basis.why } : {}),
  };
};

export function fgdmApiRoutes(runtime: ServiceRuntime): Route[] {
  const work = createFgdmWork(runtime);

  return [
    defineRoute(routes.caseFgdm, {
      params: z.object({ caseId: idSchema }),
      handle: async ({ params, claims, requestId }) => {
        const seen = await work.visible(params.caseId, claims, { requestId, what: routeKeyOf(routes.caseFgdm) });
        if (!seen) throw noSuchCase();
        return json(200, fgdmView(seen.fgdm), { 'cache-control': 'no-store', etag: `"${seen.fgdm.version}"` });
      },
    }),

    defineRoute(routes.recordFgdm, {
      params: z.object({ caseId: idSchema, fgdmStep: z.enum(FGDM_STEPS) }),
      body: z.looseObject({ version: z.int().check(z.nonnegative('version is the version you read: 0 or more')) }),
      handle: async (request) => {
        const { params, claims } = request;
        const step = params.fgdmStep;
        const { version, ...fields } = request.body;
        const parsed = FGDM_INPUTS[step].safeParse(fields);
        if (!parsed.success) invalidBody(parsed.error.issues);
        const outcome = await work.record(params.caseId, claims, step, parsed.data as FgdmInput<FgdmStep>, version, {
          requestId: request.requestId,
          correlationId: request.correlationId,
          what: routeKeyOf(routes.recordFgdm),
        });
        return jsonAnswer(
          outcome,
          {
            notPermitted: MANAGER_FGDM_STEPS.has(step)
              ? 'Only the manager of the team that holds this case can record pre-proceedings.'
              : 'Only a worker allocated to this case or in the team that holds it can record family group decision making.',
            changed: `The case’s family group decision making changed since version ${version}, which you sent. Read it again and decide from there.`,
            stateField: 'case',
          },
          (recorded) => json(200, fgdmView(recorded.fgdm), { 'cache-control': 'no-store', etag: `"${recorded.fgdm.version}"` }),
        );
      },
    }),
  ];
}
