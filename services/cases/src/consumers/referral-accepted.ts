/**
 * ReferralAccepted → a case. `assessment` and `strategy-discussion` open one case per referral
 * (however often, and under whatever eventId, the fact arrives) with the family network its people
 * make and a statutory path that keeps the referral's Family Safeguarding flag and census source
 * (domain/case.ts openCaseFromReferral; a fact from before they were carried opens without them),
 * publishing CaseOpened and the opening's CaseChronologyEntryAdded; `added-to-open-case` records the referral in the named case's chronology, its new people
 * joining the case's family network, and fails loudly (so the message reaches the DLQ) when that
 * case does not exist.
 */
import { consumerRuntimeOptions, createEventConsumer } from '@fsp/shared/consumer';
import { buildEvent } from '@fsp/shared/events/build';
import { caseOpenedV1 } from '@fsp/shared/events/definitions/cases';
import { referralAcceptedV1 } from '@fsp/shared/events/definitions/referrals';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { openCaseFromReferral, opensCase, referralLinkedEntry } from '../domain/case';
import { caseOpenedData } from '../domain/events';
import { networkFromChildIds, networkFromReferral } from '../domain/family-network';
import { createCaseStore } from '../store/case-store';
import { chronologyEntryAdded } from '../store/items/chronology-entry';

/** The outcome says "add to an open case" but names none: the producer broke its own rule. */
export class MissingExistingCaseError extends Error {
  override readonly name = 'MissingExistingCaseError';
}

export function createReferralAcceptedConsumer(runtime: ServiceRuntime) {
  const store = createCaseStore(runtime.documents, runtime.tableName);
  return createEventConsumer({
    ...consumerRuntimeOptions(runtime),
    subscription: 'referral-accepted',
    subscribesTo: [referralAcceptedV1],
    handle: async ({ data: referral }, context) => {
      const { outcome } = referral;
      const publishing = { clock: () => context.now, correlationId: context.correlationId, causationId: context.eventId };
      if (opensCase(outcome)) {
        const opening = openCaseFromReferral({ ...referral, outcome }, { now: context.now, sourceEventId: context.eventId });
        const { record } = opening;
        const caseOpened = buildEvent(caseOpenedV1, caseOpenedData(record), publishing);
        // The referral's people (ADR 0014 §1); an event from before `family` opens with the children's ids and dates.
        const network = referral.family
          ? networkFromReferral(referral.family, referral.referralId)
          : networkFromChildIds(referral.children);
        const entryAdded = chronologyEntryAdded(opening.openingEntry, record, publishing);
        const result = await store.openCase(opening, network, [caseOpened, entryAdded], context.now);
        context.logger.info(result === 'opened' ? 'Case opened' : 'Case already open for this referral; nothing written', {
          caseId: record.caseId,
          referralId: record.referralId,
        });
        return;
      }
      if (!referral.existingCaseId) {
        throw new MissingExistingCaseError(
          `Referral ${referral.referralId} was added to an open case, but the event names no existingCaseId`,
        );
      }
      const entry = referralLinkedEntry(referral.existingCaseId, referral, { now: context.now, sourceEventId: context.eventId });
      const result = await store.linkReferral(entry, publishing, context.now, referral.family);
      context.logger.info(result === 'linked' ? 'Referral added to open case' : 'Referral already on this case; nothing written', {
        caseId: entry.caseId,
        referralId: referral.referralId,
      });
    },
  });
}
