/**
 * The facts that end a timed thing (src/domain/progress.ts): after any of them, nothing more is told
 * of it and its breach never goes to the service manager, whatever order the facts arrive in.
 * CaseTimescaleMet (that timescale), AssessmentCompleted (the assessment), SupervisionHeld (that
 * supervision), SupervisionActionCompleted (that action), CaseClosed (everything of the case).
 * ReferralDecided ends the referral's decision in its own consumer (referral-decided.ts).
 */
import { consumerRuntimeOptions, createEventConsumer } from '@fsp/shared/consumer';
import { assessmentCompletedV1, caseClosedV1, caseTimescaleMetV1 } from '@fsp/shared/events/definitions/cases';
import { supervisionActionCompletedV1, supervisionHeldV1 } from '@fsp/shared/events/definitions/supervision';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { ASSESSMENT_TARGET_ID, actionThing, caseTimescaleThing, supervisionThing } from '../domain/progress';
import { createProgressStore } from '../store/progress-store';

export function createCaseTimescaleMetConsumer(runtime: ServiceRuntime) {
  const progress = createProgressStore(runtime.documents, runtime.tableName);
  return createEventConsumer({
    ...consumerRuntimeOptions(runtime),
    subscription: 'case-timescale-met',
    subscribesTo: [caseTimescaleMetV1],
    handle: (event, context) => progress.done(caseTimescaleThing(event.data.caseId, event.data.targetId), context.now),
  });
}

export function createAssessmentCompletedConsumer(runtime: ServiceRuntime) {
  const progress = createProgressStore(runtime.documents, runtime.tableName);
  return createEventConsumer({
    ...consumerRuntimeOptions(runtime),
    subscription: 'assessment-completed',
    subscribesTo: [assessmentCompletedV1],
    handle: (event, context) => progress.done(caseTimescaleThing(event.data.caseId, ASSESSMENT_TARGET_ID), context.now),
  });
}

export function createSupervisionHeldConsumer(runtime: ServiceRuntime) {
  const progress = createProgressStore(runtime.documents, runtime.tableName);
  return createEventConsumer({
    ...consumerRuntimeOptions(runtime),
    subscription: 'supervision-held',
    subscribesTo: [supervisionHeldV1],
    handle: (event, context) => progress.done(supervisionThing(event.data.caseId, event.data.supervisionId), context.now),
  });
}

export function createSupervisionActionCompletedConsumer(runtime: ServiceRuntime) {
  const progress = createProgressStore(runtime.documents, runtime.tableName);
  return createEventConsumer({
    ...consumerRuntimeOptions(runtime),
    subscription: 'supervision-action-completed',
    subscribesTo: [supervisionActionCompletedV1],
    handle: (event, context) => progress.done(actionThing(event.data.caseId, event.data.actionId), context.now),
  });
}

export function createCaseClosedConsumer(runtime: ServiceRuntime) {
  const progress = createProgressStore(runtime.documents, runtime.tableName);
  return createEventConsumer({
    ...consumerRuntimeOptions(runtime),
    subscription: 'case-closed',
    subscribesTo: [caseClosedV1],
    handle: async (event, context) => {
      const ended = await progress.caseClosed(event.data.caseId, context.now);
      context.logger.info('Case closed: nothing more is told of it', { caseId: event.data.caseId, ended });
    },
  });
}
