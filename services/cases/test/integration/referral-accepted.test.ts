import { parseEventDetail } from '@fsp/shared/events/build';
import { caseChronologyEntryAddedV1, caseOpenedV1 } from '@fsp/shared/events/definitions/cases';
import { allItems, itemsOfKind, type TestTable } from '@fsp/shared/testing/dynamodb';
import { deliverUntilAccepted, lambdaContext, sqsEventOf } from '@fsp/shared/testing/events';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { fixedClock } from '@fsp/shared/time/clock';
import { createReferralAcceptedConsumer } from '../../src/consumers/referral-accepted';
import { caseIdForReferral } from '../../src/domain/case';
import { type CaseStore, createCaseStore } from '../../src/store/case-store';
import { outboxOf } from '../support/outbox';
import { referralAccepted } from '../support/referral-accepted';

const NOW = '2026-01-05T15:10:02.000Z';
let table: TestTable;
let consumer: ReturnType<typeof createReferralAcceptedConsumer>;
let store: CaseStore;
let logLines: Record<string, unknown>[];

beforeEach(async () => {
  const setup = await createTestRuntime('cases', fixedClock(NOW));
  table = setup.table;
  consumer = createReferralAcceptedConsumer(setup.runtime);
  store = createCaseStore(setup.runtime.documents, setup.runtime.tableName);
  logLines = setup.logLines;
});
afterEach(async () => {
  await table.drop();
});

async function outboxEvents() {
  return (await itemsOfKind(table, 'outbox'))
    .filter((item) => item.detailType === 'CaseOpened')
    .map((item) => ({
      source: item.source,
      detailType: item.detailType,
      detail: parseEventDetail(caseOpenedV1, JSON.parse(String(item.detail))),
    }));
}

describe('ReferralAccepted → case opened', () => {
  it('opens the case, records the opening in its chronology and puts CaseOpened and the entry’s CaseChronologyEntryAdded in the outbox', async () => {
    const accepted = referralAccepted({ receivedAt: '2026-12-23T16:00:00.000Z', acceptedAt: '2026-12-24T09:00:00.000Z' });
    const response = await consumer(sqsEventOf(accepted), lambdaContext);
    expect(response.batchItemFailures).toEqual([]);

    const caseId = caseIdForReferral(accepted.detail.data.referralId);
    const found = await store.readCase(caseId);
    expect(found?.record).toMatchObject({
      status: 'assessment',
      teamId: 'team-north-1',
      urgent: false,
      reference: 'FSP-2026-000123',
      openedAt: NOW,
      assessmentDueBy: '2027-03-01T23:59:59.999Z',
      version: 1,
    });
    expect(found?.record.children.map((child) => child.childId)).toEqual(['child-01JGZ8R1', 'child-01JGZ8R2']);
    expect(found?.chronology).toEqual([
      expect.objectContaining({
        kind: 'case-opened',
        at: NOW,
        text: 'Case opened from referral FSP-2026-000123: Child and Family assessment',
        sourceEventId: accepted.detail.metadata.eventId,
      }),
    ]);

    const [published, ...others] = await outboxEvents();
    expect(others).toEqual([]);
    expect(published).toMatchObject({ source: 'fsp.cases', detailType: 'CaseOpened' });
    expect(published?.detail.metadata).toMatchObject({
      causationId: accepted.detail.metadata.eventId,
      correlationId: accepted.detail.metadata.correlationId,
      producer: 'fsp.cases',
      schemaVersion: 1,
    });
    expect(published?.detail.data).toEqual({
      caseId,
      referralId: accepted.detail.data.referralId,
      reference: 'FSP-2026-000123',
      teamId: 'team-north-1',
      openedAt: NOW,
      status: 'assessment',
      // 23 December 2026 + 45 working days, skipping 25 and 28 December and 1 January.
      assessmentDueBy: '2027-03-01T23:59:59.999Z',
    });

    const [entryAdded, ...moreEntries] = await outboxOf(table, caseChronologyEntryAddedV1);
    expect(moreEntries).toEqual([]);
    expect(entryAdded?.metadata).toMatchObject({
      causationId: accepted.detail.metadata.eventId,
      correlationId: accepted.detail.metadata.correlationId,
    });
    expect(entryAdded?.data).toEqual({
      caseId,
      reference: 'FSP-2026-000123',
      teamId: 'team-north-1',
      entryId: found?.chronology[0]?.entryId,
      kind: 'case-opened',
      at: NOW,
      text: 'Case opened from referral FSP-2026-000123: Child and Family assessment',
      restricted: false,
    });
    expect(await itemsOfKind(table, 'outbox')).toHaveLength(2);
  });

  it('opens an urgent case for a strategy discussion', async () => {
    const accepted = referralAccepted({ outcome: 'strategy-discussion', urgent: true });
    await deliverUntilAccepted(consumer, [accepted]);
    const found = await store.readCase(caseIdForReferral(accepted.detail.data.referralId));
    expect(found?.record.urgent).toBe(true);
    expect(found?.chronology[0]?.text).toBe('Case opened from referral FSP-2026-000123: strategy discussion (section 47)');
  });

  it('keeps the referral’s census source on the case’s path, beside its Family Safeguarding flag', async () => {
    const accepted = referralAccepted({ referralSource: '3B' });
    await deliverUntilAccepted(consumer, [accepted]);
    const found = await store.readCase(caseIdForReferral(accepted.detail.data.referralId));
    expect(found?.path).toMatchObject({ referralSource: '3B', familySafeguardingFlag: true, referralDate: '2026-01-05' });
  });

  it('opens a case without a source from a fact published before the source was carried', async () => {
    const accepted = referralAccepted({ referralSource: undefined, familySafeguardingFlag: undefined });
    await deliverUntilAccepted(consumer, [accepted]);
    const found = await store.readCase(caseIdForReferral(accepted.detail.data.referralId));
    expect(found?.path).toBeDefined();
    expect(found?.path).not.toHaveProperty('referralSource');
    expect(found?.path).not.toHaveProperty('familySafeguardingFlag');
  });

  async function expectExactlyOneCase() {
    const items = await allItems(table);
    expect(items.filter((item) => item.kind === 'case')).toHaveLength(1);
    expect(items.filter((item) => item.kind === 'chronology')).toHaveLength(1);
    expect(items.filter((item) => item.kind === 'referral-link')).toHaveLength(1);
    // CaseOpened and the opening entry's CaseChronologyEntryAdded, once.
    expect(items.filter((item) => item.kind === 'outbox')).toHaveLength(2);
  }

  it('opens one case when the same fact arrives five times in sequence', async () => {
    const accepted = referralAccepted();
    for (let delivery = 0; delivery < 5; delivery += 1) {
      expect((await consumer(sqsEventOf(accepted), lambdaContext)).batchItemFailures).toEqual([]);
    }
    await expectExactlyOneCase();
  });

  it('opens one case when the same fact arrives five times at once', async () => {
    const accepted = referralAccepted();
    await deliverUntilAccepted(
      consumer,
      Array.from({ length: 5 }, () => accepted),
    );
    await expectExactlyOneCase();
  });

  it('opens one case when the referral is accepted five times under different eventIds, in sequence', async () => {
    for (let delivery = 0; delivery < 5; delivery += 1) {
      expect((await consumer(sqsEventOf(referralAccepted()), lambdaContext)).batchItemFailures).toEqual([]);
    }
    await expectExactlyOneCase();
  });

  it('opens one case when the referral is accepted five times under different eventIds, at once', async () => {
    // Bypasses the consumer's eventId idempotency: only the referral guard stands between these and five cases.
    await deliverUntilAccepted(
      consumer,
      Array.from({ length: 5 }, () => referralAccepted()),
    );
    await expectExactlyOneCase();
  });

  it('opens one case per referral in a batch of different referrals', async () => {
    const referrals = ['ref-a', 'ref-b', 'ref-c'].map((referralId) => referralAccepted({ referralId }));
    const response = await consumer(sqsEventOf(...referrals), lambdaContext);
    expect(response.batchItemFailures).toEqual([]);
    expect(await itemsOfKind(table, 'case')).toHaveLength(3);
    expect(await itemsOfKind(table, 'outbox')).toHaveLength(6);
  });
});

describe('ReferralAccepted → added to an open case', () => {
  it('appends a chronology entry to the case, bumps its version and publishes the entry once', async () => {
    const opened = referralAccepted();
    await deliverUntilAccepted(consumer, [opened]);
    const caseId = caseIdForReferral(opened.detail.data.referralId);

    const added = referralAccepted({
      referralId: 'ref-second-concern',
      reference: 'FSP-2026-000200',
      outcome: 'added-to-open-case',
      existingCaseId: caseId,
    });
    for (let delivery = 0; delivery < 3; delivery += 1) await deliverUntilAccepted(consumer, [added]);
    await deliverUntilAccepted(consumer, [referralAccepted({ ...added.detail.data })]);

    const found = await store.readCase(caseId);
    expect(found?.chronology.map((entry) => entry.text)).toEqual([
      'Case opened from referral FSP-2026-000123: Child and Family assessment',
      'Referral FSP-2026-000200 added to this case',
    ]);
    expect(found?.chronology[1]).toMatchObject({
      kind: 'referral-linked',
      referralId: 'ref-second-concern',
      sourceEventId: added.detail.metadata.eventId,
    });
    expect(found?.record.version).toBe(2);
    // The opening's CaseOpened and CaseChronologyEntryAdded, and this entry's, once for four deliveries.
    expect(await itemsOfKind(table, 'outbox')).toHaveLength(3);
    const published = (await outboxOf(table, caseChronologyEntryAddedV1)).filter((event) => event.data.kind === 'referral-linked');
    expect(published.map((event) => event.data)).toEqual([
      {
        caseId,
        reference: 'FSP-2026-000123',
        teamId: 'team-north-1',
        entryId: found?.chronology[1]?.entryId,
        kind: 'referral-linked',
        at: NOW,
        text: 'Referral FSP-2026-000200 added to this case',
        restricted: false,
      },
    ]);
    expect(await store.caseIdOfReferral('ref-second-concern')).toBe(caseId);
  });

  it('fails the message (for the DLQ) when the named case does not exist, and writes nothing', async () => {
    const orphan = referralAccepted({ outcome: 'added-to-open-case', existingCaseId: 'case-does-not-exist' });
    const event = sqsEventOf(orphan);
    const response = await consumer(event, lambdaContext);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: event.Records[0]?.messageId }]);
    expect((await allItems(table)).filter((item) => item.kind !== undefined && item.kind !== 'outbox')).toEqual([]);
    expect(JSON.stringify(logLines)).toContain('Case case-does-not-exist does not exist');
    // Redelivered, it fails again rather than being remembered as handled.
    expect((await consumer(sqsEventOf(orphan), lambdaContext)).batchItemFailures).toHaveLength(1);
  });

  it('refuses (for a person to resolve) a referral that arrives to open a case after it was added to another one', async () => {
    const opened = referralAccepted();
    await deliverUntilAccepted(consumer, [opened]);
    const caseId = caseIdForReferral(opened.detail.data.referralId);
    await deliverUntilAccepted(consumer, [
      referralAccepted({ referralId: 'ref-contradicted', outcome: 'added-to-open-case', existingCaseId: caseId }),
    ]);

    const contradiction = referralAccepted({ referralId: 'ref-contradicted', outcome: 'assessment' });
    expect((await consumer(sqsEventOf(contradiction), lambdaContext)).batchItemFailures).toHaveLength(1);
    expect(JSON.stringify(logLines)).toContain(`Referral ref-contradicted already belongs to case ${caseId}`);
    expect(await itemsOfKind(table, 'case')).toHaveLength(1);
    expect(await store.caseIdOfReferral('ref-contradicted')).toBe(caseId);
  });

  it('fails the message when the outcome names no case', async () => {
    const response = await consumer(sqsEventOf(referralAccepted({ outcome: 'added-to-open-case' })), lambdaContext);
    expect(response.batchItemFailures).toHaveLength(1);
  });

  it('keeps every one of many concurrent additions to one case (optimistic locking, no lost update)', async () => {
    const opened = referralAccepted();
    await deliverUntilAccepted(consumer, [opened]);
    const caseId = caseIdForReferral(opened.detail.data.referralId);
    const additions = Array.from({ length: 8 }, (_, index) =>
      referralAccepted({
        referralId: `ref-extra-${index}`,
        reference: `FSP-2026-0003${index}0`,
        outcome: 'added-to-open-case',
        existingCaseId: caseId,
      }),
    );
    await deliverUntilAccepted(consumer, additions, 30);
    const found = await store.readCase(caseId);
    expect(found?.chronology).toHaveLength(9);
    expect(found?.record.version).toBe(9);
    // Every entry published once, however many times its transaction lost and was retried.
    expect((await outboxOf(table, caseChronologyEntryAddedV1)).map((event) => event.data.entryId).sort()).toEqual(
      found?.chronology.map((entry) => entry.entryId).sort(),
    );
  });
});
