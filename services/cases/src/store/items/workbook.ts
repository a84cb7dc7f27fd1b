/**
 * The Family Safeguarding workbook's items (domain/workbook.ts), in their own partition
 * (pk CASE#<caseId>#WORKBOOK), which the case file's Query does not read:
 *
 * - CHAPTER#<role>#<version, 6 digits>: one item per version of a role's chapter, written once
 *   (a version can be created only by the first writer over the version before it);
 * - SUMMARY#<YYYY-MM>#<role>#<version, 6 digits>: one item per version of a role's summary of a
 *   month, written once like a chapter's (an item written before versions were kept has no version
 *   in its key, holds version 1, and is read the same way);
 * - PROGRAMME#<personId>: an adult's progress through the eight modules, replaced on its version.
 */
import { idSchema, instantSchema } from '@fsp/shared/events/definitions/common';
import { itemFamily } from '@fsp/shared/store';
import { localDateSchema } from '@fsp/shared/time/local-date';
import * as z from 'zod/mini';
import { SLOTS } from '../../domain/allocation-change';
import { type AdultProgramme, type ChapterVersion, MODULE_STATUSES, type MonthlySummary } from '../../domain/workbook';
import { casePartitionKey } from './case';

export const workbookPartitionKey = (caseId: string): string => `${casePartitionKey(caseId)}#WORKBOOK`;

const CHAPTER_PREFIX = 'CHAPTER#';
const SUMMARY_PREFIX = 'SUMMARY#';
const PROGRAMME_PREFIX = 'PROGRAMME#';

export const chapterKey = (caseId: string, chapter: Pick<ChapterVersion, 'role' | 'version'>) => ({
  pk: workbookPartitionKey(caseId),
  sk: `${CHAPTER_PREFIX}${chapter.role}#${String(chapter.version).padStart(6, '0')}`,
});
export const summaryKey = (caseId: string, summary: Pick<MonthlySummary, 'role' | 'month' | 'version'>) => ({
  pk: workbookPartitionKey(caseId),
  sk: `${SUMMARY_PREFIX}${summary.month}#${summary.role}#${String(summary.version).padStart(6, '0')}`,
});
export const programmeKey = (caseId: string, personId: string) => ({
  pk: workbookPartitionKey(caseId),
  sk: `${PROGRAMME_PREFIX}${personId}`,
});

const actor = () => z.object({ userId: idSchema, name: z.string() });

const chapterItemSchema = z.lazy(() =>
  z.object({
    kind: z.literal('workbook-chapter'),
    caseId: idSchema,
    role: z.enum(SLOTS),
    version: z.int().check(z.positive()),
    text: z.string(),
    by: actor(),
    at: instantSchema,
  }),
);
const summaryItemSchema = z.lazy(() =>
  z.object({
    kind: z.literal('workbook-summary'),
    caseId: idSchema,
    role: z.enum(SLOTS),
    month: z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])$/)),
    text: z.string(),
    by: actor(),
    at: instantSchema,
    version: z.int().check(z.positive()),
  }),
);
const programmeItemSchema = z.lazy(() =>
  z.object({
    kind: z.literal('workbook-programme'),
    caseId: idSchema,
    personId: idSchema,
    modules: z.array(
      z.object({
        module: z.int().check(z.gte(1), z.lte(8)),
        status: z.enum(MODULE_STATUSES),
        on: z.optional(localDateSchema),
        by: actor(),
        at: instantSchema,
      }),
    ),
    version: z.int().check(z.positive()),
  }),
);

export const WORKBOOK_FAMILIES = {
  chapters: itemFamily({ prefix: CHAPTER_PREFIX }, chapterItemSchema, 'workbook chapter'),
  summaries: itemFamily({ prefix: SUMMARY_PREFIX }, summaryItemSchema, 'workbook monthly summary'),
  programmes: itemFamily({ prefix: PROGRAMME_PREFIX }, programmeItemSchema, 'workbook programme'),
};

export const toChapter = ({ kind: _kind, caseId: _caseId, ...chapter }: z.infer<typeof chapterItemSchema>): ChapterVersion => chapter;
export const toSummary = ({ kind: _kind, caseId: _caseId, ...summary }: z.infer<typeof summaryItemSchema>): MonthlySummary => summary;
export const toProgramme = ({ kind: _kind, caseId: _caseId, ...programme }: z.infer<typeof programmeItemSchema>): AdultProgramme =>
  programme as AdultProgramme;

export const chapterItem = (caseId: string, chapter: ChapterVersion) => ({
  ...chapterKey(caseId, chapter),
  kind: 'workbook-chapter',
  caseId,
  ...chapter,
});
export const summaryItem = (caseId: string, summary: MonthlySummary) => ({
  ...summaryKey(caseId, summary),
  kind: 'workbook-summary',
  caseId,
  ...summary,
});
export const programmeItem = (caseId: string, programme: AdultProgramme) => ({
  ...programmeKey(caseId, programme.personId),
  kind: 'workbook-programme',
  caseId,
  ...programme,
});
