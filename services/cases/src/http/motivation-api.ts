/**
 * Motivational interviewing's JSON routes and the work its pages share (issue 14 Deliver 6):
 * each adult's stage of change per concern, recorded over time (domain/motivation.ts).
 *
 * - GET /api/cases/{caseId}/motivation: each adult's history per concern, latest first, with the
 *   version to send back;
 * - POST /api/cases/{caseId}/motivation: `version` (the one read) and one assessment
 *   ({ personId, concern, otherConcern?, stage, assessedOn, note }).
 *
 * The case is opened through the gate (its read audited; a case the worker may not see is a 404
 * exactly as one that does not exist) in the same round as the Query of the module's own partition.
 * Recording needs a working relationship (allocated, or in the holding team); the write is
 * conditional on the module's version (409 when it moved).
 */
import { idSchema } from '@fsp/shared/events/definitions/common';
import type { WorkerClaims } from '@fsp/shared/http/claims';
import { defineRoute, json, type Route } from '@fsp/shared/http/handler';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { localDateSchema } from '@fsp/shared/time/local-date';
import { londonDateOf } from '@fsp/shared/time/london';
import * as z from 'zod/mini';
import type { CaseAccess } from '../domain/access';
import {
  type CaseMotivation,
  CONCERN_WORDS,
  CONCERNS,
  recordStage,
  STAGE_WORDS,
  STAGES,
  type StageInput,
  stageHistories,
} from '../domain/motivation';
import type { CaseFile } from '../store/case-store';
import { createMotivationStore, MotivationVersionConflictError } from '../store/motivation-store';
import { createCaseGate, routeKeyOf } from './case-access';
import { invalidBody, jsonAnswer, noSuchCase } from './outcome-answers';
import { routes } from './routes';

const words = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

/** One assessment as the JSON API takes it (the page builds the same shape from its form). */
export const STAGE_INPUT = z.lazy(() =>
  z.object({
    personId: idSchema,
    concern: z.enum(CONCERNS),
    otherConcern: z.optional(z.string().check(z.trim(), z.maxLength(200))),
    stage: z.enum(STAGES),
    assessedOn: localDateSchema,
    note: words(1000),
  }),
);

export const mayRecordMotivation = (access: CaseAccess): boolean => access === 'allocated' || access === 'team-member';

export interface ReadAudit {
  requestId: string;
  what: string;
}

export type MotivationOutcome =
  | { kind: 'not-found' }
  | ((
      | { kind: 'not-permitted' }
      | { kind: 'changed' }
      | { kind: 'refused'; field: string; reason: string }
      | { kind: 'recorded'; motivation: CaseMotivation }
    ) & { file: CaseFile; access: CaseAccess; motivation: CaseMotivation });

/** The case's household adults, with their names, as its network holds them now. */
export const adultsOf = (file: Pick<CaseFile, 'network'>) =>
  (file.network?.network.adults ?? []).map((adult) => ({ personId: adult.personId, name: `${adult.firstName} ${adult.lastName}` }));

export function createMotivationWork(runtime: Pick<ServiceRuntime, 'documents' | 'tableName' | 'clock'>) {
  const gate = createCaseGate(runtime);
  const store = createMotivationStore(runtime.documents, runtime.tableName);

  /** The case (its read audited) and its assessments, in one round; undefined for a case the worker may not see. */
  async function visible(caseId: string, worker: WorkerClaims, audit: ReadAudit) {
    const [opened, motivation] = await Promise.all([gate.open({ caseId, reader: worker, ...audit }), store.read(caseId)]);
    return opened ? { file: opened.file, access: opened.access, motivation } : undefined;
  }

  async function record(
    caseId: string,
    worker: WorkerClaims,
    input: StageInput,
    readVersion: number,
    audit: ReadAudit,
  ): Promise<MotivationOutcome> {
    const seen = await visible(caseId, worker, audit);
    if (!seen) return { kind: 'not-found' };
    const { file, access, motivation } = seen;
    if (!mayRecordMotivation(access)) return { kind: 'not-permitted', ...seen };
    if (readVersion !== motivation.version) return { kind: 'changed', ...seen };
    const now = runtime.clock();
    const decided = recordStage(motivation, input, {
      now,
      by: { userId: worker.userId, name: worker.name ?? worker.username },
      adults: adultsOf(file),
      openedOn: londonDateOf(new Date(file.record.openedAt)),
    });
    if (decided.refused) return { kind: 'refused', field: decided.field, reason: decided.reason, ...seen };
    try {
      await store.write(decided.motivation, motivation.version, now);
    } catch (error) {
      if (error instanceof MotivationVersionConflictError) return { kind: 'changed', ...seen };
      throw error;
    }
    return { kind: 'recorded', file, access, motivation: decided.motivation };
  }

  return { visible, record };
}

/** The histories as the API shows them: per adult (network order), per concern, latest first, each change of stage said. */
export function motivationView(motivation: CaseMotivation, file: Pick<CaseFile, 'network'>) {
  const adults = adultsOf(file);
  return {
    caseId: motivation.caseId,
    version: motivation.version,
    adults: stageHistories(
      motivation.records,
      adults.map((adult) => adult.personId),
    ).map((history) => ({
      personId: history.personId,
      name: adults.find((adult) => adult.personId === history.personId)?.name ?? 'No longer in the network',
      concerns: history.concerns.map((concern) => ({
        concern: concern.concern,
        ...(concern.otherConcern ? { otherConcern: concern.otherConcern } : {}),
        concernText: concern.otherConcern ?? CONCERN_WORDS[concern.concern],
        latestStage: concern.entries[0]?.record.stage,
        history: concern.entries.map(({ record, changedFrom }) => ({
          sequence: record.sequence,
          stage: record.stage,
          stageText: STAGE_WORDS[record.stage].name,
          ...(changedFrom ? { changedFrom, change: `${changedFrom} → ${record.stage}` } : {}),
          assessedOn: record.assessedOn,
          note: record.note,
          by: record.by,
          recordedAt: record.recordedAt,
        })),
      })),
    })),
  };
}

export function motivationApiRoutes(runtime: ServiceRuntime): Route[] {
  const work = createMotivationWork(runtime);

  return [
    defineRoute(routes.caseMotivation, {
      params: z.object({ caseId: idSchema }),
      handle: async ({ params, claims, requestId }) => {
        const seen = await work.visible(params.caseId, claims, { requestId, what: routeKeyOf(routes.caseMotivation) });
        if (!seen) throw noSuchCase();
        return json(200, motivationView(seen.motivation, seen.file), {
          'cache-control': 'no-store',
          etag: `"${seen.motivation.version}"`,
        });
      },
    }),

    defineRoute(routes.recordMotivation, {
      params: z.object({ caseId: idSchema }),
      body: z.looseObject({ version: z.int().check(z.nonnegative('version is the version you read: 0 or more')) }),
      handle: async (request) => {
        const { params, claims } = request;
        const { version, ...fields } = request.body;
        const parsed = STAGE_INPUT.safeParse(fields);
        if (!parsed.success) invalidBody(parsed.error.issues);
        const outcome = await work.record(params.caseId, claims, parsed.data as StageInput, version, {
          requestId: request.requestId,
          what: routeKeyOf(routes.recordMotivation),
        });
        return jsonAnswer(
          outcome,
          {
            notPermitted: 'Only a worker allocated to this case or in the team that holds it can record stages of change.',
            changed: `The case’s stages of change changed since version ${version}, which you sent. Read them again and decide from there.`,
            stateField: 'case',
          },
          (recorded) =>
            json(201, motivationView(recorded.motivation, recorded.file), {
              'cache-control': 'no-store',
              etag: `"${recorded.motivation.version}"`,
            }),
        );
      },
    }),
  ];
}
