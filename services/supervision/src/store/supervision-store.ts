/**
 * The supervision table (this service's only table). Every access is a GetItem, a Query or a
 * transaction on known keys; nothing scans. Item layouts: ./items.ts.
 *
 * | access pattern                                   | key condition                                                      | index |
 * |--------------------------------------------------|--------------------------------------------------------------------|-------|
 * | a case page: head, supervisions with records, amendments, actions, consultations | Query pk = CASE#<caseId>                | table |
 * | a supervision / an action                        | GetItem pk = CASE#<caseId>, sk = SUPERVISION#<seq 4> / ACTION#<id> | table |
 * | a team's agenda: scheduled, earliest due first   | Query gsi1pk = TEAM#<teamId> (sparse: scheduled only)              | gsi1  |
 * | a team's open actions, earliest due first        | Query gsi1pk = TEAM#<teamId>#ACTIONS (sparse: open only)           | gsi1  |
 * | timers due                                       | Query pk = TIMER, sk < <now ISO>                                   | table |
 * | consumer idempotency records                     | pk = IDEMPOTENCY#supervision (written by shared/consumer)          | table |
 * | outbox                                           | Put pk = OUTBOX#<eventId> (read only by the stream relay)          | table |
 *
 * Every change is conditional: on the record's version (drafts, completion, amendment), the
 * supervision's scheduling version (reschedule), an action's status, or a flag not yet set (timers).
 */
import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { failedConditionsOf } from '@fsp/shared/dynamo-errors';
import { type OutboundEvent, type TransactItem, writeWithOutbox } from '@fsp/shared/outbox';
import { queryAll } from '@fsp/shared/query';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { conditionalWrite, readPartition } from '@fsp/shared/store';
import { parseStoredItem, StoredItemError } from '@fsp/shared/stored-item';
import { TABLE_KEYS } from '@fsp/shared/table';
import type { LocalDate } from '@fsp/shared/time/local-date';
import type {
  Amendment,
  CaseHead,
  Consultation,
  Person,
  RecordContent,
  SupervisedCase,
  Supervision,
  SupervisionAction,
} from '../domain/model';
import { createCaseEventWrites } from './case-event-writes';
import {
  actionItemSchema,
  actionKey,
  caseKey,
  casePartition,
  consultationKey,
  stripUndefined,
  supervisionItem,
  supervisionItemSchema,
  supervisionKey,
  supervisionTimers,
  teamActionsPk,
  teamAgendaPk,
  timerItem,
  toAction,
  toAmendment,
  toCaseHead,
  toConsultation,
  toSupervision,
} from './items';
import { createRecordWrites } from './record-writes';
import { createTimerStore } from './timer-store';

export interface CaseSupervisions {
  supervisedCase: CaseHead;
  /** By sequence, first first. */
  supervisions: Supervision[];
  /** By sequence, then number. */
  amendments: Amendment[];
  /** Earliest due first. */
  actions: SupervisionAction[];
  /** Newest first. */
  consultations: Consultation[];
}

export interface Cause {
  correlationId: string;
  causationId: string;
}

export type SaveDraftResult =
  | { kind: 'saved'; version: number }
  | { kind: 'stale'; version: number }
  | { kind: 'already-completed' }
  | { kind: 'cancelled' }
  | { kind: 'no-such-supervision' };
export type CompleteResult =
  | { kind: 'completed'; version: number; next?: Supervision }
  | { kind: 'stale'; version: number }
  | { kind: 'already-completed' }
  | { kind: 'cancelled' }
  | { kind: 'no-such-supervision' };
export type AmendResult =
  | { kind: 'amended'; version: number }
  | { kind: 'stale'; version: number }
  | { kind: 'not-completed' }
  | { kind: 'no-such-supervision' };
export type RescheduleResult =
  | { kind: 'rescheduled'; supervision: Supervision }
  | { kind: 'stale'; version: number }
  | { kind: 'not-scheduled' }
  | { kind: 'no-such-supervision' };
export type CompleteActionResult = { kind: 'completed' } | { kind: 'already-completed' } | { kind: 'no-such-action' };
export type ConsultationResult = { kind: 'recorded'; consultation: Consultation } | { kind: 'no-such-case' };

export interface SaveDraftInput {
  /** The record's version as the form had it: 0 before the first save. */
  expectedVersion: number;
  content: RecordContent;
  chair: Person;
  now: Date;
}
export interface CompleteInput extends SaveDraftInput, Cause {
  /** userId → name, for each action's owner (kept with the action for the lists). */
  ownerNames: Readonly<Record<string, string>>;
}
export interface AmendInput extends Cause {
  expectedVersion: number;
  /** The record as amended (checkAmendment): its actions are those kept plus new rows without an id. */
  content: RecordContent;
  reason: string;
  by: Person;
  ownerNames: Readonly<Record<string, string>>;
  now: Date;
}
export interface RescheduleInput extends Cause {
  /** The supervision's `version` as the form had it. */
  expectedVersion: number;
  scheduledDate: LocalDate;
  reason: string;
  by: Person;
  now: Date;
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

export type SupervisionStore = ReturnType<typeof createSupervisionStore>;

export function createSupervisionStore({ documents, tableName }: Pick<ServiceRuntime, 'documents' | 'tableName'>) {
  async function supervision(caseId: string, sequence: number): Promise<Supervision | undefined> {
    const found = await documents.send(
      new GetCommand({ TableName: tableName, Key: supervisionKey(caseId, sequence), ConsistentRead: true }),
    );
    return found.Item ? toSupervision(parseStoredItem(supervisionItemSchema, found.Item, 'supervision')) : undefined;
  }

  async function action(caseId: string, actionId: string): Promise<SupervisionAction | undefined> {
    const found = await documents.send(new GetCommand({ TableName: tableName, Key: actionKey(caseId, actionId), ConsistentRead: true }));
    return found.Item ? toAction(parseStoredItem(actionItemSchema, found.Item, 'action')) : undefined;
  }

  async function readCase(caseId: string, options: { consistent?: boolean } = {}): Promise<CaseSupervisions | undefined> {
    const partition = await readPartition(
      documents,
      { tableName, pk: `CASE#${caseId}`, consistentRead: options.consistent ?? false },
      casePartition,
    );
    const [caseItem] = partition.cases;
    if (!caseItem) {
      if (partition.supervisions.length > 0) throw new StoredItemError(`Case ${caseId} has supervisions but no case item`);
      return undefined;
    }
    const supervisions: Supervision[] = [];
    const amendments: Amendment[] = [];
    for (const item of partition.supervisions) {
      if (item.kind === 'supervision') supervisions.push(toSupervision(item));
      else amendments.push(toAmendment(item));
    }
    return {
      supervisedCase: toCaseHead(caseItem),
      supervisions: supervisions.sort((a, b) => a.sequence - b.sequence),
      amendments,
      actions: partition.actions.map(toAction).sort(byDueDate),
      consultations: partition.consultations.map(toConsultation).reverse(),
    };
  }

  async function teamOpenActions(teamId: string): Promise<SupervisionAction[]> {
    const items = await queryAll(documents, {
      TableName: tableName,
      IndexName: TABLE_KEYS.gsi1.name,
      KeyConditionExpression: 'gsi1pk = :team',
      ExpressionAttributeValues: { ':team': teamActionsPk(teamId) },
      ScanIndexForward: true,
    });
    return items.map((item) => toAction(parseStoredItem(actionItemSchema, item, 'action'))).filter((open) => open.status === 'open');
  }

  const context = { documents, tableName, readCase, supervision, action };

  return {
    supervision,
    action,
    readCase: (caseId: string) => readCase(caseId),
    /** Kept while the routes move to readCase: the same read. */
    caseSupervisions: (caseId: string) => readCase(caseId),

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
        const existing = await supervision(first.caseId, first.sequence);
        if (existing?.supervisionId === first.supervisionId) return 'already-scheduled';
        throw new Error(`Scheduling supervision ${first.supervisionId} was refused, yet it does not exist`, { cause: error });
      }
    },

    /** The team's scheduled supervisions, earliest due first (the index's order). */
    async teamAgenda(teamId: string): Promise<Supervision[]> {
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

    /** The team's open actions, earliest due first. */
    teamOpenActions,

    /** The open actions of the team that `userId` owns ("my actions"): the team's Query, filtered. */
    async myActions(teamId: string, userId: string): Promise<SupervisionAction[]> {
      return (await teamOpenActions(teamId)).filter((open) => open.ownerId === userId);
    },

    /** A consultation about the case (a conditional put: never overwrites). */
    async recordConsultation(
      caseId: string,
      input: { with: string; heldOn: LocalDate; notes: string; by: Person; now: Date; consultationId?: string },
    ): Promise<ConsultationResult> {
      const head = await documents.send(new GetCommand({ TableName: tableName, Key: caseKey(caseId), ConsistentRead: true }));
      if (!head.Item) return { kind: 'no-such-case' };
      const consultation: Consultation = {
        consultationId: input.consultationId ?? `con-${randomUUID()}`,
        caseId,
        at: input.now.toISOString(),
        by: input.by,
        with: input.with,
        heldOn: input.heldOn,
        notes: input.notes,
      };
      const written = await conditionalWrite(() =>
        documents.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...consultationKey(caseId, consultation.at, consultation.consultationId),
              kind: 'consultation',
              ...stripUndefined(consultation),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
      if (!written) throw new Error(`Consultation ${consultation.consultationId} already exists`);
      return { kind: 'recorded', consultation };
    },

    ...createRecordWrites(context),
    ...createTimerStore(context),
    ...createCaseEventWrites(context),
  };
}

export type StoreContext = {
  documents: ServiceRuntime['documents'];
  tableName: string;
  readCase(caseId: string, options?: { consistent?: boolean }): Promise<CaseSupervisions | undefined>;
  supervision(caseId: string, sequence: number): Promise<Supervision | undefined>;
  action(caseId: string, actionId: string): Promise<SupervisionAction | undefined>;
};

const byDueDate = (a: SupervisionAction, b: SupervisionAction) =>
  a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.actionId < b.actionId ? -1 : a.actionId > b.actionId ? 1 : 0;
