/**
 * Who may read and who may change a case's family network and summary (issue 12 Deliver 1, 5):
 * reading rests on the worker's relationship with the case, decided and audited when the case is
 * opened (http/case-access.ts, domain/access.ts caseAccess); changing needs one that allows
 * recording (mayWrite: allocated, or a case worker of the holding team; break-glass only reads).
 */
import { type CaseAccess, mayWrite } from '../domain/access';
import type { Actor } from '../domain/family-network';
import { networkFromChildIds } from '../domain/family-network';
import type { CaseFile } from '../store/case-store';
import type { NetworkItem } from '../store/items/network';

export interface FamilyRecordAccess {
  /** Why the read is legitimate: what its audit item says. */
  reason: CaseAccess;
  /** The worker may change the network and the summary. */
  mayChange: boolean;
}

export const familyRecordAccess = (access: CaseAccess): FamilyRecordAccess => ({ reason: access, mayChange: mayWrite(access) });

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
