/**
 * Recording the statutory path (issue 14, ADR 0016), the same for the JSON API (path-api.ts) and
 * the pages (path-pages.ts): open the case through the gate (audited), check who may record the
 * step, let domain/path.ts decide, and write the step with its events in one transaction
 * (store/path-store.ts). Each step's input is validated here with zod; a refusal names its field.
 */
import { randomUUID } from 'node:crypto';
import { type BuildEventContext, buildEvent } from '@fsp/shared/events/build';
import { assessmentCompletedV1, caseClosedV1, caseStatusChangedV1 } from '@fsp/shared/events/definitions/cases';
import type { WorkerClaims } from '@fsp/shared/http/claims';
import type { OutboundEvent } from '@fsp/shared/outbox';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { localDateSchema, parseLocalDate } from '@fsp/shared/time/local-date';
import { londonDateOf } from '@fsp/shared/time/london';
import * as z from 'zod/mini';
import type { CaseAccess } from '../domain/access';
import { slotsByWorker } from '../domain/allocation-change';
import type { CaseRecord, ChronologyEntry, ChronologyEntryKind } from '../domain/case';
import { assessmentCompletedData, caseClosedData, caseStatusChangedData } from '../domain/events';
import {
  ASSESSMENT_FACTOR_CODES,
  ASSESSMENT_OUTCOMES,
  becomeLookedAfter,
  CATEGORIES_OF_ABUSE,
  type CasePath,
  CLOSURE_REASON_CODES,
  closeCase,
  completeAssessment,
  type PathResult,
  PRIMARY_NEED_CODES,
  recordChildProtectionReview,
  recordConferenceNotRequired,
  recordInitialConference,
  recordStrategyDiscussion,
  type StepContext,
  startChildInNeedPlan,
  startPath,
} from '../domain/path';
import type { CaseFile } from '../store/case-store';
import { chronologyEntryAdded } from '../store/items/chronology-entry';
import { createPathStore, PathVersionConflictError } from '../store/path-store';
import { createCaseGate } from './case-access';

const day = localDateSchema;
const words = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

/** Each step's input, as the JSON API takes it (the pages build the same shape from their forms). */
export const STEP_INPUTS = {
  'complete-assessment': z.lazy(() =>
    z.object({
      completedOn: day,
      factors: z.array(z.enum(ASSESSMENT_FACTOR_CODES)).check(z.maxLength(ASSESSMENT_FACTOR_CODES.length)),
      primaryNeed: z.enum(PRIMARY_NEED_CODES),
      outcome: z.enum(ASSESSMENT_OUTCOMES),
      familySafeguardingEligible: z.boolean(),
      summary: words(5000),
    }),
  ),
  'strategy-discussion': z.lazy(() => z.object({ heldOn: day, section47: z.boolean(), reason: words(2000) })),
  'conference-not-required': z.lazy(() => z.object({ decidedOn: day, reason: words(2000) })),
  'initial-conference': z.lazy(() =>
    z.discriminatedUnion('outcome', [
      z.object({ heldOn: day, outcome: z.literal('cp-plan'), category: z.enum(CATEGORIES_OF_ABUSE) }),
      z.object({ heldOn: day, outcome: z.literal('no-plan') }),
    ]),
  ),
  'cp-review': z.lazy(() => z.object({ heldOn: day, outcome: z.enum(['continue', 'step-down']), category: z.enum(CATEGORIES_OF_ABUSE) })),
  'start-cin-plan': z.lazy(() => z.object({ startedOn: day })),
  'looked-after': z.lazy(() => z.object({ from: day, reason: words(2000) })),
  close: z.lazy(() =>
    z.object({
      closedOn: day,
      reasonCode: z.enum(CLOSURE_REASON_CODES),
      sustainabilityPlan: z.object({
        people: z.array(z.object({ name: words(200), relationship: words(200), helps: words(1000) })).check(z.maxLength(20)),
        summary: words(5000),
      }),
      stepDownToEarlyHelp: z.boolean(),
    }),
  ),
} as const;

export type PathStepName = keyof typeof STEP_INPUTS;
export const PATH_STEP_NAMES = Object.keys(STEP_INPUTS) as PathStepName[];
export type StepInput<S extends PathStepName> = z.infer<(typeof STEP_INPUTS)[S]>;

/** Steps that need the holding team's manager: authorising the assessment, a child becoming looked after, closing the case. */
export const MANAGER_STEPS: ReadonlySet<PathStepName> = new Set(['complete-assessment', 'looked-after', 'close']);

const DECIDE: { [S in PathStepName]: (path: CasePath, input: StepInput<S>, context: StepContext) => PathResult } = {
  'complete-assessment': completeAssessment,
  'strategy-discussion': recordStrategyDiscussion,
  'conference-not-required': recordConferenceNotRequired,
  'initial-conference': recordInitialConference,
  'cp-review': recordChildProtectionReview,
  'start-cin-plan': startChildInNeedPlan,
  'looked-after': becomeLookedAfter,
  close: closeCase,
};

/**
 * The path of a case opened before paths were kept: started from the case head, dated from the day
 * the case opened (the nearest the head knows of the referral date), never stored (version 0).
 */
export function pathOf(file: Pick<CaseFile, 'record' | 'path'>): CasePath {
  if (file.path) return file.path;
  const { record } = file;
  return {
    ...startPath({
      caseId: record.caseId,
      referralDate: londonDateOf(new Date(record.openedAt)),
      assessmentDueDate: parseLocalDate(record.assessmentDueDate),
    }),
    status: record.status,
    version: 0,
  };
}

/** May this worker record this step on this case? Case work needs a working relationship; some steps its team manager. */
export function mayRecord(
  step: PathStepName,
  worker: Pick<WorkerClaims, 'roles' | 'teamId'>,
  file: Pick<CaseFile, 'record'>,
  access: CaseAccess,
): boolean {
  if (access !== 'allocated' && access !== 'team-member') return false;
  if (MANAGER_STEPS.has(step)) return worker.roles.includes('team-manager') && worker.teamId === file.record.teamId;
  return true;
}

export type PathOutcome =
  | { kind: 'not-found' }
  | ((
      | { kind: 'not-permitted' }
      | { kind: 'changed' }
      | { kind: 'refused'; field: string; reason: string }
      | { kind: 'recorded'; path: CasePath }
    ) & { file: CaseFile; access: CaseAccess });

export interface ReadAudit {
  requestId: string;
  what: string;
}

const entryKindOf: Record<string, ChronologyEntryKind> = {
  'assessment-completed': 'assessment-completed',
  'strategy-discussion': 'strategy-discussion',
  'conference-not-required': 'strategy-discussion',
  'initial-conference': 'child-protection-conference',
  'cp-review': 'child-protection-review',
  'cin-plan-started': 'status-changed',
  'looked-after': 'status-changed',
  closed: 'case-closed',
};

function stepEntry(record: CaseRecord, path: CasePath, kind: string, line: string, at: string, byName: string): ChronologyEntry {
  const entryKind = entryKindOf[kind] ?? 'status-changed';
  return {
    // One entry per version of the path: a step recorded twice from the same version conflicts instead.
    entryId: `path-${path.version}-${kind}`.slice(0, 64),
    caseId: record.caseId,
    kind: entryKind,
    at,
    text: `${line} (recorded by ${byName})`,
    referralId: record.referralId,
    sourceEventId: randomUUID(),
  };
}

export function createPathWork(runtime: Pick<ServiceRuntime, 'documents' | 'tableName' | 'clock'>) {
  const gate = createCaseGate(runtime);
  const store = createPathStore(runtime.documents, runtime.tableName);

  async function visiblePath(caseId: string, worker: WorkerClaims, audit: ReadAudit) {
    const opened = await gate.open({ caseId, reader: worker, ...audit });
    return opened ? { file: opened.file, access: opened.access, path: pathOf(opened.file) } : undefined;
  }

  async function record<S extends PathStepName>(
    caseId: string,
    worker: WorkerClaims,
    step: S,
    input: StepInput<S>,
    readVersion: number,
    context: BuildEventContext,
    audit: ReadAudit,
  ): Promise<PathOutcome> {
    const visible = await visiblePath(caseId, worker, audit);
    if (!visible) return { kind: 'not-found' };
    const { file, access, path } = visible;
    if (!mayRecord(step, worker, file, access)) return { kind: 'not-permitted', file, access };
    if (readVersion !== path.version) return { kind: 'changed', file, access };
    const now = context.clock();
    // Who recorded it, copied onto the step as they are now (the path page names them; a note keeps its author so).
    const recorder = { name: worker.name ?? worker.username, roles: [...worker.roles] };
    const decided = DECIDE[step](path, input, { now, by: worker.userId, recorder });
    if (decided.refused) return { kind: 'refused', field: decided.field, reason: decided.reason, file, access };

    const after = decided.path;
    const entry = stepEntry(file.record, after, decided.kind, decided.line, now.toISOString(), recorder.name);
    const head = { ...file.record, status: after.status };
    const events: OutboundEvent[] = [];
    if (decided.statusChange) events.push(buildEvent(caseStatusChangedV1, caseStatusChangedData(decided.statusChange, head), context));
    if (decided.kind === 'assessment-completed' && after.assessment) {
      events.push(buildEvent(assessmentCompletedV1, assessmentCompletedData(after.assessment, after, head), context));
    }
    if (decided.kind === 'closed' && after.closure)
      events.push(buildEvent(caseClosedV1, caseClosedData(after.closure, head, now), context));
    events.push(chronologyEntryAdded(entry, head, context));
    try {
      const caseloadUserIds = [...slotsByWorker(file.allocation?.allocation).keys()];
      await store.recordStep(
        { head: file.record, before: path, after, entry, events, caseloadUserIds, step: { on: decided.on, context } },
        now,
      );
    } catch (error) {
      if (error instanceof PathVersionConflictError) return { kind: 'changed', file, access };
      throw error;
    }
    return { kind: 'recorded', path: after, file: { ...file, record: { ...head, version: file.record.version + 1 }, path: after }, access };
  }

  return { visiblePath, record };
}

export type PathWork = ReturnType<typeof createPathWork>;
