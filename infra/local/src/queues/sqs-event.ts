import { createHash } from 'node:crypto';
import { z } from 'zod';

/** The region and account the local cloud pretends to be in, as in the ARNs AWS would send. */
export const LOCAL_QUEUE_REGION = 'eu-west-2';
export const LOCAL_ACCOUNT_ID = '000000000000';
/** Who "sent" the message: in AWS, the EventBridge rule target; locally, the local bus. */
export const LOCAL_SENDER_ID = 'AIDAFSPLOCALEVENTBUS';

export const queueArnOf = (queueName: string): string => `arn:aws:sqs:${LOCAL_QUEUE_REGION}:${LOCAL_ACCOUNT_ID}:${queueName}`;

/** One record of the event an SQS event source mapping gives Lambda (the shape of `SQSRecord`). */
export interface SqsRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: {
    ApproximateReceiveCount: string;
    SentTimestamp: string;
    SenderId: string;
    ApproximateFirstReceiveTimestamp: string;
  };
  messageAttributes: Record<string, never>;
  md5OfBody: string;
  eventSource: 'aws:sqs';
  eventSourceARN: string;
  awsRegion: string;
}

export interface SqsEvent {
  Records: SqsRecord[];
}

export function sqsRecordOf(
  queueName: string,
  message: { messageId: string; body: string; sentAt: number; receiveCount: number; firstReceivedAt: number },
  receiptHandle: string,
): SqsRecord {
  return {
    messageId: message.messageId,
    receiptHandle,
    body: message.body,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentAt),
      SenderId: LOCAL_SENDER_ID,
      ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt),
    },
    messageAttributes: {},
    md5OfBody: createHash('md5').update(message.body, 'utf8').digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArnOf(queueName),
    awsRegion: LOCAL_QUEUE_REGION,
  };
}

/** What the consumer's return value means for each message of the batch. */
export type BatchOutcome =
  | { kind: 'all-succeeded' }
  | { kind: 'some-failed'; failedIds: ReadonlySet<string> }
  | { kind: 'invalid'; reason: string };

const batchResponseSchema = z.object({
  batchItemFailures: z
    .array(z.object({ itemIdentifier: z.string().min(1) }))
    .nullish()
    .transform((failures) => failures ?? []),
});

/**
 * Reads a handler's result the way Lambda does with `ReportBatchItemFailures`: nothing, `{}`, or
 * an empty/null `batchItemFailures` is complete success; listed ids are retried; a malformed
 * response or an id that is not in the batch fails the whole batch.
 */
export function interpretBatchResponse(result: unknown, batchIds: ReadonlySet<string>): BatchOutcome {
  if (result === undefined || result === null) return { kind: 'all-succeeded' };
  const parsed = batchResponseSchema.safeParse(result);
  if (!parsed.success) {
    return { kind: 'invalid', reason: `the consumer returned an invalid batch response: ${z.prettifyError(parsed.error)}` };
  }
  const failedIds = new Set<string>();
  for (const { itemIdentifier } of parsed.data.batchItemFailures) {
    if (!batchIds.has(itemIdentifier)) {
      return { kind: 'invalid', reason: `the consumer reported a failure for ${itemIdentifier}, which is not in the batch` };
    }
    failedIds.add(itemIdentifier);
  }
  return failedIds.size === 0 ? { kind: 'all-succeeded' } : { kind: 'some-failed', failedIds };
}
