import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { buildEvent } from '@fsp/shared/events/build';
import { supervisionScheduledV1 } from '@fsp/shared/events/definitions/supervision';
import { StoredItemError } from '@fsp/shared/stored-item';
import { itemsOfKind, type TestTable } from '@fsp/shared/testing/dynamodb';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { supervisionScheduledData } from '../../src/domain/events';
import { type Supervision, scheduleFirstSupervision, supervisionIdFor } from '../../src/domain/supervision';
import { createSupervisionStore, type SupervisionStore } from '../../src/store/supervision-store';

let table: TestTable;
let store: SupervisionStore;

beforeAll(async () => {
  const setup = await createTestRuntime('supervision');
  table = setup.table;
  store = createSupervisionStore(setup.runtime);
});
afterAll(async () => {
  await table.drop();
});

/** A case head as read back: what the events told, no one allocated and no ratings yet. */
const headOf = (facts: object, version = 0) => ({ ...facts, allocation: { specialists: {} }, ratings: [], version });
/** A supervision as read back: no moves, nothing on its agenda, version 1. */
const asStored = (supervision: Supervision) => ({ ...supervision, reschedules: [], agenda: { changes: [] }, version: 1 });

const put = (item: Record<string, unknown>) => table.documentClient.send(new PutCommand({ TableName: table.tableName, Item: item }));

const caseItem = (caseId: string) => ({
  pk: `CASE#${caseId}`,
  sk: 'CASE',
  kind: 'case',
  caseId,
  teamId: 'team-north-1',
  openedAt: '2026-01-05T10:00:00.000Z',
});

const supervisionItem = (caseId: string, sequence: number, dueBy: string) => ({
  pk: `CASE#${caseId}`,
  sk: `SUPERVISION#${String(sequence).padStart(4, '0')}`,
  kind: 'supervision',
  supervisionId: supervisionIdFor(caseId, sequence),
  caseId,
  teamId: 'team-north-1',
  sequence,
  status: sequence === 1 ? 'held' : 'scheduled',
  dueDate: dueBy.slice(0, 10),
  dueBy,
  scheduledDate: dueBy.slice(0, 10),
  scheduledFor: `${dueBy.slice(0, 10)}T10:00:00.000Z`,
});

describe("a case's supervisions, read from the case's partition", () => {
  it('is nothing for a case this service does not know', async () => {
    expect(await store.caseSupervisions('case-unknown')).toBeUndefined();
  });

  it('gives the case with its supervisions in their order (by sequence, whatever their due dates)', async () => {
    await put(caseItem('case-two'));
    await put(supervisionItem('case-two', 1, '2026-03-05T23:59:59.999Z'));
    await put(supervisionItem('case-two', 2, '2026-02-05T23:59:59.999Z'));
    const found = await store.caseSupervisions('case-two');
    expect(found?.supervisedCase).toEqual(headOf({ caseId: 'case-two', teamId: 'team-north-1', openedAt: '2026-01-05T10:00:00.000Z' }));
    expect(found?.supervisions.map((s) => [s.sequence, s.status])).toEqual([
      [1, 'held'],
      [2, 'scheduled'],
    ]);
  });

  it('fails loudly on supervisions without their case', async () => {
    await put(supervisionItem('case-orphan', 1, '2026-02-05T23:59:59.999Z'));
    await expect(store.caseSupervisions('case-orphan')).rejects.toThrow(StoredItemError);
  });

  it('fails loudly on an item in the partition that this service does not write', async () => {
    await put(caseItem('case-stray'));
    await put({ pk: 'CASE#case-stray', sk: 'NOTE#1', kind: 'note' });
    await expect(store.caseSupervisions('case-stray')).rejects.toThrow(/does not know: NOTE#1/);
  });
});

describe('keeping the case', () => {
  it('keeps what CaseOpened tells, and a repeat changes nothing', async () => {
    const supervisedCase = {
      caseId: 'case-kept',
      teamId: 'team-south-2',
      openedAt: '2026-01-05T15:10:02.000Z',
      reference: 'FSP-2026-000555',
    };
    await store.recordCase(supervisedCase, new Date('2026-01-05T15:10:04.000Z'));
    await store.recordCase(supervisedCase, new Date('2026-01-05T15:11:00.000Z'));
    expect(await store.readCase('case-kept')).toEqual({
      supervisedCase: headOf(supervisedCase),
      supervisions: [],
      amendments: [],
      actions: [],
      consultations: [],
    });
    expect((await itemsOfKind(table, 'case')).find((item) => item.caseId === 'case-kept')).toMatchObject({
      createdAt: '2026-01-05T15:10:04.000Z',
    });
  });
});

describe('scheduling the first supervision', () => {
  const allocation = (caseId: string, teamId: string, reference = 'FSP-2026-000321') => ({
    caseId,
    teamId,
    reference,
    allocatedAt: '2026-01-05T15:10:02.000Z',
  });

  it('writes it once: a repeat is answered already-scheduled and leaves the first one as it was', async () => {
    const { allocatedAt: _at, ...supervisedCase } = allocation('case-once', 'team-south-2');
    const first = scheduleFirstSupervision(allocation('case-once', 'team-south-2'));
    const now = new Date('2026-01-05T15:10:04.000Z');
    // Each delivery of the first allocation builds its own SupervisionScheduled, under a new eventId.
    const announcement = () =>
      buildEvent(supervisionScheduledV1, supervisionScheduledData(first), {
        clock: () => now,
        correlationId: 'journey-1',
        causationId: 'cause-1',
      });
    expect(await store.scheduleFirst(supervisedCase, first, announcement(), now)).toBe('scheduled');
    expect(await store.scheduleFirst(supervisedCase, first, announcement(), now)).toBe('already-scheduled');
    expect(await store.supervision('case-once', 1)).toEqual(asStored(first));
    expect(await store.teamAgenda('team-south-2')).toEqual([asStored(first)]);
    expect(await itemsOfKind(table, 'outbox')).toHaveLength(1);
  });

  it('keeps the case’s reference with the case and with the supervision the agenda reads, and its opening as kept', async () => {
    const supervisedCase = {
      caseId: 'case-named',
      teamId: 'team-east-3',
      openedAt: '2026-01-05T15:10:02.000Z',
      reference: 'FSP-2026-000777',
    };
    await store.recordCase(supervisedCase, new Date('2026-01-05T15:10:03.000Z'));
    const first = scheduleFirstSupervision(allocation('case-named', 'team-east-3', 'FSP-2026-000777'));
    const now = new Date('2026-01-05T15:10:04.000Z');
    const announcement = buildEvent(supervisionScheduledV1, supervisionScheduledData(first), {
      clock: () => now,
      correlationId: 'journey-2',
      causationId: 'cause-2',
    });
    const { openedAt: _opened, ...toldByTheAllocation } = supervisedCase;
    expect(await store.scheduleFirst(toldByTheAllocation, first, announcement, now)).toBe('scheduled');
    expect((await store.readCase('case-named'))?.supervisedCase).toEqual(headOf(supervisedCase, 0));
    expect((await store.teamAgenda('team-east-3')).map((supervision) => supervision.caseReference)).toEqual(['FSP-2026-000777']);
  });
});
