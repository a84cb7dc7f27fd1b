/**
 * The facts this service reads and publishes, mapped to and from its own types. Pure: the
 * consumer passes these to `buildEvent`, never an object literal of its own, so the payload of
 * each fact is written in one place.
 */
import type { EventData } from '@fsp/shared/events/define';
import type { caseAllocatedV1, caseOpenedV1 } from '@fsp/shared/events/definitions/cases';
import type { supervisionScheduledV1 } from '@fsp/shared/events/definitions/supervision';
import { type FirstAllocation, isFirstSocialWorker, type SupervisedCase, type Supervision } from './supervision';

export type CaseOpenedData = EventData<typeof caseOpenedV1>;
export type CaseAllocatedData = EventData<typeof caseAllocatedV1>;
export type SupervisionScheduledData = EventData<typeof supervisionScheduledV1>;

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

/** SupervisionScheduled v1: when it is due and when it is planned, for the team that holds the case. */
export const supervisionScheduledData = (supervision: Supervision): SupervisionScheduledData => ({
  supervisionId: supervision.supervisionId,
  caseId: supervision.caseId,
  teamId: supervision.teamId,
  dueBy: supervision.dueBy,
  scheduledFor: supervision.scheduledFor,
});
