/**
 * The Family Safeguarding workbook's JSON routes (issue 14 Deliver 5) and the work they share with
 * its pages (workbook-pages.ts): the case opened through the gate (its read audited; a case the
 * worker may not see is 404 exactly as an unknown one) while the workbook's own partition is read in
 * the same round; who may write which role's chapter and summaries (domain/workbook.ts
 * rolesWritableBy); the domain's decision; one conditional write over the version read (a chapter's or
 * summary's with its chronology line and CaseChronologyEntryAdded, in one transaction).
 *
 * - GET /api/cases/{caseId}/workbook: chapters (with their earlier versions' who and when), monthly
 *   summaries in month order (with their earlier versions' words, who and when), the programme per
 *   adult of the family's network;
 * - POST …/workbook/contributions: `{ kind: 'chapter', role, text, version }` or
 *   `{ kind: 'monthly-summary', role, month: 'YYYY-MM', text, version }` (version: the entry's as read, 0 for none);
 * - POST …/workbook/programme: `{ personId, module: 1–8, status, on?, version }` (the adult's programme's version).
 */
import { randomUUID } from 'node:crypto';
import { idSchema } from '@fsp/shared/events/definitions/common';
import type { WorkerClaims } from '@fsp/shared/http/claims';
import { defineRoute, json, type Route } from '@fsp/shared/http/handler';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { londonDateOf } from '@fsp/shared/time/london';
import * as z from 'zod/mini';
import type { ChronologyEntry } from '../domain/case';
import type { Actor } from '../domain/family-network';
import {
  type ChapterVersion,
  type Contribution,
  chapterVersions,
  contribute,
  contributionSchema,
  isRefusal,
  type ModuleProgressInput,
  type MonthlySummary,
  mayRecordProgramme,
  moduleProgressSchema,
  modulesOf,
  programmeOf,
  ROLE_NAMES,
  recordModule,
  rolesWritableBy,
  summariesInMonthOrder,
  summaryVersions,
  WORKBOOK_ROLES,
  type Workbook,
  type WorkbookRole,
  workbookChronologyLine,
  workbookEntryId,
} from '../domain/workbook';
import { moduleName, WORKBOOK_MODULES } from '../domain/workbook-modules';
import type { CaseFile } from '../store/case-store';
import { chronologyEntryAdded } from '../store/items/chronology-entry';
import { createWorkbookStore } from '../store/workbook-store';
import { createCaseGate, type OpenedCase, routeKeyOf } from './case-access';
import { networkOfFile } from './notes-work';
import { invalidBody, jsonAnswer, noSuchCase } from './outcome-answers';
import { routes } from './routes';

export interface ReadAudit {
  requestId: string;
  what: string;
  correlationId?: string;
}

/** A workbook write's outcome, for the JSON routes and the pages alike. */
export type WorkbookOutcome<T> =
  | { kind: 'not-found' }
  | ((
      | { kind: 'not-permitted' }
      | { kind: 'refused'; field: string; reason: string }
      | { kind: 'changed' }
      | { kind: 'written'; value: T }
    ) & { opened: OpenedCase; workbook: Workbook });

const actorOf = (worker: Pick<WorkerClaims, 'userId' | 'name' | 'username'>): Actor => ({
  userId: worker.userId,
  name: worker.name ?? worker.username,
});

/** The adults of the family's network, whose programme is tracked. */
export const adultsOf = (file: CaseFile) => networkOfFile(file).adults;

/** The roles this worker may write on the opened case. */
export const writableRoles = (opened: OpenedCase): WorkbookRole[] =>
  rolesWritableBy(
    opened.reader,
    { teamId: opened.file.record.teamId, ...(opened.file.allocation ? { allocation: opened.file.allocation.allocation } : {}) },
    opened.access,
  );

export function createWorkbookWork(runtime: Pick<ServiceRuntime, 'documents' | 'tableName' | 'clock'>) {
  const gate = createCaseGate(runtime);
  const store = createWorkbookStore(runtime.documents, runtime.tableName);

  /** The case (audited) and its workbook, in one round; undefined for a case the worker may not see. */
  async function open(caseId: string, reader: WorkerClaims, audit: ReadAudit) {
    const [opened, workbook] = await Promise.all([gate.open({ caseId, reader, ...audit }), store.read(caseId)]);
    return opened ? { opened, workbook } : undefined;
  }

  async function contributeTo(
    caseId: string,
    worker: WorkerClaims,
    input: Contribution,
    readVersion: number,
    audit: ReadAudit,
  ): Promise<WorkbookOutcome<ChapterVersion | MonthlySummary>> {
    const found = await open(caseId, worker, audit);
    if (!found) return { kind: 'not-found' };
    const { opened, workbook } = found;
    if (!writableRoles(opened).includes(input.role)) return { kind: 'not-permitted', ...found };
    const now = runtime.clock();
    const decided = contribute(workbook, input, readVersion, {
      who: actorOf(worker),
      now,
      openedOn: londonDateOf(new Date(opened.file.record.openedAt)),
    });
    if (isRefusal(decided)) {
      if (decided.refused === 'changed') return { kind: 'changed', ...found };
      return { kind: 'refused', field: decided.field, reason: decided.message, ...found };
    }
    // The version written is a line in the case's chronology, with its event, in the same transaction.
    const entry: ChronologyEntry = {
      entryId: workbookEntryId(decided),
      caseId: opened.file.record.caseId,
      kind: 'workbook-updated',
      at: now.toISOString(),
      text: workbookChronologyLine(decided),
      referralId: opened.file.record.referralId,
      sourceEventId: randomUUID(),
    };
    const chronology = {
      entry,
      event: chronologyEntryAdded(entry, opened.file.record, {
        clock: () => now,
        correlationId: audit.correlationId ?? audit.requestId,
        causationId: audit.requestId,
      }),
    };
    const written =
      'chapter' in decided
        ? await store.writeChapter(caseId, decided.chapter, chronology, now)
        : await store.writeSummary(caseId, decided.summary, chronology, now);
    if (!written) return { kind: 'changed', opened, workbook: await store.read(caseId, true) };
    return { kind: 'written', value: 'chapter' in decided ? decided.chapter : decided.summary, ...found };
  }

  async function recordProgramme(
    caseId: string,
    worker: WorkerClaims,
    input: ModuleProgressInput,
    readVersion: number,
    audit: ReadAudit,
  ): Promise<WorkbookOutcome<ReturnType<typeof programmeJson>>> {
    const found = await open(caseId, worker, audit);
    if (!found) return { kind: 'not-found' };
    const { opened, workbook } = found;
    if (!mayRecordProgramme(opened.access)) return { kind: 'not-permitted', ...found };
    const decided = recordModule(workbook, input, readVersion, {
      who: actorOf(worker),
      now: runtime.clock(),
      adultIds: adultsOf(opened.file).map((adult) => adult.personId),
    });
    if (isRefusal(decided)) {
      if (decided.refused === 'changed') return { kind: 'changed', ...found };
      return { kind: 'refused', field: decided.field, reason: decided.message, ...found };
    }
    if (!(await store.writeProgramme(caseId, decided.programme))) {
      return { kind: 'changed', opened, workbook: await store.read(caseId, true) };
    }
    const after: Workbook = {
      ...workbook,
      programmes: [...workbook.programmes.filter((each) => each.personId !== input.personId), decided.programme],
    };
    return { kind: 'written', value: programmeJson(after, opened.file, input.personId), opened, workbook: after };
  }

  return { open, contributeTo, recordProgramme };
}

/** One adult's programme as the API shows it: every module, in order, with its name from configuration. */
function programmeJson(workbook: Workbook, file: CaseFile, personId: string) {
  const adult = adultsOf(file).find((each) => each.personId === personId);
  const programme = programmeOf(workbook, personId);
  return {
    personId,
    name: adult ? `${adult.firstName} ${adult.lastName}`.trim() : personId,
    version: programme?.version ?? 0,
    modules: modulesOf(programme).map(({ module, progress }) => ({
      module,
      name: moduleName(module),
      status: progress?.status ?? 'not-started',
      ...(progress?.on ? { on: progress.on } : {}),
      ...(progress ? { recordedBy: progress.by, recordedAt: progress.at } : {}),
    })),
  };
}

/** The whole workbook as the API shows it. */
export function workbookJson(workbook: Workbook, opened: OpenedCase) {
  const { file } = opened;
  return {
    caseId: file.record.caseId,
    reference: file.record.reference,
    writableRoles: writableRoles(opened),
    modules: [...WORKBOOK_MODULES],
    chapters: WORKBOOK_ROLES.flatMap((role) => {
      const [current, ...earlier] = chapterVersions(workbook, role);
      if (!current) return [];
      return [
        {
          role,
          roleName: ROLE_NAMES[role],
          version: current.version,
          text: current.text,
          writtenBy: current.by,
          writtenAt: current.at,
          earlierVersions: earlier.map((each) => ({ version: each.version, writtenBy: each.by, writtenAt: each.at })),
        },
      ];
    }),
    monthlySummaries: summariesInMonthOrder(workbook).map((summary) => ({
      role: summary.role,
      roleName: ROLE_NAMES[summary.role],
      month: summary.month,
      version: summary.version,
      text: summary.text,
      writtenBy: summary.by,
      writtenAt: summary.at,
      earlierVersions: summaryVersions(workbook, summary.role, summary.month)
        .slice(1)
        .map((each) => ({ version: each.version, text: each.text, writtenBy: each.by, writtenAt: each.at })),
    })),
    programme: adultsOf(file).map((adult) => programmeJson(workbook, file, adult.personId)),
  };
}

const version = z.lazy(() =>
  z.int('version is the version you read: 0 or more').check(z.nonnegative('version is the version you read: 0 or more')),
);

export function workbookApiRoutes(runtime: ServiceRuntime): Route[] {
  const work = createWorkbookWork(runtime);
  const params = z.object({ caseId: idSchema });

  return [
    defineRoute(routes.caseWorkbook, {
      params,
      handle: async ({ params, claims, requestId, correlationId }) => {
        const found = await work.open(params.caseId, claims, { requestId, correlationId, what: routeKeyOf(routes.caseWorkbook) });
        if (!found) throw noSuchCase();
        return json(200, workbookJson(found.workbook, found.opened), { 'cache-control': 'no-store' });
      },
    }),

    defineRoute(routes.contributeToWorkbook, {
      params,
      body: z.looseObject({ version }),
      handle: async ({ params, body, claims, requestId, correlationId }) => {
        const { version: readVersion, ...fields } = body;
        const parsed = contributionSchema.safeParse(fields);
        if (!parsed.success) invalidBody(parsed.error.issues);
        const outcome = await work.contributeTo(params.caseId, claims, parsed.data, readVersion, {
          requestId,
          correlationId,
          what: routeKeyOf(routes.contributeToWorkbook),
        });
        return jsonAnswer(
          outcome,
          {
            notPermitted: `You cannot write the ${ROLE_NAMES[parsed.data.role].toLowerCase()}’s part of this workbook: only a worker allocated to that role on the case, or the team manager of the team that holds it, can.`,
            changed: `Someone else wrote this since version ${readVersion}, which you sent. Read the workbook again and decide from there.`,
          },
          (written) => json(readVersion === 0 ? 201 : 200, { kind: parsed.data.kind, ...written.value }, { 'cache-control': 'no-store' }),
        );
      },
    }),

    defineRoute(routes.recordProgrammeModule, {
      params,
      body: z.looseObject({ version }),
      handle: async ({ params, body, claims, requestId, correlationId }) => {
        const { version: readVersion, ...fields } = body;
        const parsed = moduleProgressSchema.safeParse(fields);
        if (!parsed.success) invalidBody(parsed.error.issues);
        const outcome = await work.recordProgramme(params.caseId, claims, parsed.data, readVersion, {
          requestId,
          correlationId,
          what: routeKeyOf(routes.recordProgrammeModule),
        });
        return jsonAnswer(
          outcome,
          {
            notPermitted: 'Only a worker allocated to this case, or in the team that holds it, can record the programme.',
            changed: `Someone else recorded this adult’s programme since version ${readVersion}, which you sent. Read the workbook again and decide from there.`,
          },
          (written) => json(200, written.value, { 'cache-control': 'no-store' }),
        );
      },
    }),
  ];
}
