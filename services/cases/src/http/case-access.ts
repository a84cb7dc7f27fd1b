/**
 * The one way every case route reads a case (JSON and pages): read the case file (with the named
 * referral's link, for the front door, in the same round), decide the worker's relationship
 * (domain/access.ts, caseAccess), and audit before answering (store/access-store.ts): READ when the
 * case is shown, DENIED when it is not. A denied read resolves undefined, which every route answers
 * exactly as a case that does not exist (404), so that ids cannot be probed; the audit trail keeps
 * the two apart. If the audit write fails, so does the read.
 *
 * Restricted entries: a route that shows restricted notes in full calls `restrictedViewed` with
 * them before answering (one RESTRICTED item per note).
 */
import type { WorkerClaims } from '@fsp/shared/http/claims';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { type CaseAccess, caseAccess, mayReadNotes, type ReferralRoute } from '../domain/access';
import { createAccessStore } from '../store/access-store';
import { type CaseFile, createCaseStore } from '../store/case-store';
import type { CaseAuditEntry, DenialReason } from '../store/items/case-audit';

/** Who reads: the worker as the token or session says. */
export type CaseReaderClaims = Pick<WorkerClaims, 'userId' | 'username' | 'name' | 'teamId' | 'roles'>;

/** What one request asks for. */
export interface CaseReadRequest {
  caseId: string;
  reader: CaseReaderClaims;
  requestId: string;
  /** The journey the request belongs to (its correlation id), for the events a write of the case publishes; the request id when absent. */
  correlationId?: string;
  /** What read it, for the audit trail: the route (`GET /cases/{caseId}`). */
  what: string;
  /** The referral the request names (`?referralId=`): the front door's only way to a case. */
  referralId?: string;
  /** The case that referral belongs to, when the route has read its link already. */
  caseIdOfReferral?: string;
}

/** A case the worker may see, with the relationship it rests on (already audited as read). */
export interface OpenedCase {
  file: CaseFile;
  access: CaseAccess;
  reader: CaseReaderClaims;
  requestId: string;
  correlationId?: string;
  what: string;
}

export interface CaseGate {
  /**
   * The case file when the worker has a relationship with the case, its read audited; undefined
   * when the case does not exist or the worker may not see it, the denial audited. `at` is the
   * instant of the decision and of its audit item.
   */
  open(request: CaseReadRequest, at?: Date): Promise<OpenedCase | undefined>;
  /** Audits the denial of a case the route decided not to show (the break-glass POST for a case that is not there). */
  denied(request: Omit<CaseReadRequest, 'referralId' | 'caseIdOfReferral'>, reason: DenialReason, at?: Date): Promise<void>;
  /** One RESTRICTED audit item per restricted note shown in full, before the page or JSON showing them answers. */
  restrictedViewed(opened: OpenedCase, noteIds: readonly string[], at?: Date): Promise<void>;
}

const nameOf = (reader: CaseReaderClaims): string => reader.name ?? reader.username;

/** The reader's relationship with the case `file` holds (its team, allocation and break-glass grants) at `now`, if any. */
export const caseAccessOf = (reader: CaseReaderClaims, file: CaseFile, now: Date, via?: ReferralRoute): CaseAccess | undefined =>
  caseAccess(
    reader,
    {
      caseId: file.record.caseId,
      teamId: file.record.teamId,
      ...(file.allocation ? { allocation: file.allocation.allocation } : {}),
      breakGlass: file.breakGlass,
    },
    now,
    via,
  );

export function createCaseGate(runtime: Pick<ServiceRuntime, 'documents' | 'tableName' | 'clock'>): CaseGate {
  const cases = createCaseStore(runtime.documents, runtime.tableName);
  const audits = createAccessStore(runtime.documents, runtime.tableName);

  const common = (request: Pick<CaseReadRequest, 'caseId' | 'reader' | 'requestId' | 'what'>, at: Date) => ({
    caseId: request.caseId,
    userId: request.reader.userId,
    username: request.reader.username,
    name: nameOf(request.reader),
    what: request.what,
    requestId: request.requestId,
    at,
  });

  async function denied(request: Omit<CaseReadRequest, 'referralId' | 'caseIdOfReferral'>, reason: DenialReason, at = runtime.clock()) {
    await audits.audit([{ kind: 'denied', reason, ...common(request, at) }]);
  }

  async function open(request: CaseReadRequest, at?: Date): Promise<OpenedCase | undefined> {
    const { caseId, reader, referralId } = request;
    // The referral's link matters only to the front door; nobody else is sent to read it.
    const followsReferral = referralId !== undefined && request.caseIdOfReferral === undefined && reader.roles.includes('front-door');
    const [file, linkedCaseId] = await Promise.all([
      cases.readCase(caseId),
      followsReferral ? cases.caseIdOfReferral(referralId) : Promise.resolve(request.caseIdOfReferral),
    ]);
    const now = at ?? runtime.clock();
    if (!file) {
      await denied(request, 'no-such-case', now);
      return undefined;
    }
    const via: ReferralRoute | undefined = referralId === undefined ? undefined : { referralId, caseIdOfReferral: linkedCaseId };
    const access = caseAccessOf(reader, file, now, via);
    if (!access) {
      await denied(request, 'no-relationship', now);
      return undefined;
    }
    await audits.audit([{ kind: 'read', reason: access, ...common(request, now) }]);
    return {
      file,
      access,
      reader,
      requestId: request.requestId,
      ...(request.correlationId ? { correlationId: request.correlationId } : {}),
      what: request.what,
    };
  }

  async function restrictedViewed(opened: OpenedCase, noteIds: readonly string[], at = runtime.clock()): Promise<void> {
    const base = common({ caseId: opened.file.record.caseId, reader: opened.reader, requestId: opened.requestId, what: opened.what }, at);
    const entries: CaseAuditEntry[] = [...new Set(noteIds)].map((noteId) => ({
      kind: 'restricted',
      noteId,
      reason: opened.access,
      ...base,
    }));
    await audits.audit(entries);
  }

  return { open, denied, restrictedViewed };
}

/**
 * The case file as this reader may see it: without its notes, nor the chronology entries that
 * record notes, for a relationship that reads no notes (the front door, following its referral).
 */
export function fileAsSeen(opened: Pick<OpenedCase, 'file' | 'access'>): CaseFile {
  if (mayReadNotes(opened.access)) return opened.file;
  return { ...opened.file, notes: [], chronology: opened.file.chronology.filter((entry) => entry.noteId === undefined) };
}

/** The audit trail's name for a route: its method and path template, as routes.ts declares it. */
export const routeKeyOf = (route: { method: string; path: string }): string => `${route.method} ${route.path}`;
