/**
 * Partner agencies as notifications needs them: a projection of AgencyOnboarded / AgencyRevoked
 * (who an API client is, whether it may still be told anything) and each agency's webhook.
 *
 * | access pattern                         | key condition                                                    | index |
 * |----------------------------------------|------------------------------------------------------------------|-------|
 * | project a fact onto an agency          | UpdateItem pk=AGENCY#<agencyId>, sk=AGENCY and pk=CLIENT#<clientId>, | table |
 * |                                        |   sk=AGENCY, each if its status is older than the fact         |       |
 * | the calling partner's agency           | GetItem pk=CLIENT#<clientId>, sk=AGENCY                          | table |
 * | register or replace the webhook        | PutItem pk=AGENCY#<agencyId>, sk=WEBHOOK (returns the old one)   | table |
 * | an agency and its webhook, to deliver  | Query pk=AGENCY#<agencyId> (the AGENCY and WEBHOOK items)        | table |
 *
 * Facts can arrive in any order and more than once: each item keeps the time of the fact that set
 * its status, and a status only moves to a later fact's (a revocation wins a tie), so a late
 * AgencyOnboarded never revives a revoked agency and a repeat changes nothing.
 */

import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite } from '@fsp/shared/store';
import { parseStoredItem } from '@fsp/shared/stored-item';
import * as z from 'zod/mini';
import { WEBHOOK_SECRET_PATTERN } from '../domain/webhook';

const agencyKey = (agencyId: string) => ({ pk: `AGENCY#${agencyId}`, sk: 'AGENCY' });
const clientKey = (clientId: string) => ({ pk: `CLIENT#${clientId}`, sk: 'AGENCY' });
export const webhookKey = (agencyId: string) => ({ pk: `AGENCY#${agencyId}`, sk: 'WEBHOOK' });

export const AGENCY_STATUSES = ['active', 'revoked'] as const;
export type AgencyStatus = (typeof AGENCY_STATUSES)[number];

const agencySchema = z.lazy(() =>
  z.object({
    agencyId: z.string(),
    clientId: z.string(),
    status: z.enum(AGENCY_STATUSES),
    statusAt: z.iso.datetime(),
    /** Absent only while a revocation has arrived before the onboarding it revokes. */
    name: z.optional(z.string()),
    contactEmail: z.optional(z.string()),
  }),
);
export type Agency = z.infer<typeof agencySchema>;

const webhookSchema = z.lazy(() =>
  z.object({
    agencyId: z.string(),
    url: z.string(),
    secret: z.string().check(z.regex(WEBHOOK_SECRET_PATTERN)),
    registeredAt: z.iso.datetime(),
  }),
);
export type Webhook = z.infer<typeof webhookSchema>;

export interface AgencyOnboarding {
  agencyId: string;
  clientId: string;
  name: string;
  contactEmail: string;
  onboardedAt: string;
}

export interface AgencyRevocation {
  agencyId: string;
  clientId: string;
  revokedAt: string;
}

export function createAgencyStore(documents: DynamoDBDocumentClient, tableName: string) {
  /** Sets the status if the fact is newer than the one that set it (a revocation also wins a tie); true when it did. */
  async function moveStatus(
    key: { pk: string; sk: string },
    fields: Record<string, string>,
    status: AgencyStatus,
    at: string,
  ): Promise<boolean> {
    const names: Record<string, string> = { '#status': 'status', '#statusAt': 'statusAt', '#type': 'type' };
    const values: Record<string, string> = { ':status': status, ':at': at, ':type': 'Agency' };
    const sets = ['#status = :status', '#statusAt = :at', '#type = :type'];
    for (const [name, value] of Object.entries(fields)) {
      names[`#${name}`] = name;
      values[`:${name}`] = value;
      sets.push(`#${name} = :${name}`);
    }
    return conditionalWrite(() =>
      documents.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key,
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: `attribute_not_exists(#statusAt) OR #statusAt ${status === 'revoked' ? '<=' : '<'} :at`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      ),
    );
  }

  /** The profile of an onboarding is kept even when a later revocation holds the status. */
  async function setProfile(key: { pk: string; sk: string }, onboarding: AgencyOnboarding) {
    await documents.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: 'SET #name = :name, contactEmail = :email, agencyId = :agencyId, clientId = :clientId',
        ExpressionAttributeNames: { '#name': 'name' },
        ExpressionAttributeValues: {
          ':name': onboarding.name,
          ':email': onboarding.contactEmail,
          ':agencyId': onboarding.agencyId,
          ':clientId': onboarding.clientId,
        },
      }),
    );
  }

  async function getAgency(key: { pk: string; sk: string }): Promise<Agency | undefined> {
    const found = await documents.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
    return found.Item ? parseStoredItem(agencySchema, found.Item, 'agency') : undefined;
  }

  return {
    async onboarded(onboarding: AgencyOnboarding): Promise<void> {
      const fields = {
        agencyId: onboarding.agencyId,
        clientId: onboarding.clientId,
        name: onboarding.name,
        contactEmail: onboarding.contactEmail,
      };
      for (const key of [agencyKey(onboarding.agencyId), clientKey(onboarding.clientId)]) {
        if (!(await moveStatus(key, fields, 'active', onboarding.onboardedAt))) await setProfile(key, onboarding);
      }
    },

    async revoked(revocation: AgencyRevocation): Promise<void> {
      const fields = { agencyId: revocation.agencyId, clientId: revocation.clientId };
      for (const key of [agencyKey(revocation.agencyId), clientKey(revocation.clientId)]) {
        await moveStatus(key, fields, 'revoked', revocation.revokedAt);
      }
    },

    /**
     * The agency an API client belongs to, by its client id alone: an agency claim in a token is not
     * trusted on its own, because only the projection knows whether the agency has been revoked.
     */
    async agencyOfClient(clientId: string): Promise<Agency | undefined> {
      return getAgency(clientKey(clientId));
    },

    /** Registers or replaces the webhook; says which. */
    async registerWebhook(webhook: Webhook): Promise<'registered' | 'replaced'> {
      const result = await documents.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...webhookKey(webhook.agencyId), type: 'Webhook', ...webhook },
          ReturnValues: 'ALL_OLD',
        }),
      );
      return result.Attributes ? 'replaced' : 'registered';
    },

    /** The agency and its webhook, read together (one Query of the agency's partition). */
    async agencyWithWebhook(agencyId: string): Promise<{ agency: Agency | undefined; webhook: Webhook | undefined }> {
      const result = await documents.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': agencyKey(agencyId).pk },
          ConsistentRead: true,
        }),
      );
      const items = result.Items ?? [];
      const agencyItem = items.find((item) => item.sk === 'AGENCY');
      const webhookItem = items.find((item) => item.sk === 'WEBHOOK');
      return {
        agency: agencyItem ? parseStoredItem(agencySchema, agencyItem, 'agency') : undefined,
        webhook: webhookItem ? parseStoredItem(webhookSchema, webhookItem, 'webhook') : undefined,
      };
    },
  };
}

export type AgencyStore = ReturnType<typeof createAgencyStore>;
