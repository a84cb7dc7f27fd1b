/**
 * The statutory path's writes (domain/path.ts, ADR 0016) and its timescales' timers.
 *
 * | access pattern                     | key condition                                                                  | index |
 * |------------------------------------|--------------------------------------------------------------------------------|-------|
 * | record a step                      | one transaction: Put PATH if version = read version, Update CASE status, next deadline and version if version = read version, Update each CASELOAD# item's status, next deadline and gsi1sk when either moved, Put the chronology entry, Delete/Put TIMER items, the events (CaseTimescaleMet for each timescale ended) in the outbox | table |
 * | the timers due                     | Query pk = TIMER, sk < now (ISO instants sort as text)                          | table |
 * | fire a timer                       | GetItem CASE + PATH (one BatchGet), then Put TOLD#<target>#<moment> if absent + Delete the timer + the event in the outbox, one transaction | table |
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BatchGetCommand, DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { failedConditionsOf, retryingTransactionConflicts } from '@fsp/shared/dynamo-errors';
import { type BuildEventContext, buildEvent } from '@fsp/shared/events/build';
import { caseTimescaleDueSoonV1, caseTimescaleMetV1, caseTimescaleOverdueV1 } from '@fsp/shared/events/definitions/cases';
import { type OutboundEvent, type TransactItem, writeWithOutbox } from '@fsp/shared/outbox';
import { queryAll } from '@fsp/shared/query';
import { parseStoredItem } from '@fsp/shared/stored-item';
import type { LocalDate } from '@fsp/shared/time/local-date';
import type { TimerFired } from '@fsp/shared/timer-run';
import { type CaseRecord, type ChronologyEntry, nextDeadlineOfCase } from '../domain/case';
import { caseTimescaleData, caseTimescaleMetData } from '../domain/events';
import type { CasePath } from '../domain/path';
import {
  momentReached,
  nextDeadlineOf,
  openTimescales,
  sameDeadline,
  type TimescaleTimer,
  timerChanges,
  timescalesNoLongerOpen,
} from '../domain/path-timescales';
import { caseItemFamily, caseItemSchema, caseKey, toCaseRecord } from './items/case';
import { caseloadKey, caseloadSortKey } from './items/caseload';
import { chronologyEntryPut } from './items/chronology-entry';
import {
  PATH_SORT_KEY,
  pathItemSchema,
  pathKey,
  pathPut,
  TIMER_PK,
  timerDelete,
  timerItemSchema,
  timerKey,
  timerPut,
  toCasePath,
  toldPut,
  toTimer,
} from './items/path';

/** The case or its path changed since they were read: nothing was written. */
export class PathVersionConflictError extends Error {
  override readonly name = 'PathVersionConflictError';
  constructor(readonly caseId: string) {
    super(`Case ${caseId} changed while a step of its path was being recorded`);
  }
}

export interface PathWrite {
  head: CaseRecord;
  /** The path as read (version 0: none stored yet, a case opened before paths were kept). */
  before: CasePath;
  after: CasePath;
  entry: ChronologyEntry;
  /** The step's events (status change, assessment completed, case closed, the entry's CaseChronologyEntryAdded). */
  events: OutboundEvent[];
  /** The step's day and its events' context: each timescale it ends is told (CaseTimescaleMet) in the same transaction. */
  step: { on: LocalDate; context: BuildEventContext };
  /** The workers whose caseload items copy the case's status and next deadline (store/items/caseload.ts): rewritten when either moves. */
  caseloadUserIds: readonly string[];
}

export function createPathStore(documents: DynamoDBDocumentClient, tableName: string) {
  /**
   * The step, in one transaction with its events: the path over its version, the head's status over
   * the head's version (so the team's list and the overview say the same as the path), the
   * chronology entry, the timers that change, and CaseTimescaleMet for each timescale the step ended
   * (met or withdrawn). A version that moved is a PathVersionConflictError.
   */
  async function recordStep(write: PathWrite, now: Date): Promise<void> {
    const { head, before, after, entry, caseloadUserIds, step } = write;
    // A path never stored waited on nothing yet that could end here.
    const ended = before.version === 0 ? [] : timescalesNoLongerOpen(before, after, step.on);
    const events = [
      ...write.events,
      ...ended.map((each) => buildEvent(caseTimescaleMetV1, caseTimescaleMetData(each, head, now), step.context)),
    ];
    const statusMoved = after.status !== before.status;
    // The caseload's order and "Next deadline" follow the soonest timescale the path now waits on.
    const nextDeadline = nextDeadlineOf(after);
    const deadlineMoved = !sameDeadline(nextDeadlineOfCase(head) ?? null, nextDeadline);
    // A path never stored has no timers either: its assessment's are added with it.
    const { remove, add } = timerChanges(before.version === 0 ? undefined : before, after);
    const writes: TransactItem[] = [
      pathPut(tableName, after, before.version, now),
      {
        Update: {
          TableName: tableName,
          Key: caseKey(head.caseId),
          // The assessment's completion is copied for the essentials check of the team's list.
          UpdateExpression: `SET #status = :status, nextDeadline = :deadline, version = :next, updatedAt = :now${after.assessment ? ', assessmentCompletedOn = :assessed' : ''}`,
          ConditionExpression: 'version = :expected',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':status': after.status,
            ':deadline': nextDeadline,
            ':next': head.version + 1,
            ':expected': head.version,
            ':now': now.toISOString(),
            ...(after.assessment ? { ':assessed': after.assessment.completedOn } : {}),
          },
        },
      },
      chronologyEntryPut(tableName, entry),
      ...remove.map((timer) => timerDelete(tableName, timer)),
      ...add.map((timer) => timerPut(tableName, timer)),
      // The head's version condition orders these against an allocation, which rewrites them too.
      ...(statusMoved || deadlineMoved
        ? caseloadUserIds.map(
            (userId): TransactItem => ({
              Update: {
                TableName: tableName,
                Key: caseloadKey(head.caseId, userId),
                UpdateExpression: 'SET #status = :status, nextDeadline = :deadline, gsi1sk = :order',
                ConditionExpression: 'attribute_exists(pk)',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: {
                  ':status': after.status,
                  ':deadline': nextDeadline,
                  ':order': caseloadSortKey({ caseId: head.caseId, assessmentDueBy: head.assessmentDueBy, nextDeadline }),
                },
              },
            }),
          )
        : []),
    ];
    try {
      await writeWithOutbox(documents, { tableName, now, writes, events });
    } catch (error) {
      if (failedConditionsOf(error) !== undefined) throw new PathVersionConflictError(head.caseId);
      throw error;
    }
  }

  /** The timers due at `now`, earliest first: one Query of the timer partition. */
  async function dueTimers(now: Date): Promise<TimescaleTimer[]> {
    const items = await queryAll(documents, {
      TableName: tableName,
      KeyConditionExpression: 'pk = :timers AND sk < :now',
      ExpressionAttributeValues: { ':timers': TIMER_PK, ':now': now.toISOString() },
      ConsistentRead: true,
    });
    return items.map((item) => toTimer(parseStoredItem(timerItemSchema, item, 'timer')));
  }

  /** The case's head and path in one round trip. */
  async function headAndPath(caseId: string): Promise<{ head?: CaseRecord; path?: CasePath }> {
    const found = await documents.send(
      new BatchGetCommand({ RequestItems: { [tableName]: { Keys: [caseKey(caseId), pathKey(caseId)], ConsistentRead: true } } }),
    );
    const unread = found.UnprocessedKeys?.[tableName]?.Keys?.length ?? 0;
    if (unread > 0) throw new Error(`Reading case ${caseId} and its path left ${unread} keys unread; the schedule will try again`);
    const items = found.Responses?.[tableName] ?? [];
    const headItem = items.find((item) => item.sk === 'CASE');
    const pathItem = items.find((item) => item.sk === PATH_SORT_KEY);
    return {
      ...(headItem ? { head: toCaseRecord(parseStoredItem(caseItemSchema, headItem, caseItemFamily.description)) } : {}),
      ...(pathItem ? { path: toCasePath(parseStoredItem(pathItemSchema, pathItem, 'statutory path')) } : {}),
    };
  }

  async function drop(timer: TimescaleTimer): Promise<TimerFired> {
    await documents.send(new DeleteCommand({ TableName: tableName, Key: timerKey(timer) }));
    return 'nothing-due';
  }

  /**
   * Fires one timer: when its timescale is still open and its moment has come (a due-soon timer
   * fired after the due instant says nothing: the overdue one speaks), the TOLD marker, the timer's
   * removal and the event in one transaction; a marker already there means told.
   */
  async function fireTimer(timer: TimescaleTimer, now: Date, context: Omit<BuildEventContext, 'clock'>): Promise<TimerFired> {
    const { head, path } = await headAndPath(timer.caseId);
    if (!head || !path) return drop(timer);
    const open = openTimescales(path).find((each) => each.targetId === timer.targetId && each.timescale === timer.timescale);
    if (!open || !momentReached(open, timer.moment, now)) return drop(timer);
    if (timer.moment === 'due-soon' && momentReached(open, 'overdue', now)) return drop(timer);
    const definition = timer.moment === 'due-soon' ? caseTimescaleDueSoonV1 : caseTimescaleOverdueV1;
    const event = buildEvent(definition, caseTimescaleData(open, head), { ...context, clock: () => now });
    try {
      await retryingTransactionConflicts(() =>
        writeWithOutbox(documents, {
          tableName,
          now,
          writes: [toldPut(tableName, timer, now), { Delete: { TableName: tableName, Key: timerKey(timer) } }],
          events: [event],
        }),
      );
      return 'published';
    } catch (error) {
      if (failedConditionsOf(error) === undefined) throw error;
      // Told already: the timer a telling run left behind goes too.
      await drop(timer);
      return 'already';
    }
  }

  return { recordStep, dueTimers, fireTimer, headAndPath };
}

export type PathStore = ReturnType<typeof createPathStore>;
