/**
 * The notifications functions as deployed, against a fresh DynamoDB Local table. Handlers read
 * their environment at module load, so it is set here first and the modules are imported after.
 */
import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { buildEvent } from '@fsp/shared/events/build';
import type { EventDefinition } from '@fsp/shared/events/define';
import type { HttpHandler } from '@fsp/shared/http/handler';
import { apiGatewayEvent, workerClaims } from '@fsp/shared/testing/api-gateway-event';
import { createTestTable, lambdaEnvironment } from '@fsp/shared/testing/dynamodb';
import type { Consumer } from '@fsp/shared/testing/events';
import { fixedClock } from '@fsp/shared/time/clock';
import type * as core from 'zod/v4/core';
import { manifest } from '../../service';
import { createInboxStore } from '../../src/store/inbox-store';

export async function notificationsUnderTest() {
  const table = await createTestTable('notifications');
  Object.assign(process.env, manifest.environment, lambdaEnvironment(table.tableName));
  const [http, onReferralSubmitted, onCaseOpened, onSupervisionScheduled, onDecisionDue, onDecisionOverdue] = await Promise.all([
    import('../../src/handlers/http'),
    import('../../src/handlers/on-referral-submitted'),
    import('../../src/handlers/on-case-opened'),
    import('../../src/handlers/on-supervision-scheduled'),
    import('../../src/handlers/on-referral-decision-due'),
    import('../../src/handlers/on-referral-decision-overdue'),
  ]);
  return {
    table,
    store: createInboxStore(table.documentClient, table.tableName, { conflictBackoffMs: 5 }),
    http: http.handler as HttpHandler,
    consumers: {
      referralSubmitted: onReferralSubmitted.handler as Consumer,
      caseOpened: onCaseOpened.handler as Consumer,
      supervisionScheduled: onSupervisionScheduled.handler as Consumer,
      decisionDue: onDecisionDue.handler as Consumer,
      decisionOverdue: onDecisionOverdue.handler as Consumer,
    },
    /** The inbox items stored in one mailbox, straight from the table. */
    async itemsIn(mailbox: string): Promise<Record<string, unknown>[]> {
      const result = await table.documentClient.send(
        new QueryCommand({
          TableName: table.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :item)',
          ExpressionAttributeValues: { ':pk': `MAILBOX#${mailbox}`, ':item': 'ITEM#' },
          ConsistentRead: true,
        }),
      );
      return result.Items ?? [];
    },
  };
}

/** A fact as its producer's outbox would carry it, at a chosen time. */
export function factOf<D extends core.$ZodType>(
  definition: EventDefinition<D>,
  data: core.input<D>,
  occurredAt = '2026-01-05T09:30:00.000Z',
) {
  return buildEvent(definition, data, { clock: fixedClock(occurredAt), correlationId: randomUUID(), causationId: randomUUID() });
}

export interface Worker {
  userId: string;
  teamId: string;
}

/** A worker's request to the notifications HTTP function, with the claims the gateway would pass. */
export function asWorker(worker: Worker, method: string, path: string) {
  return apiGatewayEvent({
    method,
    path,
    claims: workerClaims({
      sub: worker.userId,
      'cognito:username': worker.userId,
      'custom:team': worker.teamId,
      'cognito:groups': '[social-worker]',
    }),
  });
}

export const bodyOf = <T>(result: { body?: string }): T => JSON.parse(result.body ?? 'null') as T;
