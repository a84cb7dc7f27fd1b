/**
 * Family group decision making (issue 14 Deliver 7) through the real JSON handler and the real
 * pages handler against DynamoDB Local, on one case opened by the real consumer (referral received
 * Monday 5 January 2026; now Tuesday 10 February): the warning while none was held, held refused
 * before an accepted offer, dates refused naming their field, an offer, a conference with who came
 * from the network and the family's plan recorded from the pages, a stale version, and the same 404
 * for another team's worker as for an unknown case; the conference and the plan in the chronology.
 * Pre-proceedings: refused with the reason before a conference was held, refused to anyone but the
 * team manager, then started and ended (with the outcome) by the manager from the pages, each in
 * the chronology.
 */
import { randomUUID } from 'node:crypto';
import { csrfTokenFor } from '@fsp/shared/http/session';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { apiGatewayEvent } from '@fsp/shared/testing/api-gateway-event';
import type { TestTable } from '@fsp/shared/testing/dynamodb';
import { deliverUntilAccepted } from '@fsp/shared/testing/events';
import { mainTextOf } from '@fsp/shared/testing/html';
import type { PageWorker, pageVisitor } from '@fsp/shared/testing/pages';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { fixedClock } from '@fsp/shared/time/clock';
import { createReferralAcceptedConsumer } from '../../src/consumers/referral-accepted';
import { caseIdForReferral } from '../../src/domain/case';
import { createCaseStore } from '../../src/store/case-store';
import { claimsOf } from '../support/claims';
import { NORTH, people } from '../support/directory';
import { casesHttpHandler } from '../support/http';
import { casesPagesVisitor } from '../support/pages';
import { referralAccepted } from '../support/referral-accepted';

const NOW = '2026-02-10T14:30:00.000Z';
const ORIGIN = 'http://127.0.0.1:3000';
const referralId = 'ref-fgdm-1';
const caseId = caseIdForReferral(referralId);
const page = `/cases/${caseId}/family-group-decision-making`;
const WARNING = 'No family group conference has been held. One is required before pre-proceedings.';

const samOkafor = claimsOf(people.samOkafor, '[social-worker]');
const managerClaims = claimsOf(people.manager, '[team-manager]');
const tara: PageWorker = { userId: 'tm-0001', name: 'Tara Mensah', roles: ['team-manager'], teamId: NORTH };
const southWorker = claimsOf({ userId: 'sw-0099', name: 'Jo South', teamId: 'team-south-2' }, '[social-worker]');
const ruth: PageWorker = { userId: 'sw-0002', name: 'Ruth Hale', roles: ['social-worker'], teamId: NORTH };
const south: PageWorker = { userId: 'sw-0099', name: 'Jo South', roles: ['social-worker'], teamId: 'team-south-2' };

let table: TestTable;
let runtime: ServiceRuntime;
let api: ReturnType<typeof casesHttpHandler>;
let visitor: ReturnType<typeof pageVisitor>;
let adult: { personId: string; name: string };

beforeAll(async () => {
  ({ table, runtime } = await createTestRuntime('cases', fixedClock(NOW)));
  api = casesHttpHandler(runtime);
  ({ visitor } = casesPagesVisitor(runtime, ORIGIN));
  await deliverUntilAccepted(createReferralAcceptedConsumer({ ...runtime, clock: () => new Date('2026-01-05T15:10:01.000Z') }), [
    referralAccepted({ referralId, teamId: NORTH }),
  ]);
  const first = (await createCaseStore(runtime.documents, runtime.tableName).readCase(caseId))?.network?.network.adults[0];
  if (!first) throw new Error('the case opened without an adult in its network');
  adult = { personId: first.personId, name: `${first.firstName} ${first.lastName}` };
});
afterAll(async () => {
  await table.drop();
});

const send = async (method: string, step?: string, body?: object, claims = samOkafor) => {
  const response = await api(
    apiGatewayEvent({
      method,
      path: `/api/cases/${caseId}/family-group-decision-making${step ? `/${step}` : ''}`,
      claims,
      requestId: `req-${randomUUID()}`,
      ...(body ? { body } : {}),
    }),
  );
  return { status: response.statusCode, body: JSON.parse(response.body ?? '{}') };
};
const post = (step: string, fields: Record<string, string>, worker = ruth) => {
  const body = new URLSearchParams({ csrfToken: csrfTokenFor(visitor.sessionOf(worker)) });
  for (const [name, value] of Object.entries(fields)) for (const each of value.split('|')) body.append(name, each);
  return visitor.post(worker, `${page}/${step}`, Object.fromEntries(body) as Record<string, string>);
};

test('none held: the warning; held refused before an offer; dates refused naming the field', async () => {
  expect((await send('GET')).body).toMatchObject({ caseId, version: 0, held: false, warning: expect.stringContaining('pre-proceedings') });
  const shown = await visitor.get(ruth, page);
  expect(shown.statusCode).toBe(200);
  expect(mainTextOf(shown.body ?? '')).toContain(WARNING);

  const heldFirst = await send('POST', 'held', { version: 0, heldOn: '2026-02-03', attendeeIds: [adult.personId] });
  expect(heldFirst).toMatchObject({ status: 409, body: { detail: expect.stringContaining('offer') } });
  const heldForm = await visitor.get(ruth, `${page}/held`);
  expect(heldForm.statusCode).toBe(409);
  expect(mainTextOf(heldForm.body ?? '')).toContain('This step cannot be recorded now');
  expect((await send('POST', 'family-plan', { version: 0, agreedOn: '2026-02-03', inFamilysWords: 'Our plan' })).status).toBe(409);

  for (const offeredOn of ['2026-01-04', '2026-02-11']) {
    const refused = await send('POST', 'offer', { version: 0, offeredOn, response: 'accepted' });
    expect({ offeredOn, status: refused.status, body: JSON.stringify(refused.body) }).toEqual({
      offeredOn,
      status: 400,
      body: expect.stringContaining('$.offeredOn'),
    });
  }
  expect((await send('POST', 'offer', { version: 0, offeredOn: '2026-01-20', response: 'declined' })).status).toBe(400);

  // Pre-proceedings: the manager is told why not yet; nobody else may record them at all.
  expect((await send('GET')).body).toMatchObject({
    preProceedings: [],
    preProceedingsRunning: false,
    preProceedingsMayNotStart: expect.stringContaining('held, or offered and declined'),
  });
  const tooSoon = await send('POST', 'pre-proceedings', { version: 0, startedOn: '2026-02-09' }, managerClaims);
  expect(tooSoon).toMatchObject({ status: 409, body: { detail: expect.stringContaining('held, or offered and declined by the family') } });
  expect((await send('POST', 'pre-proceedings', { version: 0, startedOn: '2026-02-09' })).status).toBe(403);
  const notTheirs = await visitor.get(ruth, `${page}/pre-proceedings`);
  expect(notTheirs.statusCode).toBe(403);
  expect(mainTextOf(notTheirs.body ?? '')).toContain('Only the team manager can record pre-proceedings');
  const notYet = await visitor.get(tara, `${page}/pre-proceedings`);
  expect(notYet.statusCode).toBe(409);
  expect(mainTextOf(notYet.body ?? '')).toContain('record the offer first');
  const shownToManager = mainTextOf((await visitor.get(tara, page)).body ?? '');
  expect(shownToManager).toContain('Pre-proceedings can start only after a family group conference was held');
  expect(shownToManager).toContain('None started.');
});

test('offered, held and the family’s plan recorded from the pages; a stale version told', async () => {
  const emptyOffer = await post('offer', { version: '0' });
  expect(emptyOffer.statusCode).toBe(400);
  expect(mainTextOf(emptyOffer.body ?? '')).toContain('Select whether the family accepted or declined');

  const offered = await post('offer', {
    version: '0',
    'offeredOn-day': '20',
    'offeredOn-month': '1',
    'offeredOn-year': '2026',
    response: 'accepted',
  });
  expect(offered.statusCode).toBe(303);
  expect(offered.headers?.location).toBe(`${page}?done=offer`);

  const early = await post('held', {
    version: '1',
    'heldOn-day': '19',
    'heldOn-month': '1',
    'heldOn-year': '2026',
    attendeeIds: adult.personId,
  });
  expect(early.statusCode).toBe(400);
  expect(mainTextOf(early.body ?? '')).toContain('The date held must be on or after the day it was offered, 20 January 2026');

  const stale = await post('held', {
    version: '0',
    'heldOn-day': '3',
    'heldOn-month': '2',
    'heldOn-year': '2026',
    attendeeIds: adult.personId,
  });
  expect(stale.statusCode).toBe(409);
  expect(mainTextOf(stale.body ?? '')).toContain('changed since you opened this form');

  const held = await post('held', {
    version: '1',
    'heldOn-day': '3',
    'heldOn-month': '2',
    'heldOn-year': '2026',
    attendeeIds: adult.personId,
    others: 'Lee Brown, coordinator\n\nAmira Said, family friend',
  });
  expect(held.statusCode).toBe(303);

  const planned = await post('family-plan', {
    version: '2',
    'agreedOn-day': '3',
    'agreedOn-month': '2',
    'agreedOn-year': '2026',
    inFamilysWords: 'Nan will take the children to school on weekdays.\n\nWe will call Nan if things get hard.',
  });
  expect(planned.statusCode).toBe(303);
  expect(planned.headers?.location).toBe(`${page}?done=family-plan`);

  const text = mainTextOf((await visitor.get(ruth, `${page}?done=family-plan`)).body ?? '');
  expect(text).toContain('The family’s plan was recorded.');
  expect(text).not.toContain(WARNING);
  for (const shown of [
    'Conference held 3 February 2026',
    adult.name,
    'Lee Brown, coordinator',
    'Amira Said, family friend',
    'Nan will take the children to school on weekdays.',
    'Accepted',
  ])
    expect(text).toContain(shown);

  // The conference and the family's plan are in the case's chronology; the offers are not.
  const chronology = (await createCaseStore(runtime.documents, runtime.tableName).readCase(caseId))?.chronology ?? [];
  expect(chronology.filter((entry) => entry.entryId.startsWith('fgdm-')).map((entry) => [entry.kind, entry.text])).toEqual([
    ['fgdm-held', expect.stringContaining('Family group conference held on 3 February 2026, attended by')],
    ['family-plan-recorded', expect.stringContaining('The family’s plan from the conference of 3 February 2026 recorded')],
  ]);
  expect((await send('GET')).body).toMatchObject({
    version: 3,
    held: true,
    conferences: [{ heldOn: '2026-02-03', attendees: [adult], others: ['Lee Brown, coordinator', 'Amira Said, family friend'] }],
  });
  expect((await send('POST', 'held', { version: 3, heldOn: '2026-02-04', attendeeIds: ['someone-else'] })).body).toMatchObject({
    status: 400,
  });
});

test('another team’s worker gets the page of a case that does not exist', async () => {
  expect((await send('GET', undefined, undefined, southWorker)).status).toBe(404);
  for (const path of [page, `${page}/offer`]) {
    const response = await visitor.get(south, path);
    expect(response.statusCode).toBe(404);
    expect(response.body).toContain('There is no such case that you can see');
  }
});

test('the team manager starts pre-proceedings after the conference and ends them with the outcome, from the pages', async () => {
  // A social worker sees the section but no link to record them.
  const forWorker = await visitor.get(ruth, page);
  expect(mainTextOf(forWorker.body ?? '')).toContain('Only the manager of the team that holds the case records pre-proceedings.');
  expect(forWorker.body).not.toContain(`href="${page}/pre-proceedings"`);
  const forManager = await visitor.get(tara, page);
  expect(forManager.body).toContain(`href="${page}/pre-proceedings"`);
  expect(forManager.body).not.toContain(`href="${page}/pre-proceedings-ended"`);

  const beforeConference = await post(
    'pre-proceedings',
    { version: '3', 'startedOn-day': '2', 'startedOn-month': '2', 'startedOn-year': '2026' },
    tara,
  );
  expect(beforeConference.statusCode).toBe(400);
  expect(mainTextOf(beforeConference.body ?? '')).toContain(
    'The date pre-proceedings started must be on or after the family group conference held on 3 February 2026',
  );
  expect(beforeConference.body).toContain('href="#startedOn-day"');

  const byWorker = await post('pre-proceedings', { version: '3', 'startedOn-day': '9', 'startedOn-month': '2', 'startedOn-year': '2026' });
  expect(byWorker.statusCode).toBe(403);

  const started = await post(
    'pre-proceedings',
    { version: '3', 'startedOn-day': '9', 'startedOn-month': '2', 'startedOn-year': '2026' },
    tara,
  );
  expect(started.statusCode).toBe(303);
  expect(started.headers?.location).toBe(`${page}?done=pre-proceedings`);
  const running = mainTextOf((await visitor.get(tara, `${page}?done=pre-proceedings`)).body ?? '');
  expect(running).toContain('Pre-proceedings were recorded as started.');
  expect(running).toContain('Pre-proceedings 1');
  expect(running).toContain('Running');
  expect(running).toContain('Record pre-proceedings ended, with the outcome');

  const noWords = await post(
    'pre-proceedings-ended',
    { version: '4', 'endedOn-day': '10', 'endedOn-month': '2', 'endedOn-year': '2026', outcome: 'other' },
    tara,
  );
  expect(noWords.statusCode).toBe(400);
  expect(mainTextOf(noWords.body ?? '')).toContain('Enter what the outcome was');
  const noOutcome = await post(
    'pre-proceedings-ended',
    { version: '4', 'endedOn-day': '10', 'endedOn-month': '2', 'endedOn-year': '2026' },
    tara,
  );
  expect(mainTextOf(noOutcome.body ?? '')).toContain('Select the outcome of pre-proceedings');

  const ended = await post(
    'pre-proceedings-ended',
    { version: '4', 'endedOn-day': '10', 'endedOn-month': '2', 'endedOn-year': '2026', outcome: 'step-down' },
    tara,
  );
  expect(ended.statusCode).toBe(303);
  const text = mainTextOf((await visitor.get(ruth, page)).body ?? '');
  expect(text).toContain('Started 9 February 2026');
  expect(text).toContain('Ended 10 February 2026');
  expect(text).toContain('Stepped down: the concerns reduced without proceedings');
  expect(text).toContain('Tara Mensah');

  expect((await send('GET')).body).toMatchObject({
    version: 5,
    preProceedingsRunning: false,
    preProceedings: [{ sequence: 1, startedOn: '2026-02-09', ended: { endedOn: '2026-02-10', outcome: 'step-down' } }],
  });
  const chronology = (await createCaseStore(runtime.documents, runtime.tableName).readCase(caseId))?.chronology ?? [];
  expect(chronology.filter((entry) => entry.kind === 'pre-proceedings').map((entry) => entry.text)).toEqual([
    expect.stringContaining('Pre-proceedings started on 9 February 2026, after the family group conference held on 3 February 2026'),
    expect.stringContaining('Pre-proceedings started on 9 February 2026 ended on 10 February 2026: stepped down'),
  ]);
});
