/**
 * Event consumers (ARCHITECTURE.md, Events): rule → SQS queue → this Lambda handler, with partial
 * batch responses. Each record's body is an EventBridge event; its `detail` is validated against
 * the definition named by `detail-type` and `metadata.schemaVersion`, and the service's `handle`
 * runs at most once per `metadata.eventId` (Powertools idempotency on the service's own table), or,
 * for a consumer whose own writes make a repeated fact change nothing, for every delivery
 * (`idempotency: 'by-its-own-writes'`, ADR 0032).
 *
 * A record that cannot be read (not JSON, an event this consumer does not subscribe to, a detail
 * that breaks its contract) fails alone: it is logged with the failing field paths and reported
 * in `batchItemFailures`, so after five receives it lands in the subscription's DLQ where it can
 * be inspected and redriven. Nothing is dropped silently.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { IdempotencyAlreadyInProgressError, IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type * as core from 'zod/v4/core';
import { safeParseEventDetail } from './events/build';
import type { EventDefinition } from './events/define';
import { eventKey } from './events/define';
import type { EventMetadata } from './events/envelope';
import type { FieldIssue } from './events/field-issues';
import { idempotencyNameOf } from './manifest-resolve';
import { flushMetrics, recordMetric } from './metrics';
import { isValidCorrelationId } from './observability/correlation';
import { beginEventLogScope, beginLogScope, createLogger, endLogScope, type Logger } from './observability/logger';
import type { ServiceRuntime } from './runtime';
import { withoutSdkLogging } from './sdk-client';
import { TABLE_KEYS } from './table';

/** Idempotency records outlive any redelivery: SQS retention is at most 14 days, DLQ redrive included. */
export const IDEMPOTENCY_RECORD_SECONDS = 14 * 24 * 60 * 60;

export const idempotencyPartitionKey = (service: string): string => `IDEMPOTENCY#${service}`;

/**
 * What `handle` returns when its writes found their effect already there (the fact handled before):
 * the fact is not counted as consumed again. Only a consumer idempotent by its own writes meets
 * repeats; one with idempotency records never runs `handle` for a fact it completed.
 */
export const HANDLED_BEFORE = 'handled-before';
/** What handling a fact resolves to: nothing (most handlers return nothing), or HANDLED_BEFORE. */
// biome-ignore lint/suspicious/noConfusingVoidType: a handler that returns nothing (most do) is an async function's Promise<void>.
export type FactHandled = void | typeof HANDLED_BEFORE;

/** The event a handler receives: one of the subscribed definitions, validated. */
export type ConsumedEvent<E extends EventDefinition> =
  E extends EventDefinition<infer D> ? { detailType: string; version: number; metadata: EventMetadata; data: core.output<D> } : never;

export interface ConsumerContext {
  /** The fact being handled; follow-on events use it as their `causationId`. */
  eventId: string;
  /** Carry it on into follow-on events and log lines. */
  correlationId: string;
  /** From the consumer's clock, read once per record. */
  now: Date;
  logger: Logger;
}

/** The parts of an SQS record the consumer reads (AWS's `SQSRecord` and the local cloud's both fit). */
export interface ConsumerSqsRecord {
  messageId: string;
  body: string;
  attributes?: { ApproximateReceiveCount?: string };
}

export interface ConsumerSqsEvent {
  Records: ConsumerSqsRecord[];
}

/** The parts of Lambda's `Context` the consumer reads; its remaining time bounds an in-progress idempotency record. */
export interface ConsumerLambdaContext {
  getRemainingTimeInMillis(): number;
  functionName?: string;
  awsRequestId?: string;
}

export interface BatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

export interface EventConsumerOptions<Defs extends readonly EventDefinition[]> {
  /** The manifest name (`cases`). */
  service: string;
  /** The service's own table; idempotency records live under `IDEMPOTENCY#<service>`. */
  tableName: string;
  subscribesTo: Defs;
  handle: (event: ConsumedEvent<Defs[number]>, context: ConsumerContext) => Promise<FactHandled>;
  /**
   * The manifest subscription this consumer serves (`known-family-check`). Its idempotency records
   * are keyed `<service>.<subscription>` (manifest-resolve's idempotencyNameOf), so two subscriptions
   * of one service to the same fact each handle it once. Required, never defaulted: the shared
   * manifest test holds it equal to the subscription whose queue the function consumes.
   */
  subscription: string;
  /**
   * How a fact delivered again is kept to one effect. `'record'` (the default): Powertools
   * idempotency, a record per eventId put before `handle` and completed after it: two writes per
   * fact. `'by-its-own-writes'`: every write `handle` makes already changes nothing the second time,
   * in sequence or concurrently (a counter kept at its highest, a put on condition that it is
   * absent), so no record is written and `handle` runs for every delivery; its function needs no
   * access to the idempotency records. For consumers of the busiest facts (ADR 0032).
   */
  idempotency?: 'record' | 'by-its-own-writes';
  dynamoClient?: DynamoDBClient;
  logger?: Logger;
  clock?: () => Date;
}

/**
 * The options every consumer of a service takes from its runtime: the service name and table (its
 * idempotency records live there), the clients, the logger and the clock. Spread into
 * `createEventConsumer` so that no consumer can pair one service's name with another's table.
 */
export const consumerRuntimeOptions = (runtime: ServiceRuntime) => ({
  service: runtime.serviceName,
  tableName: runtime.tableName,
  dynamoClient: runtime.dynamo,
  logger: runtime.logger,
  clock: runtime.clock,
});

/** The reason a record failed before `handle` ran; its message is what an engineer reading the DLQ needs. */
export class UnreadableEventError extends Error {
  override readonly name = 'UnreadableEventError';
  constructor(
    message: string,
    readonly issues: readonly FieldIssue[] = [],
  ) {
    super(issues.length > 0 ? `${message}: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}` : message);
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

type ParsedBody = { ok: true; value: unknown } | { ok: false; error: Error };

function parseBody(text: string): ParsedBody {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, error: error as Error };
  }
}

interface ReadEvent {
  definition: EventDefinition;
  detail: { metadata: EventMetadata; data: unknown };
}

/** A consumer's Lambda handler, labelled with the subscription it serves. */
export interface EventConsumer {
  (sqsEvent: ConsumerSqsEvent, lambdaContext: ConsumerLambdaContext): Promise<BatchResponse>;
  readonly subscription: string;
}

type ConsumerBasicsOptions = Pick<
  EventConsumerOptions<readonly EventDefinition[]>,
  'service' | 'subscribesTo' | 'subscription' | 'logger' | 'clock'
>;

/**
 * What every consumer checks and builds before its first message: the definitions it reads, its
 * logger and clock, and how it reads a record (`read`) and logs one it cannot (`rejected`).
 */
function consumerBasics(options: ConsumerBasicsOptions) {
  const { service, subscribesTo } = options;
  if (subscribesTo.length === 0) throw new Error(`The ${service} consumer subscribes to no events`);
  const definitions = new Map(subscribesTo.map((definition) => [eventKey(definition), definition]));
  if (definitions.size !== subscribesTo.length) throw new Error(`The ${service} consumer lists the same event version twice`);
  if (!/^[a-z0-9][a-z0-9-]*$/.test(options.subscription ?? '')) {
    throw new Error(`The ${service} consumer must name its manifest subscription (lower-case words and hyphens)`);
  }
  const logger = options.logger ?? createLogger(service);
  const clock = options.clock ?? (() => new Date());

  function read(body: ParsedBody): ReadEvent {
    if (!body.ok) throw new UnreadableEventError(`The message body is not JSON (${body.error.message})`);
    const event = body.value;
    if (!isObject(event)) throw new UnreadableEventError('The message body is not an EventBridge event');
    const detailType = event['detail-type'];
    const detail = event.detail;
    const version = isObject(detail) && isObject(detail.metadata) ? detail.metadata.schemaVersion : undefined;
    if (typeof detailType !== 'string')
      throw new UnreadableEventError('The event has no detail-type', [{ path: '$["detail-type"]', message: 'is required' }]);
    if (typeof version !== 'number') {
      throw new UnreadableEventError(`The ${detailType} event has no schema version`, [
        { path: '$.detail.metadata.schemaVersion', message: 'is required' },
      ]);
    }
    const definition = definitions.get(eventKey({ detailType, version }));
    if (!definition) {
      const known = [...definitions.keys()].join(', ');
      throw new UnreadableEventError(`${service} does not consume ${detailType} version ${version} (it consumes ${known})`);
    }
    const parsed = safeParseEventDetail(definition, detail);
    if (!parsed.success) {
      throw new UnreadableEventError(
        `Invalid ${eventKey(definition)}`,
        parsed.issues.map((issue) => ({ path: issue.path.replace(/^\$/, '$.detail'), message: issue.message })),
      );
    }
    return { definition, detail: parsed.detail as ReadEvent['detail'] };
  }

  /**
   * The record's event, read and validated; or, for one that cannot be read, the reason, logged
   * (the record will be retried, then dead-lettered) under its own correlation id if it has a usable one.
   */
  function readRecord(record: ConsumerSqsRecord): { event: ReadEvent } | { rejected: unknown } {
    const body = parseBody(record.body);
    try {
      return { event: read(body) };
    } catch (error) {
      rejected(record, body, error);
      return { rejected: error };
    }
  }

  function rejected(record: ConsumerSqsRecord, body: ParsedBody, error: unknown): void {
    const event = body.ok && isObject(body.value) ? body.value : {};
    const metadata = isObject(event.detail) && isObject(event.detail.metadata) ? event.detail.metadata : {};
    const correlationId = isValidCorrelationId(metadata.correlationId) ? metadata.correlationId : record.messageId;
    beginLogScope(logger, correlationId, { messageId: record.messageId });
    const issues = error instanceof UnreadableEventError ? error.issues : [];
    logger.error('Event rejected; the message will be retried and then dead-lettered', {
      messageId: record.messageId,
      receiveCount: record.attributes?.ApproximateReceiveCount,
      reason: (error as Error).message,
      issues,
    });
    endLogScope(logger);
  }

  return { logger, clock, readRecord };
}

export function createEventConsumer<const Defs extends readonly EventDefinition[]>(options: EventConsumerOptions<Defs>): EventConsumer {
  const { service, tableName, handle } = options;
  const { logger, clock, readRecord } = consumerBasics(options);

  type Handled = (detail: ReadEvent['detail'], record: { definition: EventDefinition; now: Date }) => Promise<void>;
  const handleAndCount: Handled = async (detail, record) => {
    const event = { detailType: record.definition.detailType, version: record.definition.version, ...detail };
    const outcome = await handle(event as ConsumedEvent<Defs[number]>, {
      eventId: detail.metadata.eventId,
      correlationId: detail.metadata.correlationId,
      now: record.now,
      logger,
    });
    // Inside the idempotent function: a redelivery the idempotency record answers is not counted
    // again, nor is one whose own writes found it handled.
    if (outcome !== HANDLED_BEFORE) recordMetric('EventsConsumed', { subscription: options.subscription });
  };

  const idempotencyConfig = new IdempotencyConfig({
    eventKeyJmesPath: 'metadata.eventId',
    throwOnNoIdempotencyKey: true,
    expiresAfterSeconds: IDEMPOTENCY_RECORD_SECONDS,
  });
  // Only the detail is hashed (its eventId): EventBridge's own `id` and SQS's message id differ
  // between deliveries of the same fact.
  const handleOnce: Handled =
    options.idempotency === 'by-its-own-writes'
      ? handleAndCount
      : makeIdempotent(handleAndCount, {
          persistenceStore: new DynamoDBPersistenceLayer({
            tableName,
            keyAttr: TABLE_KEYS.partitionKey,
            sortKeyAttr: TABLE_KEYS.sortKey,
            staticPkValue: idempotencyPartitionKey(service),
            expiryAttr: TABLE_KEYS.timeToLive,
            awsSdkV3Client: options.dynamoClient ?? withoutSdkLogging(new DynamoDBClient({})),
          }),
          config: idempotencyConfig,
          keyPrefix: idempotencyNameOf(service, options.subscription),
        });

  async function processRecord(record: ConsumerSqsRecord): Promise<void> {
    const receiveCount = record.attributes?.ApproximateReceiveCount;
    const read = readRecord(record);
    if ('rejected' in read) throw read.rejected;

    const { definition, detail } = read.event;
    beginEventLogScope(logger, detail.metadata);
    logger.appendKeys({ messageId: record.messageId, event: eventKey(definition) });
    try {
      await handleOnce(detail, { definition, now: clock() });
    } catch (error) {
      if (error instanceof IdempotencyAlreadyInProgressError) {
        logger.warn('The same event is being handled by another delivery; this one will be retried', { receiveCount });
      } else {
        logger.error('Handling the event failed; it will be retried', { receiveCount, error: error as Error });
      }
      throw error;
    } finally {
      endLogScope(logger);
    }
  }

  const consume = async (sqsEvent: ConsumerSqsEvent, lambdaContext: ConsumerLambdaContext): Promise<BatchResponse> => {
    idempotencyConfig.registerLambdaContext(lambdaContext as Parameters<IdempotencyConfig['registerLambdaContext']>[0]);
    // One record at a time: the log scope (correlation id) belongs to one record, and the shared
    // logger cannot hold two at once.
    const processor = new BatchProcessor(EventType.SQS);
    try {
      const response = await processPartialResponse(sqsEvent, processRecord, processor, {
        processInParallel: false,
        throwOnFullBatchFailure: false,
      });
      return { batchItemFailures: response.batchItemFailures };
    } finally {
      // Once per batch: what its records counted (consumed, published, failed emails…) as EMF lines.
      flushMetrics();
    }
  };
  return Object.assign(consume, { subscription: options.subscription });
}

/** One fact of a batch, read and validated, with a context of its own (its logger carries its correlation id). */
export interface FactInBatch<E extends EventDefinition> {
  event: ConsumedEvent<E>;
  context: ConsumerContext;
}

export interface BatchEventConsumerOptions<Defs extends readonly EventDefinition[]>
  extends Omit<EventConsumerOptions<Defs>, 'handle' | 'idempotency' | 'dynamoClient'> {
  /**
   * Handles a batch's facts together (each once, however many of its records carry it), so that
   * writes to one hot item can be made once for all of them. Resolves to one settled result per
   * fact, in order: a rejected one fails that fact's records alone. The handler's writes must make a
   * repeat change nothing, as for `idempotency: 'by-its-own-writes'`: no idempotency record is kept.
   */
  handleBatch: (facts: readonly FactInBatch<Defs[number]>[]) => Promise<readonly PromiseSettledResult<FactHandled>[]>;
}

/**
 * A consumer that takes a batch's facts together (ADR 0032) rather than one record at a time. What it
 * reads and how it fails is as createEventConsumer's: an unreadable record fails alone, a fact
 * whose handling fails fails its own records, and EventsConsumed counts facts not handled before.
 */
export function createBatchEventConsumer<const Defs extends readonly EventDefinition[]>(
  options: BatchEventConsumerOptions<Defs>,
): EventConsumer {
  const { logger, clock, readRecord } = consumerBasics(options);

  const consume = async (sqsEvent: ConsumerSqsEvent): Promise<BatchResponse> => {
    const failed: string[] = [];
    const facts = new Map<string, FactInBatch<Defs[number]> & { messageIds: string[]; receiveCount: string | undefined }>();
    try {
      for (const record of sqsEvent.Records) {
        const read = readRecord(record);
        if ('rejected' in read) {
          failed.push(record.messageId);
          continue;
        }
        const { definition, detail } = read.event;
        const known = facts.get(detail.metadata.eventId);
        if (known) {
          known.messageIds.push(record.messageId);
          continue;
        }
        // A logger of its own, so that facts handled at once each log under their own correlation id.
        const factLogger = logger.createChild();
        beginEventLogScope(factLogger, detail.metadata);
        factLogger.appendKeys({ messageId: record.messageId, event: eventKey(definition) });
        facts.set(detail.metadata.eventId, {
          event: { detailType: definition.detailType, version: definition.version, ...detail } as ConsumedEvent<Defs[number]>,
          context: { eventId: detail.metadata.eventId, correlationId: detail.metadata.correlationId, now: clock(), logger: factLogger },
          messageIds: [record.messageId],
          receiveCount: record.attributes?.ApproximateReceiveCount,
        });
      }

      const handled = [...facts.values()];
      let settled: readonly PromiseSettledResult<FactHandled>[];
      try {
        settled = handled.length === 0 ? [] : await options.handleBatch(handled.map(({ event, context }) => ({ event, context })));
      } catch (error) {
        settled = handled.map(() => ({ status: 'rejected', reason: error }));
      }
      if (settled.length !== handled.length) {
        throw new Error(`The ${options.service} ${options.subscription} consumer settled ${settled.length} of ${handled.length} facts`);
      }
      handled.forEach((fact, index) => {
        const result = settled[index] as PromiseSettledResult<FactHandled>;
        if (result.status === 'rejected') {
          fact.context.logger.error('Handling the event failed; it will be retried', {
            receiveCount: fact.receiveCount,
            error: result.reason as Error,
          });
          failed.push(...fact.messageIds);
        } else if (result.value !== HANDLED_BEFORE) {
          recordMetric('EventsConsumed', { subscription: options.subscription });
        }
      });
      return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
    } finally {
      flushMetrics();
    }
  };
  return Object.assign(consume, { subscription: options.subscription });
}
