/** CaseOpened → the case kept for its supervision page and agenda, and nothing scheduled (that waits for its first social worker). */
import { itemsOfKind, type TestTable } from '@fsp/shared/testing/dynamodb';
import { deliverUntilAccepted, lambdaContext, sqsEventOf } from '@fsp/shared/testing/events';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { fixedClock } from '@fsp/shared/time/clock';
import { createCaseOpenedConsumer } from '../../src/consumers/case-opened';
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

describe('CaseOpened → the case kept, no supervision scheduled', () => {
  it('keeps the case, its team, opening and reference, and schedules and publishes nothing', async () => {
    expect((await consumer(sqsEventOf(caseOpened()), lambdaContext)).batchItemFailures).toEqual([]);
    expect(await store.readCase('case-01JGZB7XQ2')).toEqual({
      supervisedCase: {
        caseId: 'case-01JGZB7XQ2',
        teamId: 'team-north-1',
        openedAt: '2026-01-05T15:10:02.000Z',
        reference: 'FSP-2026-000123',
        allocation: { specialists: {} },
        ratings: [],
        version: 0,
      },
      supervisions: [],
      amendments: [],
      actions: [],
      consultations: [],
    });
    expect(await itemsOfKind(table, 'supervision')).toEqual([]);
    expect(await itemsOfKind(table, 'outbox')).toEqual([]);
    expect(await store.teamAgenda('team-north-1')).toEqual([]);
  });

  it('keeps a case announced without its reference (v1 as first published) without one', async () => {
    expect((await consumer(sqsEventOf(caseOpened({ reference: undefined })), lambdaContext)).batchItemFailures).toEqual([]);
    expect((await store.readCase('case-01JGZB7XQ2'))?.supervisedCase).toEqual({
      caseId: 'case-01JGZB7XQ2',
      teamId: 'team-north-1',
      openedAt: '2026-01-05T15:10:02.000Z',
      allocation: { specialists: {} },
      ratings: [],
      version: 0,
    });
  });

  it('keeps one case item when the fact arrives five times, in sequence and at once, under one eventId or several', async () => {
    const opened = caseOpened();
    for (let delivery = 0; delivery < 5; delivery += 1) {
      expect((await consumer(sqsEventOf(opened), lambdaContext)).batchItemFailures).toEqual([]);
    }
    await deliverUntilAccepted(
      consumer,
      Array.from({ length: 5 }, () => caseOpened()),
    );
    const cases = await itemsOfKind(table, 'case');
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ caseId: 'case-01JGZB7XQ2', openedAt: '2026-01-05T15:10:02.000Z', createdAt: NOW });
    expect(await itemsOfKind(table, 'outbox')).toEqual([]);
  });

  it('keeps one case per case in a batch of different cases', async () => {
    const response = await consumer(sqsEventOf(caseOpened({ caseId: 'case-a' }), caseOpened({ caseId: 'case-b' })), lambdaContext);
    expect(response.batchItemFailures).toEqual([]);
    expect((await itemsOfKind(table, 'case')).map((item) => item.caseId).sort()).toEqual(['case-a', 'case-b']);
  });
});
