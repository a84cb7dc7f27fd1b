import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { BatchResponse, ConsumerSqsEvent } from '@fsp/shared/consumer';
import { buildEvent } from '@fsp/shared/events/build';
import type { EventDataInput } from '@fsp/shared/events/define';
import { referralAcceptedV1 } from '@fsp/shared/events/definitions/referrals';
import { capturingLogger } from '@fsp/shared/testing/api-gateway-event';
import { createTestTable } from '@fsp/shared/testing/dynamodb';
import { type DeliverableEvent, lambdaContext, sqsEventOf } from '@fsp/shared/testing/events';
import type { Clock } from '@fsp/shared/time/clock';
import type { CasesRuntime } from '../src/handlers/runtime';

export type TestTable = Awaited<ReturnType<typeof createTestTable>>;

export async function casesTestRuntime(
  clock: Clock,
): Promise<{ table: TestTable; runtime: CasesRuntime; logLines: Record<string, unknown>[] }> {
  const table = await createTestTable('cases');
  const { logger, lines } = capturingLogger();
  return {
    table,
    runtime: { tableName: table.tableName, dynamo: table.client, documents: table.documentClient, clock, logger },
    logLines: lines,
  };
}

const [acceptedFixture] = referralAcceptedV1.fixtures;
if (!acceptedFixture) throw new Error('ReferralAccepted v1 has no fixture');

/** A ReferralAccepted v1 fact as the referrals service's outbox would carry it: the contract fixture, varied. */
export function referralAccepted(
  overrides: Partial<EventDataInput<typeof referralAcceptedV1>> = {},
  metadata: { eventId?: string; correlationId?: string } = {},
) {
  return buildEvent(
    referralAcceptedV1,
    // buildEvent validates the result, so an override that breaks the contract fails the test loudly.
    { ...acceptedFixture, ...overrides } as EventDataInput<typeof referralAcceptedV1>,
    {
      clock: () => new Date('2026-01-05T15:10:01.000Z'),
      correlationId: metadata.correlationId ?? 'journey-referral-0123',
      causationId: 'req-decision-1',
      newId: () => metadata.eventId ?? randomUUID(),
    },
  );
}

type Consumer = (event: ConsumerSqsEvent, context: typeof lambdaContext) => Promise<BatchResponse>;

/**
 * Delivers each event as its own SQS message and, like the queue, redelivers the ones reported in
 * batchItemFailures until none are left (bounded, so a fault shows up as a failing test, not a hang).
 */
export async function deliverUntilAccepted(consumer: Consumer, events: DeliverableEvent[], maxRounds = 10): Promise<number> {
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

/** Test-only: every item in the table. Request paths never scan; a test may, to see everything that was written. */
export async function allItems(table: TestTable): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await table.documentClient.send(
      new ScanCommand({ TableName: table.tableName, ConsistentRead: true, ExclusiveStartKey: startKey }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

export const itemsOfKind = async (table: TestTable, kind: string) => (await allItems(table)).filter((item) => item.kind === kind);
