/**
 * Every event and every version the platform publishes. Producers and consumers import a single
 * definition from `definitions/` (smaller bundles); the catalogue is for the generator, the
 * contract tests and the local cloud.
 */
import type { EventDefinition } from './define';
import { eventKey } from './define';
import {
  assessmentCompletedV1,
  caseAllocatedV1,
  caseChronologyEntryAddedV1,
  caseClosedV1,
  caseOpenedV1,
  caseStatusChangedV1,
  caseTimescaleDueSoonV1,
  caseTimescaleMetV1,
  caseTimescaleOverdueV1,
} from './definitions/cases';
import { inboxItemDeliveredV1, inboxItemReadV1 } from './definitions/notifications';
import {
  agencyOnboardedV1,
  agencyRevokedV1,
  referralAcceptedV1,
  referralDecidedV1,
  referralDecisionDueV1,
  referralDecisionOverdueV1,
  referralSubmittedV1,
} from './definitions/referrals';
import {
  supervisionActionAssignedV1,
  supervisionActionBecameOverdueV1,
  supervisionActionCompletedV1,
  supervisionActionDueSoonV1,
  supervisionBecameOverdueV1,
  supervisionDueSoonV1,
  supervisionHeldV1,
  supervisionScheduledV1,
} from './definitions/supervision';

export const eventCatalogue: readonly EventDefinition[] = [
  referralSubmittedV1,
  referralDecidedV1,
  referralAcceptedV1,
  referralDecisionDueV1,
  referralDecisionOverdueV1,
  agencyOnboardedV1,
  agencyRevokedV1,
  caseOpenedV1,
  caseAllocatedV1,
  caseChronologyEntryAddedV1,
  caseClosedV1,
  caseStatusChangedV1,
  assessmentCompletedV1,
  caseTimescaleDueSoonV1,
  caseTimescaleOverdueV1,
  caseTimescaleMetV1,
  supervisionScheduledV1,
  supervisionHeldV1,
  supervisionDueSoonV1,
  supervisionBecameOverdueV1,
  supervisionActionAssignedV1,
  supervisionActionDueSoonV1,
  supervisionActionCompletedV1,
  supervisionActionBecameOverdueV1,
  inboxItemDeliveredV1,
  inboxItemReadV1,
];

const byKey = new Map(eventCatalogue.map((definition) => [eventKey(definition), definition]));
if (byKey.size !== eventCatalogue.length) throw new Error('eventCatalogue lists the same detailType and version twice');

export function findEventDefinition(detailType: string, version: number): EventDefinition | undefined {
  return byKey.get(`${detailType}.v${version}`);
}

/** The versions of one event, oldest first. */
export function versionsOf(detailType: string): number[] {
  return eventCatalogue
    .filter((d) => d.detailType === detailType)
    .map((d) => d.version)
    .sort((a, b) => a - b);
}
