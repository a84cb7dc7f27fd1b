/**
 * Where each timed thing's lifecycle stands (src/domain/progress.ts), the breaches waiting to go to
 * the service manager, and who is allocated to each case (the projection of CaseAllocated).
 *
 * | access pattern                               | key condition                                                                  | index |
 * |----------------------------------------------|--------------------------------------------------------------------------------|-------|
 * | a reminder moves a thing on, or is stale     | a case's thing: one transaction, ConditionCheck pk=PROGRESS#CASE#<caseId>,     | table |
 * |                                              |   sk=CLOSED absent; Update pk=PROGRESS#<scope>, sk=THING#<name> SET rank if    |       |
 * |                                              |   not done and rank <= the fact's. A referral's: the Update alone              |       |
 * | a breach is recorded (once)                  | Update the thing SET breach, escalateAt, gsi1pk=PROGRESS#ESCALATIONS,          | table |
 * |                                              |   gsi1sk=<escalateAt>#<pk>#<sk> if not done and no breach yet                  |       |
 * | a thing is done                              | Update the thing SET done REMOVE gsi1pk, gsi1sk (it leaves the index)          | table |
 * | a case closes                                | Put PROGRESS#CASE#<caseId>/CLOSED; Query the pk's THING# items, each done      | table |
 * | breaches due for the service manager         | Query gsi1pk=PROGRESS#ESCALATIONS AND gsi1sk <= "<now>#\uffff", oldest first   | gsi1  |
 * | is a listed breach still open                 | GetItem the thing, consistent                                                  | table |
 * | a breach escalated (once)                    | Update the thing SET escalatedAt REMOVE gsi1pk, gsi1sk if gsi1sk is the one    | table |
 * |                                              |   read and not done                                                            |       |
 * | a worker allocated to a slot of a case       | Put pk=PROGRESS#CASE#<caseId>, sk=ALLOC#<slot> if absent or not later          | table |
 * | the workers allocated to a case              | Query pk=PROGRESS#CASE#<caseId> AND begins_with(sk, ALLOC#)                    | table |
 *
 * No Scan anywhere: the sweep reads only the breaches due, in escalate-at order.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandOutput,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { failedConditionsOf, retryingTransactionConflicts } from '@fsp/shared/dynamo-errors';
import { conditionalWrite } from '@fsp/shared/store';
import { parseStoredItem } from '@fsp/shared/stored-item';
import { TABLE_KEYS } from '@fsp/shared/table';
import * as z from 'zod/mini';
import { type BreachNotice, type Stage, stageRank, type TimedThing } from '../domain/progress';

const PREFIX = 'PROGRESS#';
const thingKey = (thing: TimedThing) => ({ pk: `${PREFIX}${thing.scope}`, sk: `THING#${thing.name}` });
const caseKey = (caseId: string) => `${PREFIX}CASE#${caseId}`;
const closedKey = (caseId: string) => ({ pk: caseKey(caseId), sk: 'CLOSED' });
const allocationKey = (caseId: string, slot: string) => ({ pk: caseKey(caseId), sk: `ALLOC#${slot}` });
/** The one partition of gsi1 that holds open breaches, in escalate-at order. */
export const ESCALATIONS_PARTITION = `${PREFIX}ESCALATIONS`;

const breachSchema = z.object({
  teamId: z.string().check(z.minLength(1)),
  reference: z.string().check(z.minLength(1)),
  what: z.string().check(z.minLength(1)),
  dueText: z.string().check(z.minLength(1)),
  link: z.string().check(z.startsWith('/')),
  correlationId: z.string().check(z.minLength(1)),
  breachedAt: z.iso.datetime(),
});

const openBreachSchema = z.object({
  pk: z.string().check(z.startsWith(PREFIX)),
  sk: z.string().check(z.startsWith('THING#')),
  breach: breachSchema,
  escalateAt: z.iso.datetime(),
  [TABLE_KEYS.gsi1.sortKey]: z.string(),
});

/** A breach due for the service manager, as the sweep read it. */
export interface OpenBreach extends BreachNotice {
  /** The thing's identity, stable for the breach: its escalation's fact key. */
  key: string;
  escalateAt: string;
  /** What the sweep read, so that escalating it is conditional on nobody having moved it since. */
  seen: { pk: string; sk: string; indexSort: string };
}

const allocationSchema = z.object({ workerId: z.string().check(z.minLength(1)), allocatedAt: z.iso.datetime() });

/** 'tell': the fact moves its thing on (or repeats the stage reached); 'stale': done, closed, or moved past it. */
export type Advance = 'tell' | 'stale';

export function createProgressStore(documents: DynamoDBDocumentClient, tableName: string) {
  /** Every item of one Query, page by page. */
  async function queryAll(input: ConstructorParameters<typeof QueryCommand>[0]): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: QueryCommandOutput['LastEvaluatedKey'];
    do {
      const page = await documents.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return items;
  }

  async function markDone(key: { pk: string; sk: string }, at: Date): Promise<void> {
    await documents.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: 'SET #type = :type, done = :done, doneAt = if_not_exists(doneAt, :at) REMOVE #gpk, #gsk',
        ExpressionAttributeNames: { '#type': 'type', '#gpk': TABLE_KEYS.gsi1.partitionKey, '#gsk': TABLE_KEYS.gsi1.sortKey },
        ExpressionAttributeValues: { ':type': 'TimedThing', ':done': true, ':at': at.toISOString() },
      }),
    );
  }

  return {
    /**
     * Records that a fact of `stage` arrived for `thing`, if it still tells anybody (domain/progress.ts
     * `mayTell`): the thing is not done, its case not closed, and no later stage has been told.
     */
    async advance(thing: TimedThing, stage: Stage): Promise<Advance> {
      const rank = stageRank(stage);
      const update = {
        TableName: tableName,
        Key: thingKey(thing),
        UpdateExpression: 'SET #type = :type, #rank = :rank',
        ConditionExpression: 'attribute_not_exists(done) AND (attribute_not_exists(#rank) OR #rank <= :rank)',
        ExpressionAttributeNames: { '#type': 'type', '#rank': 'rank' },
        ExpressionAttributeValues: { ':type': 'TimedThing', ':rank': rank },
      };
      if (thing.caseId === undefined) {
        return (await conditionalWrite(() => documents.send(new UpdateCommand(update)))) ? 'tell' : 'stale';
      }
      const caseId = thing.caseId;
      try {
        await retryingTransactionConflicts(() =>
          documents.send(
            new TransactWriteCommand({
              TransactItems: [
                { ConditionCheck: { TableName: tableName, Key: closedKey(caseId), ConditionExpression: 'attribute_not_exists(pk)' } },
                { Update: update },
              ],
            }),
          ),
        );
        return 'tell';
      } catch (error) {
        if (failedConditionsOf(error) !== undefined) return 'stale';
        throw error;
      }
    },

    /**
     * Records a breach told to the team's managers, to go to the service manager at `escalateAt`
     * unless it is done first. Once per thing: a repeat (or a breach of a thing already done) is false.
     */
    async openBreach(thing: TimedThing, breach: BreachNotice, escalateAt: Date): Promise<boolean> {
      const key = thingKey(thing);
      const at = escalateAt.toISOString();
      return conditionalWrite(() =>
        documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: key,
            UpdateExpression: 'SET #type = :type, breach = :breach, escalateAt = :at, #gpk = :gpk, #gsk = :gsk',
            ConditionExpression: 'attribute_not_exists(done) AND attribute_not_exists(breach)',
            ExpressionAttributeNames: { '#type': 'type', '#gpk': TABLE_KEYS.gsi1.partitionKey, '#gsk': TABLE_KEYS.gsi1.sortKey },
            ExpressionAttributeValues: {
              ':type': 'TimedThing',
              ':breach': breachSchema.parse(breach),
              ':at': at,
              ':gpk': ESCALATIONS_PARTITION,
              ':gsk': `${at}#${key.pk}#${key.sk}`,
            },
          }),
        ),
      );
    },

    /** The thing's done fact arrived: nothing more is told of it, and its breach (if any) never escalates. */
    async done(thing: TimedThing, at: Date): Promise<void> {
      await markDone(thingKey(thing), at);
    },

    /** The case closed: every thing of it is done, and any fact of it arriving later is stale. */
    async caseClosed(caseId: string, at: Date): Promise<number> {
      await documents.send(
        new PutCommand({ TableName: tableName, Item: { ...closedKey(caseId), type: 'ClosedCase', closedAt: at.toISOString() } }),
      );
      const things = await queryAll({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :thing)',
        ExpressionAttributeValues: { ':pk': caseKey(caseId), ':thing': 'THING#' },
        ProjectionExpression: 'pk, sk',
        ConsistentRead: true,
      });
      for (const item of things) await markDone({ pk: String(item.pk), sk: String(item.sk) }, at);
      return things.length;
    },

    /** Open breaches whose escalate-at has come, oldest first (the index may be a moment stale: escalating checks). */
    async dueBreaches(now: Date, limit: number): Promise<OpenBreach[]> {
      const result = await documents.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: TABLE_KEYS.gsi1.name,
          KeyConditionExpression: '#gpk = :gpk AND #gsk <= :upTo',
          ExpressionAttributeNames: { '#gpk': TABLE_KEYS.gsi1.partitionKey, '#gsk': TABLE_KEYS.gsi1.sortKey },
          ExpressionAttributeValues: { ':gpk': ESCALATIONS_PARTITION, ':upTo': `${now.toISOString()}#\uffff` },
          Limit: limit,
        }),
      );
      return (result.Items ?? []).map((item) => {
        const stored = parseStoredItem(openBreachSchema, item, 'open breach');
        return {
          ...stored.breach,
          // `CASE/<caseId>/timescale/<targetId>`: only characters an event's ids may hold.
          key: `${stored.pk.slice(PREFIX.length)}/${stored.sk.slice('THING#'.length)}`.replaceAll('#', '/'),
          escalateAt: stored.escalateAt,
          seen: { pk: stored.pk, sk: stored.sk, indexSort: stored[TABLE_KEYS.gsi1.sortKey] as string },
        };
      });
    },

    /** Whether a breach the index listed is still open as the table holds it now (the index may lag a done fact). */
    async stillOpen(breach: OpenBreach): Promise<boolean> {
      const result = await documents.send(
        new GetCommand({ TableName: tableName, Key: { pk: breach.seen.pk, sk: breach.seen.sk }, ConsistentRead: true }),
      );
      const item = result.Item;
      return item !== undefined && item.done === undefined && item[TABLE_KEYS.gsi1.sortKey] === breach.seen.indexSort;
    },

    /** The breach went to the service manager: it leaves the index. False when it was done (or escalated) meanwhile. */
    async escalated(breach: OpenBreach, at: Date): Promise<boolean> {
      return conditionalWrite(() =>
        documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: breach.seen.pk, sk: breach.seen.sk },
            UpdateExpression: 'SET escalatedAt = :at REMOVE #gpk, #gsk',
            ConditionExpression: '#gsk = :seen AND attribute_not_exists(done)',
            ExpressionAttributeNames: { '#gpk': TABLE_KEYS.gsi1.partitionKey, '#gsk': TABLE_KEYS.gsi1.sortKey },
            ExpressionAttributeValues: { ':at': at.toISOString(), ':seen': breach.seen.indexSort },
          }),
        ),
      );
    },

    /**
     * The worker now in one slot of a case (the social worker, or an adult specialist's specialism).
     * A fact older than the one recorded changes nothing, so allocations arriving out of order end right.
     */
    async allocate(caseId: string, slot: string, workerId: string, allocatedAt: string): Promise<boolean> {
      const at = new Date(allocatedAt).toISOString();
      return conditionalWrite(() =>
        documents.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...allocationKey(caseId, slot), type: 'Allocation', workerId, allocatedAt: at },
            ConditionExpression: 'attribute_not_exists(pk) OR allocatedAt <= :at',
            ExpressionAttributeValues: { ':at': at },
          }),
        ),
      );
    },

    /** The workers allocated to a case as notifications last heard, each once. */
    async allocatedWorkers(caseId: string): Promise<string[]> {
      const items = await queryAll({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :alloc)',
        ExpressionAttributeValues: { ':pk': caseKey(caseId), ':alloc': 'ALLOC#' },
        ConsistentRead: true,
      });
      const workers = items.map((item) => parseStoredItem(allocationSchema, item, 'allocation').workerId);
      return [...new Set(workers)];
    },
  };
}

export type ProgressStore = ReturnType<typeof createProgressStore>;
