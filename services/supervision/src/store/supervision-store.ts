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
 *
 * This module owns both item families of the case partition (the case, its supervisions): their
 * keys, schemas and mapping to the domain are here and nowhere else.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { failedConditionsOf } from '@fsp/shared/dynamo-errors';
import { idSchema, instantSchema, referenceSchema } from '@fsp/shared/events/definitions/common';
import { type OutboundEvent, writeWithOutbox } from '@fsp/shared/outbox';
import { queryAll } from '@fsp/shared/query';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { itemFamily, readPartition } from '@fsp/shared/store';
import { parseStoredItem, StoredItemError } from '@fsp/shared/stored-item';
import { TABLE_KEYS } from '@fsp/shared/table';
import * as z from 'zod/mini';
import { byDueBy, SUPERVISION_STATUSES, type SupervisedCase, type Supervision } from '../domain/supervision';

const casePk = (caseId: string) => `CASE#${caseId}`;
const CASE_SK = 'CASE';
const SUPERVISION_SK_PREFIX = 'SUPERVISION#';
const caseKey = (caseId: string) => ({ pk: casePk(caseId), sk: CASE_SK });
const supervisionKey = (caseId: string, sequence: number) => ({
  pk: casePk(caseId),
  sk: `${SUPERVISION_SK_PREFIX}${String(sequence).padStart(4, '0')}`,
});
const teamAgendaPk = (teamId: string) => `TEAM#${teamId}`;

// The references are optional: items stored from a CaseOpened without one, or before it carried one, have none.
const caseItemSchema = z.object({
  kind: z.literal('case'),
  caseId: idSchema,
  teamId: idSchema,
  openedAt: instantSchema,
  reference: z.optional(referenceSchema),
});

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
  /** Kept with each supervision so that the agenda, which reads supervisions only, can name the case. */
  caseReference: z.optional(referenceSchema),
});

const toSupervisedCase = ({ kind: _kind, ...supervisedCase }: z.infer<typeof caseItemSchema>): SupervisedCase => supervisedCase;
const toSupervision = ({ kind: _kind, ...supervision }: z.infer<typeof supervisionItemSchema>): Supervision => supervision;

/** What a case's partition holds, told apart by sort key. */
const casePartition = {
  cases: itemFamily({ equals: CASE_SK }, caseItemSchema, 'case'),
  supervisions: itemFamily({ prefix: SUPERVISION_SK_PREFIX }, supervisionItemSchema, 'supervision'),
};

export interface CaseSupervisions {
  supervisedCase: SupervisedCase;
  supervisions: Supervision[];
}

export interface SupervisionStore {
  /**
   * Records the case, its first supervision and the SupervisionScheduled outbox item in one
   * transaction. 'already-scheduled' when the first supervision exists (a repeated CaseOpened):
   * nothing is written and nothing is published again.
   */
  scheduleFirst(
    supervisedCase: SupervisedCase,
    supervision: Supervision,
    scheduled: OutboundEvent,
    now: Date,
  ): Promise<'scheduled' | 'already-scheduled'>;
  /** One supervision of a case, read consistently. */
  supervision(caseId: string, sequence: number): Promise<Supervision | undefined>;
  /** The case (for its team) and its supervisions, earliest due first, in one Query of the case's partition. */
  caseSupervisions(caseId: string): Promise<CaseSupervisions | undefined>;
  /** The team's scheduled supervisions, earliest due first (the index's order). */
  teamAgenda(teamId: string): Promise<Supervision[]>;
}

export function createSupervisionStore({ documents, tableName }: Pick<ServiceRuntime, 'documents' | 'tableName'>): SupervisionStore {
  async function supervision(caseId: string, sequence: number): Promise<Supervision | undefined> {
    const found = await documents.send(
      new GetCommand({ TableName: tableName, Key: supervisionKey(caseId, sequence), ConsistentRead: true }),
    );
    return found.Item ? toSupervision(parseStoredItem(supervisionItemSchema, found.Item, 'supervision')) : undefined;
  }

  return {
    supervision,

    async scheduleFirst(supervisedCase, first, scheduled, now) {
      const createdAt = now.toISOString();
      // A transaction, not one conditional put: the case, the supervision and the outbox item are
      // written together or not at all, so conditionalWrite does not apply.
      try {
        await writeWithOutbox(documents, {
          tableName,
          now,
          writes: [
            {
              Put: {
                TableName: tableName,
                Item: { ...caseKey(supervisedCase.caseId), kind: 'case', ...supervisedCase, createdAt },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: tableName,
                Item: {
                  ...supervisionKey(first.caseId, first.sequence),
                  // Only scheduled supervisions carry agenda keys; holding one removes them (sparse index).
                  gsi1pk: teamAgendaPk(first.teamId),
                  gsi1sk: `${first.dueBy}#${first.supervisionId}`,
                  kind: 'supervision',
                  ...first,
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
        const existing = await supervision(first.caseId, first.sequence);
        if (existing?.supervisionId === first.supervisionId) return 'already-scheduled';
        throw new Error(`Scheduling supervision ${first.supervisionId} was refused, yet it does not exist`, { cause: error });
      }
    },

    async caseSupervisions(caseId) {
      const { cases, supervisions } = await readPartition(documents, { tableName, pk: casePk(caseId) }, casePartition);
      const [caseItem] = cases;
      if (!caseItem) {
        if (supervisions.length > 0) throw new StoredItemError(`Case ${caseId} has supervisions but no case item`);
        return undefined;
      }
      return { supervisedCase: toSupervisedCase(caseItem), supervisions: supervisions.map(toSupervision).sort(byDueBy) };
    },

    async teamAgenda(teamId) {
      const items = await queryAll(documents, {
        TableName: tableName,
        IndexName: TABLE_KEYS.gsi1.name,
        KeyConditionExpression: 'gsi1pk = :team',
        ExpressionAttributeValues: { ':team': teamAgendaPk(teamId) },
        ScanIndexForward: true,
      });
      const agenda = items.map((item) => toSupervision(parseStoredItem(supervisionItemSchema, item, 'supervision')));
      // The index is sparse (scheduled only); the filter states the promise rather than relying on it.
      return agenda.filter((scheduled) => scheduled.status === 'scheduled');
    },
  };
}
