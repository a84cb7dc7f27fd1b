/**
 * The access log: one item per read of a referral (domain/access-log.ts). These are audit items
 * (ADR 0014 §7): they live in the referral's audit partition (pk AUDIT#REFERRAL#<id>), written once
 * (a Put on condition the item is new), indexed by worker (gsi1pk AUDIT#USER#<userId>) for subject
 * access requests, and never changed or deleted; IAM lets only a function declared an audit reader
 * read them, here the front door's pages, which show the latest reads with the referral. This
 * module owns the access item: its keys, its schema and its mapping.
 *
 * | access pattern                                   | key condition                                                        | index |
 * |--------------------------------------------------|----------------------------------------------------------------------|-------|
 * | record a read of a referral                      | Put pk = AUDIT#REFERRAL#<id>, sk = ACCESS#<at>#<requestId>, if absent | table |
 * | a referral and its latest reads, newest first    | GetItem pk = REFERRAL#<id>, sk = REFERRAL, with Query pk = AUDIT#REFERRAL#<id>, descending, Limit n (at once) | table |
 *
 * A read of an id that holds no referral is recorded too: the attempt is an access worth knowing
 * about, and the Put cannot wait for the read without costing the page a second round trip.
 * Reads recorded before issue 12 stay in the referral's own partition, where nothing reads them.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { idSchema, instantSchema } from '@fsp/shared/events/definitions/common';
import { onFirstUse } from '@fsp/shared/first-use';
import { conditionalWrite } from '@fsp/shared/store';
import { parseStoredItem } from '@fsp/shared/stored-item';
import { AUDIT_PARTITION_PREFIX } from '@fsp/shared/table';
import * as z from 'zod/mini';
import { ACCESS_VIEWS, type ReferralAccess } from '../domain/access-log';
import { referralKey, type StoredReferral, toStoredReferral } from './items/referral';

const ACCESS_PREFIX = 'ACCESS#';

/** The referral's audit partition: apart from the referral's own, so that IAM can keep it write-once. */
export const referralAuditPartitionKey = (referralId: string): string => `${AUDIT_PARTITION_PREFIX}REFERRAL#${referralId}`;

export const accessKey = (access: Pick<ReferralAccess, 'referralId' | 'at' | 'requestId'>) => ({
  pk: referralAuditPartitionKey(access.referralId),
  sk: `${ACCESS_PREFIX}${access.at}#${access.requestId}`,
});

/** A read of this referral by this very request at this instant is recorded already: it is not recorded again, nor shown. */
export class AccessAlreadyRecordedError extends Error {
  override readonly name = 'AccessAlreadyRecordedError';
  constructor(readonly key: { pk: string; sk: string }) {
    super(`An access item ${key.sk} of ${key.pk} already exists`);
  }
}

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
  gsi1pk: `${AUDIT_PARTITION_PREFIX}USER#${access.userId}`,
  gsi1sk: `${access.at}#${access.referralId}`,
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
      const written = await conditionalWrite(() =>
        documents.send(new PutCommand({ TableName: tableName, Item: accessItem(access), ConditionExpression: 'attribute_not_exists(pk)' })),
      );
      if (!written) throw new AccessAlreadyRecordedError(accessKey(access));
    },

    /**
     * The referral and its `recent` latest reads, both strongly consistent (a page shown just after
     * a change must show the change), read at once.
     */
    async referralWithAccesses(referralId: string, recent: number): Promise<ReferralWithAccesses> {
      const [found, reads] = await Promise.all([
        documents.send(new GetCommand({ TableName: tableName, Key: referralKey(referralId), ConsistentRead: true })),
        documents.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :access)',
            ExpressionAttributeValues: { ':pk': referralAuditPartitionKey(referralId), ':access': ACCESS_PREFIX },
            ScanIndexForward: false,
            Limit: recent,
            ConsistentRead: true,
          }),
        ),
      ]);
      return {
        referral: found.Item ? toStoredReferral(found.Item) : undefined,
        accesses: (reads.Items ?? []).map(toAccess),
      };
    },
  };
}

export type AccessLogStore = ReturnType<typeof createAccessLogStore>;
