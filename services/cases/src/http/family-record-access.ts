/**
 * Who may read and who may change a case's family network and summary (issue 12 Deliver 1, 5),
 * decided from the case file already read. Until helper D's caseAccess (domain/access.ts) replaces
 * it, reading rests on caseReadReason (the holding team, or the front door), and changing needs a
 * case-working role in the team that holds the case.
 */
import { CASE_WORKING_ROLES, type Role } from '@fsp/shared/people';
import { type CaseReadReason, caseReadReason, type Reader } from '../domain/case';
import type { Actor } from '../domain/family-network';
import { networkFromChildIds } from '../domain/family-network';
import type { CaseFile } from '../store/case-store';
import type { NetworkItem } from '../store/items/network';

export interface FamilyRecordAccess {
  /** Why the read is legitimate: what its audit item says. */
  reason: CaseReadReason;
  /** The worker may change the network and the summary. */
  mayChange: boolean;
}

const CASE_WORKING: ReadonlySet<Role> = new Set(CASE_WORKING_ROLES);

export function familyRecordAccess(reader: Reader, file: Pick<CaseFile, 'record'>): FamilyRecordAccess | undefined {
  const reason = caseReadReason(reader, file.record.teamId);
  if (reason === undefined) return undefined;
  return { reason, mayChange: reason === 'team-member' && reader.roles.some((role) => CASE_WORKING.has(role)) };
}

/** Who is changing the record, as colleagues know them. */
export const actorOf = (claims: { userId: string; name?: string; username: string }): Actor => ({
  userId: claims.userId,
  name: claims.name ?? claims.username,
});

/**
 * The network as it stands: the item, or for a case opened before networks were kept, its
 * children's ids and dates at version 0 (the first change creates the item).
 */
export function currentNetworkOf(file: Pick<CaseFile, 'record' | 'network'>): NetworkItem {
  return (
    file.network ?? {
      caseId: file.record.caseId,
      network: networkFromChildIds(file.record.children),
      version: 0,
      updatedAt: file.record.openedAt,
    }
  );
}
