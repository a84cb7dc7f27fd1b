/**
 * The family network item (ADR 0014 §2): one per case, in the case's partition (pk CASE#<caseId>,
 * sk NETWORK), read with the case in its one Query. `version` is the network's own optimistic lock:
 * a change is written only on the version it was made from (store/network-store.ts). Written in the
 * transaction that opens the case; a case opened before the network existed has none until its
 * first change.
 *
 * Its change records live apart, in the case's history partition (pk CASE#<caseId>#HISTORY,
 * sk NETWORK#<at>#<changeId>), which the case page does not read.
 */
import { idSchema, instantSchema } from '@fsp/shared/events/definitions/common';
import type { TransactItem } from '@fsp/shared/outbox';
import { itemFamily } from '@fsp/shared/store';
import { localDateSchema } from '@fsp/shared/time/local-date';
import * as z from 'zod/mini';
import {
  DISABILITY_CODES,
  type DisabilityCode,
  ETHNICITY_CODES,
  type EthnicityCode,
  type FamilyNetwork,
  NETWORK_GROUPS,
  type NetworkChangeRecord,
  REFERRAL_GENDERS,
  SEXES,
  UPN_UNKNOWN_REASONS,
  type UpnUnknownReason,
} from '../../domain/family-network';
import { casePartitionKey } from './case';

export const NETWORK_SORT_KEY = 'NETWORK';
const HISTORY_PREFIX = 'NETWORK#';

export const networkKey = (caseId: string) => ({ pk: casePartitionKey(caseId), sk: NETWORK_SORT_KEY });

/** The partition of a case's attributed change records (network, allocation, summary): never read by the case page. */
export const caseHistoryPartitionKey = (caseId: string): string => `${casePartitionKey(caseId)}#HISTORY`;

export const actorSchema = z.lazy(() => z.object({ userId: idSchema, name: z.string() }));

const codes = <T extends string>(record: Record<T, string>) => Object.keys(record) as [T, ...T[]];

/**
 * What was stored is read back structurally: the stored network was checked by the domain's
 * schemas when a worker wrote it, and a case opened from ids alone has children with no names yet,
 * which a form would refuse but the record must still show.
 */
const addressSchema = z.lazy(() => z.object({ line1: z.string(), line2: z.optional(z.string()), town: z.string(), postcode: z.string() }));
const storedNetworkSchema = z.lazy(() =>
  z.object({
    children: z.array(
      z.object({
        personId: idSchema,
        firstName: z.string(),
        lastName: z.string(),
        unborn: z.boolean(),
        dateOfBirth: z.optional(localDateSchema),
        sex: z.optional(z.enum(SEXES)),
        genderAsReferred: z.optional(z.enum(REFERRAL_GENDERS)),
        ethnicity: z.optional(z.enum(codes<EthnicityCode>(ETHNICITY_CODES))),
        disabilities: z.array(z.enum(codes<DisabilityCode>(DISABILITY_CODES))),
        upn: z.optional(z.string()),
        upnUnknownReason: z.optional(z.enum(codes<UpnUnknownReason>(UPN_UNKNOWN_REASONS))),
        nhsNumber: z.optional(z.string()),
        school: z.optional(z.string()),
        address: z.optional(addressSchema),
      }),
    ),
    adults: z.array(
      z.object({
        personId: idSchema,
        firstName: z.string(),
        lastName: z.string(),
        dateOfBirth: z.optional(localDateSchema),
        relationships: z.array(z.object({ childId: idSchema, relationship: z.string() })),
        relationshipAsReferred: z.optional(z.string()),
      }),
    ),
    widerFamily: z.array(
      z.object({
        personId: idSchema,
        firstName: z.string(),
        lastName: z.string(),
        relationship: z.string(),
        possibleFamilyGroupConferenceParticipant: z.boolean(),
        phone: z.optional(z.string()),
        email: z.optional(z.string()),
      }),
    ),
    professionals: z.array(
      z.object({
        personId: idSchema,
        name: z.string(),
        role: z.optional(z.string()),
        agency: z.optional(z.string()),
        phone: z.optional(z.string()),
        email: z.optional(z.string()),
        referrer: z.optional(z.boolean()),
      }),
    ),
  }),
);

export const networkItemSchema = z.lazy(() =>
  z.object({
    kind: z.literal('network'),
    caseId: idSchema,
    network: storedNetworkSchema,
    version: z.int().check(z.positive()),
    updatedAt: instantSchema,
    /** Absent while the network is as the referral(s) brought it: no worker has changed it yet. */
    updatedBy: z.optional(actorSchema),
  }),
);

/** The network as `readPartition` finds it in the case's partition. */
export const networkItemFamily = itemFamily({ equals: NETWORK_SORT_KEY }, networkItemSchema, 'family network');

export interface NetworkItem {
  caseId: string;
  network: FamilyNetwork;
  version: number;
  updatedAt: string;
  updatedBy?: { userId: string; name: string };
}

export const toNetworkItem = ({ kind: _kind, ...item }: z.infer<typeof networkItemSchema>): NetworkItem => item as NetworkItem;

/** The network a case opens with, written only with the case (the case's own Put guards against a second opening). */
export function networkPut(tableName: string, item: NetworkItem): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: { ...networkKey(item.caseId), kind: 'network', ...item },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/**
 * The network at its next version, written only over the version it was read at (or only if absent,
 * for a case opened before networks: `readVersion` 0).
 */
export function networkReplace(tableName: string, item: NetworkItem, readVersion: number): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: { ...networkKey(item.caseId), kind: 'network', ...item },
      ...(readVersion === 0
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': readVersion } }),
    },
  };
}

/** A change record as kept: who, when, what, before and after, and the version it made. */
export interface NetworkHistoryEntry extends Omit<NetworkChangeRecord, 'by'> {
  caseId: string;
  changeId: string;
  version: number;
  /** A worker's change; absent when people arrived with a referral added to the case. */
  by?: NetworkChangeRecord['by'];
  /** The referral whose people were added (no worker is the author then). */
  referralId?: string;
}

export const networkHistoryKey = (entry: Pick<NetworkHistoryEntry, 'caseId' | 'at' | 'changeId'>) => ({
  pk: caseHistoryPartitionKey(entry.caseId),
  sk: `${HISTORY_PREFIX}${entry.at}#${entry.changeId}`,
});

export const networkHistoryItemSchema = z.lazy(() =>
  z.object({
    kind: z.literal('network-change'),
    caseId: idSchema,
    changeId: idSchema,
    version: z.int().check(z.positive()),
    by: z.optional(actorSchema),
    referralId: z.optional(idSchema),
    at: instantSchema,
    changeKind: z.enum(['add', 'correct', 'remove']),
    group: z.enum(NETWORK_GROUPS),
    personId: idSchema,
    before: z.optional(z.record(z.string(), z.unknown())),
    after: z.optional(z.record(z.string(), z.unknown())),
    reason: z.optional(z.string()),
  }),
);

/** The history as `readPartition` finds it in the history partition. */
export const networkHistoryItemFamily = itemFamily({ prefix: HISTORY_PREFIX }, networkHistoryItemSchema, 'family network change');

/** Written once: the change id is new for every change. */
export function networkHistoryPut(tableName: string, entry: NetworkHistoryEntry): TransactItem {
  const { kind, ...rest } = entry;
  return {
    Put: {
      TableName: tableName,
      Item: { ...networkHistoryKey(entry), kind: 'network-change', changeKind: kind, ...rest },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}
