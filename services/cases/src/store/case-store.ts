/**
 * The cases table (this service's only table). Every access is a GetItem, a Query or a
 * transaction on known keys; nothing scans.
 *
 * | access pattern                        | key condition                                                     | index |
 * |---------------------------------------|-------------------------------------------------------------------|-------|
 * | open a case (one per referral)        | Put pk = CASE#<caseId>, sk = CASE + Put pk = REFERRAL#<referralId>, sk = REFERRAL, both if absent, one transaction with the chronology entry and the CaseOpened outbox item | table |
 * | link a referral to an open case       | Update pk = CASE#<caseId>, sk = CASE if version = read version + Put REFERRAL#<referralId> if absent + Put chronology entry | table |
 * | a case's head (existence, version)    | GetItem pk = CASE#<caseId>, sk = CASE                             | table |
 * | a case with its chronology            | Query pk = CASE#<caseId> (sk CASE, then CHRONO#<at>#<entryId>, oldest first) | table |
 * | the case a referral belongs to        | GetItem pk = REFERRAL#<referralId>, sk = REFERRAL                 | table |
 * | record a read of a case (audit)       | Put pk = AUDIT#CASE#<caseId>, sk = READ#<at>#<requestId>          | table |
 * | reads of a case                       | Query pk = AUDIT#CASE#<caseId>, sk begins_with READ#              | table |
 * | reads by a worker (subject access, IG)| Query gsi1pk = AUDIT#USER#<userId>, gsi1sk begins_with <date>     | gsi1  |
 * | consumer idempotency records          | pk = IDEMPOTENCY#cases (written by shared/consumer)               | table |
 * | outbox                                | Put pk = OUTBOX#<eventId> (read only by the stream relay)         | table |
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { failedConditionsOf } from '@fsp/shared/dynamo-errors';
import { idSchema, instantSchema, referenceSchema } from '@fsp/shared/events/definitions/common';
import { type OutboundEvent, type TransactItem, writeWithOutbox } from '@fsp/shared/outbox';
import { queryAll } from '@fsp/shared/query';
import { parseStoredItem, StoredItemError } from '@fsp/shared/stored-item';
import * as z from 'zod/mini';
import {
  CASE_STATUSES,
  type CaseOpening,
  type CaseReadReason,
  type CaseRecord,
  CHRONOLOGY_ENTRY_KINDS,
  type ChronologyEntry,
  chronologicalOrder,
} from '../domain/case';

const caseKey = (caseId: string) => ({ pk: `CASE#${caseId}`, sk: 'CASE' });
const chronologyKey = (entry: Pick<ChronologyEntry, 'caseId' | 'at' | 'entryId'>) => ({
  pk: `CASE#${entry.caseId}`,
  sk: `CHRONO#${entry.at}#${entry.entryId}`,
});
const referralLinkKey = (referralId: string) => ({ pk: `REFERRAL#${referralId}`, sk: 'REFERRAL' });

/** Bounded: a conflicting writer is rare, and a message that keeps losing is retried by its queue. */
const MAX_LINK_ATTEMPTS = 3;

// What is read back from the table is validated like any other input: a malformed item fails loudly here.
const caseItemSchema = z.object({
  kind: z.literal('case'),
  caseId: idSchema,
  referralId: idSchema,
  reference: referenceSchema,
  status: z.enum(CASE_STATUSES),
  teamId: idSchema,
  urgent: z.boolean(),
  openedAt: instantSchema,
  assessmentDueDate: z.iso.date(),
  assessmentDueBy: instantSchema,
  children: z.array(z.object({ childId: idSchema, unborn: z.boolean(), dateOfBirth: z.optional(z.iso.date()) })),
  version: z.int().check(z.positive()),
});

const chronologyItemSchema = z.object({
  kind: z.literal('chronology'),
  entryId: z.string().check(z.minLength(1)),
  caseId: idSchema,
  entryKind: z.enum(CHRONOLOGY_ENTRY_KINDS),
  at: instantSchema,
  text: z.string(),
  referralId: idSchema,
  sourceEventId: z.string().check(z.minLength(1)),
});

const referralLinkItemSchema = z.object({
  kind: z.literal('referral-link'),
  referralId: idSchema,
  caseId: idSchema,
  linkedAt: instantSchema,
});

/** ReferralAccepted(added-to-open-case) named a case this service does not hold; the message must reach the DLQ. */
export class CaseNotFoundError extends Error {
  override readonly name = 'CaseNotFoundError';
  constructor(readonly caseId: string) {
    super(`Case ${caseId} does not exist`);
  }
}

/** The referral is already recorded against a different case: two contradictory facts, for a person to resolve. */
export class ReferralLinkedElsewhereError extends Error {
  override readonly name = 'ReferralLinkedElsewhereError';
  constructor(
    readonly referralId: string,
    readonly linkedCaseId: string,
    readonly requestedCaseId: string,
  ) {
    super(`Referral ${referralId} already belongs to case ${linkedCaseId}, not ${requestedCaseId}`);
  }
}

/** Every attempt found the case changed since it was read. */
export class CaseVersionConflictError extends Error {
  override readonly name = 'CaseVersionConflictError';
  constructor(readonly caseId: string) {
    super(`Case ${caseId} kept changing while a chronology entry was being appended`);
  }
}

export interface CaseWithChronology {
  record: CaseRecord;
  chronology: ChronologyEntry[];
}

export interface CaseReadAudit {
  caseId: string;
  userId: string;
  username: string;
  reason: CaseReadReason;
  requestId: string;
  at: Date;
}

const toCaseRecord = ({ kind: _kind, ...record }: z.infer<typeof caseItemSchema>): CaseRecord => record;

const toChronologyEntry = ({ kind: _kind, entryKind, ...entry }: z.infer<typeof chronologyItemSchema>): ChronologyEntry => ({
  ...entry,
  kind: entryKind,
});

function chronologyPut(tableName: string, entry: ChronologyEntry): TransactItem {
  const { kind, ...rest } = entry;
  return {
    Put: {
      TableName: tableName,
      // `kind` names the item type across the table; the entry's own kind is stored as entryKind.
      Item: { ...chronologyKey(entry), kind: 'chronology', entryKind: kind, ...rest },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

function referralLinkPut(tableName: string, referralId: string, caseId: string, now: Date): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: { ...referralLinkKey(referralId), kind: 'referral-link', referralId, caseId, linkedAt: now.toISOString() },
      // The guard that makes a referral belong to one case however often, and however, it arrives.
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export class CaseStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Opens the case, links the referral to it, records the opening in the chronology and puts
   * CaseOpened in the outbox, in one transaction. 'already-open' when this referral's case exists
   * (a repeated fact): nothing is written and nothing is published again.
   */
  async openCase(opening: CaseOpening, caseOpened: OutboundEvent, now: Date): Promise<'opened' | 'already-open'> {
    const { record, openingEntry } = opening;
    try {
      await writeWithOutbox(this.documents, {
        tableName: this.tableName,
        now,
        writes: [
          {
            Put: {
              TableName: this.tableName,
              Item: { ...caseKey(record.caseId), kind: 'case', ...record, updatedAt: now.toISOString() },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          referralLinkPut(this.tableName, record.referralId, record.caseId, now),
          chronologyPut(this.tableName, openingEntry),
        ],
        events: [caseOpened],
      });
      return 'opened';
    } catch (error) {
      // Only a failed condition can mean "already done"; a conflict with a concurrent transaction
      // (the same referral being opened right now) is rethrown, and the queue retries it.
      if (failedConditionsOf(error) === undefined) throw error;
      const linkedCaseId = await this.caseIdOfReferral(record.referralId, { consistent: true });
      if (linkedCaseId === record.caseId) return 'already-open';
      if (linkedCaseId !== undefined) throw new ReferralLinkedElsewhereError(record.referralId, linkedCaseId, record.caseId);
      throw new Error(`Opening case ${record.caseId} was refused, yet referral ${record.referralId} is linked to no case`, {
        cause: error,
      });
    }
  }

  /**
   * Adds a referral to an open case: the chronology entry, the referral link, and a version bump of
   * the case conditional on the version just read, so a concurrent writer of the case conflicts
   * instead of being overwritten. Retries a lost race a few times with a fresh read.
   */
  async linkReferral(entry: ChronologyEntry, now: Date): Promise<'linked' | 'already-linked'> {
    for (let attempt = 1; attempt <= MAX_LINK_ATTEMPTS; attempt += 1) {
      const head = await this.caseHead(entry.caseId);
      if (!head) {
        // A referral linked earlier to a case that has since gone would also land here: loud either way.
        throw new CaseNotFoundError(entry.caseId);
      }
      try {
        await this.documents.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: this.tableName,
                  Key: caseKey(entry.caseId),
                  UpdateExpression: 'SET version = :next, updatedAt = :now',
                  ConditionExpression: 'version = :expected',
                  ExpressionAttributeValues: { ':next': head.version + 1, ':expected': head.version, ':now': now.toISOString() },
                },
              },
              referralLinkPut(this.tableName, entry.referralId, entry.caseId, now),
              chronologyPut(this.tableName, entry),
            ],
          }),
        );
        return 'linked';
      } catch (error) {
        const failed = failedConditionsOf(error);
        if (failed === undefined) throw error;
        if (failed.includes(1) || failed.includes(2)) {
          const linkedCaseId = await this.caseIdOfReferral(entry.referralId, { consistent: true });
          if (linkedCaseId === entry.caseId) return 'already-linked';
          if (linkedCaseId !== undefined) throw new ReferralLinkedElsewhereError(entry.referralId, linkedCaseId, entry.caseId);
          throw new Error(`Linking referral ${entry.referralId} to case ${entry.caseId} was refused for no recorded reason`, {
            cause: error,
          });
        }
        // Only the version moved: read again and retry.
      }
    }
    throw new CaseVersionConflictError(entry.caseId);
  }

  async caseHead(caseId: string): Promise<CaseRecord | undefined> {
    const found = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: caseKey(caseId), ConsistentRead: true }));
    return found.Item ? toCaseRecord(parseStoredItem(caseItemSchema, found.Item, 'case')) : undefined;
  }

  /** The case and its chronology (oldest first) in one Query of the case's partition. */
  async readCase(caseId: string): Promise<CaseWithChronology | undefined> {
    let record: CaseRecord | undefined;
    const chronology: ChronologyEntry[] = [];
    const items = await queryAll(this.documents, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': caseKey(caseId).pk },
      ConsistentRead: true,
    });
    for (const item of items) {
      if (item.sk === 'CASE') record = toCaseRecord(parseStoredItem(caseItemSchema, item, 'case'));
      else if (typeof item.sk === 'string' && item.sk.startsWith('CHRONO#'))
        chronology.push(toChronologyEntry(parseStoredItem(chronologyItemSchema, item, 'chronology entry')));
      else throw new StoredItemError(`Case partition ${caseKey(caseId).pk} holds an item this service does not know: ${String(item.sk)}`);
    }
    if (!record) {
      if (chronology.length > 0) throw new StoredItemError(`Case ${caseId} has chronology entries but no case item`);
      return undefined;
    }
    // The sort key orders entries already; sorting again keeps the promise if the key ever changes.
    return { record, chronology: chronology.sort(chronologicalOrder) };
  }

  async caseIdOfReferral(referralId: string, options: { consistent: boolean } = { consistent: false }): Promise<string | undefined> {
    const found = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: referralLinkKey(referralId), ConsistentRead: options.consistent }),
    );
    return found.Item ? parseStoredItem(referralLinkItemSchema, found.Item, 'referral link').caseId : undefined;
  }

  /** One audit item per read; never overwritten. A failure propagates so that the read fails too. */
  async recordRead(audit: CaseReadAudit): Promise<void> {
    const at = audit.at.toISOString();
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: `AUDIT#CASE#${audit.caseId}`,
          sk: `READ#${at}#${audit.requestId}`,
          gsi1pk: `AUDIT#USER#${audit.userId}`,
          gsi1sk: `${at}#${audit.caseId}`,
          kind: 'case-read',
          caseId: audit.caseId,
          userId: audit.userId,
          username: audit.username,
          reason: audit.reason,
          requestId: audit.requestId,
          at,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }
}
