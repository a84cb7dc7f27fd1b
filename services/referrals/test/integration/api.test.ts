import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { apiGatewayEvent, partnerClaims, problemOf, workerClaims } from '@fsp/shared/testing/api-gateway-event';
import { allItems, type TestTable } from '@fsp/shared/testing/dynamodb';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { fixedClock } from '@fsp/shared/time/clock';
import { onboardAgency } from '../support/agencies';
import { schoolReferral } from '../support/fixtures';
import { createFrontDoorApi, createPartnerApi } from '../support/http';

let table: TestTable;
let runtime: ServiceRuntime;
let now = '2026-11-23T09:15:00Z';
const api = () => createFrontDoorApi(runtime);
const partnerApi = () => createPartnerApi(runtime);

const frontDoor = workerClaims({ 'cognito:groups': '[front-door]', 'custom:team': 'front-door', sub: 'frontdoor-user' });
const socialWorker = workerClaims({ 'cognito:groups': '[social-worker]', 'custom:team': 'north', sub: 'sw-user' });

beforeEach(async () => {
  ({ table, runtime } = await createTestRuntime('referrals', () => fixedClock(now)()));
  now = '2026-11-23T09:15:00Z';
  // The default partner token's client, onboarded as the admin API would.
  await onboardAgency(table.documentClient, table.tableName, { agencyId: 'agency-oakfield', clientId: String(partnerClaims().client_id) });
});
afterEach(async () => {
  await table.drop();
});

const submit = (body: unknown, claims = partnerClaims({ agency_id: 'agency-oakfield' })) =>
  partnerApi()(
    apiGatewayEvent({
      method: 'POST',
      path: '/v1/referrals',
      body: body as object,
      claims,
      headers: { 'x-correlation-id': 'journey-42', 'idempotency-key': randomUUID() },
    }),
  );

/** Everything but the agency the test onboarded. */
const writtenByRequests = async () => (await allItems(table)).filter((item) => item.kind !== 'agency' && item.kind !== 'agency-client');

async function outboxEvents() {
  return (await allItems(table))
    .filter((item) => item.kind === 'outbox')
    .map((item) => ({ detailType: item.detailType as string, detail: JSON.parse(item.detail as string) }))
    .sort((a, b) => a.detail.metadata.occurredAt.localeCompare(b.detail.metadata.occurredAt) || a.detailType.localeCompare(b.detailType));
}

describe('POST /v1/referrals', () => {
  it('stores the referral, gives a reference and the decision deadline, and publishes ReferralSubmitted', async () => {
    const response = await submit(schoolReferral());
    expect(response.statusCode).toBe(201);
    const receipt = JSON.parse(response.body!);
    expect(receipt).toEqual({
      id: expect.any(String),
      reference: expect.stringMatching(/^FSP-2026-[0-9A-Z]{6}$/),
      status: 'received',
      receivedAt: '2026-11-23T09:15:00.000Z',
      decisionDueBy: '2026-11-24T23:59:59.999Z',
    });
    expect(response.headers?.location).toBe(`/v1/referrals/${receipt.id}`);

    const [submitted, ...others] = await outboxEvents();
    expect(others).toHaveLength(0);
    expect(submitted?.detailType).toBe('ReferralSubmitted');
    expect(submitted?.detail.metadata.correlationId).toBe('journey-42');
    expect(submitted?.detail.data).toEqual({
      referralId: receipt.id,
      reference: receipt.reference,
      receivedAt: receipt.receivedAt,
      decisionDueBy: receipt.decisionDueBy,
      channel: 'partner-api',
      agencyId: 'agency-oakfield',
      referralSource: '2A',
      childCount: 1,
      familySafeguardingFlag: true,
    });
    // The event carries no names: a consumer that needs them asks the referrals service.
    expect(JSON.stringify(submitted?.detail)).not.toContain('Mia');
  });

  it('answers 400 naming every failing field, and stores nothing', async () => {
    const body = {
      ...schoolReferral(),
      referralSource: 'school',
      children: [{ firstName: '', lastName: 'Jones', dateOfBirth: '2018-02-30' }],
      factors: [],
    };
    const response = await submit(body);
    expect(response.statusCode).toBe(400);
    const paths = problemOf(response).errors?.map((error) => error.path);
    expect(paths).toEqual(
      expect.arrayContaining(['$.referralSource', '$.children[0].firstName', '$.children[0].dateOfBirth', '$.factors']),
    );
    expect(await writtenByRequests()).toHaveLength(0);
  });

  it('refuses a worker token and a partner token without the submit scope', async () => {
    expect((await submit(schoolReferral(), frontDoor)).statusCode).toBe(403);
    expect((await submit(schoolReferral(), partnerClaims({ scope: 'referrals/read' }))).statusCode).toBe(403);
    expect(await writtenByRequests()).toHaveLength(0);
  });
});

describe('the front door', () => {
  const decide = (referralId: string, body: object, claims = frontDoor) =>
    api()(apiGatewayEvent({ method: 'POST', path: `/api/front-door/referrals/${referralId}/decision`, body, claims }));

  it('sees the referrals awaiting a decision, the soonest due first', async () => {
    now = '2026-11-24T09:00:00Z';
    const later = JSON.parse((await submit(schoolReferral())).body!);
    now = '2026-11-20T16:00:00Z'; // a Friday: due by the end of Monday
    const sooner = JSON.parse((await submit(schoolReferral())).body!);
    const response = await api()(apiGatewayEvent({ path: '/api/front-door/referrals', claims: frontDoor }));
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body!).referrals.map((entry: { reference: string }) => entry.reference)).toEqual([
      sooner.reference,
      later.reference,
    ]);
    expect((await api()(apiGatewayEvent({ path: '/api/front-door/referrals', claims: socialWorker }))).statusCode).toBe(403);
  });

  it('decides a referral for assessment: ReferralDecided and ReferralAccepted, and it leaves the queue', async () => {
    const { id, reference } = JSON.parse((await submit(schoolReferral())).body!);
    now = '2026-11-23T15:10:00Z';
    const response = await decide(id, { outcome: 'assessment', reason: 'Domestic abuse disclosures meet the threshold.', teamId: 'north' });
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body!)).toMatchObject({
      status: 'decided',
      decision: { outcome: 'assessment', decidedBy: 'frontdoor-user' },
    });

    const events = await outboxEvents();
    expect(events.map((event) => event.detailType)).toEqual(['ReferralSubmitted', 'ReferralAccepted', 'ReferralDecided']);
    const accepted = events.find((event) => event.detailType === 'ReferralAccepted')!.detail.data;
    expect(accepted).toMatchObject({
      referralId: id,
      reference,
      outcome: 'assessment',
      urgent: false,
      teamId: 'north',
      receivedAt: '2026-11-23T09:15:00.000Z',
      acceptedAt: '2026-11-23T15:10:00.000Z',
      children: [{ childId: expect.stringMatching(/^child-/), unborn: false, dateOfBirth: '2018-03-14' }],
      // The school's census source, for the case's census episode.
      referralSource: '2A',
    });
    // The family the case opens its network with (ADR 0014 §1): the stored referral's people, the school's referrer as a professional, no narrative.
    expect(accepted.family).toEqual({
      children: [
        {
          childId: accepted.children[0].childId,
          firstName: 'Mia',
          lastName: 'Jones',
          unborn: false,
          dateOfBirth: '2018-03-14',
          gender: 'female',
          school: 'Oakfield Primary School',
          address: { line1: '12 Elm Road', town: 'Northtown', postcode: 'NT1 4AB' },
        },
      ],
      adults: [{ firstName: 'Kerry', lastName: 'Jones', relationship: 'mother' }],
      professionalReferrer: {
        name: 'Amara Okafor',
        role: 'Designated safeguarding lead',
        organisation: 'Oakfield Primary School',
        email: 'dsl@oakfield.example.sch.uk',
        phone: '01632 960 123',
      },
    });
    expect(JSON.stringify(accepted)).not.toContain('hurt by her partner');

    const queue = await table.documentClient.send(
      new QueryCommand({
        TableName: table.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :q',
        ExpressionAttributeValues: { ':q': 'FRONT-DOOR#AWAITING' },
      }),
    );
    expect(queue.Items).toHaveLength(0);
    const detail = await api()(apiGatewayEvent({ path: `/api/front-door/referrals/${id}`, claims: frontDoor }));
    expect(JSON.parse(detail.body!)).toMatchObject({ id, status: 'decided', children: [{ firstName: 'Mia' }] });
  });

  it('publishes only ReferralDecided for early help', async () => {
    const { id } = JSON.parse((await submit(schoolReferral())).body!);
    now = '2026-11-23T11:00:00Z';
    expect((await decide(id, { outcome: 'early-help', reason: 'The early help team will call the family this week.' })).statusCode).toBe(
      200,
    );
    expect((await outboxEvents()).map((event) => event.detailType)).toEqual(['ReferralSubmitted', 'ReferralDecided']);
  });

  it('refuses a second decision with 409 and a decision by someone outside the front door with 403', async () => {
    const { id } = JSON.parse((await submit(schoolReferral())).body!);
    now = '2026-11-23T11:00:00Z';
    expect((await decide(id, { outcome: 'early-help', reason: 'x' }, socialWorker)).statusCode).toBe(403);
    expect((await decide(id, { outcome: 'early-help', reason: 'x' })).statusCode).toBe(200);
    const second = await decide(id, { outcome: 'assessment', reason: 'y', teamId: 'north' });
    expect(second.statusCode).toBe(409);
    expect((await outboxEvents()).filter((event) => event.detailType === 'ReferralDecided')).toHaveLength(1);
  });

  it('lets exactly one of two concurrent decisions win; the other gets 409', async () => {
    const { id } = JSON.parse((await submit(schoolReferral())).body!);
    const answers = await Promise.all([
      decide(id, { outcome: 'early-help', reason: 'x' }),
      decide(id, { outcome: 'assessment', reason: 'y', teamId: 'north' }),
      decide(id, { outcome: 'no-further-action', reason: 'z' }),
    ]);
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([200, 409, 409]);
    expect((await outboxEvents()).filter((event) => event.detailType === 'ReferralDecided')).toHaveLength(1);
  });

  it('answers 404 for a referral that does not exist and 400 naming a missing team', async () => {
    expect((await decide('no-such-referral', { outcome: 'early-help', reason: 'x' })).statusCode).toBe(404);
    const { id } = JSON.parse((await submit(schoolReferral())).body!);
    const response = await decide(id, { outcome: 'assessment', reason: 'y' });
    expect(response.statusCode).toBe(400);
    expect(problemOf(response).errors?.map((error) => error.path)).toEqual(['$.teamId']);
  });
});
