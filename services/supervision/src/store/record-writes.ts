/**
 * Writing a supervision's record and what hangs off it: drafts, completion (one transaction: the
 * record, the supervision held and off the agenda, the next one, the actions, the case's ratings,
 * the timers and the events), amendments, rescheduling and completing actions. Each write is
 * conditional on a version or a status; a refusal is read back and answered (stale, already).
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { failedConditionsOf, retryingTransactionConflicts } from '@fsp/shared/dynamo-errors';
import { buildEvent } from '@fsp/shared/events/build';
import {
  supervisionActionAssignedV1,
  supervisionActionCompletedV1,
  supervisionHeldV1,
  supervisionScheduledV1,
} from '@fsp/shared/events/definitions/supervision';
import { type OutboundEvent, type TransactItem, writeWithOutbox } from '@fsp/shared/outbox';
import { conditionalWrite } from '@fsp/shared/store';
import { actionDueBy, actionIdFor } from '../domain/actions';
import {
  supervisionActionAssignedData,
  supervisionActionCompletedData,
  supervisionHeldData,
  supervisionScheduledData,
} from '../domain/events';
import type { ActionDraft, Person, RatingEntry, RecordContent, Supervision, SupervisionAction, SupervisionRecord } from '../domain/model';
import { amendmentDiff } from '../domain/record';
import { rescheduled } from '../domain/reschedule';
import { scheduleNextSupervision } from '../domain/supervision';
import {
  actionItem,
  actionKey,
  allActionTimers,
  amendmentKey,
  caseKey,
  newActionTimers,
  stripUndefined,
  supervisionItem,
  supervisionKey,
  supervisionTimers,
  timerItem,
  timerKey,
} from './items';
import type {
  AmendInput,
  AmendResult,
  Cause,
  CompleteActionResult,
  CompleteInput,
  CompleteResult,
  RescheduleInput,
  RescheduleResult,
  SaveDraftInput,
  SaveDraftResult,
  StoreContext,
} from './supervision-store';

const RECORD_NAMES = { '#record': 'record', '#rv': 'recordVersion', '#rs': 'recordStatus', '#status': 'status' };

/** The condition that the record is still at `version` (0: none yet) and still a draft, and the supervision not held. */
function recordAt(version: number) {
  return version === 0
    ? {
        expression: 'attribute_exists(pk) AND attribute_not_exists(#record) AND #status <> :held',
        names: { '#record': 'record', '#status': 'status' },
        values: { ':held': 'held' },
      }
    : {
        expression: 'attribute_exists(pk) AND #record.#rv = :rv AND #record.#rs = :draft AND #status <> :held',
        names: RECORD_NAMES,
        values: { ':rv': version, ':draft': 'draft', ':held': 'held' },
      };
}

/** What a supervision's state says about writing its record, before any version is compared. */
function recordState(current: Supervision | undefined): 'no-such-supervision' | 'already-completed' | 'cancelled' | 'open' {
  if (!current) return 'no-such-supervision';
  if (current.record?.recordStatus === 'completed' || current.status === 'held') return 'already-completed';
  if (current.status === 'cancelled' && !current.record) return 'cancelled';
  return 'open';
}

const contentOf = (record: SupervisionRecord): RecordContent => {
  const { chair: _c, recordStatus: _s, recordVersion: _v, savedAt: _a, completedAt: _ca, completedBy: _cb, ...content } = record;
  return content;
};

const eventContext = (cause: Cause, now: Date) => ({
  clock: () => now,
  correlationId: cause.correlationId,
  causationId: cause.causationId,
});

function newActions(
  supervision: Supervision,
  reference: string,
  drafts: readonly ActionDraft[],
  firstPosition: number,
  assigned: { at: string; by: string; ownerNames: Readonly<Record<string, string>> },
): SupervisionAction[] {
  return drafts.map((draft, index) => ({
    actionId: actionIdFor(supervision.supervisionId, firstPosition + index),
    supervisionId: supervision.supervisionId,
    caseId: supervision.caseId,
    teamId: supervision.teamId,
    reference,
    sequence: supervision.sequence,
    what: draft.what,
    ownerId: draft.ownerId,
    ownerName: assigned.ownerNames[draft.ownerId] ?? draft.ownerId,
    dueDate: draft.dueDate,
    dueBy: actionDueBy(draft.dueDate).toISOString(),
    assignedAt: assigned.at,
    assignedBy: assigned.by,
    status: 'open',
    overdueTold: {},
  }));
}

/** Each new action's item, its owner's timer and its SupervisionActionAssigned. */
function assignmentWrites(tableName: string, actions: readonly SupervisionAction[], cause: Cause, now: Date) {
  const writes: TransactItem[] = actions.flatMap((action) => [
    { Put: { TableName: tableName, Item: actionItem(action), ConditionExpression: 'attribute_not_exists(pk)' } },
    ...newActionTimers(action).map((timer): TransactItem => ({ Put: { TableName: tableName, Item: timerItem(timer) } })),
  ]);
  const events = actions.map((action) =>
    buildEvent(supervisionActionAssignedV1, supervisionActionAssignedData(action), eventContext(cause, now)),
  );
  return { writes, events };
}

export function createRecordWrites({ documents, tableName, readCase, supervision, action }: StoreContext) {
  async function saveDraft(caseId: string, sequence: number, input: SaveDraftInput): Promise<SaveDraftResult> {
    const current = await supervision(caseId, sequence);
    const state = recordState(current);
    if (state !== 'open' || !current) return { kind: state as Exclude<typeof state, 'open'> };
    const version = current.record?.recordVersion ?? 0;
    if (version !== input.expectedVersion) return { kind: 'stale', version };
    const record: SupervisionRecord = {
      ...input.content,
      chair: input.chair,
      recordStatus: 'draft',
      recordVersion: version + 1,
      savedAt: input.now.toISOString(),
    };
    const condition = recordAt(version);
    const written = await conditionalWrite(() =>
      documents.send(
        new UpdateCommand({
          TableName: tableName,
          Key: supervisionKey(caseId, sequence),
          UpdateExpression: 'SET #record = :record',
          ConditionExpression: condition.expression,
          ExpressionAttributeNames: condition.names,
          ExpressionAttributeValues: { ':record': stripUndefined(record), ...condition.values },
        }),
      ),
    );
    if (written) return { kind: 'saved', version: record.recordVersion };
    return refusedRecordWrite(caseId, sequence);
  }

  /** A record write refused: why, read back. */
  async function refusedRecordWrite(
    caseId: string,
    sequence: number,
  ): Promise<{ kind: 'stale'; version: number } | { kind: 'already-completed' | 'cancelled' | 'no-such-supervision' }> {
    const now = await supervision(caseId, sequence);
    const state = recordState(now);
    if (state !== 'open') return { kind: state };
    return { kind: 'stale', version: now?.record?.recordVersion ?? 0 };
  }

  async function complete(caseId: string, sequence: number, input: CompleteInput): Promise<CompleteResult> {
    // Twice at most: a CaseClosed landing between the read and the write is read again and honoured.
    for (let attempt = 1; ; attempt += 1) {
      const found = await readCase(caseId, { consistent: true });
      const current = found?.supervisions.find((candidate) => candidate.sequence === sequence);
      const state = recordState(current);
      if (state !== 'open' || !found || !current) return { kind: state as Exclude<typeof state, 'open'> };
      const version = current.record?.recordVersion ?? 0;
      if (version !== input.expectedVersion) return { kind: 'stale', version };
      const { content } = input;
      if (content.heldOn === undefined || content.rating === undefined || content.ratingRationale === undefined) {
        throw new Error('complete needs a record checked for completion (checkRecord mode complete)');
      }
      const head = found.supervisedCase;
      const reference = head.reference ?? current.caseReference;
      if (reference === undefined) throw new Error(`Case ${caseId} has no reference to name it by in SupervisionHeld`);
      const closed = head.closedAt !== undefined || current.status === 'cancelled';
      const completedAt = input.now.toISOString();
      const actions = newActions(current, reference, content.actions, 1, {
        at: completedAt,
        by: input.chair.userId,
        ownerNames: input.ownerNames,
      });
      const record: SupervisionRecord = {
        ...content,
        actions: content.actions.map((draft, index) => ({ ...draft, actionId: actions[index]!.actionId })),
        chair: input.chair,
        recordStatus: 'completed',
        recordVersion: version + 1,
        savedAt: completedAt,
        completedAt,
        completedBy: input.chair.userId,
      };
      const next = closed
        ? undefined
        : scheduleNextSupervision({
            caseId,
            teamId: current.teamId,
            caseReference: reference,
            sequence,
            heldOn: content.heldOn,
            nextDate: content.nextDate,
            rating: content.rating,
          });
      const rating: RatingEntry = { sequence, heldOn: content.heldOn, rating: content.rating, rationale: content.ratingRationale };
      const condition = recordAt(version);
      const writes: TransactItem[] = [
        {
          Update: {
            TableName: tableName,
            Key: supervisionKey(caseId, sequence),
            UpdateExpression:
              'SET #status = :heldStatus, #heldOn = :heldOn, #record = :record, #version = if_not_exists(#version, :zero) + :one REMOVE gsi1pk, gsi1sk',
            ConditionExpression: condition.expression,
            ExpressionAttributeNames: { ...condition.names, '#heldOn': 'heldOn', '#version': 'version' },
            ExpressionAttributeValues: {
              ...condition.values,
              ':heldStatus': 'held',
              ':heldOn': content.heldOn,
              ':record': stripUndefined(record),
              ':zero': 0,
              ':one': 1,
            },
          },
        },
        {
          Update: {
            TableName: tableName,
            Key: caseKey(caseId),
            UpdateExpression:
              'SET lastRating = :rating, lastHeldOn = :heldOn, ratings = list_append(if_not_exists(ratings, :none), :entry), #version = if_not_exists(#version, :zero) + :one',
            ConditionExpression: closed ? 'attribute_exists(pk)' : 'attribute_exists(pk) AND attribute_not_exists(closedAt)',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: {
              ':rating': content.rating,
              ':heldOn': content.heldOn,
              ':none': [],
              ':entry': [rating],
              ':zero': 0,
              ':one': 1,
            },
          },
        },
        ...supervisionTimers(current).map((timer): TransactItem => ({ Delete: { TableName: tableName, Key: timerKey(timer) } })),
      ];
      const events: OutboundEvent[] = [
        buildEvent(
          supervisionHeldV1,
          supervisionHeldData({
            supervision: current,
            reference,
            heldOn: content.heldOn,
            chairId: input.chair.userId,
            rating: content.rating,
            previousRating: head.lastRating,
            actions: actions.length,
            next,
            completedAt,
          }),
          eventContext(input, input.now),
        ),
      ];
      if (next) {
        writes.push(
          { Put: { TableName: tableName, Item: supervisionItem(next, completedAt), ConditionExpression: 'attribute_not_exists(pk)' } },
          ...supervisionTimers(next).map((timer): TransactItem => ({ Put: { TableName: tableName, Item: timerItem(timer) } })),
        );
        events.push(buildEvent(supervisionScheduledV1, supervisionScheduledData(next), eventContext(input, input.now)));
      }
      const assignments = assignmentWrites(tableName, actions, input, input.now);
      writes.push(...assignments.writes);
      events.push(...assignments.events);
      try {
        await retryingTransactionConflicts(() => writeWithOutbox(documents, { tableName, now: input.now, writes, events }));
        return { kind: 'completed', version: record.recordVersion, ...(next ? { next } : {}) };
      } catch (error) {
        const failed = failedConditionsOf(error);
        if (failed === undefined) throw error;
        // The case closed between the read and the write: read again, and schedule nothing next.
        if (failed.includes(1) && !closed && attempt < 2) continue;
        const refused = await refusedRecordWrite(caseId, sequence);
        if (refused.kind === 'stale' && refused.version === version) {
          throw new Error(`Completing supervision ${current.supervisionId} was refused, yet its record is unchanged`, { cause: error });
        }
        return refused;
      }
    }
  }

  async function amend(caseId: string, sequence: number, input: AmendInput): Promise<AmendResult> {
    const found = await readCase(caseId, { consistent: true });
    const current = found?.supervisions.find((candidate) => candidate.sequence === sequence);
    if (!found || !current) return { kind: 'no-such-supervision' };
    const completed = current.record;
    if (completed?.recordStatus !== 'completed') return { kind: 'not-completed' };
    if (completed.recordVersion !== input.expectedVersion) return { kind: 'stale', version: completed.recordVersion };
    const head = found.supervisedCase;
    const reference = head.reference ?? current.caseReference ?? current.caseId;
    const at = input.now.toISOString();
    const kept = completed.actions.filter((draft) => draft.actionId !== undefined);
    const added = input.content.actions.filter((draft) => draft.actionId === undefined);
    const actions = newActions(current, reference, added, kept.length + 1, { at, by: input.by.userId, ownerNames: input.ownerNames });
    const amendedContent: RecordContent = {
      ...input.content,
      actions: [...kept, ...added.map((draft, index) => ({ ...draft, actionId: actions[index]!.actionId }))],
    };
    const record: SupervisionRecord = {
      ...amendedContent,
      chair: completed.chair,
      recordStatus: 'completed',
      recordVersion: completed.recordVersion + 1,
      savedAt: completed.savedAt,
      ...(completed.completedAt !== undefined ? { completedAt: completed.completedAt } : {}),
      ...(completed.completedBy !== undefined ? { completedBy: completed.completedBy } : {}),
    };
    const diff = amendmentDiff(contentOf(completed), { ...input.content, actions: added });
    const number = found.amendments.filter((amendment) => amendment.sequence === sequence).length + 1;
    const writes: TransactItem[] = [
      {
        Update: {
          TableName: tableName,
          Key: supervisionKey(caseId, sequence),
          UpdateExpression: 'SET #record = :record, #heldOn = :heldOn',
          ConditionExpression: '#record.#rv = :rv AND #record.#rs = :completed',
          ExpressionAttributeNames: { '#record': 'record', '#rv': 'recordVersion', '#rs': 'recordStatus', '#heldOn': 'heldOn' },
          ExpressionAttributeValues: {
            ':record': stripUndefined(record),
            ':rv': completed.recordVersion,
            ':completed': 'completed',
            ':heldOn': record.heldOn ?? current.heldOn,
          },
        },
      },
      {
        Put: {
          TableName: tableName,
          Item: {
            ...amendmentKey(caseId, sequence, number),
            kind: 'amendment',
            ...stripUndefined({
              sequence,
              number,
              at,
              by: input.by,
              reason: input.reason,
              before: diff.before,
              after: diff.after,
              addedActionIds: actions.map((a) => a.actionId),
            }),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
    // The rating, its rationale or the day held amended: the case's rating history says so too.
    const ratings = head.ratings.map((entry) =>
      entry.sequence === sequence && record.rating && record.ratingRationale && record.heldOn
        ? { sequence, heldOn: record.heldOn, rating: record.rating, rationale: record.ratingRationale }
        : entry,
    );
    if (JSON.stringify(ratings) !== JSON.stringify(head.ratings)) {
      const latest = ratings.at(-1);
      writes.push({
        Update: {
          TableName: tableName,
          Key: caseKey(caseId),
          UpdateExpression: 'SET ratings = :ratings, lastRating = :last, lastHeldOn = :lastHeldOn, #version = :next',
          ConditionExpression: head.version === 0 ? 'attribute_not_exists(#version) OR #version = :v' : '#version = :v',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: {
            ':ratings': ratings,
            ':last': latest?.rating,
            ':lastHeldOn': latest?.heldOn,
            ':v': head.version,
            ':next': head.version + 1,
          },
        },
      });
    }
    const assignments = assignmentWrites(tableName, actions, input, input.now);
    writes.push(...assignments.writes);
    try {
      await retryingTransactionConflicts(() =>
        writeWithOutbox(documents, { tableName, now: input.now, writes, events: assignments.events }),
      );
      return { kind: 'amended', version: record.recordVersion };
    } catch (error) {
      if (failedConditionsOf(error) === undefined) throw error;
      const now = await supervision(caseId, sequence);
      if (now?.record?.recordStatus !== 'completed') return { kind: 'not-completed' };
      if (now.record.recordVersion !== completed.recordVersion) return { kind: 'stale', version: now.record.recordVersion };
      // Only the case head moved (another amendment's rating): the caller may try again.
      throw error;
    }
  }

  async function reschedule(caseId: string, sequence: number, input: RescheduleInput): Promise<RescheduleResult> {
    const current = await supervision(caseId, sequence);
    if (!current) return { kind: 'no-such-supervision' };
    if (current.status !== 'scheduled') return { kind: 'not-scheduled' };
    const version = current.version ?? 1;
    if (version !== input.expectedVersion) return { kind: 'stale', version };
    const moved = {
      ...rescheduled(current, { scheduledDate: input.scheduledDate, reason: input.reason, by: input.by, at: input.now }),
      version: version + 1,
    };
    const move = moved.reschedules?.at(-1);
    try {
      await retryingTransactionConflicts(() =>
        writeWithOutbox(documents, {
          tableName,
          now: input.now,
          writes: [
            {
              Update: {
                TableName: tableName,
                Key: supervisionKey(caseId, sequence),
                UpdateExpression:
                  'SET scheduledDate = :date, scheduledFor = :for, reschedules = list_append(if_not_exists(reschedules, :none), :move), #version = :next',
                ConditionExpression: '#status = :scheduled AND (#version = :v OR (attribute_not_exists(#version) AND :v = :one))',
                ExpressionAttributeNames: { '#status': 'status', '#version': 'version' },
                ExpressionAttributeValues: {
                  ':date': moved.scheduledDate,
                  ':for': moved.scheduledFor,
                  ':none': [],
                  ':move': [move],
                  ':next': version + 1,
                  ':scheduled': 'scheduled',
                  ':v': version,
                  ':one': 1,
                },
              },
            },
          ],
          events: [buildEvent(supervisionScheduledV1, supervisionScheduledData(moved), eventContext(input, input.now))],
        }),
      );
      return { kind: 'rescheduled', supervision: moved };
    } catch (error) {
      if (failedConditionsOf(error) === undefined) throw error;
      const now = await supervision(caseId, sequence);
      if (!now) return { kind: 'no-such-supervision' };
      if (now.status !== 'scheduled') return { kind: 'not-scheduled' };
      return { kind: 'stale', version: now.version ?? 1 };
    }
  }

  async function completeAction(caseId: string, actionId: string, input: Cause & { by: string; now: Date }): Promise<CompleteActionResult> {
    const current = await action(caseId, actionId);
    if (!current) return { kind: 'no-such-action' };
    if (current.status !== 'open') return { kind: 'already-completed' };
    try {
      await retryingTransactionConflicts(() =>
        writeWithOutbox(documents, {
          tableName,
          now: input.now,
          writes: [
            {
              Update: {
                TableName: tableName,
                Key: actionKey(caseId, actionId),
                UpdateExpression: 'SET #status = :completed, completedAt = :at, completedBy = :by REMOVE gsi1pk, gsi1sk',
                ConditionExpression: '#status = :open',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':completed': 'completed', ':open': 'open', ':at': input.now.toISOString(), ':by': input.by },
              },
            },
            ...allActionTimers(current).map((timer): TransactItem => ({ Delete: { TableName: tableName, Key: timerKey(timer) } })),
          ],
          events: [
            buildEvent(
              supervisionActionCompletedV1,
              supervisionActionCompletedData(current, { at: input.now, by: input.by }),
              eventContext(input, input.now),
            ),
          ],
        }),
      );
      return { kind: 'completed' };
    } catch (error) {
      if (failedConditionsOf(error)?.includes(0)) return { kind: 'already-completed' };
      throw error;
    }
  }

  return { saveDraft, complete, amend, reschedule, completeAction };
}

export type { Person };
