/**
 * Case read audit items: one per read that showed a case, never overwritten. Kept apart from the
 * case's own partition (pk AUDIT#CASE#<caseId>, sk READ#<at>#<requestId>), and indexed by reader
 * (gsi1pk AUDIT#USER#<userId>, gsi1sk <at>#<caseId>) for subject access requests and IG reviews.
 * Nothing in this service reads them back.
 */
import type { CaseReadReason } from '../../domain/case';

export interface CaseReadAudit {
  caseId: string;
  userId: string;
  username: string;
  reason: CaseReadReason;
  requestId: string;
  at: Date;
}

export const caseReadKey = (audit: Pick<CaseReadAudit, 'caseId' | 'requestId'>, at: string) => ({
  pk: `AUDIT#CASE#${audit.caseId}`,
  sk: `READ#${at}#${audit.requestId}`,
});

export function caseReadItem(audit: CaseReadAudit) {
  const at = audit.at.toISOString();
  return {
    ...caseReadKey(audit, at),
    gsi1pk: `AUDIT#USER#${audit.userId}`,
    gsi1sk: `${at}#${audit.caseId}`,
    kind: 'case-read',
    caseId: audit.caseId,
    userId: audit.userId,
    username: audit.username,
    reason: audit.reason,
    requestId: audit.requestId,
    at,
  };
}
