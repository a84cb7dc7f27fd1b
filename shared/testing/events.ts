import { randomUUID } from 'node:crypto';
import type { ConsumerLambdaContext, ConsumerSqsEvent, ConsumerSqsRecord } from '@fsp/shared/consumer';

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
