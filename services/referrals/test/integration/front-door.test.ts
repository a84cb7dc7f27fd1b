import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { buildEvent } from '@fsp/shared/events/build';
import { caseOpenedV1 } from '@fsp/shared/events/definitions/cases';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { apiGatewayEvent, problemOf, workerClaims } from '@fsp/shared/testing/api-gateway-event';
import { allItems, type TestTable } from '@fsp/shared/testing/dynamodb';
import { deliverUntilAccepted } from '@fsp/shared/testing/events';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { fixedClock } from '@fsp/shared/time/clock';
import { createCaseOpenedConsumer } from '../../src/consumers/case-opened';
import { createKnownFamilyCheckConsumer } from '../../src/consumers/known-family-check';
import { schoolReferral } from '../support/fixtures';
import { createFrontDoorApi } from '../support/http';
import { receive, receiveUnchecked, submittedEventOf, withChild } from '../support/referrals';

let table: TestTable;
let runtime: ServiceRuntime;
let now = '2026-11-23T09:15:00Z';
const api = () => createFrontDoorApi(runtime);

const frontDoor = workerClaims({ 'cognito:groups': '[front-door]', 'custom:team': 'front-door', sub: 'frontdoor-user' });
const otherFrontDoor = workerClaims({ 'cognito:groups': '[front-door]', 'custom:team': 'front-door', sub: 'frontdoor-other' });
const socialWorker = workerClaims({ 'cognito:groups': '[social-worker]', 'custom:team': 'north', sub: 'sw-user' });

beforeEach(async () => {
  now = '2026-11-23T09:15:00Z';
  ({ table, runtime } = await createTestRuntime('referrals', () => fixedClock(now)()));
});
afterEach(async () => {
  await table.drop();
});

interface QueueView {
  reference: string;
  status: string;
  knownFamily: Record<string, unknown>[];
  [field: string]: unknown;
}
const queue = async () => {
  const response = await api()(apiGatewayEvent({ path: '/api/front-door/referrals', claims: frontDoor }));
  expect(response.statusCode).toBe(200);
  return JSON.parse(response.body!).referrals as QueueView[];
};
const detail = async (id: string) =>
  JSON.parse((await api()(apiGatewayEvent({ path: `/api/front-door/referrals/${id}`, claims: frontDoor }))).body!);
const decide = (id: string, body: object, claims = frontDoor) =>
  api()(apiGatewayEvent({ method: 'POST', path: `/api/front-door/referrals/${id}/decision`, body, claims }));
const screen = (id: string, claims = frontDoor) =>
  api()(apiGatewayEvent({ method: 'POST', path: `/api/front-door/referrals/${id}/screening`, claims }));
const outbox = async () =>
  (await allItems(table))
    .filter((item) => item.kind === 'outbox')
    .map((item) => ({ detailType: item.detailType, detail: JSON.parse(item.detail as string) }));

describe('the known-family check', () => {
  it('matches a child referred before: strong with the same postcode, possible with another, none with another date of birth', async () => {
    const first = await receive(runtime);
    now = '2026-11-23T10:00:00Z';
    const samePlace = await receive(
      runtime,
      withChild({ firstName: 'MIA', lastName: 'jones ', address: { line1: '12 Elm Road', town: 'Northtown', postcode: 'nt14ab' } }),
    );
    now = '2026-11-23T11:00:00Z';
    const moved = await receive(
      runtime,
      withChild({ firstName: 'Mía', address: { line1: '1 New Street', town: 'Southtown', postcode: 'ST2 9ZZ' } }),
    );
    now = '2026-11-23T12:00:00Z';
    const otherChild = await receive(runtime, withChild({ dateOfBirth: '2018-03-15' }));

    expect(first.familyMatches).toEqual([]);
    expect(samePlace.familyMatches).toEqual([
      {
        childId: samePlace.children[0]!.childId,
        strength: 'strong',
        referralId: first.referralId,
        reference: first.reference,
        receivedAt: first.receivedAt,
        matchedChildId: first.children[0]!.childId,
      },
    ]);
    expect(moved.familyMatches?.map((m) => [m.reference, m.strength])).toEqual([
      [samePlace.reference, 'possible'],
      [first.reference, 'possible'],
    ]);
    expect(otherChild.familyMatches).toEqual([]);
  });

  it('matches a child whose date of birth is unknown, or unborn, on name and postcode only, as possible', async () => {
    const first = await receive(runtime);
    now = '2026-11-24T09:00:00Z';
    const noDate = await receive(runtime, withChild({ dateOfBirth: undefined }));
    const noDateElsewhere = await receive(
      runtime,
      withChild({ dateOfBirth: undefined, address: { line1: '1 New Street', town: 'Southtown', postcode: 'ST2 9ZZ' } }),
    );
    expect(noDate.familyMatches?.map((m) => [m.referralId, m.strength])).toEqual([[first.referralId, 'possible']]);
    expect(noDateElsewhere.familyMatches).toEqual([]);

    const unborn = await receive(runtime, withChild({ firstName: 'Baby', dateOfBirth: undefined, expectedDateOfBirth: '2027-02-01' }));
    now = '2026-11-25T09:00:00Z';
    const unbornAgain = await receive(runtime, withChild({ firstName: 'baby', dateOfBirth: undefined, expectedDateOfBirth: '2027-02-03' }));
    expect(unborn.familyMatches).toEqual([]);
    expect(unbornAgain.familyMatches?.map((m) => [m.referralId, m.strength])).toEqual([[unborn.referralId, 'possible']]);
  });

  it('runs after intake: the front door sees the check pending, then its matches; a repeated fact changes nothing', async () => {
    const first = await receive(runtime);
    now = '2026-11-23T10:00:00Z';
    const second = await receiveUnchecked(runtime);
    expect((await queue()).find((entry) => entry.reference === second.reference)).toMatchObject({
      knownFamilyCheck: 'pending',
      knownFamily: [],
    });
    expect(await detail(second.referralId)).toMatchObject({ knownFamilyCheck: 'pending', knownFamily: [] });

    const fact = await submittedEventOf(runtime, second.referralId);
    const check = createKnownFamilyCheckConsumer(runtime);
    await deliverUntilAccepted(check, [fact, fact]);
    await deliverUntilAccepted(createKnownFamilyCheckConsumer(runtime), [fact]);
    const shown = await detail(second.referralId);
    expect(shown.knownFamilyCheck).toBe('done');
    expect(shown.knownFamily).toEqual([expect.objectContaining({ referralId: first.referralId, strength: 'strong', status: 'received' })]);
    const item = (await allItems(table)).find((i) => i.pk === `REFERRAL#${second.referralId}` && i.sk === 'REFERRAL');
    expect(item?.version).toBe(2); // received 1, checked 2: once, however often the fact arrives
  });

  it('compares a referral only with those received before it, whichever check runs first', async () => {
    const first = await receiveUnchecked(runtime);
    now = '2026-11-23T10:00:00Z';
    const second = await receiveUnchecked(runtime);
    const check = createKnownFamilyCheckConsumer(runtime);
    // The later referral's check first: the earlier referral's check, run after, must not list the later one.
    await deliverUntilAccepted(check, [await submittedEventOf(runtime, second.referralId)]);
    await deliverUntilAccepted(check, [await submittedEventOf(runtime, first.referralId)]);
    expect((await detail(first.referralId)).knownFamily).toEqual([]);
    expect((await detail(second.referralId)).knownFamily).toEqual([expect.objectContaining({ referralId: first.referralId })]);
  });

  it('makes submitting one DynamoDB round trip: the transaction, with no read before it', async () => {
    await receive(runtime); // a family already known, so that a check in the request would have something to read
    const commands: string[] = [];
    runtime.documents.middlewareStack.add(
      (next, context) => async (args) => {
        commands.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'countCommands' },
    );
    await receiveUnchecked(runtime);
    runtime.documents.middlewareStack.remove('countCommands');
    expect(commands).toEqual(['TransactWriteItemsCommand']);
  });

  it('writes the index items in the referral transaction, one per child per match key', async () => {
    const referral = await receive(runtime, {
      ...schoolReferral(),
      children: [
        { firstName: 'Mia', lastName: 'Jones', dateOfBirth: '2018-03-14', address: { line1: '1 A Road', town: 'T', postcode: 'NT1 4AB' } },
        { firstName: 'Leo', lastName: 'Jones', dateOfBirth: '2020-05-01' },
        { firstName: 'Ava', lastName: 'Jones' },
      ],
    });
    const index = (await allItems(table)).filter((item) => item.kind === 'family-index');
    // Mia by name and date of birth and by name and postcode, Leo by name and date of birth, Ava (neither known) not at all:
    // each under the keyed hash of its match key, with the key's version (ADR 0021).
    expect(index).toHaveLength(3);
    for (const item of index) expect(item.pk).toMatch(/^FAMILY#1#[A-Za-z0-9_-]{43}$/);
    expect(index.filter((item) => item.childId === referral.children[0]?.childId)).toHaveLength(2);
    expect(index.filter((item) => item.childId === referral.children[1]?.childId)).toHaveLength(1);
    expect(index.every((item) => item.referralId === referral.referralId && item.keyVersion === 1)).toBe(true);
    // The index holds hashes that comparing needs, not the referral's content nor the children's identity.
    const hashes = index.flatMap((item) => [item.nameDob, item.namePostcode].filter((hash) => hash !== undefined));
    // Each item carries both of its child's hashes: Mia's two items two each, Leo's one; three distinct.
    expect(hashes).toHaveLength(5);
    expect(new Set(hashes).size).toBe(3);
    for (const hash of hashes) expect(hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rest = index.map(({ pk: _pk, nameDob: _nameDob, namePostcode: _namePostcode, ...others }) => others);
    expect(JSON.stringify(rest)).not.toMatch(/Elm Road|frightened|Kerry|mia|leo|jones|2018-03-14|2020-05-01|NT1 ?4AB/i);
  });
});

describe('the front door queue and referral', () => {
  it('shows each referral soonest due first with its matches (strength, earlier reference, status, case) and the Family Safeguarding flag', async () => {
    now = '2026-11-16T09:00:00Z';
    const earlier = await receive(runtime);
    now = '2026-11-16T15:00:00Z';
    expect((await decide(earlier.referralId, { outcome: 'assessment', reason: 'Meets the threshold.', teamId: 'north' })).statusCode).toBe(
      200,
    );
    await deliverUntilAccepted(createCaseOpenedConsumer(runtime), [
      buildEvent(
        caseOpenedV1,
        {
          caseId: 'case-123',
          referralId: earlier.referralId,
          teamId: 'north',
          openedAt: '2026-11-16T15:00:05.000Z',
          status: 'assessment',
          assessmentDueBy: '2027-01-20T23:59:59.999Z',
        },
        { clock: () => new Date('2026-11-16T15:00:05Z'), correlationId: 'c', causationId: 'x' },
      ),
    ]);

    now = '2026-11-24T09:00:00Z';
    const later = await receive(runtime);
    now = '2026-11-20T16:00:00Z'; // a Friday: due by the end of Monday 23rd
    const sooner = await receive(runtime, withChild({ firstName: 'Noah', lastName: 'Smith', dateOfBirth: '2012-01-01' }));

    const entries = await queue();
    expect(entries.map((entry) => entry.reference)).toEqual([sooner.reference, later.reference]);
    expect(entries[0]).toMatchObject({ status: 'received', familySafeguardingFlag: false, knownFamilyCheck: 'done', knownFamily: [] }); // Noah is 14
    expect(entries[1]).toMatchObject({ decisionDueBy: '2026-11-25T23:59:59.999Z', familySafeguardingFlag: true });
    expect(entries[1]!.knownFamily).toEqual([
      {
        childId: later.children[0]!.childId,
        strength: 'strong',
        referralId: earlier.referralId,
        reference: earlier.reference,
        receivedAt: earlier.receivedAt,
        matchedChildId: earlier.children[0]!.childId,
        status: 'decided',
        outcome: 'assessment',
        caseId: 'case-123',
      },
    ]);

    const shown = await detail(later.referralId);
    expect(shown.knownFamily).toEqual(entries[1]!.knownFamily);
    expect(shown).not.toHaveProperty('familyMatches');
    expect(shown).not.toHaveProperty('version');
  });

  it('shows an earlier referral still awaiting a decision as such, and the open case a referral was added to', async () => {
    const first = await receive(runtime);
    now = '2026-11-23T10:00:00Z';
    const second = await receive(runtime);
    expect((await detail(second.referralId)).knownFamily).toEqual([
      expect.objectContaining({ referralId: first.referralId, status: 'received' }),
    ]);
    await screen(first.referralId);
    expect((await detail(second.referralId)).knownFamily).toEqual([expect.objectContaining({ status: 'in-screening' })]);
    await decide(first.referralId, { outcome: 'added-to-open-case', reason: 'Already open.', teamId: 'north', existingCaseId: 'case-9' });
    expect((await detail(second.referralId)).knownFamily).toEqual([
      expect.objectContaining({ status: 'decided', outcome: 'added-to-open-case', caseId: 'case-9' }),
    ]);
  });
});

describe('screening', () => {
  it('moves received to in-screening, recording who and when; the same worker again changes nothing', async () => {
    const referral = await receive(runtime);
    now = '2026-11-23T10:30:00Z';
    const response = await screen(referral.referralId);
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body!)).toEqual({
      id: referral.referralId,
      reference: referral.reference,
      status: 'in-screening',
      screening: { startedBy: 'frontdoor-user', startedByName: 'Sam Patel', startedAt: '2026-11-23T10:30:00.000Z' },
    });
    now = '2026-11-23T10:45:00Z';
    const again = await screen(referral.referralId);
    expect(again.statusCode).toBe(200);
    expect(JSON.parse(again.body!).screening.startedAt).toBe('2026-11-23T10:30:00.000Z');
    expect((await queue()).map((entry) => [entry.reference, entry.status])).toEqual([[referral.reference, 'in-screening']]);
    expect((await detail(referral.referralId)).version).toBeUndefined();
  });

  it('refuses another worker, a decided referral (409), someone outside the front door (403) and an unknown referral (404)', async () => {
    const referral = await receive(runtime);
    expect((await screen(referral.referralId, socialWorker)).statusCode).toBe(403);
    expect((await screen(referral.referralId)).statusCode).toBe(200);
    const taken = await screen(referral.referralId, otherFrontDoor);
    expect(taken.statusCode).toBe(409);
    expect(problemOf(taken)).toMatchObject({ screening: { startedBy: 'frontdoor-user' } });
    expect((await decide(referral.referralId, { outcome: 'no-further-action', reason: 'No concerns.' })).statusCode).toBe(200);
    expect((await screen(referral.referralId)).statusCode).toBe(409);
    expect((await screen('no-such-referral')).statusCode).toBe(404);
  });

  it('lets one of two workers picking it up at once win; the other gets 409', async () => {
    const referral = await receive(runtime);
    const answers = await Promise.all([screen(referral.referralId), screen(referral.referralId, otherFrontDoor)]);
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([200, 409]);
  });

  it('decides, and picks up, a referral whose known-family check lands between reading it and saving', async () => {
    for (const action of ['screening', 'decision'] as const) {
      const referral = await receiveUnchecked(runtime);
      const submitted = await submittedEventOf(runtime, referral.referralId);
      // The check commits after this request has read the referral and before its own write reaches the table.
      let checkLanded = false;
      const racing: ServiceRuntime = {
        ...runtime,
        documents: new Proxy(runtime.documents, {
          get(target, property, receiver) {
            if (property !== 'send') return Reflect.get(target, property, receiver);
            return async (command: object, ...rest: unknown[]) => {
              if (!checkLanded && command instanceof TransactWriteCommand) {
                checkLanded = true;
                await deliverUntilAccepted(createKnownFamilyCheckConsumer(runtime), [submitted]);
              }
              return (target.send as (...args: unknown[]) => Promise<unknown>)(command, ...rest);
            };
          },
        }),
      };
      const response = await createFrontDoorApi(racing)(
        apiGatewayEvent({
          method: 'POST',
          path: `/api/front-door/referrals/${referral.referralId}/${action}`,
          claims: frontDoor,
          ...(action === 'decision' ? { body: { outcome: 'early-help', reason: 'Early help will call.' } } : {}),
        }),
      );
      expect(checkLanded).toBe(true);
      expect(response.statusCode).toBe(200);
      const stored = await detail(referral.referralId);
      expect(stored).toMatchObject({ knownFamilyCheck: 'done', status: action === 'decision' ? 'decided' : 'in-screening' });
    }
  });

  it('allows the decision from received or in-screening', async () => {
    const straight = await receive(runtime);
    const screened = await receive(runtime);
    await screen(screened.referralId);
    expect((await decide(straight.referralId, { outcome: 'early-help', reason: 'Early help.' })).statusCode).toBe(200);
    expect((await decide(screened.referralId, { outcome: 'early-help', reason: 'Early help.' })).statusCode).toBe(200);
    expect(await queue()).toEqual([]);
  });
});

describe('ReferralDecided tells notifications who to email for a web-form referral', () => {
  it('carries formReferrer for the form channel only', async () => {
    const form = await receive(runtime, schoolReferral(), 'form');
    const partner = await receive(runtime);
    await decide(form.referralId, { outcome: 'early-help', reason: 'Early help will call.' });
    await decide(partner.referralId, { outcome: 'early-help', reason: 'Early help will call.' });
    const decided = (await outbox()).filter((event) => event.detailType === 'ReferralDecided').map((event) => event.detail.data);
    expect(decided.find((data) => data.referralId === form.referralId)?.formReferrer).toEqual({
      name: 'Amara Okafor',
      email: 'dsl@oakfield.example.sch.uk',
      professional: true,
    });
    expect(decided.find((data) => data.referralId === partner.referralId)).not.toHaveProperty('formReferrer');
  });

  it('says a form referrer from the public is not a professional, so they are told only that it was looked at', async () => {
    const relative = await receive(runtime, { ...schoolReferral(), referralSource: '1A' }, 'form');
    expect(
      (await decide(relative.referralId, { outcome: 'no-further-action', reason: 'No concerns for the children found.' })).statusCode,
    ).toBe(200);
    const decided = (await outbox()).filter((event) => event.detailType === 'ReferralDecided').map((event) => event.detail.data);
    expect(decided.find((data) => data.referralId === relative.referralId)?.formReferrer).toEqual({
      name: 'Amara Okafor',
      email: 'dsl@oakfield.example.sch.uk',
      professional: false,
    });
  });

  it('carries no formReferrer for an anonymous form referral: there is nobody to email', async () => {
    const { referrer: _none, ...named } = schoolReferral();
    const anonymous = await receive(runtime, { ...named, referralSource: '9' }, 'form');
    const shown = await detail(anonymous.referralId);
    expect(shown).toMatchObject({ channel: 'form', referralSource: '9' });
    expect(shown).not.toHaveProperty('referrer');
    expect((await decide(anonymous.referralId, { outcome: 'early-help', reason: 'Early help will call.' })).statusCode).toBe(200);
    const decided = (await outbox()).filter((event) => event.detailType === 'ReferralDecided').map((event) => event.detail.data);
    const told = decided.find((data) => data.referralId === anonymous.referralId);
    expect(told).toMatchObject({ outcome: 'early-help' });
    expect(told).not.toHaveProperty('formReferrer');
  });
});

describe('CaseOpened', () => {
  const caseOpened = (referralId: string, caseId: string) =>
    buildEvent(
      caseOpenedV1,
      {
        caseId,
        referralId,
        teamId: 'north',
        openedAt: '2026-11-23T15:00:00.000Z',
        status: 'assessment',
        assessmentDueBy: '2027-01-27T23:59:59.999Z',
      },
      { clock: () => new Date('2026-11-23T15:00:00Z'), correlationId: 'c', causationId: 'x' },
    );

  it('records the case on its referral once, however often it arrives; a second case or an unknown referral is not recorded', async () => {
    const referral = await receive(runtime);
    await decide(referral.referralId, { outcome: 'assessment', reason: 'Threshold met.', teamId: 'north' });
    const consumer = createCaseOpenedConsumer(runtime);
    const fact = caseOpened(referral.referralId, 'case-1');
    await deliverUntilAccepted(consumer, [fact, fact, caseOpened(referral.referralId, 'case-1')]);
    await deliverUntilAccepted(consumer, [caseOpened(referral.referralId, 'case-2'), caseOpened('unknown-referral', 'case-3')]);
    const item = (await allItems(table)).find((i) => i.pk === `REFERRAL#${referral.referralId}`);
    expect(item?.openCase).toEqual({ caseId: 'case-1', openedAt: '2026-11-23T15:00:00.000Z' });
    expect(item?.version).toBe(4); // received 1, checked 2, decided 3, case 4: a decision read before would be refused
  });
});
