/**
 * Rotating the known-family index's key without losing a match (ADR 0021): written under version 1,
 * rotated to version 2, a new referral still matches the family before and after the re-index,
 * the re-index is idempotent, nothing is duplicated, and after it version 1 can retire.
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import {
  generateKeyringSecrets,
  type KeyringSecrets,
  retireKeyringSecret,
  rotateKeyringSecrets,
  staticKeyring,
} from '@fsp/shared/keyed-hash';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { allItems, type TestTable } from '@fsp/shared/testing/dynamodb';
import { deliverUntilAccepted } from '@fsp/shared/testing/events';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { createKnownFamilyCheckConsumer } from '../../src/consumers/known-family-check';
import { referralSubmissionSchema } from '../../src/domain/submission';
import { receiveAndStore } from '../../src/http/intake';
import { createReferralsStore, type StoredReferral } from '../../src/store/referrals-store';
import { schoolReferral } from '../support/fixtures';
import { submittedEventOf, withChild } from '../support/referrals';

let table: TestTable;
let runtime: ServiceRuntime;
let now = new Date('2026-11-16T09:00:00Z');

beforeEach(async () => {
  now = new Date('2026-11-16T09:00:00Z');
  ({ table, runtime } = await createTestRuntime('referrals', () => now));
});
afterEach(async () => {
  await table.drop();
});

/** A referral received and checked by functions holding `ring`, an hour after the last. */
async function receiveWith(ring: KeyringSecrets, submission = schoolReferral()): Promise<StoredReferral> {
  now = new Date(now.getTime() + 3_600_000);
  const at = now;
  const store = createReferralsStore(runtime.documents, runtime.tableName, staticKeyring(ring));
  const received = await receiveAndStore(store, {
    submission: referralSubmissionSchema.parse(submission),
    channel: 'partner-api',
    agencyId: 'agency-oakfield',
    now: at,
    events: { clock: () => at, correlationId: 'test-rotation', causationId: 'test-request' },
    logger: runtime.logger,
  });
  await deliverUntilAccepted(createKnownFamilyCheckConsumer(runtime, staticKeyring(ring)), [
    await submittedEventOf(runtime, received.referralId),
  ]);
  const checked = await store.get(received.referralId);
  if (!checked) throw new Error('the referral vanished');
  return checked;
}

const indexItems = async () => (await allItems(table)).filter((item) => item.kind === 'family-index');
const matchedIds = (referral: StoredReferral) =>
  (referral.familyMatches ?? []).map((match) => `${match.referralId}:${match.strength}`).sort();

describe('rotating the match key', () => {
  it('keeps every match across the rotation and the re-index, moves each item once, and lets the old key retire', async () => {
    const v1 = generateKeyringSecrets();
    const first = await receiveWith(v1);
    expect((await indexItems()).map((item) => item.keyVersion)).toEqual([1, 1]);

    const v2 = rotateKeyringSecrets(v1);
    // Before the re-index: written under 2, found under 1.
    const second = await receiveWith(v2);
    expect(matchedIds(second)).toEqual([`${first.referralId}:strong`]);
    expect((await indexItems()).map((item) => item.keyVersion).sort()).toEqual([1, 1, 2, 2]);

    const index = createReferralsStore(runtime.documents, runtime.tableName, staticKeyring(v2)).familyIndex;
    expect(await index.reindexAll()).toEqual({ moved: 2, orphaned: 0 });
    const moved = await indexItems();
    expect(moved.map((item) => item.keyVersion)).toEqual([2, 2, 2, 2]);
    // One item per (referral, child, match key): nothing duplicated, the first referral's under new partitions.
    expect(new Set(moved.map((item) => `${item.pk}|${item.sk}`)).size).toBe(4);
    expect(moved.filter((item) => item.referralId === first.referralId)).toHaveLength(2);
    expect(new Set(moved.map((item) => item.pk)).size).toBe(2);

    // Idempotent: run again, nothing to move, nothing changed.
    expect(await index.reindexAll()).toEqual({ moved: 0, orphaned: 0 });
    expect(await indexItems()).toEqual(moved);

    // After the re-index, version 1 retires and a new referral still finds both, each once.
    const third = await receiveWith(retireKeyringSecret(v2, 1));
    expect(matchedIds(third)).toEqual([`${first.referralId}:strong`, `${second.referralId}:strong`].sort());
  });

  it('finds a child once while it is indexed under both versions (a re-index half done)', async () => {
    const v1 = generateKeyringSecrets();
    const first = await receiveWith(v1);
    const v2 = rotateKeyringSecrets(v1);
    // The re-index's put landed, its delete not yet: the first referral is under 1 and 2.
    const store = createReferralsStore(runtime.documents, runtime.tableName, staticKeyring(v2));
    const puts = await store.familyIndex.writesFor(first);
    await runtime.documents.send(new TransactWriteCommand({ TransactItems: puts }));
    expect((await indexItems()).map((item) => item.keyVersion).sort()).toEqual([1, 1, 2, 2]);

    const second = await receiveWith(v2);
    expect(second.familyMatches).toHaveLength(1);
    expect(matchedIds(second)).toEqual([`${first.referralId}:strong`]);
  });

  it('matches by name and postcode, and by name and date of birth, under the previous key as under the current one', async () => {
    const v1 = generateKeyringSecrets();
    const first = await receiveWith(v1);
    const v2 = rotateKeyringSecrets(v1);
    // Another postcode: possible by name and date of birth. No date of birth: possible by name and postcode.
    const moved = await receiveWith(
      v2,
      withChild({ address: { line1: '3 Oak Lane', town: 'Southtown', postcode: 'ST9 9ZZ' } }) as ReturnType<typeof schoolReferral>,
    );
    const undated = await receiveWith(v2, withChild({ dateOfBirth: undefined }) as ReturnType<typeof schoolReferral>);
    expect(matchedIds(moved)).toEqual([`${first.referralId}:possible`]);
    expect(matchedIds(undated)).toContain(`${first.referralId}:possible`);
    // Another date of birth, same postcode: no match, under either key.
    const other = await receiveWith(v2, withChild({ dateOfBirth: '2019-01-01' }) as ReturnType<typeof schoolReferral>);
    expect(matchedIds(other).filter((id) => id.startsWith(first.referralId))).toEqual([]);
  });

  it('moves the items written before keyed hashes (the plain match key in the partition key) and deletes them', async () => {
    const ring = generateKeyringSecrets();
    const first = await receiveWith(ring);
    // The item as it was written before ADR 0021, beside the new ones.
    const legacy = {
      pk: 'FAMILY#NAME-DOB#mia|jones#2018-03-14',
      sk: `${first.receivedAt}#${first.referralId}#${first.children[0]?.childId}`,
      kind: 'family-index',
      referralId: first.referralId,
      reference: first.reference,
      receivedAt: first.receivedAt,
      childId: first.children[0]?.childId,
      firstName: 'mia',
      lastName: 'jones',
      dateOfBirth: '2018-03-14',
    };
    await runtime.documents.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: runtime.tableName, Item: legacy } }] }));
    const index = createReferralsStore(runtime.documents, runtime.tableName, staticKeyring(ring)).familyIndex;
    expect(await index.reindexAll()).toEqual({ moved: 1, orphaned: 0 });
    const items = await indexItems();
    expect(items.map((item) => item.keyVersion)).toEqual([1, 1]);
    expect(JSON.stringify(items)).not.toContain('mia|jones');
  });
});
