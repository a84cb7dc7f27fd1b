/**
 * What cases' facts write in the supervision table, for the four consumers that hear them: the case
 * as CaseOpened tells it, the first supervision scheduled on its first allocation, and the
 * allocation, agenda and closing writes (case-event-writes.ts). A store of its own so that those
 * consumers' bundles leave out the records, timers and pages' reads (ADR 0040); the full store
 * (supervision-store.ts) includes it.
 */
import { GetCommand, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { failedConditionsOf } from '@fsp/shared/dynamo-errors';
import { type OutboundEvent, type TransactItem, writeWithOutbox } from '@fsp/shared/outbox';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { parseStoredItem } from '@fsp/shared/stored-item';
import type { SupervisedCase, Supervision } from '../domain/model';
import { createCaseEventWrites } from './case-event-writes';
import { caseKey, supervisionItem, supervisionItemSchema, supervisionKey, supervisionTimers, timerItem, toSupervision } from './items';

type TableAccess = Pick<ServiceRuntime, 'documents' | 'tableName'>;

/** One supervision by its case and sequence, read consistently. */
export async function readSupervision(
  { documents, tableName }: TableAccess,
  caseId: string,
  sequence: number,
): Promise<Supervision | undefined> {
  const found = await documents.send(new GetCommand({ TableName: tableName, Key: supervisionKey(caseId, sequence), ConsistentRead: true }));
  return found.Item ? toSupervision(parseStoredItem(supervisionItemSchema, found.Item, 'supervision')) : undefined;
}

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

export function createCaseFactsStore({ documents, tableName }: TableAccess) {
  return {
    /** Keeps the case as CaseOpened tells it (its team, opening and reference); schedules nothing. Repeats change nothing. */
    async recordCase(supervisedCase: SupervisedCase, now: Date): Promise<void> {
      await documents.send(new UpdateCommand(caseUpsert(tableName, supervisedCase, now.toISOString())));
    },

    /**
     * Records the case, its first supervision, its overdue timer and the SupervisionScheduled outbox
     * item in one transaction. 'already-scheduled' when the first supervision exists (a repeated
     * first allocation, under any eventId): nothing is written and nothing is published again.
     */
    async scheduleFirst(
      supervisedCase: SupervisedCase,
      first: Supervision,
      scheduled: OutboundEvent,
      now: Date,
    ): Promise<'scheduled' | 'already-scheduled'> {
      const createdAt = now.toISOString();
      try {
        await writeWithOutbox(documents, {
          tableName,
          now,
          writes: [
            { Update: caseUpsert(tableName, supervisedCase, createdAt) },
            { Put: { TableName: tableName, Item: supervisionItem(first, createdAt), ConditionExpression: 'attribute_not_exists(pk)' } },
            ...supervisionTimers(first).map((timer): TransactItem => ({ Put: { TableName: tableName, Item: timerItem(timer) } })),
          ],
          events: [scheduled],
        });
        return 'scheduled';
      } catch (error) {
        // A conflict with a concurrent transaction is not "already done": rethrown, the queue retries it.
        if (failedConditionsOf(error) === undefined) throw error;
        const existing = await readSupervision({ documents, tableName }, first.caseId, first.sequence);
        if (existing?.supervisionId === first.supervisionId) return 'already-scheduled';
        throw new Error(`Scheduling supervision ${first.supervisionId} was refused, yet it does not exist`, { cause: error });
      }
    },

    ...createCaseEventWrites({ documents, tableName }),
  };
}
