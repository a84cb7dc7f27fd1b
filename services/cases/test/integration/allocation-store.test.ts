/**
 * The allocation store against DynamoDB Local: one transaction writes the allocation, its history,
 * the case head's copy, the caseload items, the chronology entry and the CaseAllocated outbox items,
 * or nothing at all; a stale version conflicts; a worker's caseload and the team's list read back
 * in the order the pages show them.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { buildEvent } from '@fsp/shared/events/build';
import { caseAllocatedV1, caseChronologyEntryAddedV1 } from '@fsp/shared/events/definitions/cases';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { allItems, itemsOfKind, type TestTable } from '@fsp/shared/testing/dynamodb';
import { deliverUntilAccepted } from '@fsp/shared/testing/events';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { fixedClock } from '@fsp/shared/time/clock';
import { createReferralAcceptedConsumer } from '../../src/consumers/referral-accepted';
import { type AllocationRequest, allocate, isAllocationRefusal, unallocated } from '../../src/domain/allocation';
import { caseIdForReferral, referralLinkedEntry } from '../../src/domain/case';
import { caseAllocatedData } from '../../src/domain/events';
import { type AllocationChange, AllocationVersionConflictError, createAllocationStore } from '../../src/store/allocation-store';
import { type CaseFile, createCaseStore } from '../../src/store/case-store';
import { NORTH, people } from '../support/directory';
import { outboxOf } from '../support/outbox';
import { referralAccepted } from '../support/referral-accepted';

const NOW = '2026-01-06T09:15:00.000Z';
const manager = { userId: people.manager.userId, name: people.manager.name };
const members = Object.values(people);

let table: TestTable;
let runtime: ServiceRuntime;

beforeEach(async () => {
  ({ table, runtime } = await createTestRuntime('cases', fixedClock(NOW)));
});
afterEach(async () => {
  await table.drop();
});

const referralIdOf = (n: number) => `ref-alloc-${String(n).padStart(3, '0')}`;

/** Opens case n for `teamId`, received n days after 1 January (so later cases are due later), opened at 9:00 plus n minutes on 5 January. */
async function openCase(n: number, teamId = NORTH): Promise<string> {
  const openedAt = new Date(Date.UTC(2026, 0, 5, 9, n));
  const consumer = createReferralAcceptedConsumer({ ...runtime, clock: () => openedAt });
  const receivedAt = new Date(Date.UTC(2025, 11, 1 + n, 10)).toISOString();
  await deliverUntilAccepted(consumer, [
    referralAccepted({ referralId: referralIdOf(n), reference: `FSP-2026-${String(n).padStart(6, '0')}`, teamId, receivedAt }),
  ]);
  return caseIdForReferral(referralIdOf(n));
}

const cases = () => createCaseStore(runtime.documents, runtime.tableName);
const allocations = () => createAllocationStore(runtime.documents, runtime.tableName);

async function fileOf(caseId: string): Promise<CaseFile> {
  const file = await cases().readCase(caseId);
  if (!file) throw new Error(`no case ${caseId}`);
  return file;
}

/** What the route does: decide from the file as read, build the events, hand the change to the store. */
function changeFrom(file: CaseFile, request: AllocationRequest, at = new Date(NOW)): AllocationChange {
  const before = file.allocation?.allocation;
  const result = allocate(before ?? unallocated(file.record.caseId, file.record.teamId), request, members, manager, at);
  if (isAllocationRefusal(result)) throw new Error(`refused: ${JSON.stringify(result)}`);
  const publishing = { clock: () => at, correlationId: 'journey-allocation', causationId: 'req-allocate-1' };
  return {
    head: file.record,
    readVersion: file.allocation?.version ?? 0,
    ...(before ? { before } : {}),
    allocation: result.allocation,
    history: result.history,
    events: result.events.map((data) => buildEvent(caseAllocatedV1, caseAllocatedData(data, file.record), publishing)),
    publishing,
    by: manager,
  };
}

const firstAllocation: AllocationRequest = {
  socialWorkerId: people.samOkafor.userId,
  specialists: { 'domestic-abuse-victim': people.danaLewis.userId, 'mental-health': people.omarFarouk.userId },
};

async function historyItems(caseId: string) {
  const found = await table.documentClient.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `CASE#${caseId}#HISTORY` },
    }),
  );
  return found.Items ?? [];
}

const outboxDetails = async () =>
  (await itemsOfKind(table, 'outbox'))
    .filter((item) => item.detailType === 'CaseAllocated')
    .map((item) => JSON.parse(item.detail as string) as { data: Record<string, unknown> });

describe('changing an allocation', () => {
  it('writes the allocation, its history, the head, the caseload items, the chronology entry and one CaseAllocated per worker, in one go', async () => {
    const caseId = await openCase(1);
    const file = await fileOf(caseId);
    const item = await allocations().change(changeFrom(file, firstAllocation), new Date(NOW));
    expect(item.version).toBe(1);

    const after = await fileOf(caseId);
    expect(after.allocation).toEqual({
      version: 1,
      updatedAt: NOW,
      updatedBy: manager,
      allocation: {
        caseId,
        teamId: NORTH,
        socialWorker: { userId: 'sw-0001', name: 'Sam Okafor', allocatedAt: NOW, allocatedBy: 'tm-0001' },
        specialists: {
          'domestic-abuse-victim': { userId: 'as-0001', name: 'Dana Lewis', allocatedAt: NOW, allocatedBy: 'tm-0001' },
          'mental-health': { userId: 'as-0002', name: 'Omar Farouk', allocatedAt: NOW, allocatedBy: 'tm-0001' },
        },
        socialWorkerChanges: 0,
      },
    });
    // The London day of the first allocation, from which the first group supervision is due.
    expect(after.record).toMatchObject({
      socialWorker: { userId: 'sw-0001', name: 'Sam Okafor' },
      socialWorkerChanges: 0,
      firstAllocatedOn: '2026-01-06',
      version: 2,
    });
    expect(after.chronology.map((entry) => [entry.kind, entry.text])).toEqual([
      ['case-opened', 'Case opened from referral FSP-2026-000001: Child and Family assessment'],
      [
        'allocation-changed',
        'Social worker: Sam Okafor allocated. Domestic abuse worker (victims): Dana Lewis allocated. Mental health worker: Omar Farouk allocated.',
      ],
    ]);

    const head = await table.documentClient.send(new GetCommand({ TableName: table.tableName, Key: { pk: `CASE#${caseId}`, sk: 'CASE' } }));
    expect(head.Item?.gsi1sk).toBe(`ALLOCATED#${after.record.openedAt}#${caseId}`);

    const caseload = await itemsOfKind(table, 'caseload');
    expect(caseload.map((entry) => [entry.sk, entry.gsi1pk, entry.gsi1sk, entry.slots]).sort()).toEqual(
      [
        ['CASELOAD#as-0001', 'WORKER#as-0001#CASELOAD', `${after.record.assessmentDueBy}#${caseId}`, ['domestic-abuse-victim']],
        ['CASELOAD#as-0002', 'WORKER#as-0002#CASELOAD', `${after.record.assessmentDueBy}#${caseId}`, ['mental-health']],
        ['CASELOAD#sw-0001', 'WORKER#sw-0001#CASELOAD', `${after.record.assessmentDueBy}#${caseId}`, ['social-worker']],
      ].sort(),
    );
    expect(caseload[0]).toMatchObject({ reference: 'FSP-2026-000001', status: 'assessment', teamId: NORTH });

    const history = await historyItems(caseId);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ kind: 'allocation-change', version: 1, record: { at: NOW, by: manager, socialWorkerChanges: 0 } });

    const events = await outboxDetails();
    expect(events.map((event) => event.data).sort((a, b) => String(a.workerId).localeCompare(String(b.workerId)))).toEqual([
      expect.objectContaining({
        workerId: 'as-0001',
        role: 'adult-specialist',
        specialism: 'domestic-abuse-victim',
        reference: 'FSP-2026-000001',
      }),
      expect.objectContaining({ workerId: 'as-0002', role: 'adult-specialist', specialism: 'mental-health' }),
      {
        caseId,
        reference: 'FSP-2026-000001',
        teamId: NORTH,
        workerId: 'sw-0001',
        role: 'social-worker',
        socialWorkerChanges: 0,
        allocatedAt: NOW,
        allocatedBy: 'tm-0001',
      },
    ]);

    const entries = await outboxOf(table, caseChronologyEntryAddedV1);
    const allocationEntry = entries.find((event) => event.data.kind === 'allocation-changed');
    expect(entries).toHaveLength(2);
    expect(allocationEntry?.metadata).toMatchObject({ correlationId: 'journey-allocation', causationId: 'req-allocate-1' });
    expect(allocationEntry?.data).toEqual({
      caseId,
      reference: 'FSP-2026-000001',
      teamId: NORTH,
      entryId: after.chronology[1]?.entryId,
      kind: 'allocation-changed',
      at: NOW,
      text: after.chronology[1]?.text,
      restricted: false,
    });
  });

  it('on a change of social worker, moves the caseload, counts the change, keeps both history records and tells only the new workers', async () => {
    const caseId = await openCase(1);
    await allocations().change(changeFrom(await fileOf(caseId), firstAllocation), new Date(NOW));
    const later = new Date('2026-02-02T14:00:00.000Z');
    const change = changeFrom(
      await fileOf(caseId),
      {
        socialWorkerId: people.ruthHale.userId,
        reason: 'Sam Okafor has moved to the court team.',
        // The mental health worker is no longer needed; the victims' worker stays.
        specialists: { 'domestic-abuse-victim': people.danaLewis.userId },
      },
      later,
    );
    const item = await allocations().change(change, later);
    expect(item).toMatchObject({ version: 2, allocation: { socialWorkerChanges: 1 } });

    const caseload = await itemsOfKind(table, 'caseload');
    expect(caseload.map((entry) => entry.userId).sort()).toEqual(['as-0001', 'sw-0002']);
    const after = await fileOf(caseId);
    // A new social worker does not move the first supervision's day: it runs from the first allocation.
    expect(after.record).toMatchObject({
      socialWorker: { userId: 'sw-0002', name: 'Ruth Hale' },
      socialWorkerChanges: 1,
      firstAllocatedOn: '2026-01-06',
    });
    expect(after.chronology.at(-1)?.text).toBe(
      'Social worker changed from Sam Okafor to Ruth Hale. Mental health worker: Omar Farouk no longer allocated. Reason for the change of social worker: Sam Okafor has moved to the court team.',
    );
    expect(await historyItems(caseId)).toHaveLength(2);
    expect(await allocations().history(caseId)).toEqual([
      expect.objectContaining({ version: 1 }),
      expect.objectContaining({ version: 2, record: expect.objectContaining({ reason: 'Sam Okafor has moved to the court team.' }) }),
    ]);
    const newlyTold = (await outboxDetails()).filter((event) => event.data.allocatedAt === later.toISOString());
    expect(newlyTold.map((event) => event.data)).toEqual([
      expect.objectContaining({
        workerId: 'sw-0002',
        previousWorkerId: 'sw-0001',
        reason: 'Sam Okafor has moved to the court team.',
        socialWorkerChanges: 1,
      }),
    ]);
  });

  it('refuses a change made from a version that is no longer current, and writes nothing', async () => {
    const caseId = await openCase(1);
    const stale = await fileOf(caseId);
    await allocations().change(changeFrom(stale, firstAllocation), new Date(NOW));
    const before = await allItems(table);

    const losing = changeFrom(stale, { socialWorkerId: people.ruthHale.userId, specialists: {} });
    await expect(allocations().change(losing, new Date(NOW))).rejects.toBeInstanceOf(AllocationVersionConflictError);
    expect(await allItems(table)).toEqual(before);
  });

  it('lets exactly one of two first allocations made at once through', async () => {
    const caseId = await openCase(1);
    const file = await fileOf(caseId);
    const results = await Promise.allSettled([
      allocations().change(changeFrom(file, firstAllocation), new Date(NOW)),
      allocations().change(changeFrom(file, { socialWorkerId: people.ruthHale.userId, specialists: {} }), new Date(NOW)),
    ]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.filter((result) => result.status === 'rejected');
    expect(rejected).toHaveLength(1);
    // Either the other's version condition failed, or DynamoDB cancelled it for touching the same items at once: nothing of it is written.
    expect(await historyItems(caseId)).toHaveLength(1);
    expect((await outboxDetails()).length).toBe((await fileOf(caseId)).allocation?.allocation.specialists['mental-health'] ? 3 : 1);
  });

  it('writes nothing at all when any part of the transaction fails (here, an outbox item already there)', async () => {
    const caseId = await openCase(1);
    const file = await fileOf(caseId);
    const change = changeFrom(file, firstAllocation);
    const clashing = change.events[1]?.detail.metadata.eventId;
    await table.documentClient.send(
      new PutCommand({ TableName: table.tableName, Item: { pk: `OUTBOX#${clashing}`, sk: 'OUTBOX#', kind: 'outbox-clash' } }),
    );
    const before = await allItems(table);

    await expect(allocations().change(change, new Date(NOW))).rejects.toThrow();
    expect(await allItems(table)).toEqual(before);
    expect((await fileOf(caseId)).allocation).toBeUndefined();
  });

  it('writes over the head as it is now when only the head moved since it was read (a referral added to the case)', async () => {
    const caseId = await openCase(1);
    const file = await fileOf(caseId);
    await cases().linkReferral(
      referralLinkedEntry(
        caseId,
        { referralId: 'ref-later', reference: 'FSP-2026-000099', urgent: false },
        { now: new Date('2026-01-06T09:10:00.000Z'), sourceEventId: randomUUID() },
      ),
      { clock: () => new Date('2026-01-06T09:10:00.000Z'), correlationId: 'journey-link', causationId: 'evt-link' },
      new Date('2026-01-06T09:10:00.000Z'),
    );
    await allocations().change(changeFrom(file, firstAllocation), new Date(NOW));
    const after = await fileOf(caseId);
    expect(after.record).toMatchObject({ version: 3, socialWorker: { userId: 'sw-0001' } });
    expect(after.chronology.map((entry) => entry.kind)).toEqual(['case-opened', 'referral-linked', 'allocation-changed']);
    // Each entry published once: the retry over the new head published nothing twice.
    expect((await outboxOf(table, caseChronologyEntryAddedV1)).map((event) => event.data.kind).sort()).toEqual([
      'allocation-changed',
      'case-opened',
      'referral-linked',
    ]);
  });
});

describe("a worker's caseload", () => {
  it('lists the cases a worker is allocated to, soonest assessment deadline first, a page at a time, with their slots', async () => {
    const ids: string[] = [];
    for (const n of [3, 1, 2]) ids[n] = await openCase(n);
    // Sam is the social worker of cases 1 and 3; case 2 has Ruth, with Dana for substance misuse.
    for (const n of [1, 3]) {
      await allocations().change(
        changeFrom(await fileOf(ids[n]!), { socialWorkerId: people.samOkafor.userId, specialists: {} }),
        new Date(NOW),
      );
    }
    await allocations().change(
      changeFrom(await fileOf(ids[2]!), {
        socialWorkerId: people.ruthHale.userId,
        specialists: { 'substance-misuse': people.danaLewis.userId },
      }),
      new Date(NOW),
    );

    const store = allocations();
    const first = await store.caseload(people.samOkafor.userId, 1);
    expect(first?.entries.map((entry) => [entry.reference, entry.slots])).toEqual([['FSP-2026-000001', ['social-worker']]]);
    expect(first?.next).toBeDefined();
    const second = await store.caseload(people.samOkafor.userId, 1, first?.next);
    expect(second?.entries.map((entry) => entry.reference)).toEqual(['FSP-2026-000003']);
    expect(second?.next).toBeUndefined();

    expect((await store.caseload(people.danaLewis.userId, 20))?.entries.map((entry) => [entry.reference, entry.slots])).toEqual([
      ['FSP-2026-000002', ['substance-misuse']],
    ]);
    expect((await store.caseload(people.grace.userId, 20))?.entries).toEqual([]);
    expect(await store.caseload(people.samOkafor.userId, 20, 'not-a-position')).toBeUndefined();
  });
});

describe("the team's cases", () => {
  it('lists unallocated cases first, then the allocated, newest opened first within each, with the social worker, across pages', async () => {
    const ids: string[] = [];
    for (const n of [1, 2, 3, 4]) ids[n] = await openCase(n);
    await openCase(5, 'team-south-2');
    for (const n of [2, 4]) await allocations().change(changeFrom(await fileOf(ids[n]!), firstAllocation), new Date(NOW));

    const store = cases();
    const first = await store.teamCases(NORTH, 3);
    expect(first?.cases.map((record) => [record.reference, record.socialWorker?.name])).toEqual([
      ['FSP-2026-000003', undefined],
      ['FSP-2026-000001', undefined],
      ['FSP-2026-000004', 'Sam Okafor'],
    ]);
    const second = await store.teamCases(NORTH, 3, first?.next);
    expect(second?.cases.map((record) => record.reference)).toEqual(['FSP-2026-000002']);
    expect(second?.next).toBeUndefined();
  });
});
