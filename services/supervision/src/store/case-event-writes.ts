/**
 * What cases' facts change here: who is allocated (CaseAllocated, on the case head), what changed
 * since the last discussion (CaseAllocated and CaseChronologyEntryAdded, on the scheduled
 * supervision's agenda) and the case's closing (CaseClosed: the scheduled supervision cancelled,
 * off the agenda and the timers). Read, decide, write conditionally; a refusal is read again.
 */

import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { failedConditionsOf, isTransactionConflict } from '@fsp/shared/dynamo-errors';
import type { TransactItem } from '@fsp/shared/outbox';
import { readPartition } from '@fsp/shared/store';
import { type AllocationFact, allocationChange, applyAllocation, withAgendaChange } from '../domain/allocation';
import type { AgendaChange } from '../domain/model';
import { caseKey, casePartition, casePk, type StoredSupervision, slotsOf, supervisionKey, supervisionTimers, timerKey } from './items';
import type { StoreContext } from './supervision-store';

const ATTEMPTS = 5;

export type AllocationRecorded = 'recorded' | 'unchanged';
export type ChangeAppended = 'appended' | 'already' | 'no-scheduled-supervision';
export type CaseClosedRecorded = 'closed' | 'already-closed';

/** Whether a refused transaction should be read and tried again (a condition moved, or a concurrent write). */
const worthRetrying = (error: unknown) => failedConditionsOf(error) !== undefined || isTransactionConflict(error);

export function createCaseEventWrites({ documents, tableName }: Pick<StoreContext, 'documents' | 'tableName'>) {
  const read = (caseId: string) => readPartition(documents, { tableName, pk: casePk(caseId), consistentRead: true }, casePartition);

  /** The case's supervision now on the agenda (scheduled), if any: the latest. */
  const scheduledOf = (items: Awaited<ReturnType<typeof read>>): StoredSupervision | undefined =>
    items.supervisions
      .flatMap((item) => (item.kind === 'supervision' && item.status === 'scheduled' ? [item] : []))
      .sort((a, b) => b.sequence - a.sequence)[0];

  /** An update of the supervision's agenda, conditional on nobody else having changed it since it was read. */
  function agendaUpdate(supervision: StoredSupervision, changes: AgendaChange[]): TransactItem {
    const version = supervision.agendaVersion;
    return {
      Update: {
        TableName: tableName,
        Key: supervisionKey(supervision.caseId, supervision.sequence),
        UpdateExpression: 'SET agenda = :agenda, agendaVersion = :next',
        ConditionExpression: '#status = :scheduled AND (agendaVersion = :v OR (attribute_not_exists(agendaVersion) AND :v = :zero))',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':agenda': { changes }, ':next': version + 1, ':v': version, ':zero': 0, ':scheduled': 'scheduled' },
      },
    };
  }

  async function transact(items: TransactItem[]) {
    await documents.send(new TransactWriteCommand({ TransactItems: items }));
  }

  async function withRetries<T>(attempt: () => Promise<T>): Promise<T> {
    for (let tries = 1; ; tries += 1) {
      try {
        return await attempt();
      } catch (error) {
        if (!worthRetrying(error) || tries >= ATTEMPTS) throw error;
      }
    }
  }

  return {
    /**
     * CaseAllocated: the slot's holder on the case head (a later fact replaces, an older one changes
     * nothing), and the change on the scheduled supervision's agenda. Repeats change nothing.
     */
    recordAllocation(fact: AllocationFact & { caseId: string; teamId: string; reference: string }, now: Date): Promise<AllocationRecorded> {
      return withRetries(async () => {
        const items = await read(fact.caseId);
        const head = items.cases[0];
        const writes: TransactItem[] = [];
        const slots = applyAllocation(slotsOf(head?.allocation), fact);
        if (slots) {
          if (head) {
            writes.push({
              Update: {
                TableName: tableName,
                Key: caseKey(fact.caseId),
                UpdateExpression: 'SET allocation = :slots, #version = :next',
                ConditionExpression: '#version = :v OR (attribute_not_exists(#version) AND :v = :zero)',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':slots': slots, ':next': head.version + 1, ':v': head.version, ':zero': 0 },
              },
            });
          } else {
            writes.push({
              Put: {
                TableName: tableName,
                Item: {
                  ...caseKey(fact.caseId),
                  kind: 'case',
                  caseId: fact.caseId,
                  teamId: fact.teamId,
                  reference: fact.reference,
                  allocation: slots,
                  ratings: [],
                  version: 1,
                  createdAt: now.toISOString(),
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            });
          }
        }
        const scheduled = scheduledOf(items);
        const changes = scheduled ? withAgendaChange(scheduled.agenda.changes, allocationChange(fact)) : undefined;
        if (scheduled && changes) writes.push(agendaUpdate(scheduled, changes));
        if (writes.length === 0) return 'unchanged';
        await transact(writes);
        return 'recorded';
      });
    },

    /** A change since the last discussion, on the case's scheduled supervision's agenda; once per change id. */
    appendAgendaChange(caseId: string, change: AgendaChange): Promise<ChangeAppended> {
      return withRetries(async () => {
        const scheduled = scheduledOf(await read(caseId));
        if (!scheduled) return 'no-scheduled-supervision';
        const changes = withAgendaChange(scheduled.agenda.changes, change);
        if (!changes) return 'already';
        await transact([agendaUpdate(scheduled, changes)]);
        return 'appended';
      });
    },

    /**
     * CaseClosed: closedAt on the head (the first told kept), and every scheduled supervision
     * cancelled, off the agenda and its timer removed, in one transaction. A draft record stays.
     */
    closeCase(fact: { caseId: string; teamId: string; reference: string; closedAt: string }, now: Date): Promise<CaseClosedRecorded> {
      return withRetries(async () => {
        const items = await read(fact.caseId);
        const head = items.cases[0];
        const scheduled = items.supervisions.flatMap((item) => (item.kind === 'supervision' && item.status === 'scheduled' ? [item] : []));
        if (head?.closedAt !== undefined && scheduled.length === 0) return 'already-closed';
        const writes: TransactItem[] = [
          head
            ? {
                Update: {
                  TableName: tableName,
                  Key: caseKey(fact.caseId),
                  UpdateExpression: 'SET closedAt = if_not_exists(closedAt, :closedAt), #version = if_not_exists(#version, :zero) + :one',
                  ExpressionAttributeNames: { '#version': 'version' },
                  ExpressionAttributeValues: { ':closedAt': fact.closedAt, ':zero': 0, ':one': 1 },
                },
              }
            : {
                Put: {
                  TableName: tableName,
                  Item: {
                    ...caseKey(fact.caseId),
                    kind: 'case',
                    caseId: fact.caseId,
                    teamId: fact.teamId,
                    reference: fact.reference,
                    closedAt: fact.closedAt,
                    ratings: [],
                    version: 1,
                    createdAt: now.toISOString(),
                  },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
        ];
        for (const supervision of scheduled) {
          writes.push(
            {
              Update: {
                TableName: tableName,
                Key: supervisionKey(fact.caseId, supervision.sequence),
                UpdateExpression:
                  'SET #status = :cancelled, cancelledAt = :at, #version = if_not_exists(#version, :one) + :one REMOVE gsi1pk, gsi1sk',
                ConditionExpression: '#status = :scheduled',
                ExpressionAttributeNames: { '#status': 'status', '#version': 'version' },
                ExpressionAttributeValues: { ':cancelled': 'cancelled', ':scheduled': 'scheduled', ':at': fact.closedAt, ':one': 1 },
              },
            },
            ...supervisionTimers(supervision).map((timer): TransactItem => ({ Delete: { TableName: tableName, Key: timerKey(timer) } })),
          );
        }
        await transact(writes);
        return 'closed';
      });
    },
  };
}
