/**
 * The referrals table: referrals, their references, each agency's change index, and the outbox.
 * (Idempotency keys and rate-limit counters live in the same table: idempotency-store.ts and
 * shared/rate-limit.) The referral item's keys, schema and mapping are items/referral.ts's; the
 * reference and change index items are this store's alone.
 *
 * | access pattern                          | key condition                                            | index |
 * |-----------------------------------------|----------------------------------------------------------|-------|
 * | a referral by id                        | pk = REFERRAL#<id>, sk = REFERRAL                         | table |
 * | the front door's queue, soonest due first | gsi1pk = FRONT-DOOR#AWAITING, gsi1sk begins <decisionDueBy>#<id> | gsi1  |
 * | is a reference taken (guard)            | pk = REFERENCE#<reference>, sk = REFERENCE                | table |
 * | an agency's referrals changed since t, oldest change first | pk = AGENCY#<agencyId>#CHANGES, sk > <t> (or > the cursor's sk) | table |
 *
 * A referral leaves the front door's queue when it is decided (its gsi1 keys are removed in the
 * same write), so the queue index holds only the referrals awaiting a decision.
 *
 * Every referral item carries `updatedAt`. A referral from a partner agency has exactly one change
 * index item, `AGENCY#<agencyId>#CHANGES` / `<updatedAt>#<referralId>`, holding what the agency may
 * see of its status; every write of the referral (submission, screening, decision) deletes the old
 * index item and puts the new one in the same transaction, so the index never disagrees with the
 * referral.
 */
import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { failedConditionsOf, retryingTransactionConflicts } from '@fsp/shared/dynamo-errors';
import { REFERRAL_OUTCOMES } from '@fsp/shared/events/codes';
import { idSchema, instantSchema } from '@fsp/shared/events/definitions/common';
import { onFirstUse } from '@fsp/shared/first-use';
import { type KeyringSource, keyringFromEnvironment } from '@fsp/shared/keyed-hash';
import { type OutboundEvent, type TransactItem, writeWithOutbox } from '@fsp/shared/outbox';
import { parseStoredItem } from '@fsp/shared/stored-item';
import * as z from 'zod/mini';
import type { Referral } from '../domain/referral';
import { createFamilyIndexStore } from './family-index-store';
import { changedReferralPut, FRONT_DOOR_QUEUE, newReferralPut, referralKey, type StoredReferral, toStoredReferral } from './items/referral';

export type { StoredReferral } from './items/referral';

const referenceKey = (reference: string) => ({ pk: `REFERENCE#${reference}`, sk: 'REFERENCE' });
const changesPartition = (agencyId: string) => `AGENCY#${agencyId}#CHANGES`;
const changeKey = (agencyId: string, updatedAt: string, referralId: string) => ({
  pk: changesPartition(agencyId),
  sk: `${updatedAt}#${referralId}`,
});

const storedText = z.string();

/** What an agency may see of a referral's progress: the change index item's content, and a listing entry. */
export interface ReferralChange {
  referralId: string;
  reference: string;
  status: Referral['status'];
  receivedAt: string;
  decisionDueBy: string;
  updatedAt: string;
  outcome?: NonNullable<Referral['decision']>['outcome'];
  decidedAt?: string;
}

const storedChangeSchema = onFirstUse(() =>
  z.object({
    referralId: idSchema,
    reference: storedText,
    status: z.enum(['received', 'in-screening', 'decided']),
    receivedAt: instantSchema,
    decisionDueBy: instantSchema,
    updatedAt: instantSchema,
    outcome: z.optional(z.enum(REFERRAL_OUTCOMES)),
    decidedAt: z.optional(instantSchema),
    sk: z.string(),
  }),
);

function changeItemOf(referral: Referral & { agencyId: string }, updatedAt: string): Record<string, unknown> {
  return {
    ...changeKey(referral.agencyId, updatedAt, referral.referralId),
    kind: 'agency-change',
    referralId: referral.referralId,
    reference: referral.reference,
    status: referral.status,
    receivedAt: referral.receivedAt,
    decisionDueBy: referral.decisionDueBy,
    updatedAt,
    ...(referral.decision ? { outcome: referral.decision.outcome, decidedAt: referral.decision.decidedAt } : {}),
  };
}

const hasAgency = (referral: Referral): referral is Referral & { agencyId: string } => typeof referral.agencyId === 'string';

/**
 * A conditional write a caller adds to a new referral's transaction (an idempotency key, a
 * rate-limit counter), with the error its failed condition means. Checked in the order given.
 */
export interface GuardedWrite {
  write: TransactItem;
  whenConditionFails: () => Error;
}

/** One page of an agency's changes; `lastKey` (the last entry's sort key) is where the next page starts, when there may be one. */
export interface ChangesPage {
  changes: ReferralChange[];
  lastKey: string | undefined;
}

export class ReferenceTaken extends Error {
  override readonly name = 'ReferenceTaken';
}

export class ReferralChanged extends Error {
  override readonly name = 'ReferralChanged';
}

export interface QueueEntry {
  referralId: string;
  reference: string;
  receivedAt: string;
  decisionDueBy: string;
  channel: Referral['channel'];
  referralSource: Referral['referralSource'];
  familySafeguardingFlag: boolean;
  childCount: number;
  status: Referral['status'];
  screening?: Referral['screening'];
  /** Absent until the known-family check has run. */
  familyMatches?: Referral['familyMatches'];
}

/**
 * `matchKeys`: the keys the known-family index hashes with (ADR 0021). The default reads them from
 * the environment on first use, which is enough where `MATCH_KEYS` is set or on the local stage;
 * an entry whose function hashes in AWS passes `keyringFromEnvironment(fetchMatchKeysSecret)`.
 */
export function createReferralsStore(
  documents: DynamoDBDocumentClient,
  tableName: string,
  matchKeys: KeyringSource = keyringFromEnvironment(),
) {
  return {
    /** The known-family index (family-index-store.ts); its items for a new referral go in as `extraWrites`, and the check records its matches there. */
    familyIndex: createFamilyIndexStore(documents, tableName, matchKeys),

    /**
     * One transaction: the caller's `guards` (an idempotency key, a rate-limit counter), the
     * referral, its reference (unique), `extraWrites` (its known-family index items), its agency's
     * change index item, and its ReferralSubmitted. A failed guard throws that guard's error (the
     * first in the order given); a taken reference throws `ReferenceTaken`.
     */
    async saveNew(
      referral: Referral,
      events: readonly OutboundEvent[],
      now: Date,
      extraWrites: readonly TransactItem[] = [],
      guards: readonly GuardedWrite[] = [],
    ): Promise<void> {
      const updatedAt = referral.receivedAt;
      const writes: TransactItem[] = [
        ...guards.map((guard) => guard.write),
        newReferralPut(tableName, referral, updatedAt),
        {
          Put: {
            TableName: tableName,
            Item: { ...referenceKey(referral.reference), kind: 'reference', referralId: referral.referralId },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        ...extraWrites,
        ...(hasAgency(referral) ? [{ Put: { TableName: tableName, Item: changeItemOf(referral, updatedAt) } }] : []),
      ];
      try {
        await retryingTransactionConflicts(() => writeWithOutbox(documents, { tableName, now, writes, events }));
      } catch (error) {
        const failed = failedConditionsOf(error);
        if (failed) {
          const guard = guards.find((_, index) => failed.includes(index));
          if (guard) throw guard.whenConditionFails();
          if (failed.includes(guards.length + 1)) throw new ReferenceTaken(referral.reference);
        }
        throw error;
      }
    },

    async get(referralId: string): Promise<StoredReferral | undefined> {
      const found = await documents.send(new GetCommand({ TableName: tableName, Key: referralKey(referralId) }));
      return found.Item ? toStoredReferral(found.Item) : undefined;
    },

    /**
     * Replaces the referral if nobody changed it since `expectedVersion`, with its events, in one
     * transaction; its agency's change index item moves to `now` in the same transaction. Pass the
     * referral as `get` read it (or a copy of it): its `updatedAt` names the index item to remove.
     */
    async saveChanged(referral: Referral, expectedVersion: number, events: readonly OutboundEvent[], now: Date): Promise<void> {
      const updatedAt = now.toISOString();
      const previousUpdatedAt = (referral as Partial<StoredReferral>).updatedAt ?? referral.receivedAt;
      const writes: TransactItem[] = [changedReferralPut(tableName, referral, updatedAt, expectedVersion)];
      if (hasAgency(referral)) {
        if (previousUpdatedAt !== updatedAt) {
          writes.push({ Delete: { TableName: tableName, Key: changeKey(referral.agencyId, previousUpdatedAt, referral.referralId) } });
        }
        writes.push({ Put: { TableName: tableName, Item: changeItemOf(referral, updatedAt) } });
      }
      try {
        await retryingTransactionConflicts(() => writeWithOutbox(documents, { tableName, now, writes, events }));
      } catch (error) {
        if (failedConditionsOf(error)?.includes(0))
          throw new ReferralChanged(`referral ${referral.referralId} changed since version ${expectedVersion}`);
        throw error;
      }
    },

    /**
     * An agency's referrals changed after `after` (an instant, or the sort key a previous page ended
     * on), the oldest change first: one Query on the agency's change index.
     */
    async changesSince(agencyId: string, after: string, limit: number): Promise<ChangesPage> {
      const result = await documents.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND sk > :after',
          ExpressionAttributeValues: { ':pk': changesPartition(agencyId), ':after': after },
          ScanIndexForward: true,
          Limit: limit,
        }),
      );
      const items = (result.Items ?? []).map((item) => parseStoredItem(storedChangeSchema(), item, 'agency change'));
      const last = items.at(-1);
      return {
        changes: items.map(({ sk: _sk, ...change }) => change),
        lastKey: result.LastEvaluatedKey && last ? last.sk : undefined,
      };
    },

    /**
     * Awaiting a decision, the soonest due first, at most `limit`: one Query on the queue index, read
     * on past DynamoDB's 1 MB page only while fewer than `limit` have come back.
     */
    async awaitingDecision(limit: number): Promise<QueueEntry[]> {
      const items: Record<string, unknown>[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const result = await documents.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :queue',
            ExpressionAttributeValues: { ':queue': FRONT_DOOR_QUEUE },
            Limit: limit - items.length,
            ExclusiveStartKey: startKey,
          }),
        );
        items.push(...(result.Items ?? []));
        startKey = result.LastEvaluatedKey;
      } while (startKey !== undefined && items.length < limit);
      return items.map((item) => {
        const referral = toStoredReferral(item);
        return {
          referralId: referral.referralId,
          reference: referral.reference,
          receivedAt: referral.receivedAt,
          decisionDueBy: referral.decisionDueBy,
          channel: referral.channel,
          referralSource: referral.referralSource,
          familySafeguardingFlag: referral.familySafeguardingFlag,
          childCount: referral.children.length,
          status: referral.status,
          ...(referral.screening ? { screening: referral.screening } : {}),
          ...(referral.familyMatches ? { familyMatches: referral.familyMatches } : {}),
        };
      });
    },
  };
}

export type ReferralsStore = ReturnType<typeof createReferralsStore>;
