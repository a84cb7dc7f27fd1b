/**
 * Who is allocated to a case, as CaseAllocated tells it (one fact per worker newly allocated to a
 * slot: the social worker, or the adult specialist of one specialism). A later allocation to a
 * slot replaces its holder; facts may arrive out of order, so an older one never replaces a newer.
 * And what the agenda says of it ("Social worker changed"). Pure.
 */
import type { ADULT_SPECIALISMS, CASE_ALLOCATION_ROLES } from '@fsp/shared/events/definitions/cases';
import { type AdultSpecialism, AGENDA_CHANGES_CAP, type AgendaChange, type Allocation } from './model';

export interface AllocationSlot {
  userId: string;
  /** When they were allocated: a fact older than the slot's holder changes nothing. */
  since: string;
}

export interface AllocationSlots {
  socialWorker?: AllocationSlot;
  specialists: Partial<Record<AdultSpecialism, AllocationSlot>>;
}

export interface AllocationFact {
  role: (typeof CASE_ALLOCATION_ROLES)[number];
  specialism?: (typeof ADULT_SPECIALISMS)[number] | undefined;
  workerId: string;
  previousWorkerId?: string | undefined;
  allocatedAt: string;
}

export const allocationOfSlots = (slots: AllocationSlots): Allocation => ({
  ...(slots.socialWorker ? { socialWorker: slots.socialWorker.userId } : {}),
  specialists: Object.fromEntries(
    Object.entries(slots.specialists).flatMap(([specialism, slot]) => (slot ? [[specialism, slot.userId]] : [])),
  ),
});

const newer = (slot: AllocationSlot | undefined, fact: AllocationFact) => slot === undefined || slot.since <= fact.allocatedAt;

/** The slots with the fact applied; undefined when it changes nothing (a repeat, or older than the slot's holder). */
export function applyAllocation(slots: AllocationSlots, fact: AllocationFact): AllocationSlots | undefined {
  const slot = { userId: fact.workerId, since: fact.allocatedAt };
  if (fact.role === 'social-worker') {
    if (!newer(slots.socialWorker, fact) || (slots.socialWorker?.userId === fact.workerId && slots.socialWorker.since === fact.allocatedAt))
      return undefined;
    return { ...slots, socialWorker: slot };
  }
  if (fact.specialism === undefined) return undefined;
  const current = slots.specialists[fact.specialism];
  if (!newer(current, fact) || (current?.userId === fact.workerId && current.since === fact.allocatedAt)) return undefined;
  return { ...slots, specialists: { ...slots.specialists, [fact.specialism]: slot } };
}

const SPECIALISM_WORDS: Readonly<Record<AdultSpecialism, string>> = {
  'domestic-abuse-victim': 'Domestic abuse (victims) specialist',
  'domestic-abuse-perpetrator': 'Domestic abuse (perpetrators) specialist',
  'mental-health': 'Mental health specialist',
  'substance-misuse': 'Substance misuse specialist',
};

/** The agenda's line for an allocation: who (by role, never by name) was allocated, or changed. */
export function allocationChange(fact: AllocationFact): AgendaChange {
  const who = fact.role === 'social-worker' ? 'Social worker' : fact.specialism ? SPECIALISM_WORDS[fact.specialism] : 'Adult specialist';
  return {
    id: `allocation-${fact.role}-${fact.specialism ?? 'case'}-${fact.workerId}-${fact.allocatedAt}`,
    at: fact.allocatedAt,
    kind: 'allocation',
    text: `${who} ${fact.previousWorkerId === undefined ? 'allocated' : 'changed'}`,
  };
}

/** The changes with one more, in time order, the newest AGENDA_CHANGES_CAP kept; undefined when it is there already. */
export function withAgendaChange(changes: readonly AgendaChange[], change: AgendaChange): AgendaChange[] | undefined {
  if (changes.some((existing) => existing.id === change.id)) return undefined;
  const all = [...changes, change].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return all.slice(-AGENDA_CHANGES_CAP);
}

/** Chronology kinds the agenda leaves out: supervision's own facts come back from cases as chronology entries. */
export const IGNORED_CHRONOLOGY_KINDS: ReadonlySet<string> = new Set(['supervision-held']);
