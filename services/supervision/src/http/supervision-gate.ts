/**
 * The one way every supervision route reads a case (JSON and pages): read the case's partition
 * (store.readCase: one Query), decide the worker's relationship (domain/access.ts), and audit
 * before answering (http/audit.ts): READ when the case's supervision is shown, DENIED when not. A
 * denied read resolves undefined, which every route answers exactly as a case this service does not
 * know (404), so that ids cannot be probed; the audit trail keeps the two apart. If the audit write
 * fails, so does the read. A team's lists are audited once per read in the team's partition.
 */
import type { WorkerClaims } from '@fsp/shared/http/claims';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { type SupervisionAccess, supervisionAccess } from '../domain/access';
import { type CaseSupervisions, createSupervisionStore } from '../store/supervision-store';
import { createSupervisionAuditor, type SupervisionDenialReason } from './audit';

/** Who reads: the worker as the token or session says. */
export type ReaderClaims = Pick<WorkerClaims, 'userId' | 'username' | 'name' | 'teamId' | 'roles'>;

export interface ReadRequest {
  reader: ReaderClaims;
  requestId: string;
  /** What read it, for the audit trail: the route (`GET /supervision/cases/{caseId}`). */
  what: string;
}

/** A case's supervision the worker may see, with the relationship it rests on (already audited as read). */
export interface OpenedCase {
  found: CaseSupervisions;
  access: SupervisionAccess;
}

/** A case id as ids are made; anything else cannot be a case, and is answered like a missing one. */
export const CASE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

export const nameOf = (reader: Pick<ReaderClaims, 'name' | 'username'>): string => reader.name ?? reader.username;

/** The audit trail's name for a route: its method and path template, as routes.ts declares it. */
export const routeKeyOf = (route: { method: string; path: string }): string => `${route.method} ${route.path}`;

export interface SupervisionGate {
  /** The case when the worker may see its supervision, the read audited; else undefined, the denial audited. */
  open(caseId: string, request: ReadRequest): Promise<OpenedCase | undefined>;
  /** Decides and audits a case already read (a page reads it with the Inbox count, in one round). */
  decide(caseId: string, found: CaseSupervisions | undefined, request: ReadRequest): Promise<OpenedCase | undefined>;
  /** One READ item in the team's audit partition for a read of its lists. */
  teamRead(teamId: string, request: ReadRequest): Promise<void>;
}

export function createSupervisionGate(runtime: Pick<ServiceRuntime, 'documents' | 'tableName' | 'clock'>): SupervisionGate {
  const store = createSupervisionStore(runtime);
  const auditor = createSupervisionAuditor(runtime);

  const who = (request: ReadRequest, at: Date) => ({
    userId: request.reader.userId,
    username: request.reader.username,
    name: nameOf(request.reader),
    what: request.what,
    requestId: request.requestId,
    at,
  });

  async function denied(caseId: string, request: ReadRequest, reason: SupervisionDenialReason) {
    await auditor.audit({ record: 'case', caseId, kind: 'denied', reason, ...who(request, runtime.clock()) });
  }

  async function decide(caseId: string, found: CaseSupervisions | undefined, request: ReadRequest): Promise<OpenedCase | undefined> {
    if (!found) {
      // An id that cannot be a case is not audited under a partition named by it.
      if (CASE_ID.test(caseId)) await denied(caseId, request, 'no-such-case');
      return undefined;
    }
    const head = found.supervisedCase;
    const access = supervisionAccess(request.reader, { teamId: head.teamId, allocation: head.allocation });
    if (!access) {
      await denied(caseId, request, 'no-relationship');
      return undefined;
    }
    await auditor.audit({ record: 'case', caseId, kind: 'read', reason: access, ...who(request, runtime.clock()) });
    return { found, access };
  }

  return {
    decide,
    async open(caseId, request) {
      const found = CASE_ID.test(caseId) ? await store.readCase(caseId) : undefined;
      return decide(caseId, found, request);
    },
    async teamRead(teamId, request) {
      await auditor.audit({ record: 'team', teamId, kind: 'read', reason: 'team-member', ...who(request, runtime.clock()) });
    },
  };
}
