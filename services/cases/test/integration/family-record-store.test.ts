/**
 * The family network and the case summary in the table (DynamoDB Local): the network a case opens
 * with from the referral's people (or its children's ids alone), the people a referral added to the
 * case brings, and workers' changes written only over the version they were made from, each kept
 * with who made it, when, and what it replaced.
 */
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { allItems, type TestTable } from '@fsp/shared/testing/dynamodb';
import { deliverUntilAccepted } from '@fsp/shared/testing/events';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { fixedClock } from '@fsp/shared/time/clock';
import { createReferralAcceptedConsumer } from '../../src/consumers/referral-accepted';
import { caseIdForReferral } from '../../src/domain/case';
import { type Actor, changeNetwork, type FamilyNetwork, isRefusal, type NetworkChange } from '../../src/domain/family-network';
import { type CaseStore, createCaseStore } from '../../src/store/case-store';
import { createNetworkStore, type NetworkStore } from '../../src/store/network-store';
import { createSummaryStore, type SummaryStore } from '../../src/store/summary-store';
import { referralAccepted } from '../support/referral-accepted';

const NOW = '2026-01-05T15:10:02.000Z';
const sam: Actor = { userId: 'sw-0001', name: 'Sam Patel' };
const jo: Actor = { userId: 'das-0001', name: 'Jo Reed' };

let table: TestTable;
let consumer: ReturnType<typeof createReferralAcceptedConsumer>;
let cases: CaseStore;
let networks: NetworkStore;
let summaries: SummaryStore;

beforeEach(async () => {
  const setup = await createTestRuntime('cases', fixedClock(NOW));
  table = setup.table;
  consumer = createReferralAcceptedConsumer(setup.runtime);
  cases = createCaseStore(setup.runtime.documents, setup.runtime.tableName);
  networks = createNetworkStore(setup.runtime.documents, setup.runtime.tableName);
  summaries = createSummaryStore(setup.runtime.documents, setup.runtime.tableName);
});
afterEach(async () => {
  await table.drop();
});

/** Opens the fixture's case (Mia and her unborn sibling, Kerry Jones and Dean Carter, the school's DSL as referrer). */
async function openFixtureCase(overrides: Parameters<typeof referralAccepted>[0] = {}): Promise<string> {
  const accepted = referralAccepted(overrides);
  await deliverUntilAccepted(consumer, [accepted]);
  return caseIdForReferral(accepted.detail.data.referralId);
}

async function networkOf(caseId: string) {
  const file = await cases.readCase(caseId);
  if (!file?.network) throw new Error(`case ${caseId} has no network`);
  return file.network;
}

function changed(network: FamilyNetwork, change: NetworkChange, who: Actor, at: string) {
  const result = changeNetwork(network, change, who, new Date(at));
  if (isRefusal(result)) throw new Error(`refused: ${JSON.stringify(result)}`);
  return result;
}

describe('the network a case opens with', () => {
  it('holds the referral’s children, adults (related to each child in the referrer’s words) and the professional referrer, in the opening transaction', async () => {
    const caseId = await openFixtureCase();
    const item = await networkOf(caseId);
    expect(item).toMatchObject({ caseId, version: 1, updatedAt: NOW });
    expect(item.updatedBy).toBeUndefined();
    expect(item.network.children.map((child) => [child.personId, child.firstName, child.lastName, child.unborn])).toEqual([
      ['child-01JGZ8R1', 'Mia', 'Jones', false],
      ['child-01JGZ8R2', 'Baby', 'Jones', true],
    ]);
    expect(item.network.children[0]).toMatchObject({ dateOfBirth: '2017-03-14', sex: 'female', school: 'Oakfield Primary School' });
    const [kerry, dean] = item.network.adults;
    expect(kerry).toMatchObject({ firstName: 'Kerry', lastName: 'Jones', relationshipAsReferred: 'mother' });
    expect(kerry?.relationships).toEqual([
      { childId: 'child-01JGZ8R1', relationship: 'mother' },
      { childId: 'child-01JGZ8R2', relationship: 'mother' },
    ]);
    expect(dean?.relationships.map((entry) => entry.relationship)).toEqual(["mother's partner", "mother's partner"]);
    expect(item.network.professionals).toEqual([
      expect.objectContaining({
        name: 'Amara Okafor',
        agency: 'Oakfield Primary School',
        email: 'dsl@oakfield.example.sch.uk',
        referrer: true,
      }),
    ]);
    expect(item.network.widerFamily).toEqual([]);
  });

  it('holds the children’s ids and dates alone when the event carries no family (v1 as first published)', async () => {
    const caseId = await openFixtureCase({ family: undefined });
    const item = await networkOf(caseId);
    expect(item.network).toEqual({
      children: [
        { personId: 'child-01JGZ8R1', firstName: '', lastName: '', unborn: false, dateOfBirth: '2017-03-14', disabilities: [] },
        { personId: 'child-01JGZ8R2', firstName: '', lastName: '', unborn: true, dateOfBirth: '2026-04-02', disabilities: [] },
      ],
      adults: [],
      widerFamily: [],
      professionals: [],
    });
  });

  it('is written once however often the referral is delivered', async () => {
    const accepted = referralAccepted();
    await deliverUntilAccepted(consumer, [accepted, accepted, accepted]);
    const networkItems = (await allItems(table)).filter((item) => item.sk === 'NETWORK');
    expect(networkItems).toHaveLength(1);
  });
});

describe('a referral added to an open case', () => {
  it('adds its new children and adults, relates known adults to the new children, and keeps each addition in the history', async () => {
    const caseId = await openFixtureCase();
    await deliverUntilAccepted(consumer, [
      referralAccepted({
        referralId: 'ref-second',
        reference: 'FSP-2026-000200',
        outcome: 'added-to-open-case',
        existingCaseId: caseId,
        children: [
          { childId: 'child-01JGZ8R1', unborn: false, dateOfBirth: '2017-03-14' },
          { childId: 'child-new-3', unborn: false, dateOfBirth: '2019-08-01' },
        ],
        family: {
          children: [
            { childId: 'child-01JGZ8R1', firstName: 'Mia', lastName: 'Jones', unborn: false, dateOfBirth: '2017-03-14' },
            { childId: 'child-new-3', firstName: 'Tyler', lastName: 'Jones', unborn: false, dateOfBirth: '2019-08-01' },
          ],
          adults: [
            { firstName: 'kerry', lastName: 'JONES', dateOfBirth: '1992-07-30', relationship: 'mother' },
            { firstName: 'Wayne', lastName: 'Price', relationship: 'father' },
          ],
        },
      }),
    ]);

    const item = await networkOf(caseId);
    expect(item.version).toBe(2);
    expect(item.network.children.map((child) => child.personId)).toEqual(['child-01JGZ8R1', 'child-01JGZ8R2', 'child-new-3']);
    expect(item.network.adults.map((adult) => adult.firstName)).toEqual(['Kerry', 'Dean', 'Wayne']);
    expect(item.network.adults[0]?.relationships.map((entry) => entry.childId)).toEqual([
      'child-01JGZ8R1',
      'child-01JGZ8R2',
      'child-new-3',
    ]);
    // The first referral's professional stays; this referral had none.
    expect(item.network.professionals).toHaveLength(1);

    const history = await networks.history(caseId);
    expect(history.map((entry) => [entry.kind, entry.group, entry.referralId, entry.version])).toEqual(
      expect.arrayContaining([
        ['add', 'children', 'ref-second', 2],
        ['add', 'adults', 'ref-second', 2],
        ['correct', 'adults', 'ref-second', 2],
      ]),
    );
    expect(history).toHaveLength(3);
    expect(history.every((entry) => entry.by === undefined)).toBe(true);
  });

  it('writes nothing to the network when the referral brings nobody new', async () => {
    const caseId = await openFixtureCase();
    await deliverUntilAccepted(consumer, [
      referralAccepted({ referralId: 'ref-same-family', outcome: 'added-to-open-case', existingCaseId: caseId }),
    ]);
    expect((await networkOf(caseId)).version).toBe(1);
    expect(await networks.history(caseId)).toEqual([]);
    expect((await cases.readCase(caseId))?.chronology).toHaveLength(2);
  });
});

describe('workers changing the network', () => {
  it('writes a change over the version it was made from and keeps who made it, when, and what it replaced', async () => {
    const caseId = await openFixtureCase();
    const first = await networkOf(caseId);
    const mia = first.network.children[0];
    if (!mia) throw new Error('no Mia');
    const correction = changed(
      first.network,
      { kind: 'correct', group: 'children', personId: mia.personId, person: { ...mia, ethnicity: 'WBRI', nhsNumber: '9434765919' } },
      sam,
      '2026-01-06T10:00:00.000Z',
    );
    const saved = await networks.saveChange(caseId, first.version, correction.network, correction.record);
    expect(saved).toMatchObject({ kind: 'saved', item: { version: 2, updatedBy: sam, updatedAt: '2026-01-06T10:00:00.000Z' } });

    const second = await networkOf(caseId);
    const grandmother = changed(
      second.network,
      {
        kind: 'add',
        group: 'widerFamily',
        person: {
          personId: 'gran-1',
          firstName: 'Pat',
          lastName: 'Jones',
          relationship: 'maternal grandmother',
          possibleFamilyGroupConferenceParticipant: true,
        },
      },
      jo,
      '2026-01-07T11:00:00.000Z',
    );
    await networks.saveChange(caseId, second.version, grandmother.network, grandmother.record);

    const now = await networkOf(caseId);
    expect(now.version).toBe(3);
    expect(now.network.children[0]).toMatchObject({ ethnicity: 'WBRI', nhsNumber: '9434765919' });
    expect(now.network.widerFamily.map((person) => person.firstName)).toEqual(['Pat']);

    const history = await networks.history(caseId);
    expect(history.map((entry) => [entry.kind, entry.group, entry.personId, entry.by?.name, entry.at, entry.version])).toEqual([
      ['correct', 'children', mia.personId, 'Sam Patel', '2026-01-06T10:00:00.000Z', 2],
      ['add', 'widerFamily', 'gran-1', 'Jo Reed', '2026-01-07T11:00:00.000Z', 3],
    ]);
    expect(history[0]?.before).toEqual(mia);
    expect(history[0]?.after).toMatchObject({ ethnicity: 'WBRI' });
    // History is kept apart from the case partition the pages read.
    expect((await cases.readCase(caseId))?.network?.version).toBe(3);
  });

  it('lets one of two changes made from the same version through and answers the other as a conflict, nothing overwritten', async () => {
    const caseId = await openFixtureCase();
    const read = await networkOf(caseId);
    const add = (personId: string, firstName: string, who: Actor) =>
      changed(
        read.network,
        {
          kind: 'add',
          group: 'widerFamily',
          person: { personId, firstName, lastName: 'Jones', relationship: 'aunt', possibleFamilyGroupConferenceParticipant: false },
        },
        who,
        '2026-01-06T10:00:00.000Z',
      );
    const one = add('aunt-1', 'Lou', sam);
    const two = add('aunt-2', 'Bev', jo);
    const results = await Promise.all([
      networks.saveChange(caseId, read.version, one.network, one.record),
      networks.saveChange(caseId, read.version, two.network, two.record),
    ]);
    expect(results.map((result) => result.kind).sort()).toEqual(['conflict', 'saved']);
    const now = await networkOf(caseId);
    expect(now.version).toBe(2);
    expect(now.network.widerFamily).toHaveLength(1);
    expect(await networks.history(caseId)).toHaveLength(1);

    // A change made from the version before is refused however late it comes.
    const late = add('aunt-3', 'Viv', sam);
    expect(await networks.saveChange(caseId, read.version, late.network, late.record)).toEqual({
      kind: 'conflict',
      caseId,
      readVersion: 1,
    });
  });

  it('creates the network item on the first change of a case opened before networks were kept (version 0)', async () => {
    const caseId = await openFixtureCase();
    const items = await allItems(table);
    const networkItem = items.find((item) => item.sk === 'NETWORK');
    await table.documentClient.send(new DeleteCommand({ TableName: table.tableName, Key: { pk: networkItem?.pk, sk: 'NETWORK' } }));
    expect((await cases.readCase(caseId))?.network).toBeUndefined();

    const base: FamilyNetwork = { children: [], adults: [], widerFamily: [], professionals: [] };
    const first = changed(
      base,
      { kind: 'add', group: 'professionals', person: { personId: 'hv-1', name: 'Helen Visitor', role: 'Health visitor' } },
      sam,
      '2026-01-06T10:00:00.000Z',
    );
    expect((await networks.saveChange(caseId, 0, first.network, first.record)).kind).toBe('saved');
    expect((await networks.saveChange(caseId, 0, first.network, first.record)).kind).toBe('conflict');
    expect((await networkOf(caseId)).version).toBe(1);
  });
});

describe('the case summary', () => {
  it('is written at version 1, changed over the version read with its before and after kept, and a stale write is a conflict', async () => {
    const caseId = await openFixtureCase();
    expect((await cases.readCase(caseId))?.summary).toBeUndefined();

    const first = await summaries.save(
      caseId,
      undefined,
      0,
      'Mia (8) lives with her mother Kerry.',
      sam,
      new Date('2026-01-06T10:00:00.000Z'),
    );
    expect(first).toMatchObject({ kind: 'saved', item: { version: 1, text: 'Mia (8) lives with her mother Kerry.', updatedBy: sam } });
    const file = await cases.readCase(caseId);
    expect(file?.summary).toEqual({
      caseId,
      text: 'Mia (8) lives with her mother Kerry.',
      version: 1,
      updatedAt: '2026-01-06T10:00:00.000Z',
      updatedBy: sam,
    });

    const second = await summaries.save(
      caseId,
      file?.summary,
      1,
      'Mia (8) and her mother Kerry; baby due in April.',
      jo,
      new Date('2026-01-07T10:00:00.000Z'),
    );
    expect(second.kind).toBe('saved');
    const stale = await summaries.save(caseId, file?.summary, 1, 'An older idea', sam, new Date('2026-01-07T11:00:00.000Z'));
    expect(stale).toEqual({ kind: 'conflict', caseId, readVersion: 1 });
    expect((await cases.readCase(caseId))?.summary?.text).toBe('Mia (8) and her mother Kerry; baby due in April.');

    const history = await summaries.history(caseId);
    expect(history.map(({ version, by, before, after }) => ({ version, by: by.name, before, after }))).toEqual([
      { version: 1, by: 'Sam Patel', before: undefined, after: 'Mia (8) lives with her mother Kerry.' },
      {
        version: 2,
        by: 'Jo Reed',
        before: 'Mia (8) lives with her mother Kerry.',
        after: 'Mia (8) and her mother Kerry; baby due in April.',
      },
    ]);
  });

  it('lets only one of two first summaries written at once through', async () => {
    const caseId = await openFixtureCase();
    const at = new Date('2026-01-06T10:00:00.000Z');
    const results = await Promise.all([
      summaries.save(caseId, undefined, 0, 'One', sam, at),
      summaries.save(caseId, undefined, 0, 'Two', jo, at),
    ]);
    expect(results.map((result) => result.kind).sort()).toEqual(['conflict', 'saved']);
    expect(await summaries.history(caseId)).toHaveLength(1);
  });
});
