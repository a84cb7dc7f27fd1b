/**
 * The census of a case through the real HTTP handlers against DynamoDB Local: a case opened by the
 * real consumer (the referral's Mia, born 2017, female; and an unborn baby due 2 April 2026) shows
 * what the census still needs — Mia's UPN, ethnicity and disabilities, each linking to her
 * correction form — with the assessment in progress, not missing; a worker records them on the
 * family network and the team manager authorises the assessment, and the page says nothing is
 * missing. The referral's source is the episode's (ReferralAccepted carried it); a case opened from a
 * fact published before it was carried is missing it, with the front door to ask. Family group
 * decision making and pre-proceedings recorded on their page are the episode's, what is under way in
 * progress. The page reads the case and its FGDM in one round. Another team's worker, and an unknown
 * case, get the same 404, JSON and page alike.
 */
import { randomUUID } from 'node:crypto';
import { createHttpHandler, type HttpHandler } from '@fsp/shared/http/handler';
import { pageSessions } from '@fsp/shared/http/page-session';
import { generateSessionKey, serializeSessionKeys } from '@fsp/shared/http/session';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { apiGatewayEvent, workerClaims } from '@fsp/shared/testing/api-gateway-event';
import type { TestTable } from '@fsp/shared/testing/dynamodb';
import { deliverUntilAccepted } from '@fsp/shared/testing/events';
import { mainLinksOf, mainTextOf } from '@fsp/shared/testing/html';
import { type PageWorker, pageVisitor } from '@fsp/shared/testing/pages';
import { countingRounds } from '@fsp/shared/testing/read-rounds';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { fixedClock } from '@fsp/shared/time/clock';
import { createReferralAcceptedConsumer } from '../../src/consumers/referral-accepted';
import { caseIdForReferral } from '../../src/domain/case';
import { censusApiRoutes } from '../../src/http/census-api';
import { censusPageRoutes } from '../../src/http/census-pages';
import { familyRecordApiRoutes } from '../../src/http/family-record-api';
import { fgdmApiRoutes } from '../../src/http/fgdm-api';
import { pathApiRoutes } from '../../src/http/path-api';
import { createCasesRenderer } from '../../src/web/pages';
import { people } from '../support/directory';
import { referralAccepted } from '../support/referral-accepted';

/** Tuesday 10 February 2026, 2:30pm in London. */
const NOW = '2026-02-10T14:30:00.000Z';
const ORIGIN = 'http://127.0.0.1:3000';
const referralId = 'ref-census-1';
const caseId = caseIdForReferral(referralId);
const censusPage = `/cases/${caseId}/census`;
const MIA = 'child-01JGZ8R1';

const socialWorker: PageWorker = { userId: 'sw-0001', name: 'Sam Okafor', roles: ['social-worker'], teamId: 'team-north-1' };
const otherTeam: PageWorker = { userId: 'sw-0009', name: 'Kim Lee', roles: ['social-worker'], teamId: 'team-south-2' };

const claimsOf = (who: { userId: string; name: string; teamId: string | undefined }, groups: string) =>
  workerClaims({
    sub: who.userId,
    'cognito:username': who.name.toLowerCase().replace(' ', '.'),
    name: who.name,
    'cognito:groups': groups,
    'custom:team': who.teamId ?? '',
  });
const manager = claimsOf(people.manager, '[team-manager]');
const samOkafor = claimsOf(people.samOkafor, '[social-worker]');
const southWorker = claimsOf(people.southWorker, '[social-worker]');

let table: TestTable;
let runtime: ServiceRuntime;
let visitor: ReturnType<typeof pageVisitor>;
let api: HttpHandler;
let rounds: ReturnType<typeof countingRounds>;

/**
 * The census routes with the JSON routes its story records through (the family network, the path),
 * and the census page with sealed session cookies, composed as src/entries do.
 */
function handlersOf(runtime: ServiceRuntime) {
  const keys = [generateSessionKey(1)];
  const renderer = createCasesRenderer('local');
  rounds = countingRounds(runtime.documents);
  const pages = createHttpHandler(censusPageRoutes({ ...runtime, documents: rounds.documents }, renderer), {
    logger: runtime.logger,
    pages: pageSessions({
      environment: { SESSION_KEYS: serializeSessionKeys(keys), PUBLIC_ORIGIN: ORIGIN },
      now: runtime.clock,
      errorPages: renderer,
    }),
  });
  return {
    api: createHttpHandler(
      [...familyRecordApiRoutes(runtime), ...pathApiRoutes(runtime), ...fgdmApiRoutes(runtime), ...censusApiRoutes(runtime)],
      { logger: runtime.logger },
    ),
    visitor: pageVisitor({ handler: pages, keys, origin: ORIGIN, clock: runtime.clock }),
  };
}

beforeEach(async () => {
  ({ table, runtime } = await createTestRuntime('cases', fixedClock(NOW)));
  ({ api, visitor } = handlersOf(runtime));
  await deliverUntilAccepted(createReferralAcceptedConsumer({ ...runtime, clock: () => new Date('2026-01-05T15:10:01.000Z') }), [
    referralAccepted({ referralId, teamId: 'team-north-1' }),
  ]);
});
afterEach(async () => {
  await table.drop();
});

const call = async (method: string, path: string, claims: ReturnType<typeof claimsOf>, body?: object) => {
  const response = await api(apiGatewayEvent({ method, path, claims, ...(body ? { body } : {}), requestId: `req-${randomUUID()}` }));
  return { status: response.statusCode, headers: response.headers, body: JSON.parse(response.body ?? '{}') };
};
const census = (claims = samOkafor) => call('GET', `/api/cases/${caseId}/census`, claims);
const keys = (gaps: Array<{ key: string }>) => gaps.map((gap) => gap.key);

describe('a case’s census', () => {
  it('shows what is missing with where to record it, then nothing once the family and the assessment are recorded', async () => {
    const before = await census();
    expect(before.status).toBe(200);
    expect(before.headers?.['cache-control']).toBe('no-store');
    expect(before.body).toMatchObject({ caseId, reference: 'FSP-2026-000123', status: 'assessment', complete: false });
    expect(keys(before.body.missing)).toEqual([`child:${MIA}:upn`, `child:${MIA}:ethnicity`, `child:${MIA}:disabilities`]);
    expect(before.body.missing[0]).toMatchObject({ href: `/cases/${caseId}/family/children/${MIA}/edit` });
    expect(keys(before.body.inProgress)).toEqual(['episode:assessment', 'episode:primaryNeed']);
    expect(before.body.inProgress[0]).toMatchObject({ dueBy: '2026-03-09', href: `/cases/${caseId}/path` });
    expect(before.body.children).toEqual([
      expect.objectContaining({ laChildId: MIA, dateOfBirth: '2017-03-14', sex: 'female', disabilities: [] }),
      expect.objectContaining({ laChildId: 'child-01JGZ8R2', unborn: true, expectedDateOfBirth: '2026-04-02' }),
    ]);
    expect(before.body.episodes).toEqual([
      expect.objectContaining({ referralDate: '2026-01-05', referralSource: '2A', referralNfa: false }),
    ]);

    // The page: the missing list at the top, each linking to Mia's correction form; the assessment in progress.
    const page = await visitor.get(socialWorker, censusPage);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<title>Census – case FSP-2026-000123');
    const text = mainTextOf(page.body ?? '');
    expect(text).toContain('What is still missing');
    expect(text).toContain('Recorded when the next steps happen');
    expect(text).toContain('Due by Monday 9 March 2026');
    expect(text).toContain('Referral source 2A School');
    expect(mainLinksOf(page.body ?? '')).toEqual(
      expect.arrayContaining([
        { href: `/cases/${caseId}/family/children/${MIA}/edit`, text: 'Mia Jones: ethnicity' },
        { href: `/cases/${caseId}/family/children/${MIA}/edit`, text: 'Mia Jones: unique pupil number, or why it is unknown' },
        { href: `/cases/${caseId}/path`, text: 'Assessment authorisation date and factors identified' },
      ]),
    );

    // Mia's details on the family network, then the team manager authorises the assessment.
    const network = await call('GET', `/api/cases/${caseId}/network`, samOkafor);
    const mia = network.body.network.children.find((child: { personId: string }) => child.personId === MIA);
    const corrected = await call('POST', `/api/cases/${caseId}/network/changes`, samOkafor, {
      version: network.body.version,
      kind: 'correct',
      group: 'children',
      personId: MIA,
      person: { ...mia, upn: 'Y201205012345', ethnicity: 'WBRI', disabilities: ['NONE'] },
    });
    expect(corrected.status).toBe(200);
    const path = await call('GET', `/api/cases/${caseId}/path`, manager);
    const authorised = await call('POST', `/api/cases/${caseId}/path/complete-assessment`, manager, {
      version: path.body.version,
      completedOn: '2026-02-09',
      factors: ['3B', '17A'],
      primaryNeed: 'N1',
      outcome: 'child-in-need-plan',
      familySafeguardingEligible: true,
      summary: 'Mia is exposed to domestic abuse.',
    });
    expect(authorised.status).toBe(200);

    const after = await census();
    expect(after.body).toMatchObject({ complete: true, missing: [], inProgress: [] });
    expect(after.body.episodes[0]).toMatchObject({
      primaryNeed: 'N1',
      assessments: [{ startDate: '2026-01-05', authorisationDate: '2026-02-09', factors: ['3B', '17A'] }],
    });
    expect(after.body).not.toHaveProperty('notYetRecordable');

    const complete = mainTextOf((await visitor.get(socialWorker, censusPage)).body ?? '');
    expect(complete).toContain('Nothing is missing for the census');
    expect(complete).not.toContain('What is still missing');
    expect(complete).toContain('3B Domestic abuse, concerning a parent or carer');
    expect(complete).toContain('WBRI White British');
  });

  it('asks the front door for the source of a case opened before the accepted referral carried it', async () => {
    const older = 'ref-census-older';
    await deliverUntilAccepted(createReferralAcceptedConsumer({ ...runtime, clock: () => new Date('2026-01-05T15:10:01.000Z') }), [
      referralAccepted({ referralId: older, teamId: 'team-north-1', referralSource: undefined }),
    ]);
    const olderId = caseIdForReferral(older);
    const body = (await call('GET', `/api/cases/${olderId}/census`, samOkafor)).body;
    expect(body.episodes[0]).not.toHaveProperty('referralSource');
    const source = body.missing.find((gap: { key: string }) => gap.key === 'episode:referralSource');
    expect(source).toEqual({
      key: 'episode:referralSource',
      field: 'Referral source',
      why: 'The census reports who made the referral (its source code)',
      where: { kind: 'front-door', why: 'The case was opened before the referral’s source was carried onto it: ask the front door' },
    });
    const page = await visitor.get(socialWorker, `/cases/${olderId}/census`);
    const text = mainTextOf(page.body ?? '');
    expect(text).toContain(
      'Referral source The census reports who made the referral (its source code). The case was opened before the referral’s source was carried onto it: ask the front door.',
    );
    expect(text).toContain('Not on the case: ask the front door (see above)');
  });

  it('has family group decision making and pre-proceedings as recorded on their page, what is under way in progress', async () => {
    const fgdm = `/api/cases/${caseId}/family-group-decision-making`;
    expect((await call('POST', `${fgdm}/offer`, samOkafor, { version: 0, offeredOn: '2026-01-20', response: 'accepted' })).status).toBe(
      200,
    );
    const offered = await census();
    expect(keys(offered.body.inProgress)).toContain('episode:fgdm:offer:1');
    expect(offered.body.inProgress.find((gap: { key: string }) => gap.key === 'episode:fgdm:offer:1')).toMatchObject({
      href: `/cases/${caseId}/family-group-decision-making`,
    });

    const network = await call('GET', `/api/cases/${caseId}/network`, samOkafor);
    const adult = network.body.network.adults[0].personId;
    expect((await call('POST', `${fgdm}/held`, samOkafor, { version: 1, heldOn: '2026-02-02', attendeeIds: [adult] })).status).toBe(200);
    expect(
      (await call('POST', `${fgdm}/family-plan`, samOkafor, { version: 2, agreedOn: '2026-02-02', inFamilysWords: 'Nan helps.' })).status,
    ).toBe(200);
    expect((await call('POST', `${fgdm}/pre-proceedings`, manager, { version: 3, startedOn: '2026-02-09' })).status).toBe(200);

    const running = await census();
    expect(running.body.episodes[0]).toMatchObject({
      familyGroupDecisionMaking: {
        offers: [{ offeredOn: '2026-01-20', response: 'accepted' }],
        conferences: [{ heldOn: '2026-02-02', familyPlanAgreedOn: '2026-02-02' }],
      },
      preProceedings: [{ startDate: '2026-02-09' }],
    });
    expect(keys(running.body.inProgress)).toEqual(['episode:assessment', 'episode:primaryNeed', 'episode:preProceedings:1']);
    expect(keys(running.body.missing)).not.toContain('episode:preProceedings:1');

    expect(
      (
        await call('POST', `${fgdm}/pre-proceedings-ended`, manager, {
          version: 4,
          endedOn: '2026-02-10',
          outcome: 'care-proceedings-issued',
        })
      ).status,
    ).toBe(200);
    const ended = await census();
    expect(ended.body.episodes[0].preProceedings).toEqual([
      { startDate: '2026-02-09', endDate: '2026-02-10', outcome: 'care-proceedings-issued' },
    ]);
    expect(keys(ended.body.inProgress)).toEqual(['episode:assessment', 'episode:primaryNeed']);

    rounds.take();
    const page = await visitor.get(socialWorker, censusPage);
    // The case, its FGDM partition and the Inbox count in one round, then the audit of the read.
    expect(rounds.take()).toBe(2);
    const text = mainTextOf(page.body ?? '');
    expect(text).toContain('Family group decision making Offered Tuesday 20 January 2026: accepted Held Monday 2 February 2026');
    expect(text).toContain('Outcome The family’s plan agreed Monday 2 February 2026');
    expect(text).toContain('Pre-proceedings 1 Started Monday 9 February 2026, ended Tuesday 10 February 2026: Care proceedings issued');
    expect(mainLinksOf(page.body ?? '')).toContainEqual({
      href: `/cases/${caseId}/family-group-decision-making`,
      text: 'See family group decision making and pre-proceedings',
    });
  });

  it('answers another team’s worker and an unknown case with the same 404, JSON and page alike', async () => {
    expect((await census(southWorker)).status).toBe(404);
    expect((await call('GET', '/api/cases/case-nobody/census', samOkafor)).status).toBe(404);
    const hidden = await visitor.get(otherTeam, censusPage);
    const unknown = await visitor.get(socialWorker, '/cases/case-nobody/census');
    expect([hidden.statusCode, unknown.statusCode]).toEqual([404, 404]);
    for (const page of [hidden, unknown]) expect(mainTextOf(page.body ?? '')).toContain('There is no such case that you can see');
  });
});
