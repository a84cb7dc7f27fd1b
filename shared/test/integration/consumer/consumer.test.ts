import { randomUUID } from 'node:crypto';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  type BatchResponse,
  type ConsumerContext,
  type ConsumerSqsRecord,
  createBatchEventConsumer,
  createEventConsumer,
  type EventConsumer,
  idempotencyPartitionKey,
} from '@fsp/shared/consumer';
import type { EventDefinition } from '@fsp/shared/events/define';
import { caseOpenedV1 } from '@fsp/shared/events/definitions/cases';
import { referralSubmittedV1 } from '@fsp/shared/events/definitions/referrals';
import { fixtureDetails } from '@fsp/shared/events/json-schema';
import { createLogger } from '@fsp/shared/observability/logger';
import { conditionalWrite } from '@fsp/shared/store';
import { createTestTable } from '@fsp/shared/testing/dynamodb';
import type * as core from 'zod/v4/core';

const SERVICE = 'cases';
const NOW = new Date('2026-01-05T10:00:00.000Z');
const lambdaContext = { getRemainingTimeInMillis: () => 30_000, functionName: 'cases-consumer', awsRequestId: 'req' };

type Table = Awaited<ReturnType<typeof createTestTable>>;
let table: Table;

beforeEach(async () => {
  table = await createTestTable('consumer');
});
afterEach(async () => {
  await table.drop();
});

/** A fixture of `definition` as a fresh fact (its own eventId). */
function detailOf<D extends core.$ZodType>(definition: EventDefinition<D>, overrides: { eventId?: string; correlationId?: string } = {}) {
  const [fixture] = fixtureDetails(definition);
  if (!fixture) throw new Error(`${definition.detailType} has no fixture`);
  return {
    ...fixture,
    metadata: { ...fixture.metadata, eventId: overrides.eventId ?? randomUUID(), correlationId: overrides.correlationId ?? 'journey-1' },
  };
}

/** What the local cloud (and AWS) delivers: an SQS record whose body is the EventBridge event. */
function sqsRecord(detailType: string, detail: unknown): ConsumerSqsRecord {
  const body = {
    version: '0',
    // EventBridge's id differs between deliveries of the same fact.
    id: randomUUID(),
    'detail-type': detailType,
    source: 'fsp.referrals',
    account: '000000000000',
    time: '2026-01-05T09:30:00Z',
    region: 'eu-west-2',
    resources: [],
    detail,
  };
  return { messageId: randomUUID(), body: JSON.stringify(body), attributes: { ApproximateReceiveCount: '1' } };
}

async function effectsOf(eventId: string): Promise<Record<string, unknown>[]> {
  const result = await table.documentClient.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `EFFECT#${eventId}` },
    }),
  );
  return result.Items ?? [];
}

/** The consumers' idempotency records in the table (every subscription of SERVICE). */
async function idempotencyRecords(): Promise<Record<string, unknown>[]> {
  const result = await table.documentClient.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': idempotencyPartitionKey(SERVICE) },
    }),
  );
  return result.Items ?? [];
}

/** The in-test handle: one item per effect, so duplicates show up as extra items. */
async function recordEffect(eventId: string, context: ConsumerContext, extra: Record<string, unknown> = {}): Promise<void> {
  await table.documentClient.send(
    new PutCommand({
      TableName: table.tableName,
      Item: { pk: `EFFECT#${eventId}`, sk: randomUUID(), correlationId: context.correlationId, now: context.now.toISOString(), ...extra },
    }),
  );
}

function consumer(
  handle: Parameters<typeof createEventConsumer<[typeof referralSubmittedV1]>>[0]['handle'],
  lines: Record<string, unknown>[] = [],
) {
  return createEventConsumer({
    service: SERVICE,
    tableName: table.tableName,
    subscription: 'referral-submitted',
    subscribesTo: [referralSubmittedV1],
    handle,
    dynamoClient: table.client,
    logger: createLogger(SERVICE, { sink: (line) => lines.push(line) }),
    clock: () => NOW,
  });
}

/** Two fresh facts to a consumer whose handling always fails: it answers with both records as failures, not by throwing. */
async function expectEveryRecordReported(handler: EventConsumer): Promise<void> {
  const records = [
    sqsRecord('ReferralSubmitted', detailOf(referralSubmittedV1)),
    sqsRecord('ReferralSubmitted', detailOf(referralSubmittedV1)),
  ];

  const response = await handler({ Records: records }, lambdaContext);

  expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(records.map((record) => record.messageId));
}

describe('createEventConsumer', () => {
  it('gives handle the validated event and a context for follow-on events, under the event correlation id', async () => {
    const lines: Record<string, unknown>[] = [];
    const seen: unknown[] = [];
    const handler = consumer(async (event, context) => {
      seen.push({ event, context: { eventId: context.eventId, correlationId: context.correlationId, now: context.now } });
      // Typed from the definition: this line does not compile if `data` is not ReferralSubmitted v1's.
      context.logger.info('handling', { referralId: event.data.referralId });
      await recordEffect(context.eventId, context);
    }, lines);
    const detail = detailOf(referralSubmittedV1, { correlationId: 'journey-42' });

    const response = await handler({ Records: [sqsRecord('ReferralSubmitted', detail)] }, lambdaContext);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(seen).toEqual([
      {
        event: { detailType: 'ReferralSubmitted', version: 1, metadata: detail.metadata, data: detail.data },
        context: { eventId: detail.metadata.eventId, correlationId: 'journey-42', now: NOW },
      },
    ]);
    expect(lines.find((line) => line.message === 'handling')).toMatchObject({
      correlation_id: 'journey-42',
      causationId: detail.metadata.eventId,
      eventProducer: 'fsp.referrals',
    });
  });

  it('has one effect when a fact is delivered five times in sequence, and keeps the idempotency record at least 24 hours', async () => {
    let calls = 0;
    const handler = consumer(async (_event, context) => {
      calls += 1;
      await recordEffect(context.eventId, context);
    });
    const detail = detailOf(referralSubmittedV1);

    for (let delivery = 0; delivery < 5; delivery++) {
      const response = await handler({ Records: [sqsRecord('ReferralSubmitted', detail)] }, lambdaContext);
      expect(response.batchItemFailures).toEqual([]);
    }

    expect(calls).toBe(1);
    expect(await effectsOf(detail.metadata.eventId)).toHaveLength(1);

    const records = await idempotencyRecords();
    expect(records).toHaveLength(1);
    const record = records[0] ?? {};
    expect(record.status).toBe('COMPLETED');
    expect(record.expiresAt).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) + 24 * 60 * 60);
  });

  it('de-duplicates on metadata.eventId alone, not on the rest of the envelope', async () => {
    const handler = consumer(async (_event, context) => recordEffect(context.eventId, context));
    const detail = detailOf(referralSubmittedV1);
    // A re-published copy of the same fact: same eventId, a different causation chain and timestamp.
    const republished = { ...detail, metadata: { ...detail.metadata, causationId: 'redrive-1', occurredAt: '2026-01-06T09:30:00.000Z' } };

    await handler({ Records: [sqsRecord('ReferralSubmitted', detail)] }, lambdaContext);
    const response = await handler({ Records: [sqsRecord('ReferralSubmitted', republished)] }, lambdaContext);

    expect(response.batchItemFailures).toEqual([]);
    expect(await effectsOf(detail.metadata.eventId)).toHaveLength(1);
  });

  it('has one effect when five copies arrive in one batch', async () => {
    const handler = consumer(async (_event, context) => recordEffect(context.eventId, context));
    const detail = detailOf(referralSubmittedV1);
    const records = Array.from({ length: 5 }, () => sqsRecord('ReferralSubmitted', detail));

    const response = await handler({ Records: records }, lambdaContext);

    expect(response.batchItemFailures).toEqual([]);
    expect(await effectsOf(detail.metadata.eventId)).toHaveLength(1);
  });

  it('has one effect when five deliveries are handled concurrently; the losers are retried and then succeed without a second effect', async () => {
    // The winner is held inside handle until every other delivery has answered, so "concurrent"
    // does not depend on how long anything takes.
    let calls = 0;
    let releaseWinner!: () => void;
    const winnerHeld = new Promise<void>((resolve) => {
      releaseWinner = resolve;
    });
    const handler = consumer(async (_event, context) => {
      calls += 1;
      await winnerHeld;
      await recordEffect(context.eventId, context);
    });
    const detail = detailOf(referralSubmittedV1);
    let pending = Array.from({ length: 5 }, () => sqsRecord('ReferralSubmitted', detail));

    const settled: BatchResponse[] = [];
    let fourAnswered!: () => void;
    const othersAnswered = new Promise<void>((resolve) => {
      fourAnswered = resolve;
    });
    const deliveries = pending.map((record) =>
      handler({ Records: [record] }, lambdaContext).then((response) => {
        settled.push(response);
        if (settled.length === 4) fourAnswered();
        return response;
      }),
    );
    await othersAnswered;
    // Four answered while the winner was still inside handle: each saw it in progress and asked to be retried.
    expect(calls).toBe(1);
    expect(settled.map((response) => response.batchItemFailures.length)).toEqual([1, 1, 1, 1]);
    releaseWinner();
    const first = await Promise.all(deliveries);
    const failedIds = new Set(first.flatMap((r) => r.batchItemFailures.map((f) => f.itemIdentifier)));
    expect(failedIds.size).toBe(4);
    expect(calls).toBe(1);

    // SQS redelivers the failed messages (concurrently again) until none fail.
    for (let round = 0; round < 5 && pending.length > 0; round++) {
      pending = pending.filter((record) => failedIds.has(record.messageId));
      failedIds.clear();
      const responses = await Promise.all(pending.map((record) => handler({ Records: [record] }, lambdaContext)));
      for (const id of responses.flatMap((r) => r.batchItemFailures.map((f) => f.itemIdentifier))) failedIds.add(id);
      if (failedIds.size === 0) pending = [];
    }

    expect(pending).toEqual([]);
    expect(calls).toBe(1);
    expect(await effectsOf(detail.metadata.eventId)).toHaveLength(1);
  });

  it('idempotent by its own writes: writes no idempotency record, handles every delivery, and its conditional write keeps one effect', async () => {
    let calls = 0;
    const handler = createEventConsumer({
      service: SERVICE,
      tableName: table.tableName,
      subscription: 'referral-submitted',
      subscribesTo: [referralSubmittedV1],
      idempotency: 'by-its-own-writes',
      handle: async (_event, context) => {
        calls += 1;
        await conditionalWrite(() =>
          table.documentClient.send(
            new PutCommand({
              TableName: table.tableName,
              Item: { pk: `EFFECT#${context.eventId}`, sk: 'once' },
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          ),
        );
      },
      dynamoClient: table.client,
      logger: createLogger(SERVICE, { sink: () => {} }),
      clock: () => NOW,
    });
    const detail = detailOf(referralSubmittedV1);

    for (let delivery = 0; delivery < 5; delivery++) {
      expect((await handler({ Records: [sqsRecord('ReferralSubmitted', detail)] }, lambdaContext)).batchItemFailures).toEqual([]);
    }
    const concurrent = await Promise.all(
      Array.from({ length: 5 }, () => handler({ Records: [sqsRecord('ReferralSubmitted', detail)] }, lambdaContext)),
    );

    expect(concurrent.flatMap((response) => response.batchItemFailures)).toEqual([]);
    expect(calls).toBe(10);
    expect(await effectsOf(detail.metadata.eventId)).toHaveLength(1);
    expect(await idempotencyRecords()).toEqual([]);
  });

  it('fails only the record whose detail breaks the contract, logging each failing field path', async () => {
    const lines: Record<string, unknown>[] = [];
    const handler = consumer(async (_event, context) => recordEffect(context.eventId, context), lines);
    const before = detailOf(referralSubmittedV1);
    const after = detailOf(referralSubmittedV1);
    const broken = detailOf(referralSubmittedV1, { correlationId: 'journey-broken' });
    const { referralId: _dropped, ...dataWithoutId } = broken.data;
    const invalid = sqsRecord('ReferralSubmitted', { ...broken, data: { ...dataWithoutId, childCount: 0 } });

    const response = await handler(
      { Records: [sqsRecord('ReferralSubmitted', before), invalid, sqsRecord('ReferralSubmitted', after)] },
      lambdaContext,
    );

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: invalid.messageId }]);
    expect(await effectsOf(before.metadata.eventId)).toHaveLength(1);
    expect(await effectsOf(after.metadata.eventId)).toHaveLength(1);
    expect(await effectsOf(broken.metadata.eventId)).toHaveLength(0);

    const rejection = lines.find((line) => line.level === 'ERROR');
    expect(rejection).toMatchObject({ messageId: invalid.messageId, correlation_id: 'journey-broken' });
    const paths = ((rejection?.issues ?? []) as { path: string }[]).map((issue) => issue.path).sort();
    expect(paths).toEqual(['$.detail.data.childCount', '$.detail.data.referralId']);
  });

  it('fails only the records of an event or version it does not consume, and a body that is not JSON', async () => {
    const lines: Record<string, unknown>[] = [];
    const handler = consumer(async (_event, context) => recordEffect(context.eventId, context), lines);
    const good = detailOf(referralSubmittedV1);
    const unknownType = sqsRecord('CaseOpened', detailOf(caseOpenedV1));
    const v2 = detailOf(referralSubmittedV1);
    const unknownVersion = sqsRecord('ReferralSubmitted', { ...v2, metadata: { ...v2.metadata, schemaVersion: 2 } });
    const notJson = { ...sqsRecord('ReferralSubmitted', good), body: '{"detail-type":' };

    const response = await handler(
      { Records: [unknownType, sqsRecord('ReferralSubmitted', good), unknownVersion, notJson] },
      lambdaContext,
    );

    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: unknownType.messageId },
      { itemIdentifier: unknownVersion.messageId },
      { itemIdentifier: notJson.messageId },
    ]);
    expect(await effectsOf(good.metadata.eventId)).toHaveLength(1);
    const reasons = lines.filter((line) => line.level === 'ERROR').map((line) => line.reason);
    expect(reasons).toEqual([
      expect.stringContaining('does not consume CaseOpened version 1'),
      expect.stringContaining('does not consume ReferralSubmitted version 2'),
      expect.stringContaining('not JSON'),
    ]);
  });

  it('does not record completion when handle throws, so the next delivery runs it again, once', async () => {
    const lines: Record<string, unknown>[] = [];
    let calls = 0;
    const handler = consumer(async (_event, context) => {
      calls += 1;
      if (calls === 1) throw new Error('the cases table is unavailable');
      await recordEffect(context.eventId, context);
    }, lines);
    const detail = detailOf(referralSubmittedV1);
    const delivery = sqsRecord('ReferralSubmitted', detail);

    const first = await handler({ Records: [delivery] }, lambdaContext);
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: delivery.messageId }]);
    expect(await effectsOf(detail.metadata.eventId)).toHaveLength(0);
    expect(lines.find((line) => line.level === 'ERROR')).toMatchObject({ correlation_id: 'journey-1' });
    expect(await idempotencyRecords()).toEqual([]);

    const second = await handler({ Records: [{ ...delivery, attributes: { ApproximateReceiveCount: '2' } }] }, lambdaContext);
    const third = await handler({ Records: [{ ...delivery, attributes: { ApproximateReceiveCount: '3' } }] }, lambdaContext);

    expect(second.batchItemFailures).toEqual([]);
    expect(third.batchItemFailures).toEqual([]);
    expect(calls).toBe(2);
    expect(await effectsOf(detail.metadata.eventId)).toHaveLength(1);
  });

  it('reports every record of a batch that fails entirely instead of throwing', async () => {
    await expectEveryRecordReported(
      consumer(async () => {
        throw new Error('down');
      }),
    );
  });

  it('refuses to start with the same event version listed twice', () => {
    expect(() =>
      createEventConsumer({
        service: SERVICE,
        tableName: table.tableName,
        subscription: 'referral-submitted',
        subscribesTo: [referralSubmittedV1, referralSubmittedV1],
        handle: async () => {},
        dynamoClient: table.client,
      }),
    ).toThrow('lists the same event version twice');
  });

  it('refuses to start without the name of the subscription it serves (its idempotency records are keyed by it)', () => {
    expect(() =>
      createEventConsumer({
        service: SERVICE,
        tableName: table.tableName,
        subscription: '',
        subscribesTo: [referralSubmittedV1],
        handle: async () => {},
        dynamoClient: table.client,
      }),
    ).toThrow('must name its manifest subscription');
  });
});

describe('createBatchEventConsumer', () => {
  const batchConsumer = (
    handleBatch: Parameters<typeof createBatchEventConsumer<[typeof referralSubmittedV1]>>[0]['handleBatch'],
    lines: Record<string, unknown>[] = [],
  ) =>
    createBatchEventConsumer({
      service: SERVICE,
      tableName: table.tableName,
      subscription: 'referral-submitted',
      subscribesTo: [referralSubmittedV1],
      handleBatch,
      logger: createLogger(SERVICE, { sink: (line) => lines.push(line) }),
      clock: () => NOW,
    });

  it('hands over a batch’s facts together, each once however many records carry it, each logging under its own correlation id', async () => {
    const lines: Record<string, unknown>[] = [];
    const seen: string[][] = [];
    const handler = batchConsumer(async (facts) => {
      seen.push(facts.map(({ event }) => event.data.referralId));
      // Handled at once, logging in between each other's awaits.
      return Promise.allSettled(
        facts.map(async ({ event, context }, index) => {
          await new Promise((resolve) => setImmediate(resolve, index));
          context.logger.info('handling', { referralId: event.data.referralId });
        }),
      );
    }, lines);
    const first = { ...detailOf(referralSubmittedV1, { correlationId: 'journey-a' }) };
    const second = detailOf(referralSubmittedV1, { correlationId: 'journey-b' });
    second.data = { ...second.data, referralId: 'ref-second' };

    const response = await handler(
      { Records: [sqsRecord('ReferralSubmitted', first), sqsRecord('ReferralSubmitted', second), sqsRecord('ReferralSubmitted', first)] },
      lambdaContext,
    );

    expect(response.batchItemFailures).toEqual([]);
    expect(seen).toEqual([[first.data.referralId, 'ref-second']]);
    const handling = lines.filter((line) => line.message === 'handling');
    expect(handling.map((line) => [line.referralId, line.correlation_id, line.causationId])).toEqual([
      [first.data.referralId, 'journey-a', first.metadata.eventId],
      ['ref-second', 'journey-b', second.metadata.eventId],
    ]);
    expect(await idempotencyRecords()).toEqual([]);
  });

  it('fails only the records of a fact whose handling failed, and a record it cannot read, logging each', async () => {
    const lines: Record<string, unknown>[] = [];
    const failing = detailOf(referralSubmittedV1, { correlationId: 'journey-fails' });
    const handler = batchConsumer(
      async (facts) =>
        Promise.allSettled(
          facts.map(async ({ context }) => {
            if (context.eventId === failing.metadata.eventId) throw new Error('the store refused it');
          }),
        ),
      lines,
    );
    const good = sqsRecord('ReferralSubmitted', detailOf(referralSubmittedV1));
    const bad = [sqsRecord('ReferralSubmitted', failing), sqsRecord('ReferralSubmitted', failing)];
    const unreadable: ConsumerSqsRecord = { messageId: 'not-json', body: '{', attributes: { ApproximateReceiveCount: '2' } };

    const response = await handler({ Records: [good, bad[0]!, unreadable, bad[1]!] }, lambdaContext);

    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual(
      [bad[0]!.messageId, bad[1]!.messageId, 'not-json'].sort(),
    );
    expect(lines.find((line) => line.message === 'Handling the event failed; it will be retried')).toMatchObject({
      correlation_id: 'journey-fails',
      error: expect.objectContaining({ message: 'the store refused it' }),
    });
    expect(lines.find((line) => line.message === 'Event rejected; the message will be retried and then dead-lettered')).toMatchObject({
      messageId: 'not-json',
    });
  });

  it('fails every readable record when the batch’s handling throws', async () => {
    await expectEveryRecordReported(
      batchConsumer(async () => {
        throw new Error('nothing could be written');
      }),
    );
  });
});
