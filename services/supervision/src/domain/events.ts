/**
 * The facts this service reads and publishes, mapped to and from its own types. Pure: the
 * consumer passes these to `buildEvent`, never an object literal of its own, so the payload of
 * each fact is written in one place.
 */
import type { EventData } from '@fsp/shared/events/define';
import type { caseAllocatedV1, caseOpenedV1 } from '@fsp/shared/events/definitions/cases';
import type {
  supervisionActionAssignedV1,
  supervisionActionBecameOverdueV1,
  supervisionActionCompletedV1,
  supervisionActionDueSoonV1,
  supervisionBecameOverdueV1,
  supervisionDueSoonV1,
  supervisionHeldV1,
  supervisionScheduledV1,
} from '@fsp/shared/events/definitions/supervision';
import type { ActionEscalation, SupervisionAction, SupervisionRating } from './model';
import { type FirstAllocation, isFirstSocialWorker, type SupervisedCase, type Supervision } from './supervision';

export type CaseOpenedData = EventData<typeof caseOpenedV1>;
export type CaseAllocatedData = EventData<typeof caseAllocatedV1>;
export type SupervisionScheduledData = EventData<typeof supervisionScheduledV1>;
export type SupervisionHeldData = EventData<typeof supervisionHeldV1>;
export type SupervisionBecameOverdueData = EventData<typeof supervisionBecameOverdueV1>;
export type SupervisionActionAssignedData = EventData<typeof supervisionActionAssignedV1>;
export type SupervisionActionCompletedData = EventData<typeof supervisionActionCompletedV1>;
export type SupervisionActionBecameOverdueData = EventData<typeof supervisionActionBecameOverdueV1>;
export type SupervisionDueSoonData = EventData<typeof supervisionDueSoonV1>;
export type SupervisionActionDueSoonData = EventData<typeof supervisionActionDueSoonV1>;

/** CaseOpened → the case as this service keeps it: which team holds it, when it opened and the reference it is known by. */
export const supervisedCaseOf = (data: CaseOpenedData): SupervisedCase => ({
  caseId: data.caseId,
  teamId: data.teamId,
  openedAt: data.openedAt,
  ...(data.reference !== undefined ? { reference: data.reference } : {}),
});

/**
 * CaseAllocated → the case's first social worker, from whom its first supervision is scheduled;
 * undefined for any other allocation (an adult specialist, a change of social worker).
 */
export const firstAllocationOf = (data: CaseAllocatedData): FirstAllocation | undefined =>
  isFirstSocialWorker(data)
    ? { caseId: data.caseId, teamId: data.teamId, reference: data.reference, allocatedAt: data.allocatedAt }
    : undefined;

/** The case as a first allocation tells of it, for a case whose CaseOpened has not arrived yet. */
export const allocatedCaseOf = (allocation: FirstAllocation): SupervisedCase => ({
  caseId: allocation.caseId,
  teamId: allocation.teamId,
  reference: allocation.reference,
});

/**
 * SupervisionScheduled v1: when it is due and when it is planned, for the team that holds the case;
 * with the case's reference and the supervision's number, and after a move, the move.
 */
export const supervisionScheduledData = (supervision: Supervision): SupervisionScheduledData => {
  const move = supervision.reschedules?.at(-1);
  return {
    supervisionId: supervision.supervisionId,
    caseId: supervision.caseId,
    teamId: supervision.teamId,
    dueBy: supervision.dueBy,
    scheduledFor: supervision.scheduledFor,
    ...(supervision.caseReference !== undefined ? { reference: supervision.caseReference } : {}),
    sequence: supervision.sequence,
    ...(move ? { rescheduled: { previousScheduledFor: move.previousScheduledFor, reason: move.reason, by: move.by.userId } } : {}),
  };
};

/** SupervisionHeld v1: the facts of a completed record (never its words). */
export const supervisionHeldData = (held: {
  supervision: Supervision;
  reference: string;
  heldOn: string;
  chairId: string;
  rating: SupervisionRating;
  previousRating?: SupervisionRating | undefined;
  actions: number;
  next?: Supervision | undefined;
  completedAt: string;
}): SupervisionHeldData => ({
  supervisionId: held.supervision.supervisionId,
  caseId: held.supervision.caseId,
  teamId: held.supervision.teamId,
  reference: held.reference,
  sequence: held.supervision.sequence,
  heldOn: held.heldOn,
  chairId: held.chairId,
  rating: held.rating,
  ...(held.previousRating !== undefined ? { previousRating: held.previousRating } : {}),
  actions: held.actions,
  ...(held.next ? { nextDueBy: held.next.dueBy } : {}),
  completedAt: held.completedAt,
});

export const supervisionBecameOverdueData = (
  supervision: Supervision,
  reference: string,
  detectedAt: Date,
): SupervisionBecameOverdueData => ({
  supervisionId: supervision.supervisionId,
  caseId: supervision.caseId,
  teamId: supervision.teamId,
  reference,
  sequence: supervision.sequence,
  dueBy: supervision.dueBy,
  detectedAt: detectedAt.toISOString(),
});

/** What every action event names: never the action's words. */
const actionFacts = (action: SupervisionAction) => ({
  actionId: action.actionId,
  supervisionId: action.supervisionId,
  caseId: action.caseId,
  teamId: action.teamId,
  reference: action.reference,
  ownerId: action.ownerId,
  dueDate: action.dueDate,
  dueBy: action.dueBy,
});

export const supervisionActionAssignedData = (action: SupervisionAction): SupervisionActionAssignedData => ({
  ...actionFacts(action),
  assignedAt: action.assignedAt,
  assignedBy: action.assignedBy,
});

export const supervisionActionCompletedData = (
  action: SupervisionAction,
  completed: { at: Date; by: string },
): SupervisionActionCompletedData => ({
  ...actionFacts(action),
  completedAt: completed.at.toISOString(),
  completedBy: completed.by,
});

export const supervisionActionBecameOverdueData = (
  action: SupervisionAction,
  escalatedTo: ActionEscalation,
  detectedAt: Date,
): SupervisionActionBecameOverdueData => ({ ...actionFacts(action), escalatedTo, detectedAt: detectedAt.toISOString() });

/** SupervisionDueSoon v1: which supervision, when it is planned and due, found due soon at `detectedAt`. */
export const supervisionDueSoonData = (supervision: Supervision, reference: string, detectedAt: Date): SupervisionDueSoonData => ({
  supervisionId: supervision.supervisionId,
  caseId: supervision.caseId,
  teamId: supervision.teamId,
  reference,
  sequence: supervision.sequence,
  scheduledFor: supervision.scheduledFor,
  dueBy: supervision.dueBy,
  detectedAt: detectedAt.toISOString(),
});

/** SupervisionActionDueSoon v1: the action's facts (never its words), found due soon at `detectedAt`. */
export const supervisionActionDueSoonData = (action: SupervisionAction, detectedAt: Date): SupervisionActionDueSoonData => ({
  ...actionFacts(action),
  detectedAt: detectedAt.toISOString(),
});
