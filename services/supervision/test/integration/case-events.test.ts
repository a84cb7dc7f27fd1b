/**
 * Cases' facts on supervision's side: CaseChronologyEntryAdded lines on the scheduled supervision's
 * agenda (once per entry, supervision's own 'supervision-held' left out); CaseAllocated keeping who
 * is allocated (a change replaces, an older fact changes nothing); CaseClosed cancelling the
 * scheduled supervision. Through the real consumers, delivered more than once.
 */
import { randomUUID } from 'node:crypto';
import { buildEvent } from '@fsp/shared/events/build';
import type { EventDataInput } from '@fsp/shared/events/define';
import { caseChronologyEntryAddedV1, caseClosedV1 } from '@fsp/shared/events/definitions/cases';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { itemsOfKind, type TestTable } from '@fsp/shared/testing/dynamodb';
import { lambdaContext, sqsEventOf } from '@fsp/shared/testing/events';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { createCaseAllocatedConsumer } from '../../src/consumers/case-allocated';
import { createCaseChronologyConsumer } from '../../src/consumers/case-chronology';
import { createCaseClosedConsumer } from '../../src/consumers/case-closed';
import { AGENDA_CHANGES_CAP } from '../../src/domain/model';
import { createSupervisionStore, type SupervisionStore } from '../../src/store/supervision-store';
import { openAndAllocate } from '../support/cases';
import { caseAllocated, socialWorkerChanged, specialistAllocated } from '../support/events';

const CASE_ID = 'case-01JGZB7XQ2';
const NOW = new Date('2026-01-20T10:00:00.000Z');
let table: TestTable;
let runtime: ServiceRuntime;
let store: SupervisionStore;

beforeEach(async () => {
  const setup = await createTestRuntime('supervision', () => NOW);
  table = setup.table;
  runtime = setup.runtime;
  store = createSupervisionStore(runtime);
  await openAndAllocate(runtime, [
    {
      caseId: CASE_ID,
      teamId: 'team-north-1',
      openedAt: '2026-01-05T15:10:02.000Z',
      reference: 'FSP-2026-000123',
      allocatedAt: '2026-01-06T09:42:10.000Z',
    },
  ]);
});
afterEach(async () => {
  await table.drop();
});

const context = () => ({ clock: () => NOW, correlationId: 'journey-1', causationId: 'cause-1', newId: () => randomUUID() });
const chronology = (overrides: Partial<EventDataInput<typeof caseChronologyEntryAddedV1>> = {}) =>
  buildEvent(caseChronologyEntryAddedV1, { ...caseChronologyEntryAddedV1.fixtures[0]!, ...overrides }, context());
const closed = (overrides: Partial<EventDataInput<typeof caseClosedV1>> = {}) =>
  buildEvent(caseClosedV1, { ...caseClosedV1.fixtures[0]!, ...overrides }, context());

const accept = async (consumer: ReturnType<typeof createCaseChronologyConsumer>, ...events: Parameters<typeof sqsEventOf>) =>
  expect((await consumer(sqsEventOf(...events), lambdaContext)).batchItemFailures).toEqual([]);

const agendaTexts = async () => (await store.supervision(CASE_ID, 1))?.agenda?.changes.map((change) => change.text);

describe('CaseChronologyEntryAdded → the agenda', () => {
  it('appends the line once per entry, under any eventId, in time order; leaves supervision-held out', async () => {
    const consumer = createCaseChronologyConsumer(runtime);
    const entry = chronology();
    await accept(consumer, entry);
    await accept(consumer, entry);
    await accept(consumer, chronology()); // the same entry, another eventId
    await accept(consumer, chronology({ entryId: 'sup-held-1', kind: 'supervision-held', text: 'Group supervision 1 held: rated Amber' }));
    await accept(
      consumer,
      chronology({
        entryId: 'note-early',
        at: '2026-01-10T09:00:00.000Z',
        text: 'Restricted entry recorded by Dana Lewis',
        restricted: true,
      }),
    );
    expect(await agendaTexts()).toEqual([
      'Social worker allocated',
      'Restricted entry recorded by Dana Lewis',
      'Home visit: significant note recorded by Sam Okafor',
    ]);
  });

  it('keeps the newest 50 lines', async () => {
    const consumer = createCaseChronologyConsumer(runtime);
    for (let n = 0; n < AGENDA_CHANGES_CAP + 5; n += 1) {
      await accept(
        consumer,
        chronology({
          entryId: `entry-${n}`,
          at: new Date(Date.parse('2026-01-10T00:00:00.000Z') + n * 60_000).toISOString(),
          text: `Line ${n}`,
        }),
      );
    }
    const texts = await agendaTexts();
    expect(texts).toHaveLength(AGENDA_CHANGES_CAP);
    expect(texts?.at(-1)).toBe(`Line ${AGENDA_CHANGES_CAP + 4}`);
  });

  it('appends each of many entries arriving at once', async () => {
    const consumer = createCaseChronologyConsumer(runtime);
    await Promise.all(
      Array.from({ length: 5 }, (_, n) =>
        consumer(sqsEventOf(chronology({ entryId: `concurrent-${n}`, text: `Line ${n}` })), lambdaContext),
      ),
    );
    expect((await agendaTexts())?.filter((text) => text.startsWith('Line'))).toHaveLength(5);
  });

  it('ignores an entry of a case with no supervision scheduled', async () => {
    await accept(createCaseChronologyConsumer(runtime), chronology({ caseId: 'case-unknown' }));
    expect(await store.readCase('case-unknown')).toBeUndefined();
  });
});

describe('CaseAllocated → who is allocated', () => {
  it('keeps the social worker and a specialist per specialism; a change replaces; an older fact changes nothing', async () => {
    const consumer = createCaseAllocatedConsumer(runtime);
    const specialist = specialistAllocated();
    await accept(consumer, specialist);
    await accept(consumer, specialist);
    const change = socialWorkerChanged();
    await accept(consumer, change);
    // The first allocation delivered again, late: the change stands.
    await accept(consumer, caseAllocated({ allocatedAt: '2026-01-06T09:42:10.000Z' }));
    const head = (await store.readCase(CASE_ID))?.supervisedCase;
    expect(head?.allocation).toEqual({
      socialWorker: change.detail.data.workerId,
      specialists: { [specialist.detail.data.specialism!]: specialist.detail.data.workerId },
    });
    expect(await agendaTexts()).toEqual(expect.arrayContaining(['Social worker allocated', 'Social worker changed']));
    expect((await agendaTexts())?.some((text) => text.endsWith('specialist allocated'))).toBe(true);
  });
});

describe('CaseClosed', () => {
  it('closes the case and cancels its scheduled supervision: off the agenda and the timers; repeats change nothing', async () => {
    const consumer = createCaseClosedConsumer(runtime);
    const fact = closed();
    await accept(consumer, fact);
    await accept(consumer, closed());
    const read = await store.readCase(CASE_ID);
    expect(read?.supervisedCase.closedAt).toBe(fact.detail.data.closedAt);
    expect(read?.supervisions.map((s) => [s.sequence, s.status, s.cancelledAt])).toEqual([[1, 'cancelled', fact.detail.data.closedAt]]);
    expect(await store.teamAgenda('team-north-1')).toEqual([]);
    expect(await itemsOfKind(table, 'timer')).toEqual([]);
    // Only the first supervision's SupervisionScheduled was published: closing publishes nothing.
    expect(await itemsOfKind(table, 'outbox')).toHaveLength(1);
  });

  it('keeps a case it did not know, closed', async () => {
    await accept(createCaseClosedConsumer(runtime), closed({ caseId: 'case-closed-first' }));
    expect((await store.readCase('case-closed-first'))?.supervisedCase).toMatchObject({ closedAt: '2026-06-30T16:20:00.000Z' });
  });
});
