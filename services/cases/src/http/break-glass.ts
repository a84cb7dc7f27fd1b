/**
 * Break-glass (issue 12 Deliver 6, ADR 0014 §6): a case-working worker with no relationship to a
 * case asks to see it, giving the reason. The grant (8 hours) and its BREAKGLASS audit item are
 * written in one transaction, on condition the case exists; the team manager of the holding team
 * sees every use on the case overview (web/break-glass-view.ts). A case that does not exist answers
 * the same 404 as one the worker may not see, and the attempt is audited as denied. A worker who
 * already has a relationship with the case is sent to it without a grant.
 *
 * POST /api/cases/{caseId}/break-glass `{ reason }` (case-working roles): 201 `{ caseId, access:
 * 'break-glass', reason, grantedAt, expiresAt }`; 200 `{ caseId, access }` when the worker already
 * has a relationship; 400 naming `$.reason`; 404 as for any case the worker may not see.
 */
import { idSchema } from '@fsp/shared/events/definitions/common';
import { NotFound } from '@fsp/shared/http/errors';
import { defineRoute, json, type Route } from '@fsp/shared/http/handler';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import * as z from 'zod/mini';
import { type BreakGlassGrant, breakGlassExpiresAt, breakGlassGrant, breakGlassRequestSchema, type CaseAccess } from '../domain/access';
import { createAccessStore } from '../store/access-store';
import { createCaseStore } from '../store/case-store';
import { type CaseReaderClaims, caseAccessOf, createCaseGate, routeKeyOf } from './case-access';
import { routes } from './routes';

export type BreakGlassOutcome =
  | { kind: 'granted'; grant: BreakGlassGrant }
  /** The worker can see the case already: nothing is recorded. */
  | { kind: 'related'; access: CaseAccess }
  /** No such case: audited as denied; answered as every case the worker may not see. */
  | { kind: 'not-found' };

export interface BreakGlassRequest {
  caseId: string;
  reader: CaseReaderClaims;
  /** Validated already (breakGlassRequestSchema). */
  reason: string;
  requestId: string;
  what: string;
}

/** The work the JSON route and the page share. */
export function createBreakGlassWork(runtime: Pick<ServiceRuntime, 'documents' | 'tableName' | 'clock'>) {
  const cases = createCaseStore(runtime.documents, runtime.tableName);
  const access = createAccessStore(runtime.documents, runtime.tableName);
  const gate = createCaseGate(runtime);

  return {
    async breakGlass(request: BreakGlassRequest): Promise<BreakGlassOutcome> {
      const { caseId, reader, reason, requestId, what } = request;
      // Read to decide, not shown: a worker who is related already is sent to the case, whose page audits its read.
      const file = await cases.readCase(caseId);
      const now = runtime.clock();
      if (file) {
        const related = caseAccessOf(reader, file, now);
        if (related) return { kind: 'related', access: related };
        const grant = breakGlassGrant(caseId, { userId: reader.userId, name: reader.name ?? reader.username }, reason, now, requestId);
        const outcome = await access.breakGlass(grant, {
          kind: 'break-glass',
          reason,
          caseId,
          userId: reader.userId,
          username: reader.username,
          name: grant.name,
          what,
          requestId,
          at: now,
        });
        if (outcome === 'granted') return { kind: 'granted', grant };
      }
      await gate.denied({ caseId, reader, requestId, what }, 'no-such-case', now);
      return { kind: 'not-found' };
    },
  };
}

export function breakGlassApiRoutes(runtime: Pick<ServiceRuntime, 'documents' | 'tableName' | 'clock'>): Route[] {
  const work = createBreakGlassWork(runtime);
  return [
    defineRoute(routes.breakGlassApi, {
      params: z.object({ caseId: idSchema }),
      body: breakGlassRequestSchema,
      handle: async ({ params, body, claims, requestId }) => {
        const outcome = await work.breakGlass({
          caseId: params.caseId,
          reader: claims,
          reason: body.reason,
          requestId,
          what: routeKeyOf(routes.breakGlassApi),
        });
        if (outcome.kind === 'not-found') throw new NotFound('There is no such case that you can see.');
        if (outcome.kind === 'related')
          return json(200, { caseId: params.caseId, access: outcome.access }, { 'cache-control': 'no-store' });
        const { grant } = outcome;
        return json(
          201,
          {
            caseId: grant.caseId,
            access: 'break-glass',
            reason: grant.reason,
            grantedAt: grant.at,
            expiresAt: breakGlassExpiresAt(grant).toISOString(),
          },
          { 'cache-control': 'no-store' },
        );
      },
    }),
  ];
}
