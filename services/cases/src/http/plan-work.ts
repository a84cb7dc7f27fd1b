/**
 * The plan agreed with the family (issue 14 Deliver 4), the same for the JSON API (plan-api.ts) and
 * the pages (plan-pages.ts): the case opened through the gate (its read audited), who may write it
 * (a worker allocated to the case or in the holding team), domain/plan.ts's decision, and one
 * transaction with its chronology entry (store/plan-store.ts).
 */
import { randomUUID } from 'node:crypto';
import type { BuildEventContext } from '@fsp/shared/events/build';
import type { WorkerClaims } from '@fsp/shared/http/claims';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { localDateSchema } from '@fsp/shared/time/local-date';
import { localDateText } from '@fsp/shared/time/words';
import * as z from 'zod/mini';
import type { CaseAccess } from '../domain/access';
import type { ChronologyEntry } from '../domain/case';
import { agreePlan, type CasePlan, isPlanRefusal, MAX_ACTIONS_PER_GOAL, MAX_GOALS, PROGRESS_RATINGS, reviewPlan } from '../domain/plan';
import type { CaseFile } from '../store/case-store';
import { chronologyEntryAdded } from '../store/items/chronology-entry';
import { createPlanStore, PlanVersionConflictError } from '../store/plan-store';
import { createCaseGate } from './case-access';
import { pathOf } from './path-work';

const words = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

export const planInputSchema = z.lazy(() =>
  z.object({
    agreedOn: localDateSchema,
    goals: z
      .array(
        z.object({
          goalId: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
          inFamilysWords: words(1000),
          actions: z
            .array(z.object({ what: words(1000), who: words(200), byWhen: localDateSchema }))
            .check(z.maxLength(MAX_ACTIONS_PER_GOAL)),
        }),
      )
      .check(z.maxLength(MAX_GOALS)),
    nextReviewDate: localDateSchema,
  }),
);

export const reviewInputSchema = z.lazy(() =>
  z.object({
    reviewedOn: localDateSchema,
    summary: words(5000),
    progress: z
      .array(
        z.object({
          goalId: z.string().check(z.minLength(1), z.maxLength(64)),
          rating: z.enum(PROGRESS_RATINGS),
          note: z.string().check(z.trim(), z.maxLength(2000)),
        }),
      )
      .check(z.maxLength(MAX_GOALS)),
    nextReviewDate: localDateSchema,
  }),
);

export type PlanInputFields = z.infer<typeof planInputSchema>;
export type ReviewInputFields = z.infer<typeof reviewInputSchema>;

export const mayWritePlan = (access: CaseAccess): boolean => access === 'allocated' || access === 'team-member';

export type PlanOutcome =
  | { kind: 'not-found' }
  | ((
      | { kind: 'not-permitted' }
      | { kind: 'changed' }
      | { kind: 'refused'; field: string; reason: string }
      | { kind: 'written'; plan: CasePlan }
    ) & { file: CaseFile; access: CaseAccess });

interface ReadAudit {
  requestId: string;
  what: string;
}

const planLine = (plan: CasePlan, reviewed: boolean): string =>
  reviewed
    ? `Plan reviewed: ${plan.reviews.at(-1)?.progress.filter((progress) => progress.rating === 'achieved').length ?? 0} of ${plan.goals.length} goals achieved; next review by ${localDateText(plan.nextReviewDate)}`
    : `Plan agreed with the family: ${plan.goals.length} ${plan.goals.length === 1 ? 'goal' : 'goals'}; next review by ${localDateText(plan.nextReviewDate)}`;

export function createPlanWork(runtime: Pick<ServiceRuntime, 'documents' | 'tableName' | 'clock'>) {
  const gate = createCaseGate(runtime);
  const store = createPlanStore(runtime.documents, runtime.tableName);

  async function visiblePlan(caseId: string, worker: WorkerClaims, audit: ReadAudit) {
    const opened = await gate.open({ caseId, reader: worker, ...audit });
    return opened ? { file: opened.file, access: opened.access } : undefined;
  }

  async function change(
    caseId: string,
    worker: WorkerClaims,
    readVersion: number,
    decide: (file: CaseFile, by: { userId: string; name: string }, now: Date) => ReturnType<typeof agreePlan>,
    reviewed: boolean,
    context: BuildEventContext,
    audit: ReadAudit,
  ): Promise<PlanOutcome> {
    const visible = await visiblePlan(caseId, worker, audit);
    if (!visible) return { kind: 'not-found' };
    const { file, access } = visible;
    if (!mayWritePlan(access)) return { kind: 'not-permitted', file, access };
    if (readVersion !== (file.plan?.version ?? 0)) return { kind: 'changed', file, access };
    const now = context.clock();
    const by = { userId: worker.userId, name: worker.name ?? worker.username };
    const decided = decide(file, by, now);
    if (isPlanRefusal(decided)) return { kind: 'refused', field: decided.field, reason: decided.reason, file, access };
    const plan = { ...decided, caseId };
    const entry: ChronologyEntry = {
      entryId: `plan-${plan.version}`,
      caseId,
      kind: reviewed ? 'plan-reviewed' : 'plan-agreed',
      at: now.toISOString(),
      text: `${planLine(plan, reviewed)} (recorded by ${by.name})`,
      referralId: file.record.referralId,
      sourceEventId: randomUUID(),
    };
    try {
      await store.write({ head: file.record, readVersion, plan, entry, events: [chronologyEntryAdded(entry, file.record, context)] }, now);
    } catch (error) {
      if (error instanceof PlanVersionConflictError) return { kind: 'changed', file, access };
      throw error;
    }
    return { kind: 'written', plan, file: { ...file, plan, record: { ...file.record, version: file.record.version + 1 } }, access };
  }

  const agree = (
    caseId: string,
    worker: WorkerClaims,
    readVersion: number,
    input: PlanInputFields,
    context: BuildEventContext,
    audit: ReadAudit,
  ) =>
    change(
      caseId,
      worker,
      readVersion,
      (file, by, now) =>
        agreePlan(file.plan, input, {
          now,
          by,
          referralDate: pathOf(file).referralDate,
          newGoalId: () => `goal-${randomUUID().slice(0, 8)}`,
        }),
      false,
      context,
      audit,
    );

  const review = (
    caseId: string,
    worker: WorkerClaims,
    readVersion: number,
    input: ReviewInputFields,
    context: BuildEventContext,
    audit: ReadAudit,
  ) =>
    change(
      caseId,
      worker,
      readVersion,
      (file, by, now) => reviewPlan(file.plan, input, { now, by, referralDate: pathOf(file).referralDate }),
      true,
      context,
      audit,
    );

  return { visiblePlan, agree, review };
}

export type PlanWork = ReturnType<typeof createPlanWork>;
