/**
 * The allocation JSON routes (issue 12 Deliver 2 and 7): a case's allocation and its changes, the
 * team manager's change of it, a worker's own caseload and their team's cases. The same access
 * rule as the case itself (workers.ts); reading an allocation shows the case, so it is audited first.
 */
import type { Directory } from '@fsp/shared/directory';
import { idSchema } from '@fsp/shared/events/definitions/common';
import { formatJsonPath } from '@fsp/shared/events/field-issues';
import { Conflict, Forbidden, NotFound, ValidationFailed } from '@fsp/shared/http/errors';
import { defineRoute, json, type Route } from '@fsp/shared/http/handler';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import * as z from 'zod/mini';
import { type AllocationIssue, allocationRequestSchema } from '../domain/allocation';
import { nextDeadlineOfCase } from '../domain/case';
import { createAllocationStore } from '../store/allocation-store';
import { type CaseFile, createCaseStore } from '../store/case-store';
import type { AllocationHistoryEntry } from '../store/items/allocation';
import type { CaseloadEntry } from '../store/items/caseload';
import { createAllocationWork } from './allocation-work';
import { routeKeyOf } from './case-access';
import { routes } from './routes';

/** A page of a list: as the pages show them. */
export const LIST_PAGE_SIZE = 20;

const notVisible = () => new NotFound('There is no such case that you can see.');

/** Cursors are the store's positions, carried base64url so an address stays plain. */
export const encodeCursor = (next: string): string => Buffer.from(next, 'utf8').toString('base64url');
export const decodeCursor = (text: string): string | undefined =>
  /^[A-Za-z0-9_-]+$/.test(text) ? Buffer.from(text, 'base64url').toString('utf8') : undefined;

export function allocationView(file: Pick<CaseFile, 'record' | 'allocation'>) {
  const { record, allocation } = file;
  return {
    caseId: record.caseId,
    teamId: record.teamId,
    /** 0 until the case is first allocated: what a first PUT sends. */
    version: allocation?.version ?? 0,
    ...(allocation?.allocation.socialWorker ? { socialWorker: allocation.allocation.socialWorker } : {}),
    specialists: allocation?.allocation.specialists ?? {},
    socialWorkerChanges: allocation?.allocation.socialWorkerChanges ?? 0,
    ...(allocation ? { updatedAt: allocation.updatedAt, updatedBy: allocation.updatedBy } : {}),
  };
}

const historyView = ({ changeId, version, record }: AllocationHistoryEntry) => ({
  id: changeId,
  version,
  at: record.at,
  by: record.by,
  changes: record.changes,
  ...(record.reason ? { reason: record.reason } : {}),
  socialWorkerChanges: record.socialWorkerChanges,
});

export const caseloadEntryView = (entry: CaseloadEntry) => ({
  caseId: entry.caseId,
  reference: entry.reference,
  status: entry.status,
  urgent: entry.urgent,
  teamId: entry.teamId,
  assessmentDueDate: entry.assessmentDueDate,
  assessmentDueBy: entry.assessmentDueBy,
  /** The soonest timescale the case waits on, which orders the caseload; null when none. */
  nextDeadline: nextDeadlineOfCase(entry) ?? null,
  slots: entry.slots,
});

/** A domain issue's form field as a JSON path of the request body: `specialists.mental-health` → `$.specialists["mental-health"]`. */
const bodyPathOf = (field: AllocationIssue['field']): string => formatJsonPath(field.split('.'));

const cursorQuery = z.lazy(() => z.object({ cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(400))) }));

/** The JSON body of a change: the whole allocation as it should be, and the version it was made from. */
const changeBody = z.lazy(() =>
  z.intersection(
    z.object({ version: z.int().check(z.nonnegative('version is the allocation version you read: 0 or more')) }),
    allocationRequestSchema,
  ),
);

export function allocationApiRoutes(runtime: ServiceRuntime, directory: Directory): Route[] {
  const cases = createCaseStore(runtime.documents, runtime.tableName);
  const allocations = createAllocationStore(runtime.documents, runtime.tableName);
  const work = createAllocationWork(runtime, directory);

  return [
    defineRoute(routes.caseAllocation, {
      params: z.object({ caseId: idSchema }),
      handle: async ({ params, claims, requestId }) => {
        const visible = await work.visibleCase(params.caseId, claims, { requestId, what: routeKeyOf(routes.caseAllocation) });
        if (!visible) throw notVisible();
        const { file } = visible;
        const history = await allocations.history(params.caseId);
        const view = allocationView(file);
        return json(200, { ...view, history: history.map(historyView) }, { 'cache-control': 'no-store', etag: `"${view.version}"` });
      },
    }),

    defineRoute(routes.changeCaseAllocation, {
      params: z.object({ caseId: idSchema }),
      body: changeBody,
      handle: async (request) => {
        const { params, body, claims } = request;
        const now = runtime.clock();
        const outcome = await work.allocate(
          params.caseId,
          claims,
          {
            socialWorkerId: body.socialWorkerId,
            ...(body.reason ? { reason: body.reason } : {}),
            specialists: body.specialists,
            readVersion: body.version,
          },
          { clock: () => now, correlationId: request.correlationId, causationId: request.requestId },
          { requestId: request.requestId, what: routeKeyOf(routes.changeCaseAllocation) },
        );
        switch (outcome.kind) {
          case 'not-found':
            throw notVisible();
          case 'not-team-manager':
            throw new Forbidden('Only a team manager of the team that holds this case can change its allocation.');
          case 'invalid':
            throw new ValidationFailed(
              outcome.issues.map((issue) => ({ in: 'body', path: bodyPathOf(issue.field), message: issue.message })),
            );
          case 'changed': {
            const current = allocationView(outcome.file);
            throw new Conflict(
              `The allocation changed since version ${outcome.readVersion}, which you sent: it is at version ${current.version} now. Read it again and decide from there.`,
              { extensions: { currentVersion: current.version } },
            );
          }
          case 'unchanged':
          case 'allocated':
            return json(200, allocationView(outcome.file), {
              'cache-control': 'no-store',
              etag: `"${allocationView(outcome.file).version}"`,
            });
        }
      },
    }),

    defineRoute(routes.myCaseload, {
      query: cursorQuery,
      handle: async ({ query, claims }) => {
        const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
        const page =
          query.cursor !== undefined && after === undefined ? undefined : await allocations.caseload(claims.userId, LIST_PAGE_SIZE, after);
        if (!page)
          throw new ValidationFailed([{ in: 'query', path: '$.cursor', message: 'cursor must be a next cursor this list gave you' }]);
        return json(
          200,
          { cases: page.entries.map(caseloadEntryView), ...(page.next ? { next: encodeCursor(page.next) } : {}) },
          { 'cache-control': 'no-store' },
        );
      },
    }),

    defineRoute(routes.teamCases, {
      query: cursorQuery,
      handle: async ({ query, claims }) => {
        const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
        const page =
          query.cursor !== undefined && after === undefined ? undefined : await cases.teamCases(claims.teamId, LIST_PAGE_SIZE, after);
        if (!page)
          throw new ValidationFailed([{ in: 'query', path: '$.cursor', message: 'cursor must be a next cursor this list gave you' }]);
        return json(
          200,
          {
            teamId: claims.teamId,
            cases: page.cases.map((record) => ({
              caseId: record.caseId,
              reference: record.reference,
              status: record.status,
              urgent: record.urgent,
              openedAt: record.openedAt,
              assessmentDueDate: record.assessmentDueDate,
              assessmentDueBy: record.assessmentDueBy,
              ...(record.socialWorker ? { socialWorker: record.socialWorker } : {}),
              socialWorkerChanges: record.socialWorkerChanges ?? 0,
            })),
            ...(page.next ? { next: encodeCursor(page.next) } : {}),
          },
          { 'cache-control': 'no-store' },
        );
      },
    }),
  ];
}
