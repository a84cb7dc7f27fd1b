/**
 * The team manager's essentials list paged like the team's cases (/cases): 20 flagged cases a page,
 * in the team's cases' order, with GOV.UK pagination whose positions are the team's cases' own, and
 * the JSON route with the same pages (`next`, `?cursor=`). Against DynamoDB Local under an injected
 * clock: 23 cases opened five weeks ago (each with its case summary missing) and 2 opened this
 * morning (nothing due yet, so not on the list) from the real consumer.
 */
import { randomUUID } from 'node:crypto';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { apiGatewayEvent } from '@fsp/shared/testing/api-gateway-event';
import type { TestTable } from '@fsp/shared/testing/dynamodb';
import { deliverUntilAccepted } from '@fsp/shared/testing/events';
import { mainLinksOf, mainTextOf } from '@fsp/shared/testing/html';
import type { PageWorker, pageVisitor } from '@fsp/shared/testing/pages';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { createReferralAcceptedConsumer } from '../../src/consumers/referral-accepted';
import { claimsOf } from '../support/claims';
import { fixtureDirectory, NORTH, people } from '../support/directory';
import { casesHttpHandler } from '../support/http';
import { casesPagesVisitor } from '../support/pages';
import { referralAccepted } from '../support/referral-accepted';

/** Tuesday 10 February 2026, 2:30pm in London. */
const NOW = new Date('2026-02-10T14:30:00.000Z');
const ORIGIN = 'http://127.0.0.1:3000';
const OLD = 23;

const manager: PageWorker = { userId: people.manager.userId, name: people.manager.name, roles: ['team-manager'], teamId: NORTH };
const managerClaims = claimsOf(people.manager, '[team-manager]');

let table: TestTable;
let runtime: ServiceRuntime;
let visitor: ReturnType<typeof pageVisitor>;

const reference = (n: number) => `FSP-2026-${String(200 + n).padStart(6, '0')}`;

/** Opens a case for the north team at `at` (the consumer's clock). */
async function openCase(n: number, at: Date) {
  await deliverUntilAccepted(createReferralAcceptedConsumer({ ...runtime, clock: () => at }), [
    referralAccepted({ referralId: `ref-essentials-paging-${n}`, reference: reference(n), teamId: NORTH }),
  ]);
}

beforeAll(async () => {
  ({ table, runtime } = await createTestRuntime('cases', () => NOW));
  // Monday 5 January 2026 from 9am, a minute apart: the oldest is FSP-2026-000200.
  for (let n = 0; n < OLD; n += 1) await openCase(n, new Date(Date.UTC(2026, 0, 5, 9, n)));
  // This morning: nothing is due yet.
  await openCase(OLD, new Date('2026-02-10T09:00:00.000Z'));
  await openCase(OLD + 1, new Date('2026-02-10T09:05:00.000Z'));
  ({ visitor } = casesPagesVisitor(runtime, ORIGIN));
}, 60_000);
afterAll(async () => {
  await table.drop();
});

/** The references on a page of the list, in order. */
const referencesOn = (html: string | undefined): string[] =>
  mainLinksOf(html ?? '')
    .filter((link) => link.href.endsWith('#essentials'))
    .map((link) => link.text);

/** Newest opened first: the 23 old cases from FSP-2026-000222 down to FSP-2026-000200. */
const expected = Array.from({ length: OLD }, (_, index) => reference(OLD - 1 - index));

describe('the essentials list, paged', () => {
  it('shows 20 flagged cases, newest first, and "More cases" leads to the other 3; "Previous cases" back; the new cases on neither', async () => {
    const first = await visitor.get(manager, '/cases/essentials');
    expect(first.statusCode).toBe(200);
    expect(referencesOn(first.body)).toEqual(expected.slice(0, 20));
    const text = mainTextOf(first.body ?? '');
    expect(text).toContain(
      'FSP-2026-000222 Not allocated Case summary Missing : No case summary has been written, and it was due by Monday 12 January 2026',
    );
    expect(text).not.toContain(reference(OLD));
    const more = mainLinksOf(first.body ?? '').find((link) => link.text.startsWith('Next'));
    expect(more?.href).toMatch(/^\/cases\/essentials\?cursor=[A-Za-z0-9_-]+$/);
    expect(text).toContain('More cases');

    const second = await visitor.get(manager, more?.href ?? '');
    expect(second.statusCode).toBe(200);
    expect(referencesOn(second.body)).toEqual(expected.slice(20));
    const links = mainLinksOf(second.body ?? '');
    expect(links.some((link) => link.text.startsWith('Next'))).toBe(false);
    const previous = links.find((link) => link.text.startsWith('Previous'));
    expect(previous?.href).toBe('/cases/essentials');
    expect(referencesOn((await visitor.get(manager, previous?.href ?? '')).body)).toEqual(expected.slice(0, 20));
  });

  it('a position that is not one of the list’s gets a page saying so, with a way back to the start', async () => {
    const gone = await visitor.get(manager, '/cases/essentials?cursor=not*a*cursor');
    expect(gone.statusCode).toBe(404);
    expect(mainTextOf(gone.body ?? '')).toContain('That page of essentials needing attention no longer exists');
    expect(mainLinksOf(gone.body ?? '').map((link) => link.href)).toContain('/cases/essentials');
  });

  it('the JSON route gives the same pages: 20, then `next` to the other 3; a cursor it never gave is refused naming $.cursor', async () => {
    const api = casesHttpHandler(runtime, { directory: fixtureDirectory() });
    const get = async (path: string) => {
      const response = await api(apiGatewayEvent({ method: 'GET', path, claims: managerClaims, requestId: `req-${randomUUID()}` }));
      return { status: response.statusCode, body: JSON.parse(response.body ?? '{}') };
    };
    const first = await get('/api/cases/team/essentials');
    expect(first.status).toBe(200);
    expect(first.body.cases.map((entry: { reference: string }) => entry.reference)).toEqual(expected.slice(0, 20));
    expect(first.body.cases[0].needsAttention).toEqual(
      expect.arrayContaining([expect.objectContaining({ essential: 'case-summary', state: 'missing' })]),
    );
    expect(typeof first.body.next).toBe('string');
    const second = await get(`/api/cases/team/essentials?cursor=${first.body.next}`);
    expect(second.body.cases.map((entry: { reference: string }) => entry.reference)).toEqual(expected.slice(20));
    expect(second.body.next).toBeUndefined();
    const refused = await get('/api/cases/team/essentials?cursor=not*a*cursor');
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('$.cursor');
  });
});
