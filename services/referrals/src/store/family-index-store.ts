/**
 * The known-family index: one item per child of every referral under each of its match keys
 * (domain/known-family.ts), written in the same transaction as the referral, so a referral is never
 * stored without being findable, nor findable without being stored. The check itself runs after
 * intake (consumers/known-family-check.ts) and compares a referral with those received before it
 * only (by the index's sort key, ties broken by referral id), so its result is the same whenever it
 * runs and however often.
 *
 * No personal data in the index (ADR 0021): a match key is stored as its keyed hash,
 * HMAC-SHA256 under a versioned key (shared/src/keyed-hash.ts), with the key's version in the
 * partition key. New items use the current key; a lookup queries under every active key, so items
 * written under the previous key are found until `reindex` has moved them to the current one.
 *
 * | access pattern                               | key condition                                            | index |
 * |----------------------------------------------|----------------------------------------------------------|-------|
 * | children received earlier under a match key, newest first | pk = FAMILY#<version>#<hmac(key_version, match key)>, sk < <receivedAt>#<referralId> (sk = <receivedAt>#<referralId>#<childId>), once per active version | table |
 * | record a referral's matches, once            | Update pk = REFERRAL#<id>, sk = REFERRAL if no matches recorded | table |
 * | the current state of the matched referrals   | BatchGet pk = REFERRAL#<id>, sk = REFERRAL (projected)  | table |
 * | re-index: items under a retiring key (maintenance, never a request) | Scan, kind = family-index and keyVersion <> current (or absent: items from before keyed hashes), paged | table |
 *
 * An item holds the hashes of the child's two match keys (`nameDob`, `namePostcode`, made with
 * the item's key), which are all comparing needs (`compareMatchKeys`), the referral's id,
 * reference and receipt time and the child's id; never a name, date of birth or postcode. A
 * match's status, outcome and case are read from the earlier referral when shown, so they are
 * always current. The index item is this store's alone; what it writes to and reads from the
 * referral item is built by items/referral.ts.
 */
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from '@fsp/shared/dynamo-errors';
import { onFirstUse } from '@fsp/shared/first-use';
import { type HashKey, type KeyringSource, keyedHash } from '@fsp/shared/keyed-hash';
import type { TransactItem } from '@fsp/shared/outbox';
import { parseStoredItem } from '@fsp/shared/stored-item';
import * as z from 'zod/mini';
import {
  bestMatches,
  type ChildMatchKeys,
  childMatchKeysOf,
  compareMatchKeys,
  type FamilyMatch,
  type KnownFamilyMatch,
  type MatchedReferralState,
  type NormalisedChild,
  normaliseChild,
} from '../domain/known-family';
import type { Referral, ReferralChild } from '../domain/referral';
import { familyMatchesUpdate, MATCHED_STATE_PROJECTION, referralKey, toMatchedState, toStoredReferral } from './items/referral';

export type { KnownFamilyMatch } from '../domain/known-family';

/** The newest earlier children read per match key: a family referred more often than this shows its latest. */
const CANDIDATES_PER_KEY = 25;
/** Matches kept per referral, strongest and newest first. */
const MATCHES_PER_REFERRAL = 50;
/** DynamoDB's BatchGetItem limit. */
const BATCH_GET_KEYS = 100;
const BATCH_GET_ATTEMPTS = 5;

/** Index items re-indexed per Scan page; a page's referrals are moved one transaction each. */
const REINDEX_PAGE = 200;

const familyKey = (version: number, hash: string) => `FAMILY#${version}#${hash}`;
/** Every index item of children received before this referral sorts below it: `<receivedAt>#<referralId>#…` (ISO instants sort as text). */
const receivedBefore = (referral: Pick<Referral, 'referralId' | 'receivedAt'>) => `${referral.receivedAt}#${referral.referralId}`;

const indexItemSchema = onFirstUse(() =>
  z.object({
    referralId: z.string(),
    reference: z.string(),
    receivedAt: z.string(),
    childId: z.string(),
    keyVersion: z.number(),
    nameDob: z.optional(z.string()),
    namePostcode: z.optional(z.string()),
  }),
);

const staleItemSchema = onFirstUse(() => z.object({ pk: z.string(), sk: z.string(), referralId: z.string() }));

/** The child as the index compares it. */
export const identityOf = (child: ReferralChild): NormalisedChild =>
  normaliseChild({
    firstName: child.firstName,
    lastName: child.lastName,
    unborn: child.unborn,
    ...(child.dateOfBirth ? { dateOfBirth: child.dateOfBirth } : {}),
    ...(child.address?.postcode ? { postcode: child.address.postcode } : {}),
  });

/** The child's match keys as hashed with `key`: what an index item stores, and what a lookup compares with it. */
export function hashedMatchKeysOf(child: ReferralChild, key: HashKey): ChildMatchKeys {
  const { nameDob, namePostcode } = childMatchKeysOf(identityOf(child));
  return {
    ...(nameDob ? { nameDob: keyedHash(key, nameDob) } : {}),
    ...(namePostcode ? { namePostcode: keyedHash(key, namePostcode) } : {}),
  };
}

const hashesOf = (keys: ChildMatchKeys): string[] => [keys.nameDob, keys.namePostcode].filter((hash): hash is string => hash !== undefined);

/** What `reindex` did with one page of the table. */
export interface ReindexPage {
  /** Index items under a retiring key that now live under the current one. */
  moved: number;
  /** Items whose referral is not in the table: left as they are, and counted for the operator. */
  orphaned: number;
  /** Where the next page starts; absent when the whole table was read. */
  cursor?: Record<string, unknown>;
}

export function createFamilyIndexStore(documents: DynamoDBDocumentClient, tableName: string, keyring: KeyringSource) {
  const itemsFor = (referral: Referral, key: HashKey): Record<string, unknown>[] =>
    referral.children.flatMap((child) => {
      const hashed = hashedMatchKeysOf(child, key);
      return hashesOf(hashed).map((hash) => ({
        pk: familyKey(key.version, hash),
        sk: `${referral.receivedAt}#${referral.referralId}#${child.childId}`,
        kind: 'family-index',
        keyVersion: key.version,
        referralId: referral.referralId,
        reference: referral.reference,
        receivedAt: referral.receivedAt,
        childId: child.childId,
        ...hashed,
      }));
    });

  /** Moves one referral's items under retiring keys to the current key, in one transaction: puts first (idempotent), then deletes. */
  async function moveReferral(referralId: string, stale: readonly { pk: string; sk: string }[], current: HashKey): Promise<boolean> {
    const found = await documents.send(new GetCommand({ TableName: tableName, Key: referralKey(referralId), ConsistentRead: true }));
    if (!found.Item) return false;
    const referral = toStoredReferral(found.Item);
    await documents.send(
      new TransactWriteCommand({
        TransactItems: [
          ...itemsFor(referral, current).map((Item) => ({ Put: { TableName: tableName, Item } })),
          ...stale.map(({ pk, sk }) => ({ Delete: { TableName: tableName, Key: { pk, sk } } })),
        ],
      }),
    );
    return true;
  }

  async function reindex(cursor?: Record<string, unknown>, pageSize: number = REINDEX_PAGE): Promise<ReindexPage> {
    const { current } = await keyring();
    const page = await documents.send(
      new ScanCommand({
        TableName: tableName,
        // Items from before keyed hashes (plain match keys, no keyVersion) are moved too.
        FilterExpression: '#kind = :kind AND (attribute_not_exists(keyVersion) OR keyVersion <> :current)',
        ExpressionAttributeNames: { '#kind': 'kind' },
        ExpressionAttributeValues: { ':kind': 'family-index', ':current': current.version },
        ProjectionExpression: 'pk, sk, referralId',
        ConsistentRead: true,
        Limit: pageSize,
        ...(cursor ? { ExclusiveStartKey: cursor } : {}),
      }),
    );
    const byReferral = new Map<string, { pk: string; sk: string }[]>();
    for (const item of page.Items ?? []) {
      const stale = parseStoredItem(staleItemSchema(), item, 'family index item');
      byReferral.set(stale.referralId, [...(byReferral.get(stale.referralId) ?? []), { pk: stale.pk, sk: stale.sk }]);
    }
    let moved = 0;
    let orphaned = 0;
    for (const [referralId, stale] of byReferral) {
      if (await moveReferral(referralId, stale, current)) moved += stale.length;
      else orphaned += stale.length;
    }
    return { moved, orphaned, ...(page.LastEvaluatedKey ? { cursor: page.LastEvaluatedKey } : {}) };
  }

  return {
    /** The index items of a new referral, for its intake transaction: one Put per child per match key, under the current key. */
    async writesFor(referral: Referral): Promise<TransactItem[]> {
      const { current } = await keyring();
      return itemsFor(referral, current).map(
        (Item): TransactItem => ({ Put: { TableName: tableName, Item, ConditionExpression: 'attribute_not_exists(pk)' } }),
      );
    },

    /**
     * Children of referrals received before `referral` that match its children: one Query per
     * child per match key per active key version. A child indexed under two versions while a
     * re-index runs is found twice and counted once (`bestMatches`).
     */
    async matchesFor(referral: Pick<Referral, 'referralId' | 'receivedAt' | 'children'>): Promise<FamilyMatch[]> {
      const { active } = await keyring();
      const lookups = referral.children.flatMap((child) =>
        active.flatMap((key) => {
          const hashed = hashedMatchKeysOf(child, key);
          return hashesOf(hashed).map((hash) => ({ child, hashed, pk: familyKey(key.version, hash) }));
        }),
      );
      const found = await Promise.all(
        lookups.map(async ({ child, hashed, pk }) => {
          const page = await documents.send(
            new QueryCommand({
              TableName: tableName,
              KeyConditionExpression: 'pk = :pk AND sk < :before',
              ExpressionAttributeValues: { ':pk': pk, ':before': receivedBefore(referral) },
              ScanIndexForward: false,
              Limit: CANDIDATES_PER_KEY,
            }),
          );
          return (page.Items ?? []).flatMap((item): FamilyMatch[] => {
            const known = parseStoredItem(indexItemSchema(), item, 'family index item');
            const strength = compareMatchKeys(hashed, {
              ...(known.nameDob ? { nameDob: known.nameDob } : {}),
              ...(known.namePostcode ? { namePostcode: known.namePostcode } : {}),
            });
            if (!strength) return [];
            return [
              {
                childId: child.childId,
                strength,
                referralId: known.referralId,
                reference: known.reference,
                receivedAt: known.receivedAt,
                matchedChildId: known.childId,
              },
            ];
          });
        }),
      );
      return bestMatches(found.flat(), MATCHES_PER_REFERRAL);
    },

    /**
     * One page of the re-index after a key rotation (ADR 0021): the index items written under any
     * key but the current one are rewritten under the current key from their referral, and the old
     * items deleted, a referral per transaction. Idempotent: a page run twice, or a referral met on
     * two pages, puts the same items again and deletes what is already gone. A maintenance step
     * (the Scan reads the whole table), run from the admin CLI until `cursor` is absent; after
     * that, the previous key can retire.
     */
    reindex,

    /** Every page of `reindex`, to the end of the table. */
    async reindexAll(pageSize: number = REINDEX_PAGE): Promise<{ moved: number; orphaned: number }> {
      let totals = { moved: 0, orphaned: 0 };
      let cursor: Record<string, unknown> | undefined;
      do {
        const page = await reindex(cursor, pageSize);
        totals = { moved: totals.moved + page.moved, orphaned: totals.orphaned + page.orphaned };
        cursor = page.cursor;
      } while (cursor);
      return totals;
    },

    /**
     * Records the check's result on the referral, once: a second run (the fact delivered again)
     * finds it recorded and changes nothing. Bumps the version, so a screening or decision saved
     * from a read taken before the check is refused (409) rather than allowed to drop the matches.
     */
    async recordMatches(
      referralId: string,
      matches: readonly FamilyMatch[],
    ): Promise<'recorded' | 'already-recorded' | 'no-such-referral'> {
      try {
        await documents.send(new UpdateCommand(familyMatchesUpdate(tableName, referralId, matches)));
        return 'recorded';
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
        return (error as { Item?: unknown }).Item ? 'already-recorded' : 'no-such-referral';
      }
    },

    /** The current state of the earlier referrals `matches` name: BatchGet in pages of 100, projected to what a match shows. */
    async withCurrentState(matches: readonly FamilyMatch[]): Promise<KnownFamilyMatch[]> {
      const ids = [...new Set(matches.map((match) => match.referralId))];
      const states = new Map<string, MatchedReferralState>();
      for (let start = 0; start < ids.length; start += BATCH_GET_KEYS) {
        let keys: Record<string, unknown>[] = ids.slice(start, start + BATCH_GET_KEYS).map(referralKey);
        for (let attempt = 1; keys.length > 0; attempt += 1) {
          if (attempt > BATCH_GET_ATTEMPTS)
            throw new Error(`BatchGet left ${keys.length} referrals unread after ${BATCH_GET_ATTEMPTS} tries`);
          if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
          const result = await documents.send(
            new BatchGetCommand({
              RequestItems: {
                [tableName]: {
                  Keys: keys,
                  ...MATCHED_STATE_PROJECTION,
                },
              },
            }),
          );
          for (const item of result.Responses?.[tableName] ?? []) {
            const { referralId, state } = toMatchedState(item);
            states.set(referralId, state);
          }
          keys = (result.UnprocessedKeys?.[tableName]?.Keys as Record<string, unknown>[] | undefined) ?? [];
        }
      }
      return matches.map((match) => ({ ...match, ...states.get(match.referralId) }));
    },
  };
}

export type FamilyIndexStore = ReturnType<typeof createFamilyIndexStore>;
