/**
 * The payloads of the events this service publishes, built from its records by named mappers, so
 * that what a fact carries is decided here and nowhere else. Pure.
 */
import type { EventData } from '@fsp/shared/events/define';
import type { caseOpenedV1 } from '@fsp/shared/events/definitions/cases';
import type { CaseOpening } from './case';

export type CaseOpenedData = EventData<typeof caseOpenedV1>;

/**
 * CaseOpened v1: the new case, the reference workers know it by (its referral's), its team and the
 * assessment deadline its clock started.
 */
export const caseOpenedData = (record: CaseOpening['record']): CaseOpenedData => ({
  caseId: record.caseId,
  referralId: record.referralId,
  reference: record.reference,
  teamId: record.teamId,
  openedAt: record.openedAt,
  status: record.status,
  assessmentDueBy: record.assessmentDueBy,
});
