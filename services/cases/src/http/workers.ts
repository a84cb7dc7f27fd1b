/**
 * The cases routes for workers (routes.ts declares who is admitted). A case is shown only to a
 * worker with a legitimate relationship to it (domain/access.ts, caseAccess); anyone else is told
 * it is not there, exactly as for a case that does not exist, so ids cannot be probed. Every read
 * that shows a case writes one audit item first, and fails if that write fails.
 */
import type { Directory } from '@fsp/shared/directory';
import { idSchema } from '@fsp/shared/events/definitions/common';
import type { WorkerClaims } from '@fsp/shared/http/claims';
import { NotFound } from '@fsp/shared/http/errors';
import { defineRoute, type HttpResult, json, type Route } from '@fsp/shared/http/handler';
import type { HttpRoute } from '@fsp/shared/manifest';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import * as z from 'zod/mini';
import { checkEssentials } from '../domain/essentials';
import { type CaseFile, createCaseStore } from '../store/case-store';
import { allocationApiRoutes } from './allocation-api';
import { directoryNotGiven } from './allocation-work';
import { breakGlassApiRoutes } from './break-glass';
import { createCaseGate, fileAsSeen, routeKeyOf } from './case-access';
import { censusApiRoutes } from './census-api';
import { essentialsFactsOfFile } from './essentials-facts';
import { familyRecordApiRoutes } from './family-record-api';
import { fgdmApiRoutes } from './fgdm-api';
import { motivationApiRoutes } from './motivation-api';
import { noteApiRoutes } from './notes-api';
import { pathApiRoutes } from './path-api';
import { planApiRoutes } from './plan-api';
import { routes } from './routes';
import { workbookApiRoutes } from './workbook-api';

const notVisible = (what: string) => new NotFound(`There is no ${what} that you can see.`);

function caseView(file: CaseFile, now: Date) {
  const { record, chronology } = file;
  return {
    id: record.caseId,
    referralId: record.referralId,
    reference: record.reference,
    status: record.status,
    teamId: record.teamId,
    urgent: record.urgent,
    openedAt: record.openedAt,
    assessmentDueDate: record.assessmentDueDate,
    assessmentDueBy: record.assessmentDueBy,
    children: record.children,
    version: record.version,
    /** The essentials check (domain/essentials.ts): each essential's state at `now`. */
    essentials: checkEssentials(essentialsFactsOfFile(file), now),
    chronology: chronology.map((entry) => ({
      id: entry.entryId,
      kind: entry.kind,
      at: entry.at,
      text: entry.text,
      referralId: entry.referralId,
      sourceEventId: entry.sourceEventId,
    })),
  };
}

/**
 * Every cases JSON route, defined up front (the tests'; the deployed function loads them by area,
 * api-groups.ts). `directory`: the team's workers, for allocation (tests give a list).
 */
export function workerRoutes(runtime: ServiceRuntime, options: { directory?: Directory } = {}): Route[] {
  return [
    ...caseRecordRoutes(runtime),
    ...familyRecordApiRoutes(runtime),
    ...allocationApiRoutes(runtime, options.directory ?? directoryNotGiven),
    ...noteApiRoutes(runtime),
    ...breakGlassApiRoutes(runtime),
    ...pathApiRoutes(runtime),
    ...motivationApiRoutes(runtime),
    ...fgdmApiRoutes(runtime),
    ...workbookApiRoutes(runtime),
    ...planApiRoutes(runtime),
    ...censusApiRoutes(runtime),
  ];
}

/** A case record, by its id or by the referral it came from. */
export function caseRecordRoutes(runtime: ServiceRuntime): Route[] {
  const store = createCaseStore(runtime.documents, runtime.tableName);

  const gate = createCaseGate(runtime);

  /**
   * Read, decide, audit, answer (http/case-access.ts): two round trips (the case partition, then
   * the audit item). The front door names the referral it follows (`referralId`).
   */
  async function showCase(
    request: { caseId: string; worker: WorkerClaims; requestId: string; route: HttpRoute; referralId?: string; caseIdOfReferral?: string },
    what: string,
  ): Promise<HttpResult> {
    const { caseId, worker, requestId, route, referralId, caseIdOfReferral } = request;
    const opened = await gate.open({
      caseId,
      reader: worker,
      requestId,
      what: routeKeyOf(route),
      ...(referralId ? { referralId } : {}),
      ...(caseIdOfReferral ? { caseIdOfReferral } : {}),
    });
    if (!opened) throw notVisible(what);
    const found = fileAsSeen(opened);
    // A case record is special category data: no shared or browser cache may keep a copy.
    return json(200, caseView(found, runtime.clock()), { 'cache-control': 'no-store', etag: `"${found.record.version}"` });
  }

  return [
    defineRoute(routes.showCase, {
      params: z.object({ caseId: idSchema }),
      query: z.object({ referralId: z.optional(idSchema) }),
      handle: async (request) =>
        showCase(
          {
            caseId: request.params.caseId,
            worker: request.claims,
            requestId: request.requestId,
            route: routes.showCase,
            ...(request.query.referralId ? { referralId: request.query.referralId } : {}),
          },
          'such case',
        ),
    }),
    defineRoute(routes.findCaseOfReferral, {
      query: z.object({ referralId: idSchema }),
      handle: async (request) => {
        const { referralId } = request.query;
        const what = `case for referral ${referralId}`;
        const caseId = await store.caseIdOfReferral(referralId);
        if (!caseId) throw notVisible(what);
        return showCase(
          {
            caseId,
            worker: request.claims,
            requestId: request.requestId,
            route: routes.findCaseOfReferral,
            referralId,
            caseIdOfReferral: caseId,
          },
          what,
        );
      },
    }),
  ];
}
