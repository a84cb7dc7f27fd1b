/**
 * The supervision table (this service's only table). Every access is a GetItem, a Query or a
 * transaction on known keys; nothing scans.
 *
 * | access pattern                             | key condition                                                         | index |
 * |--------------------------------------------|-----------------------------------------------------------------------|-------|
 * | keep the case (CaseOpened)                 | Update pk = CASE#<caseId>, sk = CASE (its facts set, the first team and reference kept) | table |
 * | schedule the first supervision (once)      | Update pk = CASE#<caseId>, sk = CASE + Put pk = CASE#<caseId>, sk = SUPERVISION#0001 if absent, one transaction with the SupervisionScheduled outbox item | table |
 * | a supervision                              | GetItem pk = CASE#<caseId>, sk = SUPERVISION#<sequence, 4 digits>     | table |
 * | a case's team and supervisions, in order   | Query pk = CASE#<caseId> (sk CASE, then SUPERVISION#0001, …)          | table |
 * | a team's agenda: scheduled, earliest due   | Query gsi1pk = TEAM#<teamId>, ascending gsi1sk = <dueBy>#<supervisionId> (sparse: only scheduled supervisions carry gsi1 keys) | gsi1 |
 * | consumer idempotency records               | pk = IDEMPOTENCY#supervision (written by shared/consumer)             | table |
 * | outbox                                     | Put pk = OUTBOX#<eventId> (read only by the stream relay)             | table |
 *
 * This module owns both item families of the case partition (the case, its supervisions): their
 * keys, schemas and mapping to the domain are here and nowhere else.
 */
import { GetCommand, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
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

// The reference is optional: a case known only from a CaseOpened without one has none. So is the
// opening: a case whose first allocation arrived before its CaseOpened has not been told it yet.
const caseItemSchema = z.object({
  kind: z.literal('case'),
  caseId: idSchema,
  teamId: idSchema,
  openedAt: z.optional(instantSchema),
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

/**
 * The case item, created by whichever of CaseOpened and the first CaseAllocated arrives first and
 * completed by the other: the opening time is set when known, the team and reference first told
 * are kept (the facts agree; a repeat changes nothing). An update, not a conditional put, so that
 * neither fact has to wait for the other.
 */
function caseUpsert(tableName: string, supervisedCase: SupervisedCase, createdAt: string) {
  const sets = [
    '#kind = :kind',
    '#caseId = :caseId',
    '#teamId = if_not_exists(#teamId, :teamId)',
    '#createdAt = if_not_exists(#createdAt, :createdAt)',
  ];
  const names: Record<string, string> = { '#kind': 'kind', '#caseId': 'caseId', '#teamId': 'teamId', '#createdAt': 'createdAt' };
  const values: Record<string, unknown> = {
    ':kind': 'case',
    ':caseId': supervisedCase.caseId,
    ':teamId': supervisedCase.teamId,
    ':createdAt': createdAt,
  };
  if (supervisedCase.openedAt !== undefined) {
    sets.push('#openedAt = :openedAt');
    names['#openedAt'] = 'openedAt';
    values[':openedAt'] = supervisedCase.openedAt;
  }
  if (supervisedCase.reference !== undefined) {
    sets.push('#reference = if_not_exists(#reference, :reference)');
    names['#reference'] = 'reference';
    values[':reference'] = supervisedCase.reference;
  }
  return {
    TableName: tableName,
    Key: caseKey(supervisedCase.caseId),
    UpdateExpression: `SET ${sets.join(', ')}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  } satisfies UpdateCommandInput;
}
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
  /** Keeps the case as CaseOpened tells it (its team, opening and reference); schedules nothing. Repeats change nothing. */
  recordCase(supervisedCase: SupervisedCase, now: Date): Promise<void>;
  /**
   * Records the case, its first supervision and the SupervisionScheduled outbox item in one
   * transaction. 'already-scheduled' when the first supervision exists (a repeated first
   * allocation, under any eventId): nothing is written and nothing is published again.
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

    async recordCase(supervisedCase, now) {
      await documents.send(new UpdateCommand(caseUpsert(tableName, supervisedCase, now.toISOString())));
    },

    async scheduleFirst(supervisedCase, first, scheduled, now) {
      const createdAt = now.toISOString();
      // A transaction, not one conditional put: the case, the supervision and the outbox item are
      // written together or not at all, so conditionalWrite does not apply.
      try {
        await writeWithOutbox(documents, {
          tableName,
          now,
          writes: [
            { Update: caseUpsert(tableName, supervisedCase, createdAt) },
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
