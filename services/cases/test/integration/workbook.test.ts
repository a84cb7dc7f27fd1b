/**
 * The Family Safeguarding workbook through the real HTTP handler and the real pages handler (sealed
 * session cookies), against DynamoDB Local: a case opened by the real consumer (Monday 5 January
 * 2026; Kerry Jones and Dean Carter are the household's adults), allocated to Sam Okafor as social
 * worker and Dana Lewis as mental health worker. Who writes which role's chapter and summaries, the
 * chapter's versions kept, a month's summary replaced only over the version read, months refused in
 * the future and before the case opened, the programme per adult of the network, the other team's
 * 404, and the pages: forms that keep what was typed, a stale form told so, and the printable
 * assessment document with nothing of the layout on paper.
 */
import { randomUUID } from 'node:crypto';
import { caseChronologyEntryAddedV1 } from '@fsp/shared/events/definitions/cases';
import { CSRF_FORM_FIELD } from '@fsp/shared/http/page-session';
import { csrfTokenFor } from '@fsp/shared/http/session';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { apiGatewayEvent } from '@fsp/shared/testing/api-gateway-event';
import type { TestTable } from '@fsp/shared/testing/dynamodb';
import { deliverUntilAccepted } from '@fsp/shared/testing/events';
import { formsOf, mainTextOf } from '@fsp/shared/testing/html';
import type { PageWorker, pageVisitor } from '@fsp/shared/testing/pages';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { fixedClock } from '@fsp/shared/time/clock';
import { createReferralAcceptedConsumer } from '../../src/consumers/referral-accepted';
import { caseIdForReferral } from '../../src/domain/case';
import { createCaseStore } from '../../src/store/case-store';
import { claimsOf } from '../support/claims';
import { fixtureDirectory, NORTH, people } from '../support/directory';
import { casesHttpHandler } from '../support/http';
import { outboxOf } from '../support/outbox';
import { type casesPagesHandler, casesPagesVisitor } from '../support/pages';
import { referralAccepted } from '../support/referral-accepted';

/** Tuesday 10 February 2026, 2:30pm in London. */
const NOW = '2026-02-10T14:30:00.000Z';
const ORIGIN = 'http://127.0.0.1:3000';
const referralId = 'ref-workbook-1';
const caseId = caseIdForReferral(referralId);
const base = `/api/cases/${caseId}/workbook`;
const page = `/cases/${caseId}/workbook`;

const manager = claimsOf(people.manager, '[team-manager]');
const sam = claimsOf(people.samOkafor, '[social-worker]');
const dana = claimsOf(people.danaLewis, '[adult-specialist]');
const omar = claimsOf(people.omarFarouk, '[adult-specialist]');
const south = claimsOf(people.southWorker, '[social-worker]');
const samPage: PageWorker = { userId: 'sw-0001', name: 'Sam Okafor', roles: ['social-worker'], teamId: NORTH };
const danaPage: PageWorker = { userId: 'as-0001', name: 'Dana Lewis', roles: ['adult-specialist'], teamId: NORTH };

let table: TestTable;
let runtime: ServiceRuntime;
let api: ReturnType<typeof casesHttpHandler>;
let handler: ReturnType<typeof casesPagesHandler>;
let visitor: ReturnType<typeof pageVisitor>;
let adults: { kerry: string; dean: string };

const send = async (claims: ReturnType<typeof claimsOf>, method: string, path: string, body?: object) => {
  const response = await api(apiGatewayEvent({ method, path, claims, requestId: `req-${randomUUID()}`, ...(body ? { body } : {}) }));
  return { status: response.statusCode, body: JSON.parse(response.body ?? '{}') };
};
const workbook = async (claims = sam) => (await send(claims, 'GET', base)).body;

beforeEach(async () => {
  ({ table, runtime } = await createTestRuntime('cases', fixedClock(NOW)));
  api = casesHttpHandler(runtime, { directory: fixtureDirectory() });
  ({ handler, visitor } = casesPagesVisitor(runtime, ORIGIN));
  await deliverUntilAccepted(createReferralAcceptedConsumer({ ...runtime, clock: () => new Date('2026-01-05T15:10:01.000Z') }), [
    referralAccepted({ referralId, teamId: NORTH }),
  ]);
  const allocated = await send(manager, 'PUT', `/api/cases/${caseId}/allocation`, {
    version: 0,
    socialWorkerId: people.samOkafor.userId,
    specialists: { 'mental-health': people.danaLewis.userId },
  });
  expect(allocated.status).toBe(200);
  const programme = (await workbook()).programme as { personId: string; name: string }[];
  adults = {
    kerry: programme.find((adult) => adult.name === 'Kerry Jones')?.personId ?? '',
    dean: programme.find((adult) => adult.name === 'Dean Carter')?.personId ?? '',
  };
});
afterEach(async () => {
  await table.drop();
});

describe('the workbook’s JSON routes', () => {
  it('each role writes its own chapter; a new version replaces it over the version read, the earlier kept', async () => {
    const first = await send(sam, 'POST', `${base}/contributions`, { version: 0, kind: 'chapter', role: 'social-worker', text: 'First.' });
    expect(first).toMatchObject({
      status: 201,
      body: { role: 'social-worker', version: 1, by: { userId: 'sw-0001', name: 'Sam Okafor' } },
    });
    // The team manager may write any role's; the social worker not the mental health worker's.
    expect(
      (await send(sam, 'POST', `${base}/contributions`, { version: 0, kind: 'chapter', role: 'mental-health', text: 'x' })).status,
    ).toBe(403);
    // An adult specialist of the team who is not allocated holds no specialism on the case.
    expect(
      (await send(omar, 'POST', `${base}/contributions`, { version: 0, kind: 'chapter', role: 'substance-misuse', text: 'x' })).status,
    ).toBe(403);
    expect(
      (await send(dana, 'POST', `${base}/contributions`, { version: 0, kind: 'chapter', role: 'mental-health', text: 'Kerry is low.' }))
        .status,
    ).toBe(201);
    expect(
      (
        await send(manager, 'POST', `${base}/contributions`, {
          version: 0,
          kind: 'chapter',
          role: 'substance-misuse',
          text: 'No concerns.',
        })
      ).status,
    ).toBe(201);

    const second = await send(manager, 'POST', `${base}/contributions`, {
      version: 1,
      kind: 'chapter',
      role: 'social-worker',
      text: 'Second.',
    });
    expect(second.status).toBe(200);
    const stale = await send(sam, 'POST', `${base}/contributions`, { version: 1, kind: 'chapter', role: 'social-worker', text: 'Lost.' });
    expect(stale.status).toBe(409);

    const read = await workbook(dana);
    expect(read.chapters.map((chapter: { role: string }) => chapter.role)).toEqual(['social-worker', 'mental-health', 'substance-misuse']);
    expect(read.chapters[0]).toMatchObject({
      version: 2,
      text: 'Second.',
      writtenBy: { name: 'Tara Mensah' },
      earlierVersions: [{ version: 1, writtenBy: { name: 'Sam Okafor' }, writtenAt: NOW }],
    });
    expect(read.writableRoles).toEqual(['mental-health']);
    expect((await send(south, 'GET', base)).status).toBe(404);
    expect(
      (await send(south, 'POST', `${base}/contributions`, { version: 0, kind: 'chapter', role: 'social-worker', text: 'x' })).status,
    ).toBe(404);
  });

  it('one summary per role and month, not in the future nor before the case opened, replaced only over its version', async () => {
    const summary = (month: string, version: number, text = 'A good month.') =>
      send(sam, 'POST', `${base}/contributions`, { version, kind: 'monthly-summary', role: 'social-worker', month, text });
    const future = await summary('2026-03', 0);
    expect(future.status).toBe(400);
    expect(future.body.errors).toEqual([expect.objectContaining({ path: '$.month', message: 'The month must be this month or before' })]);
    const before = await summary('2025-12', 0);
    expect(before.body.errors).toEqual([
      expect.objectContaining({ path: '$.month', message: 'The month must be January 2026, when the case opened, or later' }),
    ]);
    expect((await summary('2026-13', 0)).body.errors).toEqual([expect.objectContaining({ path: '$.month' })]);

    expect((await summary('2026-02', 0)).status).toBe(201);
    expect((await summary('2026-01', 0, 'January.')).status).toBe(201);
    expect((await summary('2026-02', 0, 'A second one')).status).toBe(409);
    expect((await summary('2026-02', 1, 'Replaced.')).status).toBe(200);
    expect(
      (
        await send(dana, 'POST', `${base}/contributions`, {
          version: 0,
          kind: 'monthly-summary',
          role: 'mental-health',
          month: '2026-01',
          text: 'Kerry started.',
        })
      ).status,
    ).toBe(201);

    const read = await workbook();
    expect(
      read.monthlySummaries.map((each: { month: string; role: string; text: string }) => `${each.month} ${each.role}: ${each.text}`),
    ).toEqual(['2026-01 social-worker: January.', '2026-01 mental-health: Kerry started.', '2026-02 social-worker: Replaced.']);
  });

  it('the programme per adult of the network: each module’s status, its day and who recorded it', async () => {
    const record = (body: object) => send(dana, 'POST', `${base}/programme`, body);
    const unknown = await record({ version: 0, personId: 'child-01JGZ8R1', module: 1, status: 'in-progress', on: '2026-02-02' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([
      expect.objectContaining({ path: '$.personId', message: 'Select an adult in the family’s network' }),
    ]);
    const noDay = await record({ version: 0, personId: adults.kerry, module: 1, status: 'completed' });
    expect(noDay.body.errors).toEqual([expect.objectContaining({ path: '$.on', message: 'Enter the date the module was completed' })]);
    expect((await record({ version: 0, personId: adults.kerry, module: 9, status: 'completed', on: '2026-02-02' })).status).toBe(400);

    const started = await record({ version: 0, personId: adults.kerry, module: 1, status: 'completed', on: '2026-02-02' });
    expect(started.status).toBe(200);
    expect(started.body.modules[0]).toEqual({
      module: 1,
      name: 'Getting started: what matters to your family',
      status: 'completed',
      on: '2026-02-02',
      recordedBy: { userId: 'as-0001', name: 'Dana Lewis' },
      recordedAt: NOW,
    });
    expect((await record({ version: 0, personId: adults.kerry, module: 2, status: 'in-progress', on: '2026-02-09' })).status).toBe(409);
    expect((await record({ version: 1, personId: adults.kerry, module: 2, status: 'in-progress', on: '2026-02-09' })).status).toBe(200);

    const read = await workbook();
    expect(read.modules).toHaveLength(8);
    const kerry = read.programme.find((adult: { personId: string }) => adult.personId === adults.kerry);
    expect(kerry.version).toBe(2);
    expect(kerry.modules.map((module: { status: string }) => module.status)).toEqual([
      'completed',
      'in-progress',
      ...Array(6).fill('not-started'),
    ]);
    const dean = read.programme.find((adult: { personId: string }) => adult.personId === adults.dean);
    expect(dean.version).toBe(0);
  });
});

type Fields = Record<string, string>;
async function post(worker: PageWorker, path: string, fields: Fields) {
  const body = new URLSearchParams({ [CSRF_FORM_FIELD]: csrfTokenFor(visitor.sessionOf(worker)), ...fields }).toString();
  return handler(
    apiGatewayEvent({
      method: 'POST',
      path,
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
      body,
      cookies: [visitor.cookieOf(worker)],
      requestId: `req-${randomUUID()}`,
    }),
  );
}
const text = (html: string | undefined) => mainTextOf(html ?? '');
/** The form's hidden fields as the worker opens it from `address`. */
async function opened(worker: PageWorker, address: string): Promise<Fields> {
  const form = await visitor.get(worker, address);
  expect(form.statusCode).toBe(200);
  const fields =
    formsOf(form.body ?? '').find((each) => each.action.endsWith('/contribute') || each.action.endsWith('/programme'))?.fields ?? {};
  return { entry: String(fields.entry ?? ''), version: String(fields.version ?? '') };
}

describe('the workbook in the case’s chronology, and a summary’s earlier versions', () => {
  it('each chapter or summary written is a chronology line with its CaseChronologyEntryAdded, in the same transaction; a lost race writes neither', async () => {
    const chapter = await send(sam, 'POST', `${base}/contributions`, {
      version: 0,
      kind: 'chapter',
      role: 'social-worker',
      text: 'First.',
    });
    expect(chapter.status).toBe(201);
    expect(
      (await send(dana, 'POST', `${base}/contributions`, { version: 0, kind: 'chapter', role: 'mental-health', text: 'Low.' })).status,
    ).toBe(201);
    expect(
      (await send(manager, 'POST', `${base}/contributions`, { version: 1, kind: 'chapter', role: 'social-worker', text: 'Second.' }))
        .status,
    ).toBe(200);
    const summary = (version: number, text: string) =>
      send(sam, 'POST', `${base}/contributions`, { version, kind: 'monthly-summary', role: 'social-worker', month: '2026-02', text });
    expect((await summary(0, 'Mia is at school every day.')).status).toBe(201);
    expect((await summary(1, 'Mia is at school every day; Kerry has started the programme.')).status).toBe(200);
    // Stale: nothing is written, not even the chronology's line.
    expect((await summary(1, 'Lost.')).status).toBe(409);

    const chronology = (await createCaseStore(runtime.documents, runtime.tableName).readCase(caseId))?.chronology ?? [];
    // All at the clock's one instant here, so in the entries' ids' order.
    const lines = chronology.filter((entry) => entry.kind === 'workbook-updated').map((entry) => [entry.entryId, entry.text]);
    expect(lines).toEqual([
      ['workbook-chapter-mental-health-1', 'Workbook: Mental health worker chapter written by Dana Lewis'],
      ['workbook-chapter-social-worker-1', 'Workbook: Social worker chapter written by Sam Okafor'],
      ['workbook-chapter-social-worker-2', 'Workbook: Social worker chapter updated (version 2) by Tara Mensah'],
      ['workbook-summary-2026-02-social-worker-1', 'Workbook: Social worker monthly summary for February 2026 written by Sam Okafor'],
      [
        'workbook-summary-2026-02-social-worker-2',
        'Workbook: Social worker monthly summary for February 2026 updated (version 2) by Sam Okafor',
      ],
    ]);
    const published = (await outboxOf(table, caseChronologyEntryAddedV1)).filter((event) => event.data.kind === 'workbook-updated');
    expect(published.map((event) => event.data.entryId).sort()).toEqual(lines.map(([entryId]) => entryId).sort());
    expect(published.every((event) => event.data.caseId === caseId && event.data.restricted === false)).toBe(true);

    // The summary's first words are kept: in the JSON and on the workbook page, under "Earlier versions".
    const read = await workbook();
    expect(read.monthlySummaries).toEqual([
      expect.objectContaining({
        version: 2,
        text: 'Mia is at school every day; Kerry has started the programme.',
        earlierVersions: [
          { version: 1, text: 'Mia is at school every day.', writtenBy: { userId: 'sw-0001', name: 'Sam Okafor' }, writtenAt: NOW },
        ],
      }),
    ]);
    const shown = mainTextOf((await visitor.get(samPage, page)).body ?? '');
    expect(shown).toContain(
      'Mia is at school every day; Kerry has started the programme. Version 2, written Tuesday 10 February 2026 by Sam Okafor',
    );
    expect(shown).toContain(
      'Earlier versions (1) of the social worker’s summary for February 2026 Version 1, written Tuesday 10 February 2026 by Sam Okafor Mia is at school every day.',
    );
  });
});

describe('the workbook’s pages', () => {
  it('a chapter written from the form, a stale second form told so with the chapter as it now stands, the typed text kept', async () => {
    const empty = text((await visitor.get(danaPage, page)).body);
    expect(empty).toContain('Mental health worker Write the chapter');
    expect(empty).toContain('Kerry Jones');
    expect(empty).toContain('0 of 8 modules completed');

    const hidden = await opened(danaPage, `${page}/contribute?kind=chapter&role=mental-health`);
    expect(hidden).toEqual({ entry: 'chapter:mental-health', version: '0' });
    const empty400 = await post(danaPage, `${page}/contribute`, { ...hidden, kind: 'chapter', role: 'mental-health', text: '  ' });
    expect(empty400.statusCode).toBe(400);
    expect(text(empty400.body)).toContain('Enter the chapter');
    expect(empty400.body).toContain('href="#text"');

    const saved = await post(danaPage, `${page}/contribute`, {
      ...hidden,
      kind: 'chapter',
      role: 'mental-health',
      text: 'Kerry is low.\n\nShe sees her GP.',
    });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers?.location).toBe(`${page}?done=chapter`);
    const shown = text((await visitor.get(danaPage, `${page}?done=chapter`)).body);
    expect(shown).toContain('The chapter is saved.');
    expect(shown).toContain('Kerry is low. She sees her GP. Version 1, written Tuesday 10 February 2026 by Dana Lewis');

    // The same form sent again (opened at version 0): someone wrote it since.
    const stale = await post(danaPage, `${page}/contribute`, { ...hidden, kind: 'chapter', role: 'mental-health', text: 'My words kept.' });
    expect(stale.statusCode).toBe(409);
    expect(text(stale.body)).toContain('Someone else wrote this since you opened the form. Nothing was saved.');
    expect(text(stale.body)).toContain('Kerry is low.');
    expect(stale.body).toContain('My words kept.');
    expect(formsOf(stale.body ?? '').find((each) => each.action.endsWith('/contribute'))?.fields.version).toBe('1');

    // A month's summary: the future refused on its field.
    const future = await post(samPage, `${page}/contribute`, {
      kind: 'monthly-summary',
      role: 'social-worker',
      'month-month': '3',
      'month-year': '2026',
      text: 'x',
      entry: '',
      version: '0',
    });
    expect(future.statusCode).toBe(400);
    expect(text(future.body)).toContain('The month must be this month or before');
    expect(future.body).toContain('href="#month-month"');
    const summary = await post(samPage, `${page}/contribute`, {
      kind: 'monthly-summary',
      role: 'social-worker',
      'month-month': '1',
      'month-year': '2026',
      text: 'Settled January.',
      entry: '',
      version: '0',
    });
    expect(summary.statusCode).toBe(303);
    // Dana may not write the social worker's part.
    const notHers = await post(danaPage, `${page}/contribute`, {
      kind: 'chapter',
      role: 'social-worker',
      text: 'x',
      entry: '',
      version: '0',
    });
    expect(notHers.statusCode).toBe(403);
  });

  it('the programme form records a module; the printable document has the family, chapters, summaries in month order and the programme, and nothing of the layout on paper', async () => {
    const hidden = await opened(danaPage, `${page}/programme?personId=${adults.kerry}&module=3`);
    expect(hidden).toEqual({ entry: adults.kerry, version: '0' });
    const noDay = await post(danaPage, `${page}/programme`, { ...hidden, personId: adults.kerry, module: '3', status: 'completed' });
    expect(noDay.statusCode).toBe(400);
    expect(text(noDay.body)).toContain('Enter the date the module was completed');
    const saved = await post(danaPage, `${page}/programme`, {
      ...hidden,
      personId: adults.kerry,
      module: '3',
      status: 'completed',
      'on-day': '6',
      'on-month': '2',
      'on-year': '2026',
    });
    expect(saved.statusCode).toBe(303);
    expect(text((await visitor.get(danaPage, page)).body)).toContain(
      'Completed Completed on 6 February 2026, recorded by Dana Lewis on Tuesday 10 February 2026',
    );

    await send(sam, 'POST', `${base}/contributions`, {
      version: 0,
      kind: 'monthly-summary',
      role: 'social-worker',
      month: '2026-02',
      text: 'February.',
    });
    await send(dana, 'POST', `${base}/contributions`, {
      version: 0,
      kind: 'monthly-summary',
      role: 'mental-health',
      month: '2026-01',
      text: 'January.',
    });
    await send(sam, 'POST', `${base}/contributions`, { version: 0, kind: 'chapter', role: 'social-worker', text: 'Mia is safe at home.' });

    const printed = await visitor.get(samPage, `${page}/print`);
    expect(printed.statusCode).toBe(200);
    const body = printed.body ?? '';
    expect(body).toMatch(/<header class="govuk-template__header govuk-!-display-none-print"/);
    expect(body).toMatch(/<footer class="govuk-template__footer">\s*<div class="govuk-!-display-none-print">/);
    const main = /<main\b[\s\S]*<\/main>/.exec(body)?.[0] ?? '';
    expect(main).not.toContain('<form');
    expect(main).not.toContain('govuk-button');
    // Its only link is in the paragraph left off paper.
    expect(main.match(/<a /g)).toHaveLength(1);
    const shown = text(body);
    expect(shown).toContain('Case FSP-2026-000123 Family Safeguarding assessment');
    expect(shown).toContain('Mia Jones');
    expect(shown).toContain('Kerry Jones');
    expect(shown).toContain('Dean Carter');
    expect(shown).toContain('Social worker Mia is safe at home.');
    expect(shown).toContain('Not written yet: Mental health worker.');
    expect(shown.indexOf('January 2026 Mental health worker January.')).toBeGreaterThan(-1);
    expect(shown.indexOf('January 2026')).toBeLessThan(shown.indexOf('February 2026 Social worker February.'));
    expect(shown).toContain('1 of 8 modules completed');
    expect((await visitor.get(samPage, `/cases/case-00000000000000000000000000000000/workbook/print`)).statusCode).toBe(404);
  });
});
