/**
 * What an allocation change means beyond the allocation item (issue 12 Deliver 2 and 4): its entry
 * in the case's chronology, in words, and who then holds which slots on the case (the caseload
 * items). Pure.
 */
import {
  type AllocatedWorker,
  type Allocation,
  type AllocationHistoryRecord,
  type SlotChange,
  SPECIALISM_NAMES,
  SPECIALISMS,
} from './allocation';
import type { CaseRecord, ChronologyEntry } from './case';

/** Every slot, the social worker's first: the order slots are listed in, everywhere. */
export const SLOTS = ['social-worker', ...SPECIALISMS] as const;
export type Slot = SlotChange['slot'];

export const SLOT_NAMES: Readonly<Record<Slot, string>> = { 'social-worker': 'Social worker', ...SPECIALISM_NAMES };

function changeInWords({ slot, before, after }: SlotChange): string {
  const name = SLOT_NAMES[slot];
  if (before && after) return `${name} changed from ${before.name} to ${after.name}`;
  if (after) return `${name}: ${after.name} allocated`;
  return `${name}: ${before?.name ?? 'nobody'} no longer allocated`;
}

/**
 * "Social worker: Sam Okafor allocated. Mental health worker: Dana Lewis allocated." A change of
 * social worker carries its reason, because the chronology is where a reader learns why the
 * family's worker changed.
 */
export function allocationChangeText(history: AllocationHistoryRecord): string {
  const sentences = history.changes.map(changeInWords);
  const text = `${sentences.join('. ')}.`;
  return history.reason ? `${text} Reason for the change of social worker: ${history.reason}` : text;
}

/** The chronology entry of one allocation change; its id comes from the change's, so writing it twice collides. */
export function allocationChangedEntry(
  record: Pick<CaseRecord, 'caseId' | 'referralId'>,
  history: AllocationHistoryRecord,
  changeId: string,
): ChronologyEntry {
  return {
    entryId: `allocation-changed-${changeId}`,
    caseId: record.caseId,
    kind: 'allocation-changed',
    at: history.at,
    text: allocationChangeText(history),
    referralId: record.referralId,
    sourceEventId: changeId,
  };
}

/** Who holds which slots on the case, in SLOTS order per worker. */
export function slotsByWorker(allocation: Pick<Allocation, 'socialWorker' | 'specialists'> | undefined): Map<string, Slot[]> {
  const held = new Map<string, Slot[]>();
  if (!allocation) return held;
  const add = (worker: AllocatedWorker | undefined, slot: Slot) => {
    if (!worker) return;
    held.set(worker.userId, [...(held.get(worker.userId) ?? []), slot]);
  };
  add(allocation.socialWorker, 'social-worker');
  for (const specialism of SPECIALISMS) add(allocation.specialists[specialism], specialism);
  return held;
}
