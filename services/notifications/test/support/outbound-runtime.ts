/**
 * The outbound parts of notifications (agency projection, webhooks, referrer email, the sweep and
 * the HTTP API) built from their factories around one DynamoDB Local table and a clock the test
 * moves, so 24 hours of retries take milliseconds.
 */
import { DeleteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { idempotencyPartitionKey } from '@fsp/shared/consumer';
import { apiGatewayEvent, partnerClaims, workerClaims } from '@fsp/shared/testing/api-gateway-event';
import { type DeliverableEvent, lambdaContext, sqsEventOf } from '@fsp/shared/testing/events';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import type { EmailSender } from '../../src/adapters/ses-email-sender';
import { createWebhookPoster } from '../../src/adapters/webhook-sender';
import { createAgencyOnboardedConsumer } from '../../src/consumers/agency-onboarded';
import { createAgencyRevokedConsumer } from '../../src/consumers/agency-revoked';
import { createReferralDecidedConsumer } from '../../src/consumers/referral-decided';
import { createWebhookSweep } from '../../src/schedules/webhook-retries';
import { createDeliveryStore } from '../../src/store/delivery-store';
import { notificationsHttpHandler } from './http';
import { movableClock } from './outbound';

const noEmail: EmailSender = async () => {
  throw new Error('this test sends no email');
};

export async function outboundUnderTest(options: { sendEmail?: EmailSender; webhookTimeoutMs?: number; start?: string } = {}) {
  const time = movableClock(options.start ?? '2026-01-05T15:10:00.000Z');
  const { table, runtime, logLines } = await createTestRuntime('notifications', time.clock);
  // As on the local stage: the test receivers listen on 127.0.0.1.
  const post = createWebhookPoster({ timeoutMs: options.webhookTimeoutMs ?? 2_000, allowLoopback: true });
  const referralDecided = createReferralDecidedConsumer(runtime, { sendEmail: options.sendEmail ?? noEmail, post });
  const sweep = createWebhookSweep(runtime, { post });
  const consumers = {
    agencyOnboarded: createAgencyOnboardedConsumer(runtime),
    agencyRevoked: createAgencyRevokedConsumer(runtime),
    referralDecided,
  };
  return {
    table,
    runtime,
    logLines,
    time,
    consumers,
    sweep: () => sweep(undefined, { getRemainingTimeInMillis: () => 60_000 }),
    deliveries: createDeliveryStore(table.documentClient, table.tableName),
    /** The API as the local stage builds it (http://127.0.0.1 webhooks allowed). */
    localApi: notificationsHttpHandler(runtime, { allowLocalHttp: true }),
    /** The API as a deployed stage builds it (https only). */
    deployedApi: notificationsHttpHandler(runtime, { allowLocalHttp: false }),
    async deliver(consumer: keyof typeof consumers, event: DeliverableEvent) {
      const response = await consumers[consumer](sqsEventOf(event), lambdaContext);
      expect(response.batchItemFailures).toEqual([]);
    },
    async forgetIdempotency() {
      const records = await table.documentClient.send(
        new QueryCommand({
          TableName: table.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': idempotencyPartitionKey('notifications') },
          ConsistentRead: true,
        }),
      );
      for (const record of records.Items ?? []) {
        await table.documentClient.send(new DeleteCommand({ TableName: table.tableName, Key: { pk: record.pk, sk: record.sk } }));
      }
    },
  };
}

export const putWebhook = (url: unknown, claims: Record<string, string> = {}, scope = 'referrals/submit referrals/read') =>
  apiGatewayEvent({ method: 'PUT', path: '/v1/agencies/me/webhook', body: { url }, claims: partnerClaims({ scope, ...claims }) });

export const asAdministrator = (path: string, groups = '[administrator]') =>
  apiGatewayEvent({ method: 'GET', path, claims: workerClaims({ 'cognito:groups': groups, 'custom:team': 'platform' }) });
