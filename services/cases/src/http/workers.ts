import { idSchema } from '@fsp/shared/events/definitions/common';
import type { WorkerClaims } from '@fsp/shared/http/claims';
import { NotFound } from '@fsp/shared/http/errors';
import { defineRoute, type HttpResult, json, type Route } from '@fsp/shared/http/handler';
import type { HttpRoute } from '@fsp/shared/manifest';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import * as z from 'zod/mini';
import { checkEssentials } from '../domain/essentials';
import { type CaseFile, createCaseStore } from '../store/case-store';
import { createCaseGate, fileAsSeen, routeKeyOf } from './case-access';
import { essentialsFactsOfFile } from './essentials-facts';
import { routes } from './routes';

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
