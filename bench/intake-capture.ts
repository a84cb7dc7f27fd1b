/**
 * Intake's own DynamoDB transaction for a referral, as the partner API builds it: its routes run in
 * this process with a client that hands over the TransactWriteItems instead of sending it (every
 * other call, such as reading the agency, goes to the local cloud's table). The API overhead bar
 * times that exact input sent directly; the burst sends a thousand of them as its raw baseline.
 */
import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { LocalCloud } from '../infra/local/src/local-cloud';
import { partnerApiRoutes } from '../services/referrals/src/http/partner-api';
import { createHttpHandler } from '../shared/src/http/handler';
import { staticKeyring } from '../shared/src/keyed-hash';
import { createLogger } from '../shared/src/observability/logger';
import { createDocumentClient } from '../shared/src/runtime';
import { apiGatewayEvent } from '../shared/testing/api-gateway-event';
import { localDynamoClient } from './local-client';

export interface IntakeCapture {
  /** The transaction intake would commit for this body; throws unless the routes answer 201. */
  transactionOf(body: string): Promise<TransactWriteCommandInput>;
  destroy(): void;
}

export function captureIntake(cloud: LocalCloud, client: DynamoDBClient): IntakeCapture {
  const tableName = cloud.tableNames.referrals;
  if (!tableName) throw new Error('the local cloud has no referrals table');
  const capturing = createDocumentClient(localDynamoClient(cloud), {});
  let captured: TransactWriteCommandInput | undefined;
  capturing.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'TransactWriteItemsCommand') {
        captured = args.input as TransactWriteCommandInput;
        return { output: { $metadata: {} }, response: {} } as never;
      }
      return next(args);
    },
    { step: 'initialize', name: 'captureTransaction' },
  );
  const logger = createLogger('referrals', { level: 'SILENT' });
  const runtime = { serviceName: 'referrals', tableName, dynamo: client, documents: capturing, clock: () => new Date(), logger };
  const api = createHttpHandler(partnerApiRoutes(runtime, { matchKeys: staticKeyring(cloud.matchKeys) }), { logger });
  const claims = {
    client_id: cloud.demoPartner.clientId,
    token_use: 'access',
    scope: 'referrals/submit referrals/read',
    sub: cloud.demoPartner.clientId,
    ...(cloud.demoPartner.agencyId ? { agency_id: cloud.demoPartner.agencyId } : {}),
  };
  return {
    async transactionOf(body) {
      captured = undefined;
      const response = await api(
        apiGatewayEvent({
          method: 'POST',
          path: '/v1/referrals',
          body,
          claims,
          headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
        }),
      );
      if (response.statusCode !== 201 || !captured)
        throw new Error(`the in-process handler answered ${response.statusCode}: ${response.body}`);
      return captured;
    },
    destroy: () => capturing.destroy(),
  };
}
