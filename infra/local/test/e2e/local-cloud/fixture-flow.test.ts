import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { buildEvent } from '@fsp/shared/events/build';
import { resolveManifest } from '@fsp/shared/manifest-resolve';
import { writeWithOutbox } from '@fsp/shared/outbox';
import { testDynamoClient, testDynamoEndpoint } from '@fsp/shared/testing/dynamodb';
import { NoteWritten } from '@fsp/shared/testing/fixtures/notes-service/events';
import { manifest as notesManifest } from '@fsp/shared/testing/fixtures/notes-service/service';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../src/dynamodb-local';
import { LOCAL_BUS_NAME, type LocalCloud, startLocalCloud } from '../../../src/local-cloud';
import { eventually, verboseLog, workerToken } from './support';

describe('the local cloud, end to end with a fixture service', () => {
  const documents = DynamoDBDocumentClient.from(testDynamoClient());
  const dataDirectory = mkdtempSync(join(tmpdir(), 'fsp-local-cloud-'));
  const tablePrefix = `flow${Date.now().toString(36)}-`;
  let cloud: LocalCloud;
  let token: string;

  const start = () =>
    startLocalCloud({
      manifests: [resolveManifest(notesManifest)],
      dynamoEndpoint: testDynamoEndpoint(),
      dataDirectory,
      tablePrefix,
      queueOverrides: { backoff: () => 50, visibilityTimeoutMs: 5_000 },
      log: verboseLog,
    });
  const table = () => cloud.tableNames.notes!;
  const effectsOf = async (noteId: string) =>
    (await documents.send(new GetCommand({ TableName: table(), Key: { pk: `EFFECT#${noteId}`, sk: 'EFFECT' } }))).Item?.effects as
      | number
      | undefined;
  const signIn = async () => {
    token = await workerToken(cloud, 'socialworker');
  };
  const postNote = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${cloud.url}/notes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const putOnBus = async (entries: { detail: unknown }[]) => {
    const client = new EventBridgeClient({ endpoint: cloud.url, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    try {
      return await client.send(
        new PutEventsCommand({
          Entries: entries.map(({ detail }) => ({
            EventBusName: LOCAL_BUS_NAME,
            Source: 'fsp.notes',
            DetailType: 'NoteWritten',
            Detail: JSON.stringify(detail),
          })),
        }),
      );
    } finally {
      client.destroy();
    }
  };

  beforeAll(async () => {
    cloud = await start();
    await signIn();
  });

  afterAll(async () => {
    await cloud?.stop();
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('carries a request through the outbox, stream relay, bus and queue to exactly one effect', async () => {
    const response = await postNote({ text: 'home visit: children well' }, { 'x-correlation-id': 'visit-2026-11-23' });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    expect(await eventually(() => effectsOf(id), 'the consumer effect')).toBe(1);
    const effect = await documents.send(new GetCommand({ TableName: table(), Key: { pk: `EFFECT#${id}`, sk: 'EFFECT' } }));
    expect(effect.Item?.correlationId).toBe('visit-2026-11-23');
    const read = await fetch(`${cloud.url}/notes/${id}`, { headers: { authorization: `Bearer ${token}` } });
    expect(await read.json()).toEqual({ id, text: 'home visit: children well' });
  });

  it('rejects a bad request with every failing field and writes nothing', async () => {
    const before = await documents.send(
      new QueryCommand({ TableName: table(), KeyConditionExpression: 'pk = :x', ExpressionAttributeValues: { ':x': 'x' } }),
    );
    expect(before.Items).toEqual([]);
    const response = await postNote({ text: '', crash: 'sometimes' });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const problem = (await response.json()) as { errors: { path: string }[] };
    expect(problem.errors.map((error) => error.path).sort()).toEqual(['$.crash', '$.text']);
    const unauthorised = await fetch(`${cloud.url}/notes`, { method: 'POST', body: '{}' });
    expect(unauthorised.status).toBe(401);
  });

  it('gives one effect when the same fact arrives five times, in sequence and at once', async () => {
    const make = (noteId: string) =>
      buildEvent(NoteWritten, { noteId, text: 'duplicate' }, { clock: () => new Date(), correlationId: 'test', causationId: 'test' });
    const sequential = make('dup-sequential');
    for (let i = 0; i < 5; i += 1) expect((await putOnBus([sequential])).FailedEntryCount).toBe(0);
    const concurrent = make('dup-concurrent');
    await Promise.all(Array.from({ length: 5 }, () => putOnBus([concurrent])));
    expect(await eventually(() => effectsOf('dup-sequential'), 'sequential effect')).toBe(1);
    expect(await eventually(() => effectsOf('dup-concurrent'), 'concurrent effect')).toBe(1);
    // Let every duplicate drain before judging "exactly one".
    await eventually(async () => (cloud.queues.all().every((queue) => queue.depth() === 0) ? true : undefined), 'queues to drain');
    expect(await effectsOf('dup-sequential')).toBe(1);
    expect(await effectsOf('dup-concurrent')).toBe(1);
  });

  it('dead-letters a poison message after five attempts and redrives it once the fault is fixed', async () => {
    const response = await postNote({ text: 'poison' });
    const { id } = (await response.json()) as { id: string };
    const dlq = await eventually(async () => {
      const listing = (await (await fetch(`${cloud.url}/_local/dlq`)).json()) as {
        deadLetters: { messageId: string; receiveCount: number; queue: string }[];
      };
      return listing.deadLetters.length > 0 ? listing.deadLetters : undefined;
    }, 'the dead letter');
    expect(dlq).toHaveLength(1);
    expect(dlq[0]).toMatchObject({ queue: 'notes-note-effects', receiveCount: 5 });
    expect(await effectsOf(id)).toBeUndefined();

    await documents.send(new PutCommand({ TableName: table(), Item: { pk: 'FAULT#fixed', sk: 'FAULT' } }));
    const redrive = await fetch(`${cloud.url}/_local/dlq/notes-note-effects/redrive`, { method: 'POST' });
    expect(await redrive.json()).toMatchObject({ redriven: 1 });
    expect(await eventually(() => effectsOf(id), 'the redriven effect')).toBe(1);
  });

  it('publishes every committed fact even when the handler dies right after its transaction', async () => {
    const ids = Array.from({ length: 10 }, (_, attempt) => `crash-${attempt}`);
    for (const noteId of ids) {
      const response = await postNote({ text: 'committed, then the environment died', noteId, crash: 'after-commit' });
      // The environment died: API Gateway answers a function that failed 502.
      expect(response.status).toBe(502);
    }
    for (const noteId of ids) {
      const note = await documents.send(new GetCommand({ TableName: table(), Key: { pk: `NOTE#${noteId}`, sk: 'NOTE' } }));
      expect(note.Item).toBeDefined();
      expect(await eventually(() => effectsOf(noteId), `the effect of ${noteId}`)).toBe(1);
    }
  });

  it('loses no committed fact across a restart', async () => {
    await cloud.stop();
    // Committed while the local cloud is down: the relay must find it in the stream on start.
    const event = buildEvent(
      NoteWritten,
      { noteId: 'while-down', text: 'written while stopped' },
      { clock: () => new Date(), correlationId: 't', causationId: 't' },
    );
    await writeWithOutbox(documents, {
      tableName: table(),
      now: new Date(),
      writes: [{ Put: { TableName: table(), Item: { pk: 'NOTE#while-down', sk: 'NOTE', text: 'written while stopped' } } }],
      events: [event],
    });
    cloud = await start();
    await signIn();
    expect(await eventually(() => effectsOf('while-down'), 'the effect after restart')).toBe(1);
  });
});
