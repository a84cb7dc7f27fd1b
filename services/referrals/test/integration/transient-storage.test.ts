/**
 * QUALITY.md, reliability 8, at the partner API: when DynamoDB cannot be reached for a moment, POST
 * /v1/referrals answers 503 with Retry-After and stores nothing (the referral, its Idempotency-Key
 * record, its rate-limit count and its event are one transaction that never reached the table),
 * and the partner's retry with the same Idempotency-Key, once the table is back, stores the
 * referral once. The failure is real: the handler's DynamoDB client talks to DynamoDB Local
 * through a loopback TCP relay that resets the connections carrying the failing calls.
 */
import { randomUUID } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '@fsp/infra/local/dynamodb-local';
import { createDocumentClient, type ServiceRuntime } from '@fsp/shared/runtime';
import { apiGatewayEvent, partnerClaims, problemOf } from '@fsp/shared/testing/api-gateway-event';
import { allItems, type TestTable, testDynamoEndpoint } from '@fsp/shared/testing/dynamodb';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { fixedClock } from '@fsp/shared/time/clock';
import { onboardAgency } from '../support/agencies';
import { schoolReferral } from '../support/fixtures';
import { createPartnerApi } from '../support/http';

/** Which DynamoDB calls the relay cuts off (by their X-Amz-Target), or none. */
let cutOff: RegExp | undefined;

/** A loopback TCP relay to DynamoDB Local that resets a connection as soon as a cut-off call is sent on it, before it reaches the table. */
async function startRelay(target: URL): Promise<{ endpoint: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    client.on('data', (chunk: Buffer) => {
      if (cutOff?.test(chunk.toString('latin1'))) {
        upstream.destroy();
        client.resetAndDestroy();
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      socket.on('error', end);
      socket.on('close', () => {
        sockets.delete(socket);
        end();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the relay has no port');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

let table: TestTable;
let runtime: ServiceRuntime;
let relay: Awaited<ReturnType<typeof startRelay>>;
let relayedClient: DynamoDBClient;
let logLines: Record<string, unknown>[];

beforeEach(async () => {
  cutOff = undefined;
  let direct: ServiceRuntime;
  ({ table, runtime: direct, logLines } = await createTestRuntime('referrals', fixedClock('2026-11-23T09:15:00Z')));
  relay = await startRelay(new URL(testDynamoEndpoint()));
  relayedClient = new DynamoDBClient({ endpoint: relay.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  // The partner API as its entry composes it, its table reached only through the relay.
  runtime = { ...direct, dynamo: relayedClient, documents: createDocumentClient(relayedClient, {}) };
  await onboardAgency(table.documentClient, table.tableName, { agencyId: 'agency-oakfield', clientId: String(partnerClaims().client_id) });
});

afterEach(async () => {
  relayedClient.destroy();
  await relay.close();
  await table.drop();
});

const submit = (key: string, body = schoolReferral()) =>
  createPartnerApi(runtime)(
    apiGatewayEvent({
      method: 'POST',
      path: '/v1/referrals',
      body,
      claims: partnerClaims({ agency_id: 'agency-oakfield' }),
      headers: { 'idempotency-key': key },
    }),
  );

/** What requests wrote: everything but the onboarded agency. */
const written = async () => (await allItems(table)).filter((item) => item.kind !== 'agency' && item.kind !== 'agency-client');

describe('POST /v1/referrals while DynamoDB cannot be reached', () => {
  it('answers 503 with Retry-After and stores nothing when its transaction’s connection is reset; the retry with the same key stores it once', async () => {
    const key = randomUUID();
    const body = schoolReferral();
    cutOff = /x-amz-target: DynamoDB_20120810\.TransactWriteItems/i;
    const refused = await submit(key, body);
    expect(refused.statusCode).toBe(503);
    expect(Number(refused.headers?.['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused.headers?.['content-type']).toBe('application/problem+json');
    expect(problemOf(refused)).toMatchObject({ title: 'Service Unavailable', status: 503 });
    expect(await written()).toEqual([]);
    // Busy, not broken: a warning naming the connection's failure, no error.
    expect(logLines.filter((line) => line.level === 'ERROR')).toEqual([]);
    expect(logLines).toContainEqual(expect.objectContaining({ level: 'WARN', status: 503, kind: 'unavailable', reason: 'ECONNRESET' }));

    cutOff = undefined;
    const accepted = await submit(key, body);
    expect(accepted.statusCode).toBe(201);
    const receipt = JSON.parse(accepted.body ?? '{}') as { id: string };
    const replayed = await submit(key, body);
    expect(replayed.statusCode).toBe(201);
    expect(replayed.headers?.['idempotent-replayed']).toBe('true');
    expect(JSON.parse(replayed.body ?? '{}')).toEqual(JSON.parse(accepted.body ?? '{}'));
    const referrals = (await written()).filter((item) => item.kind === 'referral');
    expect(referrals.map((item) => item.referralId)).toEqual([receipt.id]);
  });

  it('answers 503 with Retry-After when no call reaches the table at all, and the same request succeeds once it is back', async () => {
    const key = randomUUID();
    cutOff = /x-amz-target: DynamoDB_20120810\./i;
    const refused = await submit(key);
    expect(refused.statusCode).toBe(503);
    expect(Number(refused.headers?.['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(await written()).toEqual([]);

    cutOff = undefined;
    expect((await submit(key)).statusCode).toBe(201);
    expect((await written()).filter((item) => item.kind === 'referral')).toHaveLength(1);
  });
});
