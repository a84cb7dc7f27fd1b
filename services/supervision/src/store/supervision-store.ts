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
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { queryAll } from '@fsp/shared/query';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { conditionalWrite, readPartition } from '@fsp/shared/store';
import { parseStoredItem, StoredItemError } from '@fsp/shared/stored-item';
import { TABLE_KEYS } from '@fsp/shared/table';
import type { LocalDate } from '@fsp/shared/time/local-date';
import type { Amendment, CaseHead, Consultation, Person, RecordContent, Supervision, SupervisionAction } from '../domain/model';
import { createCaseFactsStore, readSupervision } from './case-facts-store';
import {
  actionItemSchema,
  actionKey,
  caseKey,
  casePartition,
  consultationKey,
  stripUndefined,
  supervisionItemSchema,
  teamActionsPk,
  teamAgendaPk,
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

export type SupervisionStore = ReturnType<typeof createSupervisionStore>;

export function createSupervisionStore({ documents, tableName }: Pick<ServiceRuntime, 'documents' | 'tableName'>) {
  const supervision = (caseId: string, sequence: number) => readSupervision({ documents, tableName }, caseId, sequence);

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
    ...createCaseFactsStore({ documents, tableName }),
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
