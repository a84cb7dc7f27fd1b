/**
 * CaseAllocated → the first group supervision, at the case's first social worker only, scheduled
 * once however often (and under whatever eventId) the fact arrives, and announced as
 * SupervisionScheduled; whichever of CaseOpened and the first allocation arrives first.
 */
import { parseEventDetail } from '@fsp/shared/events/build';
import { supervisionScheduledV1 } from '@fsp/shared/events/definitions/supervision';
import { itemsOfKind, type TestTable } from '@fsp/shared/testing/dynamodb';
import { deliverUntilAccepted, lambdaContext, sqsEventOf } from '@fsp/shared/testing/events';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { fixedClock } from '@fsp/shared/time/clock';
import { createCaseAllocatedConsumer } from '../../src/consumers/case-allocated';
import { createCaseOpenedConsumer } from '../../src/consumers/case-opened';
import { supervisionIdFor } from '../../src/domain/supervision';
import { createSupervisionStore, type SupervisionStore } from '../../src/store/supervision-store';
import { caseAllocated, caseOpened, socialWorkerChanged, specialistAllocated } from '../support/events';

const NOW = '2026-01-06T09:42:12.000Z';
const CASE_ID = 'case-01JGZB7XQ2';
/** The contract fixture's first social worker. */
const WORKER = '3f1c9a2e-7b4d-4e8a-9c1f-2d6b8e0a4c71';
let table: TestTable;
let allocated: ReturnType<typeof createCaseAllocatedConsumer>;
let opened: ReturnType<typeof createCaseOpenedConsumer>;
let store: SupervisionStore;

beforeEach(async () => {
  const setup = await createTestRuntime('supervision', fixedClock(NOW));
  table = setup.table;
  allocated = createCaseAllocatedConsumer(setup.runtime);
  opened = createCaseOpenedConsumer(setup.runtime);
  store = createSupervisionStore(setup.runtime);
});
afterEach(async () => {
  await table.drop();
});

const accept = async (consumer: typeof allocated, ...events: Parameters<typeof sqsEventOf>) =>
  expect((await consumer(sqsEventOf(...events), lambdaContext)).batchItemFailures).toEqual([]);

async function expectExactlyOneScheduled(caseId = CASE_ID) {
  expect(await itemsOfKind(table, 'supervision')).toHaveLength(1);
  expect(await itemsOfKind(table, 'case')).toHaveLength(1);
  const outbox = await itemsOfKind(table, 'outbox');
  expect(outbox).toHaveLength(1);
  expect(JSON.parse(String(outbox[0]?.detail)).data.caseId).toBe(caseId);
}

describe('the first social worker → the first supervision', () => {
  it('schedules it a calendar month from the allocation, and puts SupervisionScheduled in the outbox', async () => {
    await accept(opened, caseOpened());
    const first = caseAllocated({ allocatedAt: '2026-07-31T09:00:00.000Z' });
    await accept(allocated, first);

    const supervisionId = supervisionIdFor(CASE_ID, 1);
    expect(await store.supervision(CASE_ID, 1)).toEqual({
      supervisionId,
      caseId: CASE_ID,
      teamId: 'team-north-1',
      sequence: 1,
      status: 'scheduled',
      dueDate: '2026-08-31',
      dueBy: '2026-08-31T22:59:59.999Z',
      scheduledDate: '2026-08-28',
      scheduledFor: '2026-08-28T09:00:00.000Z',
      caseReference: 'FSP-2026-000123',
      reschedules: [],
      // The first social worker's arrival is on its agenda, by role (never by name).
      agenda: {
        changes: [
          {
            id: `allocation-social-worker-case-${WORKER}-2026-07-31T09:00:00.000Z`,
            at: '2026-07-31T09:00:00.000Z',
            kind: 'allocation',
            text: 'Social worker allocated',
          },
        ],
      },
      version: 1,
    });
    // The case as CaseOpened told it, with its social worker.
    expect((await store.readCase(CASE_ID))?.supervisedCase).toEqual({
      caseId: CASE_ID,
      teamId: 'team-north-1',
      openedAt: '2026-01-05T15:10:02.000Z',
      reference: 'FSP-2026-000123',
      allocation: { socialWorker: WORKER, specialists: {} },
      ratings: [],
      version: 1,
    });

    const [item] = await itemsOfKind(table, 'outbox');
    expect(item).toMatchObject({ source: 'fsp.supervision', detailType: 'SupervisionScheduled' });
    const detail = parseEventDetail(supervisionScheduledV1, JSON.parse(String(item?.detail)));
    expect(detail.metadata).toMatchObject({
      causationId: first.detail.metadata.eventId,
      correlationId: first.detail.metadata.correlationId,
      occurredAt: NOW,
    });
    expect(detail.data).toEqual({
      supervisionId,
      caseId: CASE_ID,
      teamId: 'team-north-1',
      // Due on the Summer bank holiday (Monday 31 August 2026): scheduled for the Friday before, 10:00 BST.
      dueBy: '2026-08-31T22:59:59.999Z',
      scheduledFor: '2026-08-28T09:00:00.000Z',
      reference: 'FSP-2026-000123',
      sequence: 1,
    });
  });

  it('schedules it when the allocation arrives before CaseOpened, and CaseOpened then completes the case', async () => {
    await accept(allocated, caseAllocated());
    await expectExactlyOneScheduled();
    expect((await store.readCase(CASE_ID))?.supervisedCase).toEqual({
      caseId: CASE_ID,
      teamId: 'team-north-1',
      reference: 'FSP-2026-000123',
      allocation: { socialWorker: WORKER, specialists: {} },
      ratings: [],
      version: 1,
    });
    await accept(opened, caseOpened());
    expect((await store.readCase(CASE_ID))?.supervisedCase).toMatchObject({
      openedAt: '2026-01-05T15:10:02.000Z',
      allocation: { socialWorker: WORKER },
    });
    expect((await store.caseSupervisions(CASE_ID))?.supervisedCase).toMatchObject({ openedAt: '2026-01-05T15:10:02.000Z' });
    expect(await store.teamAgenda('team-north-1')).toHaveLength(1);
    await expectExactlyOneScheduled();
  });

  it('gives a case opened without its reference (CaseOpened v1 as first published) the reference its allocation carries', async () => {
    await accept(opened, caseOpened({ reference: undefined }));
    await accept(allocated, caseAllocated());
    expect((await store.caseSupervisions(CASE_ID))?.supervisedCase.reference).toBe('FSP-2026-000123');
  });

  it('schedules once when the same fact arrives five times in sequence', async () => {
    const first = caseAllocated();
    for (let delivery = 0; delivery < 5; delivery += 1) await accept(allocated, first);
    await expectExactlyOneScheduled();
  });

  it('schedules once when the same fact arrives five times at once', async () => {
    const first = caseAllocated();
    await deliverUntilAccepted(
      allocated,
      Array.from({ length: 5 }, () => first),
    );
    await expectExactlyOneScheduled();
  });

  it('schedules once when the first allocation is announced five times under different eventIds, in sequence and at once', async () => {
    await deliverUntilAccepted(
      allocated,
      Array.from({ length: 5 }, () => caseAllocated()),
    );
    for (let delivery = 0; delivery < 5; delivery += 1) await accept(allocated, caseAllocated());
    await expectExactlyOneScheduled();
  });

  it('schedules one per case in a batch of different cases', async () => {
    await accept(allocated, caseAllocated({ caseId: 'case-a' }), caseAllocated({ caseId: 'case-b' }));
    expect(await itemsOfKind(table, 'supervision')).toHaveLength(2);
    expect(await itemsOfKind(table, 'outbox')).toHaveLength(2);
  });

  it('fails the message (for the DLQ) rather than guess when the bank-holiday data does not cover the due date', async () => {
    const response = await allocated(sqsEventOf(caseAllocated({ allocatedAt: '2028-12-20T10:00:00.000Z' })), lambdaContext);
    expect(response.batchItemFailures).toHaveLength(1);
    expect(await itemsOfKind(table, 'supervision')).toEqual([]);
  });
});

describe('any other allocation → nothing scheduled', () => {
  it('schedules nothing for an adult specialist, even on a case with no social worker yet', async () => {
    await accept(opened, caseOpened());
    await accept(allocated, specialistAllocated());
    expect(await itemsOfKind(table, 'supervision')).toEqual([]);
    expect(await itemsOfKind(table, 'outbox')).toEqual([]);
  });

  it('does not reschedule at a change of social worker: the first supervision stays as it was, nothing published', async () => {
    await accept(opened, caseOpened());
    await accept(allocated, caseAllocated());
    const first = await store.supervision(CASE_ID, 1);
    // Two months on, the social worker changes: the supervision scheduled at the first allocation stands,
    // its agenda saying the social worker changed.
    await accept(allocated, socialWorkerChanged({ allocatedAt: '2026-03-02T14:05:33.000Z' }));
    const after = await store.supervision(CASE_ID, 1);
    expect({ ...after, agenda: undefined }).toEqual({ ...first, agenda: undefined });
    expect(after?.agenda?.changes.map((change) => change.text)).toEqual(['Social worker allocated', 'Social worker changed']);
    await expectExactlyOneScheduled();
  });
});
