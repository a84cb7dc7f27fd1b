/**
 * The cases pages through the real handler with a sealed session cookie, against DynamoDB Local:
 * cases opened by the real consumer from ReferralAccepted facts, then what a worker sees of their
 * team's cases and of a case, and what another team's worker does not.
 */
import { generateSessionKey, serializeSessionKeys } from '@fsp/shared/http/session';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { apiGatewayEvent } from '@fsp/shared/testing/api-gateway-event';
import type { TestTable } from '@fsp/shared/testing/dynamodb';
import { deliverUntilAccepted } from '@fsp/shared/testing/events';
import { mainLinksOf, mainTextOf, textOf } from '@fsp/shared/testing/html';
import type { PageWorker, pageVisitor } from '@fsp/shared/testing/pages';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { fixedClock } from '@fsp/shared/time/clock';
import { createReferralAcceptedConsumer } from '../../src/consumers/referral-accepted';
import { caseIdForReferral } from '../../src/domain/case';
import { caseAuditItems } from '../support/audit';
import { casesPagesHandler, casesPagesVisitor } from '../support/pages';
import { referralAccepted } from '../support/referral-accepted';

/** Tuesday 6 January 2026, 9:15am in London: the day after the fixture's referral arrived. */
const NOW = '2026-01-06T09:15:00.000Z';
const ORIGIN = 'http://127.0.0.1:3000';

const manager: PageWorker = { userId: 'tm-0001', name: 'Tara Mensah', roles: ['team-manager'], teamId: 'team-north-1' };
const frontDoor: PageWorker = { userId: 'fd-0001', name: 'Femi Adeyemi', roles: ['front-door'], teamId: 'front-door' };
const southWorker: PageWorker = { userId: 'sw-0002', name: 'Kim Lee', roles: ['social-worker'], teamId: 'team-south-2' };
const emptyTeam: PageWorker = { userId: 'sw-0003', name: 'Priya Walsh', roles: ['social-worker'], teamId: 'team-east-3' };
const administrator: PageWorker = { userId: 'ad-0001', name: 'Ade Bello', roles: ['administrator'], teamId: 'platform' };

let table: TestTable;
let runtime: ServiceRuntime;
let visitor: ReturnType<typeof pageVisitor>;

const referralIdOf = (n: number) => `ref-pages-${String(n).padStart(3, '0')}`;
const referenceOf = (n: number) => `FSP-2026-${String(n).padStart(6, '0')}`;

/** Opens case n for `teamId` at 9:00 plus n minutes on 5 January, through the real consumer. */
async function openCase(n: number, teamId: string): Promise<void> {
  const openedAt = new Date(Date.UTC(2026, 0, 5, 9, n));
  const consumer = createReferralAcceptedConsumer({ ...runtime, clock: () => openedAt });
  await deliverUntilAccepted(consumer, [referralAccepted({ referralId: referralIdOf(n), reference: referenceOf(n), teamId })]);
}

beforeEach(async () => {
  const setup = await createTestRuntime('cases', fixedClock(NOW));
  table = setup.table;
  runtime = setup.runtime;
  ({ visitor } = casesPagesVisitor(runtime, ORIGIN));
});
afterEach(async () => {
  await table.drop();
});

const auditOf = (caseId: string) => caseAuditItems(table, caseId);

/** The links to cases' overviews (not the caseload, nor a case's allocation form). */
const caseLinksOf = (html: string) => mainLinksOf(html).filter((link) => /^\/cases\/case-[^/]+$/.test(link.href));

describe('GET /cases', () => {
  it("lists the worker's team's cases, newest first, 20 a page, with Older and Newer cases", async () => {
    for (let n = 1; n <= 23; n += 1) await openCase(n, 'team-north-1');
    await openCase(30, 'team-south-2');

    const first = await visitor.get(manager, '/cases');
    expect(first.statusCode).toBe(200);
    expect(first.headers?.['cache-control']).toBe('no-store');
    const firstLinks = caseLinksOf(first.body ?? '');
    expect(firstLinks.map((link) => link.text)).toEqual(Array.from({ length: 20 }, (_, i) => referenceOf(23 - i)));
    expect(firstLinks[0]?.href).toBe(`/cases/${caseIdForReferral(referralIdOf(23))}`);
    expect(textOf(/<title>[\s\S]*<\/title>/.exec(first.body ?? '')?.[0] ?? '')).toBe('Your team’s cases – Family Safeguarding Platform');
    const row = mainTextOf(first.body ?? '');
    expect(row).toContain(
      `${referenceOf(23)} Assessment. 1 child and 1 unborn baby. Opened Monday 5 January 2026 Not allocated Allocate ${referenceOf(23)} Assessment: due in 44 working days Monday 9 March 2026`,
    );
    expect(row).not.toContain(referenceOf(30));
    // The Cases item of the navigation is the page's own.
    expect(first.body).toMatch(/<a[^>]*href="\/cases"[^>]*aria-current/);

    const older = mainLinksOf(first.body ?? '').find((link) => link.text.startsWith('Next'));
    expect(older?.text).toContain('Older cases');
    const second = await visitor.get(manager, older?.href ?? '');
    expect(second.statusCode).toBe(200);
    expect(caseLinksOf(second.body ?? '').map((link) => link.text)).toEqual([referenceOf(3), referenceOf(2), referenceOf(1)]);
    const links = mainLinksOf(second.body ?? '');
    expect(links.some((link) => link.text.startsWith('Next'))).toBe(false);
    const newer = links.find((link) => link.text.startsWith('Previous'));
    expect(newer?.text).toContain('Newer cases');
    const back = await visitor.get(manager, newer?.href ?? '');
    expect(caseLinksOf(back.body ?? '').map((link) => link.text)).toEqual(firstLinks.map((link) => link.text));
  });

  it('says what to do next when the team has no cases', async () => {
    await openCase(1, 'team-north-1');
    const page = await visitor.get(emptyTeam, '/cases');
    expect(page.statusCode).toBe(200);
    expect(caseLinksOf(page.body ?? '')).toEqual([]);
    expect(mainTextOf(page.body ?? '')).toContain(
      'Your team has no cases yet. A case opens here when the front door decides a referral for your team.',
    );
  });

  it('answers a page position it did not give out with a page saying where to go', async () => {
    for (const query of ['?cursor=not-ours', '?cursor=%2F%2F', '?back=abc', '?cursor=a&cursor=b']) {
      const page = await visitor.get(manager, `/cases${query}`);
      expect({ query, status: page.statusCode }).toEqual({ query, status: 404 });
      expect(mainTextOf(page.body ?? '')).toContain('That page of your team’s cases no longer exists');
      expect(page.body).not.toContain('"type"');
    }
  });

  it('refuses an administrator with the no-permission page, and sends a browser without a session to sign in', async () => {
    const refused = await visitor.get(administrator, '/cases');
    expect(refused.statusCode).toBe(403);
    expect(refused.headers?.['content-type']).toContain('text/html');
    const anonymous = await casesPagesHandler(runtime, {
      environment: { SESSION_KEYS: serializeSessionKeys([generateSessionKey(1)]), PUBLIC_ORIGIN: ORIGIN },
    })(apiGatewayEvent({ path: '/cases' }));
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers?.location).toMatch(/^\/signin\?returnTo=/);
  });
});

describe('GET /cases/{caseId}', () => {
  const caseId = caseIdForReferral(referralIdOf(7));

  beforeEach(async () => {
    await openCase(7, 'team-north-1');
  });

  it("shows the team's worker the case overview (header, summary, key dates, allocation, latest chronology), and audits the read", async () => {
    const page = await visitor.get(manager, `/cases/${caseId}`);
    expect(page.statusCode).toBe(200);
    expect(page.headers?.['cache-control']).toBe('no-store');
    const text = mainTextOf(page.body ?? '');
    expect(text).toContain(`Case ${referenceOf(7)} Assessment Overview Family and network Notes Chronology`);
    expect(page.body).toContain('moj-sub-navigation');
    expect(text).toContain('Case summary There is no case summary yet.');
    expect(mainLinksOf(page.body ?? '')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ text: 'Write the case summary', href: `/cases/${caseId}/summary` }),
        expect.objectContaining({ text: 'Family and network', href: `/cases/${caseId}/family` }),
      ]),
    );
    expect(text).toContain(
      'Key dates Opened Monday 5 January 2026 Assessment Due in 44 working days (Monday 9 March 2026) Latest group supervision None held yet. See the case’s group supervision Team team-north-1 Children 1 child and 1 unborn baby.',
    );
    expect(text).toContain('Allocation Social worker Not allocated Adult specialists None allocated Social worker changes 0');
    expect(page.body).toContain('moj-timeline');
    expect(text).toContain(
      `Latest in the chronology Case opened Monday 5 January 2026 at 9:07am Case opened from referral ${referenceOf(7)}: Child and Family assessment`,
    );
    expect(await auditOf(caseId)).toEqual([expect.objectContaining({ userId: manager.userId, reason: 'team-member' })]);
  });

  it('shows the front door the case through the referral it names, audited so; without it, the same 404 as a missing case', async () => {
    const page = await visitor.get(frontDoor, `/cases/${caseId}?referralId=${referralIdOf(7)}`);
    expect(page.statusCode).toBe(200);
    expect((await visitor.get(frontDoor, `/cases/${caseId}`)).statusCode).toBe(404);
    expect(await auditOf(caseId)).toEqual([
      expect.objectContaining({ kind: 'case-read-denied', userId: frontDoor.userId, reason: 'no-relationship' }),
      expect.objectContaining({ kind: 'case-read', userId: frontDoor.userId, reason: 'front-door-referral' }),
    ]);
  });

  it("answers another team's case exactly as a missing one, offering break-glass for both, with the denial audited", async () => {
    const other = await visitor.get(southWorker, `/cases/${caseId}`);
    const missing = await visitor.get(southWorker, `/cases/${caseIdForReferral('ref-none')}`);
    const mangled = await visitor.get(southWorker, '/cases/%20%3Cscript%3E');
    for (const page of [other, missing, mangled]) {
      expect(page.statusCode).toBe(404);
      expect(mainTextOf(page.body ?? '')).toContain('There is no such case that you can see');
    }
    // What is offered names the address asked for, and nothing else: the same page for a hidden case and a missing one.
    const anonymised = (html: string | undefined, id: string) => mainTextOf((html ?? '').replaceAll(id, 'ID'));
    expect(anonymised(other.body, caseId)).toBe(anonymised(missing.body, caseIdForReferral('ref-none')));
    expect(mainLinksOf(other.body ?? '').map((link) => link.href)).toContain(`/cases/${caseId}/break-glass`);
    expect(await auditOf(caseId)).toEqual([
      expect.objectContaining({ kind: 'case-read-denied', userId: southWorker.userId, reason: 'no-relationship' }),
    ]);
  });
});
