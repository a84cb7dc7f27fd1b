/**
 * The census JSON route (issue 14 Deliver 10): `GET /api/cases/{caseId}/census`, the case's
 * Children in Need census return as its record holds it now (domain/census.ts), with what is still
 * missing and what waits on a later step, each with where it is recorded (`href`, when there is a
 * page for it). The same access rule as the case: the read is audited through the gate, and a case
 * the worker may not see answers 404 exactly as a missing one. One round of reads: the case (the
 * gate's Query of its partition) and its family group decision making's partition, in parallel.
 */
import { idSchema } from '@fsp/shared/events/definitions/common';
import { NotFound } from '@fsp/shared/http/errors';
import { defineRoute, json, type Route } from '@fsp/shared/http/handler';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { londonDateOf } from '@fsp/shared/time/london';
import * as z from 'zod/mini';
import { type CensusGap, censusReturn } from '../domain/census';
import type { CaseFgdm } from '../domain/fgdm';
import type { CaseFile } from '../store/case-store';
import { createFgdmStore } from '../store/fgdm-store';
import { placeHref } from '../web/census-view';
import { type CaseReaderClaims, createCaseGate, routeKeyOf } from './case-access';
import { currentNetworkOf, familyRecordAccess } from './family-record-access';
import { pathOf } from './path-work';
import { routes } from './routes';

/**
 * The census return of a case file as at `now`: its network's children (or, opened before networks,
 * the head's), its path, and its family group decision making and pre-proceedings.
 */
export function censusOfFile(file: Pick<CaseFile, 'record' | 'network' | 'path'>, fgdm: CaseFgdm, now: Date) {
  return censusReturn(
    {
      caseId: file.record.caseId,
      openedOn: londonDateOf(new Date(file.record.openedAt)),
      children: currentNetworkOf(file).network.children,
      path: pathOf(file),
      fgdm,
    },
    londonDateOf(now),
  );
}

/** The case through the gate (its read audited) and its FGDM partition, in one round; undefined when the worker may not see the case. */
export function createCensusReads(runtime: Pick<ServiceRuntime, 'documents' | 'tableName' | 'clock'>) {
  const gate = createCaseGate(runtime);
  const fgdmStore = createFgdmStore(runtime.documents, runtime.tableName);
  return async (caseId: string, reader: CaseReaderClaims, audit: { requestId: string; what: string }) => {
    const [opened, fgdm] = await Promise.all([gate.open({ caseId, reader, ...audit }), fgdmStore.read(caseId)]);
    return opened ? { ...opened, fgdm } : undefined;
  };
}

export function censusApiRoutes(runtime: ServiceRuntime): Route[] {
  const read = createCensusReads(runtime);
  return [
    defineRoute(routes.caseCensus, {
      params: z.object({ caseId: idSchema }),
      handle: async ({ params, claims, requestId }) => {
        const opened = await read(params.caseId, claims, { requestId, what: routeKeyOf(routes.caseCensus) });
        if (!opened) throw new NotFound('There is no such case that you can see.');
        const { file } = opened;
        const census = censusOfFile(file, opened.fgdm, runtime.clock());
        const mayChange = familyRecordAccess(opened.access).mayChange;
        const withHref = (gap: CensusGap) => {
          const href = placeHref(file.record.caseId, gap.where, mayChange);
          return href ? { ...gap, href } : gap;
        };
        return json(
          200,
          {
            caseId: file.record.caseId,
            reference: file.record.reference,
            status: pathOf(file).status,
            complete: census.missing.length === 0,
            children: census.children,
            episodes: census.episodes,
            missing: census.missing.map(withHref),
            inProgress: census.inProgress.map(withHref),
          },
          { 'cache-control': 'no-store' },
        );
      },
    }),
  ];
}
