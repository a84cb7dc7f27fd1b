/**
 * The facts this service reads and publishes, mapped to and from its own types. Pure: the
 * consumer passes these to `buildEvent`, never an object literal of its own, so the payload of
 * each fact is written in one place.
 */
import type { EventData } from '@fsp/shared/events/define';
import type { caseOpenedV1 } from '@fsp/shared/events/definitions/cases';
import type { supervisionScheduledV1 } from '@fsp/shared/events/definitions/supervision';
import type { SupervisedCase, Supervision } from './supervision';

export type CaseOpenedData = EventData<typeof caseOpenedV1>;
export type SupervisionScheduledData = EventData<typeof supervisionScheduledV1>;

/** CaseOpened → the case as this service keeps it: which team holds it, when it opened and the reference it is known by. */
export const supervisedCaseOf = (data: CaseOpenedData): SupervisedCase => ({
  caseId: data.caseId,
  teamId: data.teamId,
  openedAt: data.openedAt,
  ...(data.reference !== undefined ? { reference: data.reference } : {}),
});

/** SupervisionScheduled v1: when it is due and when it is planned, for the team that holds the case. */
export const supervisionScheduledData = (supervision: Supervision): SupervisionScheduledData => ({
  supervisionId: supervision.supervisionId,
  caseId: supervision.caseId,
  teamId: supervision.teamId,
  dueBy: supervision.dueBy,
  scheduledFor: supervision.scheduledFor,
});
