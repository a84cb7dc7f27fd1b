/**
 * The JSON routes of a case's family network and summary (routes.ts; issue 12 Deliver 1, 5):
 *
 * - GET /api/cases/{caseId}/network: the network with its version (0 when the case has no network
 *   item yet) and who changed it last.
 * - POST /api/cases/{caseId}/network/changes: one change, `{ version, kind, group, … }` (the
 *   domain's NetworkChange; an added person's `personId` may be left out and is then made). 400
 *   names each field to correct; 409 when `version` is not the network's current one, with that
 *   version and the network as it stands.
 * - GET /api/cases/{caseId}/summary, PUT /api/cases/{caseId}/summary `{ version, text }`: the same
 *   rules.
 *
 * A case the worker may not read answers 404 exactly as a missing one; every answer that shows the
 * record is audited first (http/case-access.ts), and fails if that write fails.
 */
import { randomUUID } from 'node:crypto';
import { idSchema } from '@fsp/shared/events/definitions/common';
import { formatJsonPath, toFieldIssues, validate } from '@fsp/shared/events/field-issues';
import type { WorkerClaims } from '@fsp/shared/http/claims';
import { Conflict, Forbidden, NotFound, ValidationFailed } from '@fsp/shared/http/errors';
import { defineRoute, type HttpResult, json, type Route } from '@fsp/shared/http/handler';
import type { HttpRoute } from '@fsp/shared/manifest';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import * as z from 'zod/mini';
import { parseNetworkChange } from '../domain/family-network';
import { summaryTextSchema } from '../domain/summary';
import type { CaseFile } from '../store/case-store';
import type { NetworkItem } from '../store/items/network';
import type { SummaryItem } from '../store/items/summary';
import { createCaseGate, routeKeyOf } from './case-access';
import { actorOf, currentNetworkOf, type FamilyRecordAccess, familyRecordAccess } from './family-record-access';
import { type ChangeIssue, createFamilyRecordWork } from './family-record-work';
import { routes } from './routes';

const NO_STORE = { 'cache-control': 'no-store' };
const caseParams = z.lazy(() => z.object({ caseId: idSchema }));
/** Bodies are read as objects here and judged field by field below, so every error names its field. */
const anyObject = z.lazy(() => z.record(z.string(), z.unknown()));
const versionSchema = z.lazy(() =>
  z.int('version must be the version you read, a whole number').check(z.nonnegative('version must be 0 or more')),
);

export const networkView = (item: NetworkItem) => ({
  caseId: item.caseId,
  version: item.version,
  updatedAt: item.updatedAt,
  ...(item.updatedBy ? { updatedBy: item.updatedBy } : {}),
  network: item.network,
});

export const summaryView = (caseId: string, item: SummaryItem | undefined) =>
  item ? { caseId, version: item.version, text: item.text, updatedAt: item.updatedAt, updatedBy: item.updatedBy } : { caseId, version: 0 };

const bodyErrors = (issues: ReadonlyArray<{ path: string; message: string }>) =>
  new ValidationFailed(issues.map((issue) => ({ in: 'body' as const, path: issue.path, message: issue.message })));

const issueError = (issue: ChangeIssue) => bodyErrors([{ path: formatJsonPath(issue.path), message: issue.message }]);

export function familyRecordApiRoutes(runtime: ServiceRuntime): Route[] {
  const gate = createCaseGate(runtime);
  const work = createFamilyRecordWork(runtime);
  const notVisible = () => new NotFound('There is no such case that you can see.');

  /**
   * The case file and the worker's access to it, the read audited (http/case-access.ts), or the 404
   * a case they may not see answers, the denial audited.
   */
  async function open(caseId: string, worker: WorkerClaims, requestId: string, route: HttpRoute) {
    const opened = await gate.open({ caseId, reader: worker, requestId, what: routeKeyOf(route) });
    if (!opened) throw notVisible();
    return { file: opened.file, access: familyRecordAccess(opened.access) };
  }

  /** What shows the record was audited when the case was opened, before anything is answered. */
  const shown = (_file: CaseFile, _access: FamilyRecordAccess, _worker: WorkerClaims, _requestId: string, result: HttpResult) => result;

  /** Changing needs a relationship that allows it; one that allows only reading is told so (the case's existence is already theirs to know). */
  const mustChange = (access: FamilyRecordAccess) => {
    if (!access.mayChange) throw new Forbidden('You can read this case but not change it: only the workers on the case and its team can.');
  };

  return [
    defineRoute(routes.caseNetwork, {
      params: caseParams,
      handle: async ({ params, claims, requestId }) => {
        const { file, access } = await open(params.caseId, claims, requestId, routes.caseNetwork);
        const current = currentNetworkOf(file);
        return shown(file, access, claims, requestId, json(200, networkView(current), { ...NO_STORE, etag: `"${current.version}"` }));
      },
    }),

    defineRoute(routes.changeCaseNetwork, {
      params: caseParams,
      body: anyObject,
      handle: async ({ params, body, claims, requestId }) => {
        const { file, access } = await open(params.caseId, claims, requestId, routes.changeCaseNetwork);
        mustChange(access);
        const { version: rawVersion, ...rest } = body;
        const version = validate(versionSchema, rawVersion);
        // An added person's id is the record's to make when the client leaves it out.
        const person = rest.person;
        const withId =
          rest.kind === 'add' && person !== null && typeof person === 'object' && !('personId' in person)
            ? { ...rest, person: { personId: `person-${randomUUID()}`, ...person } }
            : rest;
        const change = parseNetworkChange(withId);
        const issues = [
          ...(version.success ? [] : version.issues.map((issue) => ({ ...issue, path: issue.path.replace(/^\$/, '$.version') }))),
          ...(change.success ? [] : toFieldIssues(change.error.issues)),
        ];
        if (!version.success || !change.success) throw bodyErrors(issues);
        const outcome = await work.changeFamilyNetwork(file, version.data, change.data, actorOf(claims), runtime.clock());
        if (outcome.kind === 'refused') throw issueError(outcome.issue);
        if (outcome.kind === 'stale') {
          if (!outcome.current) throw notVisible();
          throw new Conflict(
            'Someone else changed the family network since you read it; nothing was changed. Read it again and redo your change.',
            {
              type: 'urn:fsp:problem:stale-version',
              extensions: { currentVersion: outcome.current.version, network: outcome.current.network },
            },
          );
        }
        return shown(
          file,
          access,
          claims,
          requestId,
          json(200, networkView(outcome.item), { ...NO_STORE, etag: `"${outcome.item.version}"` }),
        );
      },
    }),

    defineRoute(routes.caseSummary, {
      params: caseParams,
      handle: async ({ params, claims, requestId }) => {
        const { file, access } = await open(params.caseId, claims, requestId, routes.caseSummary);
        const view = summaryView(file.record.caseId, file.summary);
        return shown(file, access, claims, requestId, json(200, view, { ...NO_STORE, etag: `"${view.version}"` }));
      },
    }),

    defineRoute(routes.writeCaseSummary, {
      params: caseParams,
      body: z.object({ version: versionSchema, text: summaryTextSchema }),
      handle: async ({ params, body, claims, requestId }) => {
        const { file, access } = await open(params.caseId, claims, requestId, routes.writeCaseSummary);
        mustChange(access);
        const outcome = await work.writeSummary(file, body.version, body.text, actorOf(claims), runtime.clock());
        if (outcome.kind === 'stale') {
          throw new Conflict(
            'Someone else changed the case summary since you read it; nothing was changed. Read it again and redo your change.',
            {
              type: 'urn:fsp:problem:stale-version',
              extensions: { currentVersion: outcome.current?.version ?? 0, ...(outcome.current ? { text: outcome.current.text } : {}) },
            },
          );
        }
        const view = summaryView(file.record.caseId, outcome.item);
        return shown(file, access, claims, requestId, json(200, view, { ...NO_STORE, etag: `"${view.version}"` }));
      },
    }),
  ];
}
