/**
 * The workbook's reads and writes (domain/workbook.ts; items in store/items/workbook.ts).
 *
 * | access pattern                 | key condition                                                                      | index |
 * |--------------------------------|------------------------------------------------------------------------------------|-------|
 * | the workbook (pages, JSON)     | Query pk = CASE#<caseId>#WORKBOOK (chapters' versions, monthly summaries, programmes) | table |
 * | a chapter's next version       | Put CHAPTER#<role>#<version> if absent (only one writer creates each version)       | table |
 * | a month's summary for a role   | Put SUMMARY#<month>#<role> if version = read (absent when 0)                        | table |
 * | an adult's programme           | Put PROGRAMME#<personId> if version = read (absent when 0)                          | table |
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite, readPartition } from '@fsp/shared/store';
import type { AdultProgramme, ChapterVersion, MonthlySummary, Workbook } from '../domain/workbook';
import {
  chapterItem,
  programmeItem,
  summaryItem,
  toChapter,
  toProgramme,
  toSummary,
  WORKBOOK_FAMILIES,
  workbookPartitionKey,
} from './items/workbook';

const overVersion = (readVersion: number) =>
  readVersion === 0
    ? { ConditionExpression: 'attribute_not_exists(pk)' }
    : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': readVersion } };

export function createWorkbookStore(documents: DynamoDBDocumentClient, tableName: string) {
  /** The case's whole workbook, in one Query of its partition. */
  async function read(caseId: string, consistentRead = false): Promise<Workbook> {
    const items = await readPartition(documents, { tableName, pk: workbookPartitionKey(caseId), consistentRead }, WORKBOOK_FAMILIES);
    return {
      caseId,
      chapters: items.chapters.map(toChapter),
      summaries: items.summaries.map(toSummary),
      programmes: items.programmes.map(toProgramme),
    };
  }

  /** The chapter's new version; false when that version exists already (someone else wrote over the same version). */
  const writeChapter = (caseId: string, chapter: ChapterVersion): Promise<boolean> =>
    conditionalWrite(() =>
      documents.send(
        new PutCommand({ TableName: tableName, Item: chapterItem(caseId, chapter), ConditionExpression: 'attribute_not_exists(pk)' }),
      ),
    );

  /** The month's summary over the version read (`summary.version - 1`); false when it moved. */
  const writeSummary = (caseId: string, summary: MonthlySummary): Promise<boolean> =>
    conditionalWrite(() =>
      documents.send(new PutCommand({ TableName: tableName, Item: summaryItem(caseId, summary), ...overVersion(summary.version - 1) })),
    );

  /** The adult's programme over the version read (`programme.version - 1`); false when it moved. */
  const writeProgramme = (caseId: string, programme: AdultProgramme): Promise<boolean> =>
    conditionalWrite(() =>
      documents.send(
        new PutCommand({ TableName: tableName, Item: programmeItem(caseId, programme), ...overVersion(programme.version - 1) }),
      ),
    );

  return { read, writeChapter, writeSummary, writeProgramme };
}

export type WorkbookStore = ReturnType<typeof createWorkbookStore>;
