/**
 * SupervisionHeld → the case's chronology and its overview, through the real consumer against
 * DynamoDB Local: one entry per supervision however often and under whatever eventId the fact
 * arrives, published once as CaseChronologyEntryAdded; the latest rating on the case head (a
 * supervision heard of late never replaces a later one); a case this service does not hold fails
 * the message for its queue to retry. Then what the overview and the chronology page show of it.
 */
import { randomUUID } from 'node:crypto';
import { buildEvent } from '@fsp/shared/events/build';
import type { EventDataInput } from '@fsp/shared/events/define';
import { caseChronologyEntryAddedV1 } from '@fsp/shared/events/definitions/cases';
import { supervisionHeldV1 } from '@fsp/shared/events/definitions/supervision';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { allItems, itemsOfKind, type TestTable } from '@fsp/shared/testing/dynamodb';
import { deliverUntilAccepted, lambdaContext, sqsEventOf } from '@fsp/shared/testing/events';
import { mainLinksOf, mainTextOf } from '@fsp/shared/testing/html';
import type { PageWorker } from '@fsp/shared/testing/pages';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { fixedClock } from '@fsp/shared/time/clock';
import { createReferralAcceptedConsumer } from '../../src/consumers/referral-accepted';
import { createSupervisionHeldConsumer } from '../../src/consumers/supervision-held';
import { caseIdForReferral } from '../../src/domain/case';
import { type CaseFile, createCaseStore } from '../../src/store/case-store';
import { outboxOf } from '../support/outbox';
import { casesPagesVisitor } from '../support/pages';
import { referralAccepted } from '../support/referral-accepted';

/** Wednesday 4 February 2026: the day after the first supervision. */
const NOW = '2026-02-04T10:00:00.000Z';
const ORIGIN = 'http://127.0.0.1:3000';
const referralId = 'ref-supervised-1';
const caseId = caseIdForReferral(referralId);
const manager: PageWorker = { userId: 'tm-0001', name: 'Tara Mensah', roles: ['team-manager'], teamId: 'team-north-1' };

const [heldFixture] = supervisionHeldV1.fixtures;
if (!heldFixture) throw new Error('SupervisionHeld v1 has no fixture');

/** SupervisionHeld as supervision's outbox would carry it for the case: the contract fixture, varied. */
function supervisionHeld(overrides: Partial<EventDataInput<typeof supervisionHeldV1>> = {}, eventId = randomUUID()) {
  return buildEvent(supervisionHeldV1, { ...heldFixture, caseId, ...overrides } as EventDataInput<typeof supervisionHeldV1>, {
    clock: () => new Date(NOW),
    correlationId: 'journey-supervision-1',
    causationId: 'req-complete-1',
    newId: () => eventId,
  });
}

/** The second supervision: a month on, rated red where the first was amber. */
const second = () =>
  supervisionHeld({
    supervisionId: 'sup-second',
    sequence: 2,
    heldOn: '2026-03-03',
    rating: 'red',
    previousRating: 'amber',
    completedAt: '2026-03-03T11:02:40.000Z',
  });

let table: TestTable;
let runtime: ServiceRuntime;
let consumer: ReturnType<typeof createSupervisionHeldConsumer>;
let logLines: Record<string, unknown>[];

beforeEach(async () => {
  const setup = await createTestRuntime('cases', fixedClock(NOW));
  ({ table, runtime, logLines } = setup);
  const opening = createReferralAcceptedConsumer({ ...runtime, clock: () => new Date('2026-01-05T15:10:02.000Z') });
  await deliverUntilAccepted(opening, [referralAccepted({ referralId })]);
  consumer = createSupervisionHeldConsumer(runtime);
});
afterEach(async () => {
  await table.drop();
});

async function fileOf(): Promise<CaseFile> {
  const file = await createCaseStore(runtime.documents, runtime.tableName).readCase(caseId);
  if (!file) throw new Error('the case did not open');
  return file;
}

const supervisionEntries = async () => (await fileOf()).chronology.filter((entry) => entry.kind === 'supervision-held');
const supervisionPublished = async () =>
  (await outboxOf(table, caseChronologyEntryAddedV1)).filter((event) => event.data.kind === 'supervision-held');

describe('SupervisionHeld → the chronology', () => {
  it('adds the entry, keeps the rating on the case and publishes the entry as CaseChronologyEntryAdded, in one go', async () => {
    const held = supervisionHeld();
    expect((await consumer(sqsEventOf(held), lambdaContext)).batchItemFailures).toEqual([]);

    const file = await fileOf();
    expect(file.chronology.map((entry) => entry.kind)).toEqual(['case-opened', 'supervision-held']);
    expect(file.chronology[1]).toEqual({
      entryId: 'supervision-held-sup-01JGZC3M8F',
      caseId,
      kind: 'supervision-held',
      at: '2026-02-03T12:14:05.000Z',
      text: 'Group supervision 1 held: rated Amber',
      referralId,
      sourceEventId: held.detail.metadata.eventId,
    });
    expect(file.record).toMatchObject({ latestSupervision: { rating: 'amber', heldOn: '2026-02-03', sequence: 1 }, version: 2 });

    const [published, ...more] = await supervisionPublished();
    expect(more).toEqual([]);
    expect(published).toMatchObject({
      source: 'fsp.cases',
      metadata: { causationId: held.detail.metadata.eventId, correlationId: 'journey-supervision-1', producer: 'fsp.cases' },
    });
    expect(published?.data).toEqual({
      caseId,
      reference: 'FSP-2026-000123',
      teamId: 'team-north-1',
      entryId: 'supervision-held-sup-01JGZC3M8F',
      kind: 'supervision-held',
      at: '2026-02-03T12:14:05.000Z',
      text: 'Group supervision 1 held: rated Amber',
      restricted: false,
    });
  });

  it('records a supervision once, whether the fact comes again, under another eventId, or several times at once', async () => {
    const held = supervisionHeld();
    for (let delivery = 0; delivery < 3; delivery += 1) await deliverUntilAccepted(consumer, [held]);
    await deliverUntilAccepted(consumer, [supervisionHeld(), supervisionHeld()]);
    await deliverUntilAccepted(
      consumer,
      Array.from({ length: 4 }, () => supervisionHeld()),
    );

    expect(await supervisionEntries()).toHaveLength(1);
    expect(await supervisionPublished()).toHaveLength(1);
    expect((await fileOf()).record.version).toBe(2);
    expect(JSON.stringify(logLines)).toContain('Supervision already in the chronology; nothing written');
  });

  it('says what the rating was before, and the later supervision becomes the case’s latest', async () => {
    await deliverUntilAccepted(consumer, [supervisionHeld()]);
    await deliverUntilAccepted(consumer, [second()]);
    expect((await supervisionEntries()).map((entry) => entry.text)).toEqual([
      'Group supervision 1 held: rated Amber',
      'Group supervision 2 held: rated Red (was Amber)',
    ]);
    expect((await fileOf()).record.latestSupervision).toEqual({ rating: 'red', heldOn: '2026-03-03', sequence: 2 });
  });

  it('keeps the later supervision as the latest when an earlier one is heard of after it, and records both', async () => {
    await deliverUntilAccepted(consumer, [second()]);
    await deliverUntilAccepted(consumer, [supervisionHeld()]);
    expect(await supervisionEntries()).toHaveLength(2);
    expect((await fileOf()).record.latestSupervision).toEqual({ rating: 'red', heldOn: '2026-03-03', sequence: 2 });
    expect(await supervisionPublished()).toHaveLength(2);
  });

  it('records both of two supervisions heard of at once, the later one the latest', async () => {
    await deliverUntilAccepted(consumer, [supervisionHeld(), second()]);
    expect(await supervisionEntries()).toHaveLength(2);
    expect((await fileOf()).record.latestSupervision?.sequence).toBe(2);
    expect(await supervisionPublished()).toHaveLength(2);
  });

  it('dates a record written up on a later day by when it was completed, naming the day it was held', async () => {
    await deliverUntilAccepted(consumer, [supervisionHeld({ completedAt: '2026-02-04T09:00:00.000Z' })]);
    expect((await supervisionEntries())[0]).toMatchObject({
      at: '2026-02-04T09:00:00.000Z',
      text: 'Group supervision 1 held on Tuesday 3 February 2026: rated Amber',
    });
  });

  it('fails the message (its queue retries it, then the DLQ) for a case this service does not hold, and writes nothing', async () => {
    const before = await allItems(table);
    const orphan = supervisionHeld({ caseId: 'case-not-here' });
    const event = sqsEventOf(orphan);
    expect((await consumer(event, lambdaContext)).batchItemFailures).toEqual([{ itemIdentifier: event.Records[0]?.messageId }]);
    expect(JSON.stringify(logLines)).toContain('Case case-not-here does not exist');
    // Nothing but the consumer's own bookkeeping (if any) changed: no entry, no case, no outbox item.
    expect(await itemsOfKind(table, 'chronology')).toHaveLength(before.filter((item) => item.kind === 'chronology').length);
    expect(await itemsOfKind(table, 'outbox')).toHaveLength(before.filter((item) => item.kind === 'outbox').length);
    // Redelivered, it fails again rather than being remembered as handled.
    expect((await consumer(sqsEventOf(orphan), lambdaContext)).batchItemFailures).toHaveLength(1);
  });
});

describe('the case’s pages', () => {
  it('the overview shows the latest supervision, in words, linking to the case’s group supervision', async () => {
    const { visitor } = casesPagesVisitor(runtime, ORIGIN);
    const before = await visitor.get(manager, `/cases/${caseId}`);
    expect(mainTextOf(before.body ?? '')).toContain('Latest group supervision None held yet. See the case’s group supervision');

    await deliverUntilAccepted(consumer, [supervisionHeld()]);
    const page = await visitor.get(manager, `/cases/${caseId}`);
    expect(page.statusCode).toBe(200);
    const text = mainTextOf(page.body ?? '');
    expect(text).toContain('Latest group supervision Tuesday 3 February 2026, rated Amber. See the case’s group supervision');
    expect(mainLinksOf(page.body ?? '')).toEqual(
      expect.arrayContaining([{ text: 'See the case’s group supervision', href: `/supervision/cases/${caseId}` }]),
    );
    expect(text).toContain('Group supervision Tuesday 3 February 2026 at 12:14pm Group supervision 1 held: rated Amber');

    // The front door reads the case through its referral; supervision would refuse it, so no link is offered.
    const frontDoor: PageWorker = { userId: 'fd-0001', name: 'Femi Adeyemi', roles: ['front-door'], teamId: 'front-door' };
    const throughReferral = await visitor.get(frontDoor, `/cases/${caseId}?referralId=${referralId}`);
    expect(throughReferral.statusCode).toBe(200);
    expect(mainTextOf(throughReferral.body ?? '')).toContain('Latest group supervision Tuesday 3 February 2026, rated Amber Team');
    expect(mainLinksOf(throughReferral.body ?? '').filter((link) => link.href.startsWith('/supervision'))).toEqual([]);
  });

  it('the chronology shows each supervision held, newest first, filtered by its kind, with a link to it', async () => {
    await deliverUntilAccepted(consumer, [supervisionHeld(), second()]);
    const { visitor } = casesPagesVisitor(runtime, ORIGIN);
    const page = await visitor.get(manager, `/cases/${caseId}/chronology`);
    expect(page.statusCode).toBe(200);
    const text = mainTextOf(page.body ?? '');
    expect(text.indexOf('Group supervision 2 held: rated Red (was Amber)')).toBeLessThan(
      text.indexOf('Group supervision 1 held: rated Amber'),
    );
    expect(mainLinksOf(page.body ?? '').filter((link) => link.href === `/supervision/cases/${caseId}`)).toHaveLength(2);

    const filtered = mainTextOf((await visitor.get(manager, `/cases/${caseId}/chronology?kind=supervision-held`)).body ?? '');
    expect(filtered).toContain('2 of 3 entries.');
    expect(filtered).not.toContain('Case opened from referral');
  });
});
