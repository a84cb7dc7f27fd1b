/**
 * The known-family index: one item per child of every referral under each of its match keys
 * (domain/known-family.ts), written in the same transaction as the referral, so a referral is never
 * stored without being findable, nor findable without being stored. The check itself runs after
 * intake (consumers/known-family-check.ts) and compares a referral with those received before it
 * only (by the index's sort key, ties broken by referral id), so its result is the same whenever it
 * runs and however often.
 *
 * | access pattern                               | key condition                                            | index |
 * |----------------------------------------------|----------------------------------------------------------|-------|
 * | children received earlier under a match key, newest first | pk = FAMILY#<match key>, sk < <receivedAt>#<referralId> (sk = <receivedAt>#<referralId>#<childId>) | table |
 * | record a referral's matches, once            | Update pk = REFERRAL#<id>, sk = REFERRAL if no matches recorded | table |
 * | the current state of the matched referrals   | BatchGet pk = REFERRAL#<id>, sk = REFERRAL (projected)  | table |
 *
 * The index holds the normalised name, date of birth and postcode only (what comparing needs), not
 * the referral's content. A match's status, outcome and case are read from the earlier referral
 * when shown, so they are always current. The index item is this store's alone; what it writes to
 * and reads from the referral item is built by items/referral.ts.
 */
import { BatchGetCommand, type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from '@fsp/shared/dynamo-errors';
import { onFirstUse } from '@fsp/shared/first-use';
import type { TransactItem } from '@fsp/shared/outbox';
import { parseStoredItem } from '@fsp/shared/stored-item';
import * as z from 'zod/mini';
import {
  bestMatches,
  compareChildren,
  type FamilyMatch,
  type KnownFamilyMatch,
  type MatchedReferralState,
  matchKeysOf,
  type NormalisedChild,
  normaliseChild,
} from '../domain/known-family';
import type { Referral, ReferralChild } from '../domain/referral';
import { familyMatchesUpdate, MATCHED_STATE_PROJECTION, referralKey, toMatchedState } from './items/referral';

export type { KnownFamilyMatch } from '../domain/known-family';

/** The newest earlier children read per match key: a family referred more often than this shows its latest. */
const CANDIDATES_PER_KEY = 25;
/** Matches kept per referral, strongest and newest first. */
const MATCHES_PER_REFERRAL = 50;
/** DynamoDB's BatchGetItem limit. */
const BATCH_GET_KEYS = 100;
const BATCH_GET_ATTEMPTS = 5;

const familyKey = (matchKey: string) => `FAMILY#${matchKey}`;
/** Every index item of children received before this referral sorts below it: `<receivedAt>#<referralId>#…` (ISO instants sort as text). */
const receivedBefore = (referral: Pick<Referral, 'referralId' | 'receivedAt'>) => `${referral.receivedAt}#${referral.referralId}`;

const indexItemSchema = onFirstUse(() =>
  z.object({
    referralId: z.string(),
    reference: z.string(),
    receivedAt: z.string(),
    childId: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    dateOfBirth: z.optional(z.string()),
    postcode: z.optional(z.string()),
  }),
);

/** The child as the index compares it. */
export const identityOf = (child: ReferralChild): NormalisedChild =>
  normaliseChild({
    firstName: child.firstName,
    lastName: child.lastName,
    unborn: child.unborn,
    ...(child.dateOfBirth ? { dateOfBirth: child.dateOfBirth } : {}),
    ...(child.address?.postcode ? { postcode: child.address.postcode } : {}),
  });

export function createFamilyIndexStore(documents: DynamoDBDocumentClient, tableName: string) {
  return {
    /** The index items of a new referral, for its intake transaction: one Put per child per match key. */
    writesFor(referral: Referral): TransactItem[] {
      return referral.children.flatMap((child) => {
        const identity = identityOf(child);
        return matchKeysOf(identity).map(
          (matchKey): TransactItem => ({
            Put: {
              TableName: tableName,
              Item: {
                pk: familyKey(matchKey),
                sk: `${referral.receivedAt}#${referral.referralId}#${child.childId}`,
                kind: 'family-index',
                referralId: referral.referralId,
                reference: referral.reference,
                receivedAt: referral.receivedAt,
                childId: child.childId,
                ...identity,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          }),
        );
      });
    },

    /** Children of referrals received before `referral` that match its children: one Query per child per match key. */
    async matchesFor(referral: Pick<Referral, 'referralId' | 'receivedAt' | 'children'>): Promise<FamilyMatch[]> {
      const lookups = referral.children.flatMap((child) => {
        const identity = identityOf(child);
        return matchKeysOf(identity).map((matchKey) => ({ child, identity, matchKey }));
      });
      const found = await Promise.all(
        lookups.map(async ({ child, identity, matchKey }) => {
          const page = await documents.send(
            new QueryCommand({
              TableName: tableName,
              KeyConditionExpression: 'pk = :pk AND sk < :before',
              ExpressionAttributeValues: { ':pk': familyKey(matchKey), ':before': receivedBefore(referral) },
              ScanIndexForward: false,
              Limit: CANDIDATES_PER_KEY,
            }),
          );
          return (page.Items ?? []).flatMap((item): FamilyMatch[] => {
            const known = parseStoredItem(indexItemSchema(), item, 'family index item');
            const strength = compareChildren(identity, {
              firstName: known.firstName,
              lastName: known.lastName,
              ...(known.dateOfBirth ? { dateOfBirth: known.dateOfBirth } : {}),
              ...(known.postcode ? { postcode: known.postcode } : {}),
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
