/**
 * The access log: one item per read of a referral (domain/access-log.ts), kept in the referral's
 * own partition, so that a page reads the referral and its latest reads in one Query, and records
 * its own read in the same round trip (the Put and the Query are sent together). This module owns
 * the access item: its keys, its schema and its mapping. Items are never changed or deleted by the
 * platform (retention is a policy still to be set; DOMAIN.md, Information governance).
 *
 * | access pattern                                   | key condition                                                        | index |
 * |--------------------------------------------------|----------------------------------------------------------------------|-------|
 * | record a read of a referral                      | Put pk = REFERRAL#<id>, sk = ACCESS#<at>#<requestId>                  | table |
 * | a referral and its latest reads, newest first    | Query pk = REFERRAL#<id>, descending, Limit 1 + n (sk REFERRAL sorts after every ACCESS#…) | table |
 *
 * A read of an id that holds no referral is recorded too: the attempt is an access worth knowing
 * about, and the Put cannot wait for the read without costing the page a second round trip.
 */
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { idSchema, instantSchema } from '@fsp/shared/events/definitions/common';
import { onFirstUse } from '@fsp/shared/first-use';
import { parseStoredItem, StoredItemError } from '@fsp/shared/stored-item';
import * as z from 'zod/mini';
import { ACCESS_VIEWS, type ReferralAccess } from '../domain/access-log';
import { referralKey, type StoredReferral, toStoredReferral } from './items/referral';

const ACCESS_PREFIX = 'ACCESS#';

export const accessKey = (access: Pick<ReferralAccess, 'referralId' | 'at' | 'requestId'>) => ({
  pk: referralKey(access.referralId).pk,
  sk: `${ACCESS_PREFIX}${access.at}#${access.requestId}`,
});

const accessItemSchema = onFirstUse(() =>
  z.object({
    referralId: idSchema,
    at: instantSchema,
    userId: z.string().check(z.minLength(1)),
    name: z.string(),
    view: z.enum(ACCESS_VIEWS),
    purpose: z.string().check(z.minLength(1)),
    requestId: z.string().check(z.minLength(1)),
  }),
);

export const accessItem = (access: ReferralAccess): Record<string, unknown> => ({
  ...accessKey(access),
  kind: 'referral-access',
  ...access,
});

export const toAccess = (item: Record<string, unknown>): ReferralAccess => parseStoredItem(accessItemSchema(), item, 'referral access');

export interface ReferralWithAccesses {
  /** Undefined when no referral has the id. */
  referral: StoredReferral | undefined;
  /** The latest reads, newest first. */
  accesses: ReferralAccess[];
}

export function createAccessLogStore(documents: DynamoDBDocumentClient, tableName: string) {
  return {
    async record(access: ReferralAccess): Promise<void> {
      await documents.send(new PutCommand({ TableName: tableName, Item: accessItem(access) }));
    },

    /**
     * The referral and its `recent` latest reads, in one strongly consistent Query (a page shown
     * just after a change must show the change).
     */
    async referralWithAccesses(referralId: string, recent: number): Promise<ReferralWithAccesses> {
      const result = await documents.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': referralKey(referralId).pk },
          ScanIndexForward: false,
          Limit: recent + 1,
          ConsistentRead: true,
        }),
      );
      let referral: StoredReferral | undefined;
      const accesses: ReferralAccess[] = [];
      for (const item of result.Items ?? []) {
        const sk = typeof item.sk === 'string' ? item.sk : '';
        if (sk === referralKey(referralId).sk) referral = toStoredReferral(item);
        else if (sk.startsWith(ACCESS_PREFIX)) accesses.push(toAccess(item));
        else throw new StoredItemError(`Partition REFERRAL#${referralId} holds an item this service does not know: ${sk}`);
      }
      // No referral first (it sorts after every read) means there is none: the reads then are attempts.
      return { referral, accesses: accesses.slice(0, recent) };
    },
  };
}

export type AccessLogStore = ReturnType<typeof createAccessLogStore>;
