import type { ServiceRuntime } from '@fsp/shared/runtime';
import type { TestTable } from '@fsp/shared/testing/dynamodb';
import { deliverUntilAccepted } from '@fsp/shared/testing/events';
import { formsOf, mainLinksOf, mainTextOf, textOf } from '@fsp/shared/testing/html';
import type { PageWorker, pageVisitor } from '@fsp/shared/testing/pages';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { fixedClock } from '@fsp/shared/time/clock';
import { createReferralAcceptedConsumer } from '../../src/consumers/referral-accepted';
import { caseIdForReferral } from '../../src/domain/case';
import { type CaseStore, createCaseStore } from '../../src/store/case-store';
import { createNetworkStore } from '../../src/store/network-store';
import { caseAuditItems } from '../support/audit';
import { casesPagesVisitor } from '../support/pages';
import { referralAccepted } from '../support/referral-accepted';

/** Tuesday 6 January 2026, 9:15am in London. */
const NOW = '2026-01-06T09:15:00.000Z';
const ORIGIN = 'http://127.0.0.1:3000';
const referralId = '01JGZ8Q4V7K3M2N5P6R8S9T0VW';
const caseId = caseIdForReferral(referralId);
const family = `/cases/${caseId}/family`;

const sam: PageWorker = { userId: 'sw-0001', name: 'Sam Patel', roles: ['social-worker'], teamId: 'team-north-1' };
const jo: PageWorker = { userId: 'das-0001', name: 'Jo Reed', roles: ['adult-specialist'], teamId: 'team-north-1' };
const southWorker: PageWorker = { userId: 'sw-0002', name: 'Kim Lee', roles: ['social-worker'], teamId: 'team-south-2' };
const frontDoor: PageWorker = { userId: 'fd-0001', name: 'Femi Adeyemi', roles: ['front-door'], teamId: 'front-door' };

let table: TestTable;
let runtime: ServiceRuntime;
let visitor: ReturnType<typeof pageVisitor>;
let cases: CaseStore;

beforeEach(async () => {
  const setup = await createTestRuntime('cases', fixedClock(NOW));
  table = setup.table;
  runtime = setup.runtime;
  cases = createCaseStore(runtime.documents, runtime.tableName);
  ({ visitor } = casesPagesVisitor(runtime, ORIGIN));
  await deliverUntilAccepted(createReferralAcceptedConsumer({ ...runtime, clock: () => new Date('2026-01-05T15:10:02.000Z') }), [
    referralAccepted({ referralId }),
  ]);
});
afterEach(async () => {
  await table.drop();
});

const auditOf = (id: string) => caseAuditItems(table, id);

async function networkNow() {
  const file = await cases.readCase(caseId);
  if (!file?.network) throw new Error('no network');
  return file.network;
}

/** The form at `path` as the worker's browser has it: its action and hidden fields (CSRF token, version). */
async function formAt(worker: PageWorker, path: string) {
  const page = await visitor.get(worker, path);
  expect(page.statusCode).toBe(200);
  const [form] = formsOf(page.body ?? '').filter((candidate) => candidate.action !== '/signout');
  if (!form) throw new Error(`no form at ${path}`);
  return form;
}

const titleOf = (html: string) => textOf(/<title>[\s\S]*<\/title>/.exec(html)?.[0] ?? '');
const errorSummaryOf = (html: string) => textOf(/<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '');

describe('the family page', () => {
  it('shows the network the case opened with: children, adults related to each child, wider family, professionals; audited', async () => {
    const page = await visitor.get(sam, family);
    expect(page.statusCode).toBe(200);
    expect(page.headers?.['cache-control']).toBe('no-store');
    expect(titleOf(page.body ?? '')).toBe('Family and network – Case FSP-2026-000123 – Family Safeguarding Platform');
    const text = mainTextOf(page.body ?? '');
    expect(text).toContain('Family and network As the referral gave it, Monday 5 January 2026');
    expect(text).toContain('Children Mia Jones Correct (Mia Jones) Date of birth 14 March 2017 (8 years old) Sex Female');
    expect(text).toContain('Baby Jones Correct (Baby Jones) Marked Unborn Expected date of birth 2 April 2026');
    expect(text).toContain('Kerry Jones Correct (Kerry Jones) Remove (Kerry Jones) Date of birth 30 July 1992 (33 years old)');
    expect(text).toContain('Relationship to each child Mother of Mia Jones Mother of Baby Jones');
    expect(text).toContain('Wider family and friends No wider family or friends are recorded yet.');
    expect(text).toContain(
      'Professionals Amara Okafor Correct (Amara Okafor) Remove (Amara Okafor) Marked Referrer Role Designated safeguarding lead',
    );
    expect(page.body).toMatch(/<a class="moj-sub-navigation__link" aria-current="page" href="\/cases\/[^"]+\/family">/);
    expect(mainLinksOf(page.body ?? '').map((link) => link.text)).toEqual(
      expect.arrayContaining([
        'Add a child',
        'Add an adult in the household',
        'Add a member of the wider family or a friend',
        'Add a professional',
      ]),
    );
    expect(await auditOf(caseId)).toEqual([expect.objectContaining({ userId: sam.userId, reason: 'team-member' })]);
  });

  it('answers another team’s worker exactly as a missing case, the denials audited; the front door too, having no referral to follow here', async () => {
    const hidden = await visitor.get(southWorker, family);
    const missing = await visitor.get(southWorker, '/cases/case-nothing/family');
    expect([hidden.statusCode, missing.statusCode]).toEqual([404, 404]);
    expect(mainTextOf((hidden.body ?? '').replaceAll(caseId, 'ID'))).toBe(
      mainTextOf((missing.body ?? '').replaceAll('case-nothing', 'ID')),
    );
    expect((await visitor.get(southWorker, `${family}/wider-family/new`)).statusCode).toBe(404);
    expect(await auditOf(caseId)).toEqual([
      expect.objectContaining({ kind: 'case-read-denied', what: 'GET /cases/{caseId}/family' }),
      expect.objectContaining({ kind: 'case-read-denied', what: 'GET /cases/{caseId}/family/{group}/new' }),
    ]);

    expect((await visitor.get(frontDoor, family)).statusCode).toBe(404);
    expect((await visitor.get(frontDoor, `${family}/wider-family/new`)).statusCode).toBe(403);
  });
});

describe('adding someone', () => {
  it('adds a member of the wider family from the form, says so, and shows them marked for a family group conference', async () => {
    const form = await formAt(sam, `${family}/wider-family/new`);
    expect(form.fields.version).toBe('1');
    const posted = await visitor.post(sam, form.action, {
      ...form.fields,
      firstName: 'Pat',
      lastName: 'Jones',
      relationship: 'maternal grandmother',
      fgc: 'yes',
      phone: '01632 960 001',
      email: '',
    });
    expect(posted.statusCode).toBe(303);
    expect(posted.headers?.location).toMatch(new RegExp(`^${family}\\?done=added&person=person-[0-9a-f-]+#wider-family$`));

    // A browser keeps the #fragment to itself.
    const next = (posted.headers?.location ?? '').replace(/#.*$/, '');
    const page = await visitor.get(sam, next);
    const text = mainTextOf(page.body ?? '');
    expect(text).toContain('Pat Jones has been added to the family network.');
    expect(text).toContain('Last changed Tuesday 6 January 2026 by Sam Patel');
    expect(text).toContain(
      'Pat Jones Correct (Pat Jones) Remove (Pat Jones) Marked Family group conference Relationship to the family maternal grandmother Could take part in a family group conference Yes Phone 01632 960 001 Email Not recorded',
    );
    // Another worker, or an address copied later, is told nothing.
    expect(mainTextOf((await visitor.get(jo, next)).body ?? '')).not.toContain('has been added');
    expect((await networkNow()).version).toBe(2);
  });

  it('shows the form again with GOV.UK’s error summary, each field’s message and what was typed, and writes nothing', async () => {
    const form = await formAt(sam, `${family}/children/new`);
    const refused = await visitor.post(sam, form.action, {
      ...form.fields,
      firstName: '',
      lastName: 'Jones',
      unborn: 'no',
      'dateOfBirth-day': '31',
      'dateOfBirth-month': '2',
      'dateOfBirth-year': '2019',
      nhsNumber: '123 456 7890',
    });
    expect(refused.statusCode).toBe(400);
    const html = refused.body ?? '';
    expect(titleOf(html)).toMatch(/^Error: Add a child/);
    expect(errorSummaryOf(html)).toBe(
      'There is a problem Enter the date of birth as a real date, like 27 3 2019 Enter the child’s first name The child’s NHS number must be 10 digits, like 485 777 3456',
    );
    expect(html).toContain('href="#dateOfBirth-day"');
    expect(html).toContain('href="#firstName"');
    expect(html).toContain('href="#nhsNumber"');
    expect(html).toMatch(/id="nhsNumber" name="nhsNumber" type="text" spellcheck="false" value="123 456 7890"/);
    expect((await networkNow()).version).toBe(1);
  });

  it('refuses a date of birth in the future for a born child, but takes an expected date for an unborn one', async () => {
    const form = await formAt(sam, `${family}/children/new`);
    const child = {
      ...form.fields,
      firstName: 'Alfie',
      lastName: 'Jones',
      'dateOfBirth-day': '1',
      'dateOfBirth-month': '6',
      'dateOfBirth-year': '2026',
    };
    const born = await visitor.post(sam, form.action, { ...child, unborn: 'no' });
    expect(born.statusCode).toBe(400);
    expect(errorSummaryOf(born.body ?? '')).toContain('The date of birth must be today or in the past');
    const unborn = await visitor.post(sam, form.action, { ...child, unborn: 'yes' });
    expect(unborn.statusCode).toBe(303);
    expect((await networkNow()).network.children.map((person) => person.firstName)).toEqual(['Mia', 'Baby', 'Alfie']);
  });

  it('refuses a post without the session’s CSRF token, and writes nothing', async () => {
    const form = await formAt(sam, `${family}/professionals/new`);
    const { csrfToken: _token, ...withoutToken } = form.fields;
    const refused = await visitor.post(sam, form.action, { ...withoutToken, name: 'Helen Visitor' });
    expect(refused.statusCode).toBe(403);
    expect((await networkNow()).version).toBe(1);
  });
});

describe('correcting and removing someone', () => {
  it('corrects an adult’s relationship to each child, keeping what the referrer said', async () => {
    const kerry = (await networkNow()).network.adults[0];
    const form = await formAt(sam, `${family}/adults/${kerry?.personId}/edit`);
    const page = await visitor.get(sam, `${family}/adults/${kerry?.personId}/edit`);
    expect(mainTextOf(page.body ?? '')).toContain('Relationship to Mia Jones');
    const posted = await visitor.post(sam, form.action, {
      ...form.fields,
      firstName: 'Kerry',
      lastName: 'Jones',
      'dateOfBirth-day': '30',
      'dateOfBirth-month': '7',
      'dateOfBirth-year': '1992',
      'relationship-0': 'mother',
      'relationship-1': 'birth mother',
    });
    expect(posted.statusCode).toBe(303);
    const now = (await networkNow()).network.adults[0];
    expect(now?.relationships.map((entry) => entry.relationship)).toEqual(['mother', 'birth mother']);
    expect(now?.relationshipAsReferred).toBe('mother');
  });

  it('tells the second of two workers that someone else changed the network, shows what it says now, keeps what they typed and writes nothing of theirs', async () => {
    const kerry = (await networkNow()).network.adults[0];
    const samsForm = await formAt(sam, `${family}/adults/${kerry?.personId}/edit`);
    const josForm = await formAt(jo, `${family}/adults/${kerry?.personId}/edit`);
    const kerryFields = {
      firstName: 'Kerry',
      lastName: 'Jones',
      'dateOfBirth-day': '30',
      'dateOfBirth-month': '7',
      'dateOfBirth-year': '1992',
    };
    expect(
      (
        await visitor.post(jo, josForm.action, {
          ...josForm.fields,
          ...kerryFields,
          lastName: 'Jones-Carter',
          'relationship-0': 'mother',
          'relationship-1': 'mother',
        })
      ).statusCode,
    ).toBe(303);

    const stale = await visitor.post(sam, samsForm.action, {
      ...samsForm.fields,
      ...kerryFields,
      'relationship-0': 'mum',
      'relationship-1': 'mum',
    });
    expect(stale.statusCode).toBe(409);
    const html = stale.body ?? '';
    expect(titleOf(html)).toMatch(/^Error: /);
    expect(mainTextOf(html)).toContain('Someone else changed the family network since you opened it');
    expect(mainTextOf(html)).toContain('What the record says now');
    expect(mainTextOf(html)).toContain('Kerry Jones-Carter');
    expect(html).toMatch(/name="relationship-0" type="text" spellcheck="false" value="mum"/);
    // Sent again, from the version the page now carries, it is saved.
    const again = formsOf(html).find((form) => form.action === samsForm.action);
    expect(again?.fields.version).toBe('2');
    expect((await networkNow()).network.adults[0]?.lastName).toBe('Jones-Carter');
  });

  it('removes an adult with the reason, keeping them in the history; a child has no remove form', async () => {
    const dean = (await networkNow()).network.adults[1];
    const form = await formAt(sam, `${family}/adults/${dean?.personId}/remove`);
    const withoutReason = await visitor.post(sam, form.action, { ...form.fields, reason: ' ' });
    expect(withoutReason.statusCode).toBe(400);
    expect(errorSummaryOf(withoutReason.body ?? '')).toBe('There is a problem Enter the reason for removing them');

    const removed = await visitor.post(sam, form.action, {
      ...form.fields,
      reason: 'Not part of the household: the referrer was mistaken.',
    });
    expect(removed.statusCode).toBe(303);
    const page = await visitor.get(sam, (removed.headers?.location ?? '').replace(/#.*$/, ''));
    expect(mainTextOf(page.body ?? '')).toContain('They have been removed from the family network.');
    expect((await networkNow()).network.adults.map((adult) => adult.firstName)).toEqual(['Kerry']);
    const history = await createNetworkStore(runtime.documents, runtime.tableName).history(caseId);
    expect(history).toEqual([
      expect.objectContaining({
        kind: 'remove',
        group: 'adults',
        personId: dean?.personId,
        before: expect.objectContaining({ firstName: 'Dean' }),
        reason: 'Not part of the household: the referrer was mistaken.',
        by: { userId: sam.userId, name: 'Sam Patel' },
      }),
    ]);

    const mia = (await networkNow()).network.children[0];
    expect((await visitor.get(sam, `${family}/children/${mia?.personId}/remove`)).statusCode).toBe(404);
    expect((await visitor.get(sam, `${family}/adults/${dean?.personId}/edit`)).statusCode).toBe(404);
  });
});

describe('the case summary', () => {
  it('is written from its form, shown on the overview with when and by whom, and a stale save is told so', async () => {
    const form = await formAt(sam, `/cases/${caseId}/summary`);
    const josForm = await formAt(jo, `/cases/${caseId}/summary`);
    expect(form.fields.version).toBe('0');
    const tooLong = await visitor.post(sam, form.action, { ...form.fields, text: 'x'.repeat(2001) });
    expect(tooLong.statusCode).toBe(400);
    expect(errorSummaryOf(tooLong.body ?? '')).toBe('There is a problem The case summary must be 2000 characters or fewer');

    const saved = await visitor.post(sam, form.action, {
      ...form.fields,
      text: 'Mia (8) lives with her mother Kerry, who is expecting a baby in April.\r\n\r\nThe school referred after Mia disclosed violence at home.',
    });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers?.location).toBe(`/cases/${caseId}?done=summary`);
    const overview = mainTextOf((await visitor.get(sam, saved.headers?.location ?? '')).body ?? '');
    expect(overview).toContain('The case summary is saved.');
    expect(overview).toContain(
      'Case summary Mia (8) lives with her mother Kerry, who is expecting a baby in April. The school referred after Mia disclosed violence at home. Last updated Tuesday 6 January 2026 by Sam Patel Change the case summary',
    );

    const stale = await visitor.post(jo, josForm.action, { ...josForm.fields, text: 'A different start' });
    expect(stale.statusCode).toBe(409);
    const text = mainTextOf(stale.body ?? '');
    expect(text).toContain('Someone else changed the case summary since you opened it');
    expect(text).toContain('The summary now Mia (8) lives with her mother Kerry');
    expect(stale.body).toContain('A different start</textarea>');
    expect((await cases.readCase(caseId))?.summary?.version).toBe(1);
  });
});
