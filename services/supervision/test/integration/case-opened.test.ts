import { parseEventDetail } from '@fsp/shared/events/build';
import { supervisionScheduledV1 } from '@fsp/shared/events/definitions/supervision';
import { itemsOfKind, type TestTable } from '@fsp/shared/testing/dynamodb';
import { deliverUntilAccepted, lambdaContext, sqsEventOf } from '@fsp/shared/testing/events';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { fixedClock } from '@fsp/shared/time/clock';
import { createCaseOpenedConsumer } from '../../src/consumers/case-opened';
import { supervisionIdFor } from '../../src/domain/supervision';
import { createSupervisionStore, type SupervisionStore } from '../../src/store/supervision-store';
import { caseOpened } from '../support/events';

const NOW = '2026-01-05T15:10:04.000Z';
let table: TestTable;
let consumer: ReturnType<typeof createCaseOpenedConsumer>;
let store: SupervisionStore;

beforeEach(async () => {
  const setup = await createTestRuntime('supervision', fixedClock(NOW));
  table = setup.table;
  consumer = createCaseOpenedConsumer(setup.runtime);
  store = createSupervisionStore(setup.runtime);
});
afterEach(async () => {
  await table.drop();
});

async function expectExactlyOneScheduled(caseId = 'case-01JGZB7XQ2') {
  expect(await itemsOfKind(table, 'supervision')).toHaveLength(1);
  expect(await itemsOfKind(table, 'case')).toHaveLength(1);
  const outbox = await itemsOfKind(table, 'outbox');
  expect(outbox).toHaveLength(1);
  expect(JSON.parse(String(outbox[0]?.detail)).data.caseId).toBe(caseId);
}

describe('CaseOpened → first supervision scheduled', () => {
  it('schedules the first supervision and puts SupervisionScheduled in the outbox', async () => {
    const opened = caseOpened({ openedAt: '2026-07-31T09:00:00.000Z' });
    expect((await consumer(sqsEventOf(opened), lambdaContext)).batchItemFailures).toEqual([]);

    const supervisionId = supervisionIdFor('case-01JGZB7XQ2', 1);
    expect(await store.supervision('case-01JGZB7XQ2', 1)).toEqual({
      supervisionId,
      caseId: 'case-01JGZB7XQ2',
      teamId: 'team-north-1',
      sequence: 1,
      status: 'scheduled',
      dueDate: '2026-08-31',
      dueBy: '2026-08-31T22:59:59.999Z',
      scheduledDate: '2026-08-28',
      scheduledFor: '2026-08-28T09:00:00.000Z',
      caseReference: 'FSP-2026-000123',
    });
    expect((await store.caseSupervisions('case-01JGZB7XQ2'))?.supervisedCase.reference).toBe('FSP-2026-000123');

    const [item] = await itemsOfKind(table, 'outbox');
    expect(item).toMatchObject({ source: 'fsp.supervision', detailType: 'SupervisionScheduled' });
    const detail = parseEventDetail(supervisionScheduledV1, JSON.parse(String(item?.detail)));
    expect(detail.metadata).toMatchObject({
      causationId: opened.detail.metadata.eventId,
      correlationId: opened.detail.metadata.correlationId,
      occurredAt: NOW,
    });
    expect(detail.data).toEqual({
      supervisionId,
      caseId: 'case-01JGZB7XQ2',
      teamId: 'team-north-1',
      // Due on the Summer bank holiday (Monday 31 August 2026): scheduled for the Friday before, 10:00 BST.
      dueBy: '2026-08-31T22:59:59.999Z',
      scheduledFor: '2026-08-28T09:00:00.000Z',
    });
  });

  it('schedules all the same from a CaseOpened without the case’s reference (v1 as first published), keeping none', async () => {
    expect((await consumer(sqsEventOf(caseOpened({ reference: undefined })), lambdaContext)).batchItemFailures).toEqual([]);
    await expectExactlyOneScheduled();
    const found = await store.caseSupervisions('case-01JGZB7XQ2');
    expect(found?.supervisedCase).toEqual({ caseId: 'case-01JGZB7XQ2', teamId: 'team-north-1', openedAt: '2026-01-05T15:10:02.000Z' });
    expect(found?.supervisions.map((supervision) => supervision.caseReference)).toEqual([undefined]);
  });

  it('schedules once when the same fact arrives five times in sequence', async () => {
    const opened = caseOpened();
    for (let delivery = 0; delivery < 5; delivery += 1) {
      expect((await consumer(sqsEventOf(opened), lambdaContext)).batchItemFailures).toEqual([]);
    }
    await expectExactlyOneScheduled();
  });

  it('schedules once when the same fact arrives five times at once', async () => {
    const opened = caseOpened();
    await deliverUntilAccepted(
      consumer,
      Array.from({ length: 5 }, () => opened),
    );
    await expectExactlyOneScheduled();
  });

  it('schedules once when the case is announced five times under different eventIds, in sequence and at once', async () => {
    await deliverUntilAccepted(
      consumer,
      Array.from({ length: 5 }, () => caseOpened()),
    );
    for (let delivery = 0; delivery < 5; delivery += 1) {
      expect((await consumer(sqsEventOf(caseOpened()), lambdaContext)).batchItemFailures).toEqual([]);
    }
    await expectExactlyOneScheduled();
  });

  it('schedules one per case in a batch of different cases', async () => {
    const response = await consumer(sqsEventOf(caseOpened({ caseId: 'case-a' }), caseOpened({ caseId: 'case-b' })), lambdaContext);
    expect(response.batchItemFailures).toEqual([]);
    expect(await itemsOfKind(table, 'supervision')).toHaveLength(2);
    expect(await itemsOfKind(table, 'outbox')).toHaveLength(2);
  });

  it('fails the message (for the DLQ) rather than guess when the bank-holiday data does not cover the due date', async () => {
    const response = await consumer(sqsEventOf(caseOpened({ openedAt: '2028-12-20T10:00:00.000Z' })), lambdaContext);
    expect(response.batchItemFailures).toHaveLength(1);
    expect(await itemsOfKind(table, 'supervision')).toEqual([]);
  });
});
