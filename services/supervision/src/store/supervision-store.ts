/**
 * The supervision table (this service's only table). Every access is a GetItem, a Query or a
 * transaction on known keys; nothing scans.
 *
 * | access pattern                             | key condition                                                         | index |
 * |--------------------------------------------|-----------------------------------------------------------------------|-------|
 * | schedule the first supervision (once)      | Put pk = CASE#<caseId>, sk = CASE + Put pk = CASE#<caseId>, sk = SUPERVISION#0001, both if absent, one transaction with the SupervisionScheduled outbox item | table |
 * | a supervision                              | GetItem pk = CASE#<caseId>, sk = SUPERVISION#<sequence, 4 digits>     | table |
 * | a case's team and supervisions, in order   | Query pk = CASE#<caseId> (sk CASE, then SUPERVISION#0001, …)          | table |
 * | a team's agenda: scheduled, earliest due   | Query gsi1pk = TEAM#<teamId>, ascending gsi1sk = <dueBy>#<supervisionId> (sparse: only scheduled supervisions carry gsi1 keys) | gsi1 |
 * | consumer idempotency records               | pk = IDEMPOTENCY#supervision (written by shared/consumer)             | table |
 * | outbox                                     | Put pk = OUTBOX#<eventId> (read only by the stream relay)             | table |
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { failedConditionsOf } from '@fsp/shared/dynamo-errors';
import { idSchema, instantSchema } from '@fsp/shared/events/definitions/common';
import { type OutboundEvent, writeWithOutbox } from '@fsp/shared/outbox';
import { queryAll } from '@fsp/shared/query';
import { parseStoredItem, StoredItemError } from '@fsp/shared/stored-item';
import { TABLE_KEYS } from '@fsp/shared/table';
import * as z from 'zod/mini';
import { byDueBy, SUPERVISION_STATUSES, type SupervisedCase, type Supervision } from '../domain/supervision';

const casePk = (caseId: string) => `CASE#${caseId}`;
const caseKey = (caseId: string) => ({ pk: casePk(caseId), sk: 'CASE' });
const supervisionKey = (caseId: string, sequence: number) => ({
  pk: casePk(caseId),
  sk: `SUPERVISION#${String(sequence).padStart(4, '0')}`,
});
const teamAgendaPk = (teamId: string) => `TEAM#${teamId}`;

const caseItemSchema = z.object({ kind: z.literal('case'), caseId: idSchema, teamId: idSchema, openedAt: instantSchema });

const supervisionItemSchema = z.object({
  kind: z.literal('supervision'),
  supervisionId: idSchema,
  caseId: idSchema,
  teamId: idSchema,
  sequence: z.int().check(z.positive()),
  status: z.enum(SUPERVISION_STATUSES),
  dueDate: z.iso.date(),
  dueBy: instantSchema,
  scheduledDate: z.iso.date(),
  scheduledFor: instantSchema,
});

const toSupervision = ({ kind: _kind, ...supervision }: z.infer<typeof supervisionItemSchema>): Supervision => supervision;

export interface CaseSupervisions {
  supervisedCase: SupervisedCase;
  supervisions: Supervision[];
}

export class SupervisionStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Records the case, its first supervision and the SupervisionScheduled outbox item in one
   * transaction. 'already-scheduled' when the first supervision exists (a repeated CaseOpened):
   * nothing is written and nothing is published again.
   */
  async scheduleFirst(
    supervisedCase: SupervisedCase,
    supervision: Supervision,
    scheduled: OutboundEvent,
    now: Date,
  ): Promise<'scheduled' | 'already-scheduled'> {
    const createdAt = now.toISOString();
    try {
      await writeWithOutbox(this.documents, {
        tableName: this.tableName,
        now,
        writes: [
          {
            Put: {
              TableName: this.tableName,
              Item: { ...caseKey(supervisedCase.caseId), kind: 'case', ...supervisedCase, createdAt },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: this.tableName,
              Item: {
                ...supervisionKey(supervision.caseId, supervision.sequence),
                // Only scheduled supervisions carry agenda keys; holding one removes them (sparse index).
                gsi1pk: teamAgendaPk(supervision.teamId),
                gsi1sk: `${supervision.dueBy}#${supervision.supervisionId}`,
                kind: 'supervision',
                ...supervision,
                createdAt,
                version: 1,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
        events: [scheduled],
      });
      return 'scheduled';
    } catch (error) {
      // A conflict with a concurrent transaction is not "already done": rethrown, the queue retries it.
      if (failedConditionsOf(error) === undefined) throw error;
      const existing = await this.supervision(supervision.caseId, supervision.sequence);
      if (existing?.supervisionId === supervision.supervisionId) return 'already-scheduled';
      throw new Error(`Scheduling supervision ${supervision.supervisionId} was refused, yet it does not exist`, { cause: error });
    }
  }

  async supervision(caseId: string, sequence: number): Promise<Supervision | undefined> {
    const found = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: supervisionKey(caseId, sequence), ConsistentRead: true }),
    );
    return found.Item ? toSupervision(parseStoredItem(supervisionItemSchema, found.Item, 'supervision')) : undefined;
  }

  /** The case (for its team) and its supervisions, earliest due first, in one Query of the case's partition. */
  async caseSupervisions(caseId: string): Promise<CaseSupervisions | undefined> {
    let supervisedCase: SupervisedCase | undefined;
    const supervisions: Supervision[] = [];
    const items = await queryAll(this.documents, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': casePk(caseId) },
    });
    for (const item of items) {
      if (item.sk === 'CASE') {
        const { kind: _kind, ...stored } = parseStoredItem(caseItemSchema, item, 'case');
        supervisedCase = stored;
      } else if (typeof item.sk === 'string' && item.sk.startsWith('SUPERVISION#')) {
        supervisions.push(toSupervision(parseStoredItem(supervisionItemSchema, item, 'supervision')));
      } else {
        throw new StoredItemError(`Case partition ${casePk(caseId)} holds an item this service does not know: ${String(item.sk)}`);
      }
    }
    if (!supervisedCase) {
      if (supervisions.length > 0) throw new StoredItemError(`Case ${caseId} has supervisions but no case item`);
      return undefined;
    }
    return { supervisedCase, supervisions: supervisions.sort(byDueBy) };
  }

  /** The team's scheduled supervisions, earliest due first (the index's order). */
  async teamAgenda(teamId: string): Promise<Supervision[]> {
    const items = await queryAll(this.documents, {
      TableName: this.tableName,
      IndexName: TABLE_KEYS.gsi1.name,
      KeyConditionExpression: 'gsi1pk = :team',
      ExpressionAttributeValues: { ':team': teamAgendaPk(teamId) },
      ScanIndexForward: true,
    });
    const agenda = items.map((item) => toSupervision(parseStoredItem(supervisionItemSchema, item, 'supervision')));
    // The index is sparse (scheduled only); the filter states the promise rather than relying on it.
    return agenda.filter((supervision) => supervision.status === 'scheduled');
  }
}
