/**
 * The notifications functions as deployed, against a fresh DynamoDB Local table. Handlers read
 * their environment at module load, so it is set here first and the modules are imported after.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { HttpHandler } from '@fsp/shared/http/handler';
import type { Mailbox } from '@fsp/shared/inbox/mailbox';
import { apiGatewayEvent, workerClaims } from '@fsp/shared/testing/api-gateway-event';
import { createTestTable, lambdaEnvironment } from '@fsp/shared/testing/dynamodb';
import type { Consumer } from '@fsp/shared/testing/events';
import { manifest } from '../../service';
import { createInboxStore, INBOX_ITEM_PREFIX, mailboxKey } from '../../src/store/inbox-store';

export async function notificationsUnderTest() {
  const table = await createTestTable('notifications');
  // Every consumer reads the directory (its delivery does), so each entry builds one from USER_POOL_ID.
  Object.assign(process.env, manifest.environment, lambdaEnvironment(table.tableName), { USER_POOL_ID: 'eu-west-2_entrytest' });
  const [http, onReferralSubmitted, onCaseOpened, onSupervisionScheduled, onDecisionDue, onDecisionOverdue, onCaseAllocated] =
    await Promise.all([
      import('../../src/entries/http'),
      import('../../src/entries/on-referral-submitted'),
      import('../../src/entries/on-case-opened'),
      import('../../src/entries/on-supervision-scheduled'),
      import('../../src/entries/on-referral-decision-due'),
      import('../../src/entries/on-referral-decision-overdue'),
      import('../../src/entries/on-case-allocated'),
    ]);
  return {
    table,
    store: createInboxStore(table.documentClient, table.tableName, { conflictBackoffMs: 5 }),
    http: http.handler as HttpHandler,
    consumers: {
      referralSubmitted: onReferralSubmitted.handler as Consumer,
      caseOpened: onCaseOpened.handler as Consumer,
      caseAllocated: onCaseAllocated.handler as Consumer,
      supervisionScheduled: onSupervisionScheduled.handler as Consumer,
      decisionDue: onDecisionDue.handler as Consumer,
      decisionOverdue: onDecisionOverdue.handler as Consumer,
    },
    /** The inbox items stored in one mailbox, straight from the table. */
    async itemsIn(mailbox: Mailbox): Promise<Record<string, unknown>[]> {
      const result = await table.documentClient.send(
        new QueryCommand({
          TableName: table.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :item)',
          ExpressionAttributeValues: { ':pk': mailboxKey(mailbox), ':item': INBOX_ITEM_PREFIX },
          ConsistentRead: true,
        }),
      );
      return result.Items ?? [];
    },
  };
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
