/**
 * The allocation pages through the real pages handler with a sealed session cookie, against
 * DynamoDB Local, with the directory as a fixed list: the team manager's form and its answers
 * (saved, refused naming the field, lost to someone else's change), who may see it, the team's
 * cases with their social worker, and a worker's caseload.
 */
import { generateSessionKey, serializeSessionKeys } from '@fsp/shared/http/session';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { itemsOfKind, type TestTable } from '@fsp/shared/testing/dynamodb';
import { deliverUntilAccepted } from '@fsp/shared/testing/events';
import { formsOf, mainLinksOf, mainTextOf } from '@fsp/shared/testing/html';
import { type PageWorker, pageVisitor } from '@fsp/shared/testing/pages';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { fixedClock } from '@fsp/shared/time/clock';
import { createReferralAcceptedConsumer } from '../../src/consumers/referral-accepted';
import { caseIdForReferral } from '../../src/domain/case';
import { fixtureDirectory, NORTH, people } from '../support/directory';
import { casesPagesHandler } from '../support/pages';
import { referralAccepted } from '../support/referral-accepted';

/** Tuesday 6 January 2026, 9:15am in London. */
const NOW = '2026-01-06T09:15:00.000Z';
const ORIGIN = 'http://127.0.0.1:3000';

const asPageWorker = (person: (typeof people)[keyof typeof people]): PageWorker => ({
  userId: person.userId,
  name: person.name,
  roles: person.roles,
  teamId: person.teamId ?? '',
});
const manager = asPageWorker(people.manager);
const samOkafor = asPageWorker(people.samOkafor);
const danaLewis = asPageWorker(people.danaLewis);
const grace = asPageWorker(people.grace);
const southManager: PageWorker = { userId: 'tm-0009', name: 'Hannah Brooks', roles: ['team-manager'], teamId: 'team-south-2' };

let table: TestTable;
let runtime: ServiceRuntime;
let visitor: ReturnType<typeof pageVisitor>;

const referralIdOf = (n: number) => `ref-alloc-pages-${n}`;
const caseIdOf = (n: number) => caseIdForReferral(referralIdOf(n));

async function openCase(n: number, teamId = NORTH): Promise<void> {
  const consumer = createReferralAcceptedConsumer({ ...runtime, clock: () => new Date(Date.UTC(2026, 0, 5, 9, n)) });
  await deliverUntilAccepted(consumer, [referralAccepted({ referralId: referralIdOf(n), reference: `FSP-2026-00010${n}`, teamId })]);
}

beforeEach(async () => {
  ({ table, runtime } = await createTestRuntime('cases', fixedClock(NOW)));
  const keys = [generateSessionKey(1)];
  const handler = casesPagesHandler(
    runtime,
    { environment: { SESSION_KEYS: serializeSessionKeys(keys), PUBLIC_ORIGIN: ORIGIN }, now: runtime.clock },
    { directory: fixtureDirectory() },
  );
  visitor = pageVisitor({ handler, keys, origin: ORIGIN, clock: runtime.clock });
  await openCase(1);
});
afterEach(async () => {
  await table.drop();
});

const formPath = (n = 1) => `/cases/${caseIdOf(n)}/allocation`;

/** The allocation form's hidden fields (CSRF token, version) as the page gave them, with the worker's choices. */
async function submit(worker: PageWorker, choices: Record<string, string>, n = 1) {
  const page = await visitor.get(worker, formPath(n));
  const form = formsOf(page.body ?? '').find((candidate) => candidate.action === formPath(n));
  if (!form) throw new Error(`no allocation form on the page (status ${page.statusCode})`);
  return visitor.post(worker, formPath(n), { csrfToken: form.fields.csrfToken ?? '', version: form.fields.version ?? '', ...choices });
}

describe('the allocation form', () => {
  it("offers the team manager the team's social workers and adult specialists (not a leaver, not another team's), and audits the read", async () => {
    const page = await visitor.get(manager, formPath());
    expect(page.statusCode).toBe(200);
    const html = page.body ?? '';
    expect(mainTextOf(html)).toContain('Allocate workers');
    for (const name of ['Sam Okafor', 'Ruth Hale', 'Dana Lewis', 'Omar Farouk', 'Grace Mwangi']) expect(html).toContain(name);
    for (const name of ['Lee Carter', 'Kim Lee']) expect(html).not.toContain(name);
    expect(html).toContain('name="socialWorkerId" type="radio" value="sw-0001"');
    expect(html).toContain('<select class="govuk-select" id="specialist-mental-health" name="specialist-mental-health">');
    // A first allocation has no social worker to change from: no reason is asked.
    expect(html).not.toContain('name="reason"');
    expect(await itemsOfKind(table, 'case-read')).toEqual([expect.objectContaining({ userId: 'tm-0001' })]);
  });

  it('saves an allocation, redirects to the case, whose allocation panel shows it with a banner', async () => {
    const saved = await submit(manager, {
      socialWorkerId: 'sw-0001',
      'specialist-domestic-abuse-victim': 'as-0001',
      'specialist-mental-health': '',
    });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers?.location).toBe(`/cases/${caseIdOf(1)}?done=allocation#allocation`);

    const overview = await visitor.get(manager, `/cases/${caseIdOf(1)}?done=allocation`);
    const text = mainTextOf(overview.body ?? '');
    expect(text).toContain('The allocation is saved.');
    expect(text).toContain('Social worker Sam Okafor');
    expect(text).toContain('Domestic abuse worker (victims) Dana Lewis');
    expect(text).toContain('Social worker changes 0');
    // Allocated on Tuesday 6 January 2026: the first group supervision is due a calendar month later, in key dates and essentials alike.
    expect(text).toContain('Latest group supervision None held yet; the first is due by Friday 6 February 2026.');
    expect(text).toContain(
      'Latest group supervision Not due yet Due by Friday 6 February 2026, a month after the first social worker was allocated',
    );
    expect(mainLinksOf(overview.body ?? '')).toContainEqual({ href: formPath(), text: 'Change the allocation for this case' });
    // Anyone else following the same address is not told it was saved: they did not save it.
    expect(mainTextOf((await visitor.get(samOkafor, `/cases/${caseIdOf(1)}?done=allocation`)).body ?? '')).not.toContain(
      'The allocation is saved.',
    );
  });

  it('shows the form again, naming the field, for nobody chosen, and stores nothing', async () => {
    const refused = await submit(manager, {});
    expect(refused.statusCode).toBe(400);
    const html = refused.body ?? '';
    expect(html).toContain('govuk-error-summary');
    expect(html).toContain('<a href="#socialWorkerId">Select a social worker</a>');
    expect(html).toMatch(/<title>Error: /);
    expect(await itemsOfKind(table, 'allocation')).toEqual([]);
  });

  it('names an unknown worker and a missing reason for a change of social worker in the error summary, keeping what was chosen', async () => {
    const unknown = await submit(manager, { socialWorkerId: 'sw-nobody', 'specialist-substance-misuse': 'as-0003' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('<a href="#socialWorkerId">Select a social worker from the team that holds this case</a>');
    expect(unknown.body).toContain('<option value="as-0003" selected>Grace Mwangi</option>');

    expect((await submit(manager, { socialWorkerId: 'sw-0001' })).statusCode).toBe(303);
    const noReason = await submit(manager, { socialWorkerId: 'sw-0002', reason: '  ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('<a href="#reason">Enter the reason for the change of social worker</a>');
    expect(noReason.body).toContain('name="socialWorkerId" type="radio" value="sw-0002" checked');

    const sameTwice = await submit(manager, {
      socialWorkerId: 'sw-0002',
      'specialist-domestic-abuse-victim': 'as-0001',
      'specialist-domestic-abuse-perpetrator': 'as-0001',
      reason: 'Capacity',
    });
    expect(sameTwice.body).toContain(
      '<a href="#specialist-domestic-abuse-perpetrator">Select a different worker for perpetrators from the one for victims</a>',
    );
    expect(await itemsOfKind(table, 'allocation-change')).toHaveLength(1);
  });

  it('records a change of social worker with its reason, and counts it', async () => {
    await submit(manager, { socialWorkerId: 'sw-0001' });
    expect((await submit(manager, { socialWorkerId: 'sw-0002', reason: 'Sam has moved to the court team.' })).statusCode).toBe(303);
    const overview = mainTextOf((await visitor.get(manager, `/cases/${caseIdOf(1)}`)).body ?? '');
    expect(overview).toContain('Social worker Ruth Hale');
    expect(overview).toContain('Social worker changes 1');
    const form = mainTextOf((await visitor.get(manager, formPath())).body ?? '');
    expect(form).toContain('The social worker is Ruth Hale. The social worker has changed once.');
  });

  it('tells a team manager whose form is out of date that someone else changed it, shows the allocation as it is now, and overwrites nothing', async () => {
    const opened = await visitor.get(manager, formPath());
    const form = formsOf(opened.body ?? '').find((candidate) => candidate.action === formPath());
    // Meanwhile, someone else allocates Ruth.
    expect((await submit(manager, { socialWorkerId: 'sw-0002' })).statusCode).toBe(303);

    const stale = await visitor.post(manager, formPath(), {
      csrfToken: form?.fields.csrfToken ?? '',
      version: form?.fields.version ?? '',
      socialWorkerId: 'sw-0001',
    });
    expect(stale.statusCode).toBe(409);
    expect(mainTextOf(stale.body ?? '')).toContain('Someone else changed this allocation since you opened it.');
    expect(stale.body).toContain('name="socialWorkerId" type="radio" value="sw-0002" checked');
    expect(formsOf(stale.body ?? '').find((candidate) => candidate.action === formPath())?.fields.version).toBe('1');
    expect(await itemsOfKind(table, 'allocation')).toEqual([expect.objectContaining({ version: 1 })]);
  });

  it('is refused to workers who are not team managers (403), to another team’s manager as a missing case (404), and without the CSRF token', async () => {
    expect((await visitor.get(samOkafor, formPath())).statusCode).toBe(403);
    expect((await visitor.post(samOkafor, formPath(), { socialWorkerId: 'sw-0001', version: '0' })).statusCode).toBe(403);
    const other = await visitor.get(southManager, formPath());
    expect(other.statusCode).toBe(404);
    expect(mainTextOf(other.body ?? '')).toContain('There is no such case that you can see');
    expect((await visitor.get(manager, '/cases/case-nothing-here/allocation')).statusCode).toBe(404);
    expect((await visitor.post(manager, formPath(), { socialWorkerId: 'sw-0001', version: '0' })).statusCode).toBe(403);
    expect(await itemsOfKind(table, 'allocation')).toEqual([]);
  });
});

describe("the team's cases and the caseload", () => {
  it('lists cases without a social worker first, with the social worker column, and Allocate links only for the team manager', async () => {
    await openCase(2);
    await openCase(3);
    await submit(manager, { socialWorkerId: 'sw-0001' }, 3);

    const list = await visitor.get(manager, '/cases');
    const rows = [...(list.body ?? '').matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)].map((row) =>
      mainTextOf(`<main>${row[1]}</main>`),
    );
    expect(rows.slice(1).map((row) => row.split(' ')[0])).toEqual(['FSP-2026-000102', 'FSP-2026-000101', 'FSP-2026-000103']);
    expect(rows[1]).toContain('Not allocated Allocate FSP-2026-000102');
    expect(rows[3]).toContain('Sam Okafor Change the allocation of FSP-2026-000103');
    expect(mainLinksOf(list.body ?? '').map((link) => link.text)).toContain('Your caseload');

    const asWorker = await visitor.get(samOkafor, '/cases');
    expect(mainLinksOf(asWorker.body ?? '').filter((link) => link.href.endsWith('/allocation'))).toEqual([]);
  });

  it('shows a worker the cases they are allocated to, with what they are on each and its deadline; and what to do when there are none', async () => {
    await submit(manager, {
      socialWorkerId: 'sw-0001',
      'specialist-domestic-abuse-victim': 'as-0001',
      'specialist-mental-health': 'as-0001',
    });

    const mine = await visitor.get(danaLewis, '/cases/caseload');
    expect(mine.statusCode).toBe(200);
    const text = mainTextOf(mine.body ?? '');
    expect(text).toContain('Your caseload');
    expect(text).toContain('FSP-2026-000101');
    expect(text).toContain('You are the domestic abuse worker (victims) and mental health worker.');
    expect(text).toMatch(/Assessment: due in 4[45] working days \w+day \d+ \w+ 2026/);
    expect(mainLinksOf(mine.body ?? '')).toContainEqual({ href: `/cases/${caseIdOf(1)}`, text: 'FSP-2026-000101' });

    const none = mainTextOf((await visitor.get(grace, '/cases/caseload')).body ?? '');
    expect(none).toContain('You are not allocated to any cases.');
    expect(none).toContain('Your team manager allocates cases to you');

    const gone = await visitor.get(danaLewis, '/cases/caseload?cursor=%21');
    expect(gone.statusCode).toBe(404);
  });

  it('orders the caseload by each case’s soonest deadline, whichever timescale it is: a strategy discussion brings its conference forward', async () => {
    await openCase(2);
    await submit(manager, { socialWorkerId: 'sw-0001' }, 1);
    await submit(manager, { socialWorkerId: 'sw-0001' }, 2);
    const rowsOf = async (path: string) =>
      [...((await visitor.get(samOkafor, path)).body ?? '').matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)]
        .slice(1)
        .map((row) => mainTextOf(`<main>${row[1]}</main>`));

    // Both assessments are due on the same day: the caseload's order between them is the cases' ids'.
    const before = await rowsOf('/cases/caseload');
    expect(before).toHaveLength(2);
    expect(before.every((row) => /Assessment: due in 4[45] working days Monday 9 March 2026/.test(row))).toBe(true);
    const later = before[1]!.split(' ')[0]!;
    const n = later === 'FSP-2026-000101' ? 1 : 2;

    // A strategy discussion on the later one, today (Tuesday 6 January): its conference is due in 15 working days.
    const path = `/cases/${caseIdOf(n)}/path/strategy-discussion`;
    const form = formsOf((await visitor.get(samOkafor, path)).body ?? '').find((candidate) => candidate.action === path)!;
    const recorded = await visitor.post(samOkafor, path, {
      ...form.fields,
      'heldOn-day': '6',
      'heldOn-month': '1',
      'heldOn-year': '2026',
      section47: 'yes',
      reason: 'Police and school agreed there is reasonable cause to suspect significant harm.',
    });
    expect(recorded.statusCode).toBe(303);

    const after = await rowsOf('/cases/caseload');
    expect(after.map((row) => row.split(' ')[0])).toEqual([later, before[0]!.split(' ')[0]]);
    expect(after[0]).toContain('Initial child protection conference: due in 15 working days Tuesday 27 January 2026');
    expect(after[1]).toContain('Assessment: due in 44 working days Monday 9 March 2026');
    // The team's list and the case's overview say the same.
    const team = (await rowsOf('/cases')).find((row) => row.startsWith(later));
    expect(team).toContain('Initial child protection conference: due in 15 working days Tuesday 27 January 2026');
    const overview = mainTextOf((await visitor.get(samOkafor, `/cases/${caseIdOf(n)}`)).body ?? '');
    expect(overview).toContain('Next deadline Initial child protection conference: due in 15 working days (Tuesday 27 January 2026)');
    expect(overview).toContain('Assessment Due in 44 working days (Monday 9 March 2026)');
  });
});
