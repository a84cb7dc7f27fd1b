import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { BatchResponse, ConsumerSqsEvent } from '@fsp/shared/consumer';
import { buildEvent } from '@fsp/shared/events/build';
import type { EventDataInput } from '@fsp/shared/events/define';
import { caseOpenedV1 } from '@fsp/shared/events/definitions/cases';
import { capturingLogger } from '@fsp/shared/testing/api-gateway-event';
import { createTestTable } from '@fsp/shared/testing/dynamodb';
import { type DeliverableEvent, lambdaContext, sqsEventOf } from '@fsp/shared/testing/events';
import type { Clock } from '@fsp/shared/time/clock';
import type { SupervisionRuntime } from '../src/handlers/runtime';

export type TestTable = Awaited<ReturnType<typeof createTestTable>>;

export async function supervisionTestRuntime(clock: Clock): Promise<{ table: TestTable; runtime: SupervisionRuntime }> {
  const table = await createTestTable('supervision');
  const { logger } = capturingLogger();
  return { table, runtime: { tableName: table.tableName, dynamo: table.client, documents: table.documentClient, clock, logger } };
}

const [openedFixture] = caseOpenedV1.fixtures;
if (!openedFixture) throw new Error('CaseOpened v1 has no fixture');

/** A CaseOpened v1 fact as the cases service's outbox would carry it: the contract fixture, varied. */
export function caseOpened(overrides: Partial<EventDataInput<typeof caseOpenedV1>> = {}, metadata: { eventId?: string } = {}) {
  return buildEvent(
    caseOpenedV1,
    // buildEvent validates the result, so an override that breaks the contract fails the test loudly.
    { ...openedFixture, ...overrides } as EventDataInput<typeof caseOpenedV1>,
    {
      clock: () => new Date('2026-01-05T15:10:03.000Z'),
      correlationId: 'journey-referral-0123',
      causationId: 'a2d4c6e8-0000-4000-8000-000000000001',
      newId: () => metadata.eventId ?? randomUUID(),
    },
  );
}

type Consumer = (event: ConsumerSqsEvent, context: typeof lambdaContext) => Promise<BatchResponse>;

/** Delivers each event as its own message and, like the queue, redelivers failures until none are left (bounded). */
export async function deliverUntilAccepted(consumer: Consumer, events: DeliverableEvent[], maxRounds = 10): Promise<void> {
  let pending = events;
  for (let round = 1; pending.length > 0; round += 1) {
    if (round > maxRounds) throw new Error(`${pending.length} deliveries still failing after ${maxRounds} rounds`);
    const results = await Promise.all(pending.map((event) => consumer(sqsEventOf(event), lambdaContext)));
    pending = pending.filter((_, index) => (results[index]?.batchItemFailures.length ?? 0) > 0);
    if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Test-only: every item of a kind. Request paths never scan; a test may, to see everything that was written. */
export async function itemsOfKind(table: TestTable, kind: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await table.documentClient.send(
      new ScanCommand({ TableName: table.tableName, ConsistentRead: true, ExclusiveStartKey: startKey }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items.filter((item) => item.kind === kind);
}
