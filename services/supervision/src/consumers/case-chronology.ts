/**
 * CaseChronologyEntryAdded → the entry's line on the case's scheduled supervision's agenda: what
 * changed since the case was last discussed. The line is the one any member of the holding team may
 * read (a restricted entry says only that it exists). Supervision's own fact, come back as the
 * chronology's 'supervision-held' entry, is left out. Once per entry, however often it arrives.
 */
import { consumerRuntimeOptions, createEventConsumer } from '@fsp/shared/consumer';
import { caseChronologyEntryAddedV1 } from '@fsp/shared/events/definitions/cases';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { IGNORED_CHRONOLOGY_KINDS } from '../domain/allocation';
import { createCaseFactsStore } from '../store/case-facts-store';

export function createCaseChronologyConsumer(runtime: ServiceRuntime) {
  const store = createCaseFactsStore(runtime);
  return createEventConsumer({
    ...consumerRuntimeOptions(runtime),
    subscription: 'case-chronology',
    subscribesTo: [caseChronologyEntryAddedV1],
    handle: async ({ data }, context) => {
      if (IGNORED_CHRONOLOGY_KINDS.has(data.kind)) {
        context.logger.info('Chronology entry of a kind the agenda leaves out', { caseId: data.caseId, kind: data.kind });
        return;
      }
      const result = await store.appendAgendaChange(data.caseId, { id: data.entryId, at: data.at, kind: data.kind, text: data.text });
      context.logger.info(`Chronology entry for the agenda: ${result}`, { caseId: data.caseId, entryId: data.entryId });
    },
  });
}
