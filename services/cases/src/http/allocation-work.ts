/**
 * Allocating a case (issue 12 Deliver 2, ADR 0014 §3), the same for the JSON API (workers.ts) and
 * the team manager's form (allocation-pages.ts): read the case with its allocation, check who is
 * asking, ask the directory for the team, let domain/allocation.ts decide, and write the decision
 * with its CaseAllocated events in one transaction (store/allocation-store.ts).
 */

import type { Directory, DirectoryWorker } from '@fsp/shared/directory';
import type { BuildEventContext } from '@fsp/shared/events/build';
import { buildEvent } from '@fsp/shared/events/build';
import { caseAllocatedV1 } from '@fsp/shared/events/definitions/cases';
import type { WorkerClaims } from '@fsp/shared/http/claims';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import type { CaseAccess } from '../domain/access';
import { type AllocationIssue, type AllocationRequest, allocate, isAllocationRefusal, unallocated } from '../domain/allocation';
import { caseAllocatedData } from '../domain/events';
import { AllocationVersionConflictError, createAllocationStore } from '../store/allocation-store';
import { type CaseFile, createCaseStore } from '../store/case-store';
import type { AllocationItem } from '../store/items/allocation';
import { createCaseGate } from './case-access';

/**
 * What route builders use when they were given no directory (a test that allocates nothing, the
 * manifest test's route check): asking it is a wiring mistake, said as such.
 */
export const directoryNotGiven: Directory = {
  worker: () => Promise.reject(new Error('The cases routes were built without a directory: pass one to allocate')),
  teamMembers: () => Promise.reject(new Error('The cases routes were built without a directory: pass one to allocate')),
};

/** Who may change a case's allocation (DOMAIN.md: the team manager allocates): a team manager of the team that holds it. */
export const mayAllocate = (worker: Pick<WorkerClaims, 'roles' | 'teamId'>, file: Pick<CaseFile, 'record'>): boolean =>
  worker.roles.includes('team-manager') && worker.teamId === file.record.teamId;

/** The team's people a team manager can choose from, for each kind of slot, as the directory lists them now. */
export interface TeamChoices {
  socialWorkers: DirectoryWorker[];
  specialists: DirectoryWorker[];
}

export type AllocationOutcome =
  /** No such case, or one the worker has no relationship with: answered exactly alike. */
  | { kind: 'not-found' }
  /** The worker sees the case but does not manage the team that holds it. */
  | ((
      | { kind: 'not-team-manager' }
      | { kind: 'invalid'; issues: AllocationIssue[] }
      /** The allocation changed since `readVersion`: nothing was written; `file` is the case as it is now. */
      | { kind: 'changed'; readVersion: number }
      | { kind: 'unchanged' }
      | { kind: 'allocated'; item: AllocationItem }
    ) & {
      file: CaseFile;
      /** What the worker's read of the case rests on (audited when the case was opened). */
      reason: CaseAccess;
    });

/** Who reads, for the audit trail: the request and the route (http/case-access.ts). */
export interface ReadAudit {
  requestId: string;
  what: string;
}

export interface AllocationWork {
  /**
   * The case file when `worker` may see it, with the relationship the read rests on, the read
   * audited; undefined (the denial audited) when not (http/case-access.ts).
   */
  visibleCase(caseId: string, worker: WorkerClaims, audit: ReadAudit): Promise<{ file: CaseFile; reason: CaseAccess } | undefined>;
  teamChoices(teamId: string): Promise<TeamChoices>;
  /** `readVersion`: the allocation's version the request was made from (0 when the case had none). */
  allocate(
    caseId: string,
    worker: WorkerClaims,
    request: AllocationRequest & { readVersion: number },
    context: BuildEventContext,
    audit: ReadAudit,
  ): Promise<AllocationOutcome>;
}

export function createAllocationWork(
  runtime: Pick<ServiceRuntime, 'documents' | 'tableName' | 'clock'>,
  directory: Directory,
): AllocationWork {
  const cases = createCaseStore(runtime.documents, runtime.tableName);
  const allocations = createAllocationStore(runtime.documents, runtime.tableName);
  const gate = createCaseGate(runtime);

  async function visibleCase(caseId: string, worker: WorkerClaims, audit: ReadAudit) {
    const opened = await gate.open({ caseId, reader: worker, ...audit });
    return opened ? { file: opened.file, reason: opened.access } : undefined;
  }

  async function teamChoices(teamId: string): Promise<TeamChoices> {
    // Only those who can use the platform are offered (the directory leaves leavers out unless asked).
    const members = await directory.teamMembers(teamId);
    return {
      socialWorkers: members.filter((member) => member.roles.includes('social-worker')),
      specialists: members.filter((member) => member.roles.includes('adult-specialist')),
    };
  }

  async function allocateCase(
    caseId: string,
    worker: WorkerClaims,
    request: AllocationRequest & { readVersion: number },
    context: BuildEventContext,
    audit: ReadAudit,
  ): Promise<AllocationOutcome> {
    const visible = await visibleCase(caseId, worker, audit);
    if (!visible) return { kind: 'not-found' };
    const { file, reason } = visible;
    if (!mayAllocate(worker, file)) return { kind: 'not-team-manager', file, reason };
    const currentVersion = file.allocation?.version ?? 0;
    // Decided only from the version the team manager saw: anything else would overwrite a change they never saw.
    if (request.readVersion !== currentVersion) return { kind: 'changed', file, reason, readVersion: request.readVersion };

    const members = await directory.teamMembers(file.record.teamId, { includeDisabled: true });
    const now = context.clock();
    const who = { userId: worker.userId, name: worker.name ?? worker.username };
    const before = file.allocation?.allocation;
    const result = allocate(before ?? unallocated(caseId, file.record.teamId), request, members, who, now);
    if (isAllocationRefusal(result)) {
      return result.refused === 'invalid' ? { kind: 'invalid', file, reason, issues: result.issues } : { kind: 'unchanged', file, reason };
    }
    const events = result.events.map((data) => buildEvent(caseAllocatedV1, caseAllocatedData(data, file.record), context));
    try {
      const item = await allocations.change(
        {
          head: file.record,
          readVersion: currentVersion,
          ...(before ? { before } : {}),
          allocation: result.allocation,
          history: result.history,
          events,
          publishing: context,
          by: who,
        },
        now,
      );
      return { kind: 'allocated', file: { ...file, allocation: item }, reason, item };
    } catch (error) {
      if (!(error instanceof AllocationVersionConflictError)) throw error;
      const current = await cases.readCase(caseId);
      return current ? { kind: 'changed', file: current, reason, readVersion: request.readVersion } : { kind: 'not-found' };
    }
  }

  return { visibleCase, teamChoices, allocate: allocateCase };
}
