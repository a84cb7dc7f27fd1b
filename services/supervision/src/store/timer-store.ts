/**
 * Timers (ADR 0015 §4, §9): what must happen at a time is an item in partition `TIMER`, sorted by
 * when it fires, written with what it watches and removed when that is done. The schedule reads the
 * due ones with one Query and fires each: a conditional update of a flag on its target (overdueAt,
 * overdueTold.<escalation>, dueSoonAt), the event in the outbox and the timer's removal (or
 * replacement by the next escalation's), in one transaction; so a repeated or concurrent run
 * publishes nothing more. A due-soon timer whose target is held, cancelled, done or already past
 * its due instant is removed and tells nothing.
 */
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { failedConditionsOf, retryingTransactionConflicts } from '@fsp/shared/dynamo-errors';
import { buildEvent } from '@fsp/shared/events/build';
import {
  supervisionActionBecameOverdueV1,
  supervisionActionDueSoonV1,
  supervisionBecameOverdueV1,
  supervisionDueSoonV1,
} from '@fsp/shared/events/definitions/supervision';
import { type OutboundEvent, type TransactItem, writeWithOutbox } from '@fsp/shared/outbox';
import { queryAll } from '@fsp/shared/query';
import { parseStoredItem } from '@fsp/shared/stored-item';
import type { LocalDate } from '@fsp/shared/time/local-date';
import type { TimerFired } from '@fsp/shared/timer-run';
import { escalationDue } from '../domain/actions';
import {
  supervisionActionBecameOverdueData,
  supervisionActionDueSoonData,
  supervisionBecameOverdueData,
  supervisionDueSoonData,
} from '../domain/events';
import type { ActionEscalation } from '../domain/model';
import { actionDueSoonFrom, dueSoonWindow, supervisionDueSoonFrom } from '../domain/timers';
import { actionKey, actionTimer, supervisionKey, TIMER_PK, type Timer, timerItem, timerItemSchema, timerKey, toTimer } from './items';
import type { Cause, StoreContext } from './supervision-store';

export type { TimerFired };

const escalationOf = (timer: Timer): ActionEscalation | undefined =>
  timer.kind === 'action-overdue-owner' ? 'owner' : timer.kind === 'action-overdue-manager' ? 'team-manager' : undefined;

export function createTimerStore({ documents, tableName, supervision, action, readCase }: StoreContext) {
  /** The timers due at `now` (fireAt before it), earliest first: one Query of the timer partition. */
  async function dueTimers(now: Date): Promise<Timer[]> {
    const items = await queryAll(documents, {
      TableName: tableName,
      KeyConditionExpression: 'pk = :timers AND sk < :now',
      ExpressionAttributeValues: { ':timers': TIMER_PK, ':now': now.toISOString() },
      ConsistentRead: true,
    });
    return items.map((item) => toTimer(parseStoredItem(timerItemSchema, item, 'timer')));
  }

  /** A timer whose target needs nothing any more: removed, whoever else removes it too. */
  async function drop(timer: Timer): Promise<TimerFired> {
    await documents.send(new DeleteCommand({ TableName: tableName, Key: timerKey(timer) }));
    return 'nothing-due';
  }

  /** A timer left behind by a run that told it but did not remove it: removed; nothing told again. */
  async function dropTold(timer: Timer): Promise<TimerFired> {
    await drop(timer);
    return 'already';
  }

  /** The flag, the timer's removal (and its successor) and the event together; 'already' when another run got there first. */
  async function fire(writes: TransactItem[], event: OutboundEvent, now: Date): Promise<TimerFired> {
    try {
      await retryingTransactionConflicts(() => writeWithOutbox(documents, { tableName, now, writes, events: [event] }));
      return 'published';
    } catch (error) {
      if (failedConditionsOf(error) !== undefined) return 'already';
      throw error;
    }
  }

  async function referenceOf(caseId: string, known: string | undefined): Promise<string> {
    if (known !== undefined) return known;
    const found = await readCase(caseId, { consistent: true });
    return found?.supervisedCase.reference ?? caseId;
  }

  async function fireTimer(timer: Timer, now: Date, cause: Cause): Promise<TimerFired> {
    const context = { clock: () => now, correlationId: cause.correlationId, causationId: cause.causationId };
    const removeTimer: TransactItem = {
      Delete: { TableName: tableName, Key: timerKey(timer), ConditionExpression: 'attribute_exists(pk)' },
    };

    if (timer.kind === 'supervision-due-soon') {
      const target = await supervision(timer.caseId, Number(timer.targetId));
      if (target?.status === 'scheduled' && target.dueSoonAt !== undefined) return dropTold(timer);
      if (target?.status !== 'scheduled' || !dueSoonWindow(supervisionDueSoonFrom(target.dueDate as LocalDate), target.dueBy, now))
        return drop(timer);
      const reference = await referenceOf(target.caseId, target.caseReference);
      return fire(
        [
          {
            Update: {
              TableName: tableName,
              Key: supervisionKey(target.caseId, target.sequence),
              UpdateExpression: 'SET dueSoonAt = :now',
              ConditionExpression: '#status = :scheduled AND attribute_not_exists(dueSoonAt)',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':now': now.toISOString(), ':scheduled': 'scheduled' },
            },
          },
          removeTimer,
        ],
        buildEvent(supervisionDueSoonV1, supervisionDueSoonData(target, reference, now), context),
        now,
      );
    }

    if (timer.kind === 'action-due-soon') {
      const target = await action(timer.caseId, timer.targetId);
      if (target?.status === 'open' && target.dueSoonAt !== undefined) return dropTold(timer);
      if (target?.status !== 'open' || !dueSoonWindow(actionDueSoonFrom(target.dueDate), target.dueBy, now)) return drop(timer);
      return fire(
        [
          {
            Update: {
              TableName: tableName,
              Key: actionKey(target.caseId, target.actionId),
              UpdateExpression: 'SET dueSoonAt = :now',
              ConditionExpression: '#status = :open AND attribute_not_exists(dueSoonAt)',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':now': now.toISOString(), ':open': 'open' },
            },
          },
          removeTimer,
        ],
        buildEvent(supervisionActionDueSoonV1, supervisionActionDueSoonData(target, now), context),
        now,
      );
    }

    if (timer.kind === 'supervision-overdue') {
      const target = await supervision(timer.caseId, Number(timer.targetId));
      if (target?.status === 'scheduled' && target.overdueAt !== undefined) return dropTold(timer);
      if (target?.status !== 'scheduled' || now.getTime() <= new Date(target.dueBy).getTime()) return drop(timer);
      const reference = await referenceOf(target.caseId, target.caseReference);
      return fire(
        [
          {
            Update: {
              TableName: tableName,
              Key: supervisionKey(target.caseId, target.sequence),
              UpdateExpression: 'SET overdueAt = :now',
              ConditionExpression: '#status = :scheduled AND attribute_not_exists(overdueAt)',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':now': now.toISOString(), ':scheduled': 'scheduled' },
            },
          },
          removeTimer,
        ],
        buildEvent(supervisionBecameOverdueV1, supervisionBecameOverdueData(target, reference, now), context),
        now,
      );
    }

    const escalation = escalationOf(timer);
    const target = await action(timer.caseId, timer.targetId);
    if (!target || escalation === undefined) return drop(timer);
    if (target.overdueTold[escalation] !== undefined) return dropTold(timer);
    if (escalationDue(target, now) !== escalation) return drop(timer);
    const writes: TransactItem[] = [
      {
        Update: {
          TableName: tableName,
          Key: actionKey(target.caseId, target.actionId),
          UpdateExpression: 'SET overdueTold.#escalation = :now',
          ConditionExpression: '#status = :open AND attribute_not_exists(overdueTold.#escalation)',
          ExpressionAttributeNames: { '#status': 'status', '#escalation': escalation },
          ExpressionAttributeValues: { ':now': now.toISOString(), ':open': 'open' },
        },
      },
      removeTimer,
    ];
    // Told the owner: the team manager's escalation waits two working days more.
    if (escalation === 'owner') writes.push({ Put: { TableName: tableName, Item: timerItem(actionTimer(target, 'team-manager')) } });
    return fire(
      writes,
      buildEvent(supervisionActionBecameOverdueV1, supervisionActionBecameOverdueData(target, escalation, now), context),
      now,
    );
  }

  return { dueTimers, fireTimer };
}
