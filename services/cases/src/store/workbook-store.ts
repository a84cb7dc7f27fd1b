/**
 * The workbook's reads and writes (domain/workbook.ts; items in store/items/workbook.ts).
 *
 * | access pattern                 | key condition                                                                      | index |
 * |--------------------------------|------------------------------------------------------------------------------------|-------|
 * | the workbook (pages, JSON)     | Query pk = CASE#<caseId>#WORKBOOK (chapters' versions, monthly summaries, programmes) | table |
 * | a chapter's next version       | Put CHAPTER#<role>#<version> if absent (only one writer creates each version), in one transaction with its chronology entry (CASE#<caseId>, CHRONO#…) and CaseChronologyEntryAdded (outbox) | table |
 * | a month's summary's next version | Put SUMMARY#<month>#<role>#<version> if absent, likewise with its chronology entry and event | table |
 * | an adult's programme           | Put PROGRAMME#<personId> if version = read (absent when 0)                          | table |
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { failedConditionsOf, isConditionalCheckFailed } from '@fsp/shared/dynamo-errors';
import { type OutboundEvent, writeWithOutbox } from '@fsp/shared/outbox';
import { conditionalWrite, readPartition } from '@fsp/shared/store';
import type { ChronologyEntry } from '../domain/case';
import type { AdultProgramme, ChapterVersion, MonthlySummary, Workbook } from '../domain/workbook';
import { chronologyEntryPut } from './items/chronology-entry';
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

  /**
   * A chapter's or a month's summary's new version (each written once: only the first writer over
   * the version before creates it), its chronology entry and the entry's CaseChronologyEntryAdded,
   * in one transaction; false when that version exists already (someone else wrote over the same
   * version) and nothing is written.
   */
  async function writeVersion(
    item: Record<string, unknown>,
    chronology: { entry: ChronologyEntry; event: OutboundEvent },
    now: Date,
  ): Promise<boolean> {
    try {
      await writeWithOutbox(documents, {
        tableName,
        now,
        writes: [
          { Put: { TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
          chronologyEntryPut(tableName, chronology.entry),
        ],
        events: [chronology.event],
      });
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error) || failedConditionsOf(error) !== undefined) return false;
      throw error;
    }
  }

  const writeChapter = (caseId: string, chapter: ChapterVersion, chronology: { entry: ChronologyEntry; event: OutboundEvent }, now: Date) =>
    writeVersion(chapterItem(caseId, chapter), chronology, now);

  const writeSummary = (caseId: string, summary: MonthlySummary, chronology: { entry: ChronologyEntry; event: OutboundEvent }, now: Date) =>
    writeVersion(summaryItem(caseId, summary), chronology, now);

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
