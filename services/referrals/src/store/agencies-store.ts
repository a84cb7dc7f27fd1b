/**
 * Partner agencies in the referrals table.
 *
 * | access pattern                           | key condition                                        | index |
 * |------------------------------------------|------------------------------------------------------|-------|
 * | an agency by id                          | pk = AGENCY#<agencyId>, sk = AGENCY                  | table |
 * | the agency behind a client id (resolver) | pk = CLIENT#<clientId>, sk = CLIENT                  | table |
 * | every agency, by name                    | gsi1pk = AGENCIES, gsi1sk begins <name>#<agencyId>   | gsi1  |
 * | a page of agencies, by name              | gsi1pk = AGENCIES, from after the cursor's gsi1sk    | gsi1  |
 *
 * The `CLIENT#` item maps a token's client id to its agency and repeats the agency's status, so a
 * partner request is resolved with one GetItem. Both items change in one transaction with the
 * agency's events (the outbox); the agency item carries a version for optimistic locking. No
 * secret value is ever stored: only the identity provider's secret ids.
 */

import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { jsonCursorCodec } from '@fsp/shared/cursor';
import { failedConditionsOf } from '@fsp/shared/dynamo-errors';
import { REFERRAL_SOURCE_CODES } from '@fsp/shared/events/codes';
import { idSchema, instantSchema } from '@fsp/shared/events/definitions/common';
import { AGENCY_TYPES } from '@fsp/shared/events/definitions/referrals';
import { onFirstUse } from '@fsp/shared/first-use';
import { type OutboundEvent, writeWithOutbox } from '@fsp/shared/outbox';
import { queryAll } from '@fsp/shared/query';
import { parseStoredItem } from '@fsp/shared/stored-item';
import * as z from 'zod/mini';
import type { Agency, AgencyStatus } from '../domain/agency';

const AGENCIES = 'AGENCIES';
const agencyKey = (agencyId: string) => ({ pk: `AGENCY#${agencyId}`, sk: 'AGENCY' });
const clientKey = (clientId: string) => ({ pk: `CLIENT#${clientId}`, sk: 'CLIENT' });

const storedText = z.string();
const statusSchema = z.enum(['active', 'revoked']);
const storedAgencySchema = onFirstUse(() =>
  z.object({
    agencyId: idSchema,
    name: storedText,
    type: z.enum(AGENCY_TYPES),
    referralSource: z.enum(REFERRAL_SOURCE_CODES),
    contactEmail: storedText,
    clientId: storedText,
    status: statusSchema,
    secrets: z.array(z.object({ secretId: storedText, createdAt: instantSchema })),
    onboardedAt: instantSchema,
    onboardedBy: storedText,
    revokedAt: z.optional(instantSchema),
    revokedBy: z.optional(storedText),
    version: z.int().check(z.gte(1)),
  }),
);
const storedClientSchema = onFirstUse(() => z.object({ clientId: storedText, agencyId: idSchema, status: statusSchema }));

export interface ClientAgency {
  clientId: string;
  agencyId: string;
  status: AgencyStatus;
}

const agencyFromItem = (item: Record<string, unknown>): Agency => parseStoredItem(storedAgencySchema(), item, 'agency') as Agency;

function agencyItem(agency: Agency): Record<string, unknown> {
  return {
    ...agencyKey(agency.agencyId),
    kind: 'agency',
    ...agency,
    gsi1pk: AGENCIES,
    gsi1sk: `${agency.name.toLowerCase()}#${agency.agencyId}`,
  };
}

const clientItem = (agency: Agency): Record<string, unknown> => ({
  ...clientKey(agency.clientId),
  kind: 'agency-client',
  clientId: agency.clientId,
  agencyId: agency.agencyId,
  status: agency.status,
});

/** Where a page of the agencies by name resumes: after this agency, at its place in the index. */
export interface AgencyCursor {
  agencyId: string;
  /** The agency's gsi1sk: its name in lower case, then its id. */
  sortKey: string;
}

/** Far above any real cursor (a 200-character name and a 64-character id); refuses oversized input before decoding it. */
const MAX_CURSOR_LENGTH = 1024;
const cursorSchema = onFirstUse(() => z.strictObject({ a: idSchema, s: z.string().check(z.maxLength(300)) }));
/**
 * Opaque in the address: base64url of the agency's place in the index. Only a cursor this store
 * could have given out decodes; the sort key must end with the agency's own id, as every agency's does.
 */
const agencyCursors = jsonCursorCodec(cursorSchema, { maxLength: MAX_CURSOR_LENGTH, accepts: ({ a, s }) => s.endsWith(`#${a}`) });

export const encodeAgencyCursor = (cursor: AgencyCursor): string => agencyCursors.encode({ a: cursor.agencyId, s: cursor.sortKey });

/** The agency's place in the index from a cursor, or undefined for anything this store did not give out (never throws). */
export function decodeAgencyCursor(text: string): AgencyCursor | undefined {
  const decoded = agencyCursors.decode(text);
  return decoded && { agencyId: decoded.a, sortKey: decoded.s };
}

/** An agency with this id, or an agency for this client id, already exists. */
export class AgencyExists extends Error {
  override readonly name = 'AgencyExists';
}

/** Someone changed the agency since it was read. */
export class AgencyChanged extends Error {
  override readonly name = 'AgencyChanged';
}

export function createAgenciesStore(documents: DynamoDBDocumentClient, tableName: string) {
  return {
    /** One transaction: the agency, its client mapping and its AgencyOnboarded. */
    async saveNew(agency: Agency, events: readonly OutboundEvent[], now: Date): Promise<void> {
      try {
        await writeWithOutbox(documents, {
          tableName,
          now,
          writes: [
            { Put: { TableName: tableName, Item: agencyItem(agency), ConditionExpression: 'attribute_not_exists(pk)' } },
            { Put: { TableName: tableName, Item: clientItem(agency), ConditionExpression: 'attribute_not_exists(pk)' } },
          ],
          events,
        });
      } catch (error) {
        if (failedConditionsOf(error)) throw new AgencyExists(`agency ${agency.agencyId} or client ${agency.clientId} already exists`);
        throw error;
      }
    },

    /** Replaces the agency (and its client mapping) if nobody changed it since `expectedVersion`, with its events. */
    async saveChanged(agency: Agency, expectedVersion: number, events: readonly OutboundEvent[], now: Date): Promise<void> {
      try {
        await writeWithOutbox(documents, {
          tableName,
          now,
          writes: [
            {
              Put: {
                TableName: tableName,
                Item: agencyItem(agency),
                ConditionExpression: 'version = :expected',
                ExpressionAttributeValues: { ':expected': expectedVersion },
              },
            },
            { Put: { TableName: tableName, Item: clientItem(agency) } },
          ],
          events,
        });
      } catch (error) {
        if (failedConditionsOf(error)?.includes(0))
          throw new AgencyChanged(`agency ${agency.agencyId} changed since version ${expectedVersion}`);
        throw error;
      }
    },

    async get(agencyId: string): Promise<Agency | undefined> {
      const found = await documents.send(new GetCommand({ TableName: tableName, Key: agencyKey(agencyId) }));
      return found.Item ? agencyFromItem(found.Item) : undefined;
    },

    /** The resolver's one read per partner request (cached by the caller). */
    async byClientId(clientId: string): Promise<ClientAgency | undefined> {
      const found = await documents.send(new GetCommand({ TableName: tableName, Key: clientKey(clientId) }));
      return found.Item ? (parseStoredItem(storedClientSchema(), found.Item, 'agency client') as ClientAgency) : undefined;
    },

    /** Every agency, by name; agencies number in the hundreds at most, so one paged read of the index. */
    async list(): Promise<Agency[]> {
      const items = await queryAll(documents, {
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :agencies',
        ExpressionAttributeValues: { ':agencies': AGENCIES },
      });
      return items.map(agencyFromItem);
    },

    /**
     * Up to `limit` agencies by name, after `after`, with where the next page starts when there
     * are more. One Query of the index, one item more than the page, so that a last page that
     * happens to be full offers no next page that would be empty.
     */
    async listPage(limit: number, after?: AgencyCursor): Promise<{ agencies: Agency[]; next: AgencyCursor | undefined }> {
      const result = await documents.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :agencies',
          ExpressionAttributeValues: { ':agencies': AGENCIES },
          Limit: limit + 1,
          ...(after ? { ExclusiveStartKey: { ...agencyKey(after.agencyId), gsi1pk: AGENCIES, gsi1sk: after.sortKey } } : {}),
        }),
      );
      const items = result.Items ?? [];
      const shown = items.slice(0, limit);
      const last = shown.at(-1);
      // More than a page came back, or DynamoDB stopped early (its 1 MB limit) with more to read.
      const more = items.length > limit || result.LastEvaluatedKey !== undefined;
      return {
        agencies: shown.map(agencyFromItem),
        next: more && last ? { agencyId: String(last.agencyId), sortKey: String(last.gsi1sk) } : undefined,
      };
    },
  };
}

export type AgenciesStore = ReturnType<typeof createAgenciesStore>;
