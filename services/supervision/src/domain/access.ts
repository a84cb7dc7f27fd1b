/**
 * Who sees and who writes a case's group supervision (ADR 0015; as cases' access, ADR 0014 §6): a
 * worker with a case-working role sees a case's supervision records when allocated to the case
 * (the allocation this service keeps from CaseAllocated) or a member of the team that holds it.
 * There is no break-glass here: grants live in cases. Anyone else is answered exactly as for a
 * case this service does not know (404) and the attempt is audited as denied. The record is the
 * chair's: the team manager of the holding team creates, edits, completes, amends and reschedules
 * it. An action is completed by its owner or that team manager. Pure: no I/O.
 */
import { CASE_WORKING_ROLES, type Role } from '@fsp/shared/people';
import { type Allocation, allocatedWorkerIds } from './model';

/** The relationship a read rests on, closest first: the "why" of its audit item. */
export const SUPERVISION_ACCESS_KINDS = ['allocated', 'team-member'] as const;
export type SupervisionAccess = (typeof SUPERVISION_ACCESS_KINDS)[number];

/** The signed-in worker, as their session or token says. */
export interface SupervisionReader {
  userId: string;
  teamId: string;
  roles: readonly Role[];
}

/** What the rule reads of the case: its head (sk CASE). */
export interface SupervisionAccessFacts {
  teamId: string;
  allocation: Allocation;
}

const CASE_WORKING: ReadonlySet<Role> = new Set(CASE_WORKING_ROLES);
export const isCaseWorker = (reader: Pick<SupervisionReader, 'roles'>): boolean => reader.roles.some((role) => CASE_WORKING.has(role));

/** The relationship `reader` has with the case, or undefined: none (404, audited DENIED). */
export function supervisionAccess(reader: SupervisionReader, facts: SupervisionAccessFacts): SupervisionAccess | undefined {
  if (!isCaseWorker(reader)) return undefined;
  if (allocatedWorkerIds(facts.allocation).includes(reader.userId)) return 'allocated';
  if (reader.teamId === facts.teamId) return 'team-member';
  return undefined;
}

/** The chair: the team manager of the team holding the case (records, amends, reschedules). */
export const mayChair = (reader: Pick<SupervisionReader, 'teamId' | 'roles'>, facts: Pick<SupervisionAccessFacts, 'teamId'>): boolean =>
  reader.roles.includes('team-manager') && reader.teamId === facts.teamId;

/** An action is done when its owner, or the team manager of the holding team, says so. */
export const mayCompleteAction = (
  reader: Pick<SupervisionReader, 'userId' | 'teamId' | 'roles'>,
  action: { ownerId: string; teamId: string },
): boolean => action.ownerId === reader.userId || mayChair(reader, action);

/** A team's lists (agenda, open actions, overdue items) are its case-working members'. */
export const mayReadTeam = (reader: Pick<SupervisionReader, 'teamId' | 'roles'>, teamId: string): boolean =>
  isCaseWorker(reader) && reader.teamId === teamId;
