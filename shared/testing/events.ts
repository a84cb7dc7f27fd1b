import { randomUUID } from 'node:crypto';
import type { BatchResponse, ConsumerLambdaContext, ConsumerSqsEvent, ConsumerSqsRecord } from '@fsp/shared/consumer';

/** An event as `buildEvent` returns it and the outbox carries it. */
export interface DeliverableEvent {
  source: string;
  detailType: string;
  detail: unknown;
}

/**
 * What a subscription's queue hands its consumer: an SQS record whose body is the EventBridge
 * event. EventBridge's own `id` differs on every delivery, as in AWS; the fact's identity is
 * `detail.metadata.eventId`.
 */
export function sqsRecordOf(event: DeliverableEvent, receiveCount = 1): ConsumerSqsRecord {
  const body = {
    version: '0',
    id: randomUUID(),
    'detail-type': event.detailType,
    source: event.source,
    account: '000000000000',
    time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: 'eu-west-2',
    resources: [],
    detail: event.detail,
  };
  return { messageId: randomUUID(), body: JSON.stringify(body), attributes: { ApproximateReceiveCount: String(receiveCount) } };
}

export const sqsEventOf = (...events: DeliverableEvent[]): ConsumerSqsEvent => ({ Records: events.map((event) => sqsRecordOf(event)) });

export const lambdaContext: ConsumerLambdaContext = {
  getRemainingTimeInMillis: () => 30_000,
  functionName: 'test-consumer',
  awsRequestId: 'test-request',
};

/** A subscription's Lambda handler, as `createEventConsumer` returns it. */
export type Consumer = (event: ConsumerSqsEvent, context: ConsumerLambdaContext) => Promise<BatchResponse>;

/**
 * Delivers each event as its own SQS message and, like the queue, redelivers the ones reported in
 * batchItemFailures until none are left (bounded, so a fault shows up as a failing test, not a hang).
 * Returns the number of rounds it took.
 */
export async function deliverUntilAccepted(consumer: Consumer, events: readonly DeliverableEvent[], maxRounds = 10): Promise<number> {
  let pending = events;
  let rounds = 0;
  while (pending.length > 0) {
    rounds += 1;
    if (rounds > maxRounds) throw new Error(`${pending.length} deliveries still failing after ${maxRounds} rounds`);
    const results = await Promise.all(pending.map((event) => consumer(sqsEventOf(event), lambdaContext)));
    pending = pending.filter((_, index) => (results[index]?.batchItemFailures.length ?? 0) > 0);
    if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return rounds;
}
