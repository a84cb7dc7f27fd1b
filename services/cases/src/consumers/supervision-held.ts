/**
 * SupervisionHeld → the case's chronology: one 'supervision-held' entry per supervision ("Group
 * supervision 2 held: rated Red (was Amber)"), however often and under whatever eventId the fact
 * arrives (the entry's id is the supervision's), and the case's latest rating for its overview
 * (only a later supervision replaces it: queues do not keep order). The entry is published as
 * CaseChronologyEntryAdded like every other; supervision ignores kind 'supervision-held'.
 *
 * A supervision of a case this service does not hold fails loudly, as a referral added to a
 * missing case does (consumers/referral-accepted.ts): supervision learns of a case only from
 * cases' own events, written in the same transaction as the case, so such a fact can only come
 * from a table that lost what it had published (a restore) or a wrong event. Thrown, the message
 * is retried by its queue and then parked in the DLQ for a person, never dropped.
 */
import { consumerRuntimeOptions, createEventConsumer } from '@fsp/shared/consumer';
import { supervisionHeldV1 } from '@fsp/shared/events/definitions/supervision';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { createCaseStore } from '../store/case-store';

export function createSupervisionHeldConsumer(runtime: ServiceRuntime) {
  const store = createCaseStore(runtime.documents, runtime.tableName);
  return createEventConsumer({
    ...consumerRuntimeOptions(runtime),
    subscription: 'supervision-held',
    subscribesTo: [supervisionHeldV1],
    handle: async ({ data: held }, context) => {
      const result = await store.recordSupervision(held, {
        clock: () => context.now,
        correlationId: context.correlationId,
        causationId: context.eventId,
        sourceEventId: context.eventId,
      });
      context.logger.info(
        result === 'recorded' ? 'Supervision held recorded in the chronology' : 'Supervision already in the chronology; nothing written',
        { caseId: held.caseId, supervisionId: held.supervisionId, sequence: held.sequence },
      );
    },
  });
}
