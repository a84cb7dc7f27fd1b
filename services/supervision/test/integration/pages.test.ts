/**
 * The Supervision area's pages through the real handler, with a sealed session cookie, against
 * DynamoDB Local, from cases opened and allocated through the real consumers: what a worker sees on
 * their team's agenda and on a case's supervision page, and what another team's worker is told.
 */
import type { TestTable } from '@fsp/shared/testing/dynamodb';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { fixedClock } from '@fsp/shared/time/clock';
import { teamAuditItems } from '../support/audit';
import { openAndAllocate } from '../support/cases';
import { mainHrefsOf, mainTextOf, type PageWorker, pagesUnderTest } from '../support/pages';

/** Tuesday 10 March 2026, 9am in London (GMT). */
const NOW = '2026-03-10T09:00:00.000Z';

const manager: PageWorker = { userId: 'tm-0001', name: 'Tara Mensah', roles: ['team-manager'], teamId: 'team-north-1' };
const socialWorker: PageWorker = { userId: 'sw-0001', name: 'Sam Okafor', roles: ['social-worker'], teamId: 'team-north-1' };
const southManager: PageWorker = { userId: 'tm-0002', name: 'Kim Lee', roles: ['team-manager'], teamId: 'team-south-2' };
const quietTeam: PageWorker = { userId: 'sw-0003', name: 'Priya Walsh', roles: ['social-worker'], teamId: 'team-quiet' };
const administrator: PageWorker = { userId: 'ad-0001', name: 'Ade Bello', roles: ['administrator'], teamId: 'team-north-1' };

// Opened, and given their first social worker, in an order different from their due order, across teams; the first
// supervision is due a calendar month after the allocation. The unallocated one was announced as CaseOpened v1 was
// first published, without the case's reference, and has no social worker yet: its page names it by the day it opened.
const CASES = [
  {
    caseId: 'case-north-late',
    teamId: 'team-north-1',
    openedAt: '2026-03-02T10:00:00.000Z',
    reference: 'FSP-2026-000404',
    allocatedAt: '2026-03-06T10:00:00.000Z', // due Monday 6 April 2026
  },
  { caseId: 'case-north-early', teamId: 'team-north-1', openedAt: '2026-01-05T15:10:02.000Z', reference: 'FSP-2026-000101' }, // due Thursday 5 February 2026
  { caseId: 'case-south', teamId: 'team-south-2', openedAt: '2026-01-02T10:00:00.000Z', reference: 'FSP-2026-000303' },
  { caseId: 'case-north-middle', teamId: 'team-north-1', openedAt: '2026-02-28T12:00:00.000Z', reference: 'FSP-2026-000202' }, // due Saturday 28 March 2026
  {
    caseId: 'case-north-unallocated',
    teamId: 'team-north-1',
    openedAt: '2026-03-06T10:00:00.000Z',
    reference: undefined,
    allocatedAt: null,
  },
];

let table: TestTable;
let pages: ReturnType<typeof pagesUnderTest>;

beforeAll(async () => {
  const setup = await createTestRuntime('supervision', fixedClock(NOW));
  table = setup.table;
  pages = pagesUnderTest(setup.runtime);
  await openAndAllocate(setup.runtime, CASES);
});
afterAll(async () => {
  await table.drop();
});

describe('GET /supervision', () => {
  it("shows the worker's own team's cases due this month, earliest due first, each linking to its history and its record", async () => {
    const response = await pages.get(manager, '/supervision');
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['content-type']).toMatch(/^text\/html/);
    expect(response.headers?.['cache-control']).toBe('no-store');
    expect(response.body).toContain('<title>Group supervision agenda');
    expect(mainHrefsOf(response.body!)).toEqual([
      '/supervision',
      '/supervision/actions',
      '/supervision/overdue',
      '/supervision/cases/case-north-early',
      '/supervision/cases/case-north-early/supervisions/1',
      '/supervision/cases/case-north-middle',
      '/supervision/cases/case-north-middle/supervisions/1',
      '/supervision?show=all',
    ]);
    const text = mainTextOf(response.body!);
    expect(text).toContain('Cases due group supervision by the end of March 2026, earliest due first.');
    expect(text).toContain(
      'Case FSP-2026-000101 History (Case FSP-2026-000101) Record group supervision 1 (Case FSP-2026-000101) Scheduled for Thursday 5 February 2026 at 10am Due by the end of Overdue Thursday 5 February 2026 (overdue by 23 working days) Last rating Not rated yet Actions 0 open',
    );
    // Saturday 28 March: discussed on the Friday before.
    expect(text).toContain('Scheduled for Friday 27 March 2026 at 10am Due by the end of Saturday 28 March 2026 (due in 13 working days)');
    // Due in April: not this month's, offered behind a link.
    expect(text).not.toContain('FSP-2026-000404');
    expect(text).toContain('Show all scheduled supervisions (1 more due later)');
    // Cases are named by their references, never by their internal ids.
    expect(text).not.toContain('case-');
    expect(text).not.toContain('FSP-2026-000303');
    // Only the overdue one has the red tag.
    expect(response.body!.match(/govuk-tag--red/g)).toHaveLength(1);
    // The Supervision item of the navigation is the current one.
    expect(response.body).toMatch(
      /govuk-service-navigation__item--active">\s*<a class="govuk-service-navigation__link" href="\/supervision" aria-current="true">/,
    );
  });

  it('shows every scheduled supervision when asked, Easter moving the April one to the Thursday before', async () => {
    const text = mainTextOf((await pages.get(manager, '/supervision?show=all')).body!);
    // Good Friday and Easter Monday 2026 are bank holidays, so the discussion is on the Thursday before.
    expect(text).toContain(
      'Case FSP-2026-000404 History (Case FSP-2026-000404) Record group supervision 1 (Case FSP-2026-000404) Scheduled for Thursday 2 April 2026 at 10am Due by the end of Monday 6 April 2026 (due in 17 working days)',
    );
  });

  it('offers a worker who does not chair the record to view, not to record', async () => {
    const text = mainTextOf((await pages.get(socialWorker, '/supervision')).body!);
    expect(text).toContain('View group supervision 1 (Case FSP-2026-000101)');
    expect(text).not.toContain('Record group supervision');
  });

  it("shows another team's worker their own team's agenda only", async () => {
    const text = mainTextOf((await pages.get(southManager, '/supervision')).body!);
    expect(text).toContain('Case FSP-2026-000303 History');
    expect(text).not.toContain('FSP-2026-000101');
    expect(text).not.toContain('case-');
  });

  it('says what happens next when the team has no supervision due', async () => {
    const response = await pages.get(quietTeam, '/supervision');
    expect(response.statusCode).toBe(200);
    expect(mainTextOf(response.body!)).toBe(
      'Agenda Your actions Overdue Group supervision agenda Cases due group supervision by the end of March 2026, earliest due first. No cases are due group supervision this month. A case’s first supervision is scheduled when a social worker is allocated to it, and the next when one is recorded.',
    );
  });
});

describe('GET /supervision/cases/{caseId}', () => {
  it("shows a member of the case's team its supervisions, its rating over time, its actions and consultations", async () => {
    const response = await pages.get(socialWorker, '/supervision/cases/case-north-early');
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['cache-control']).toBe('no-store');
    expect(response.body).toContain('<title>Group supervision of case FSP-2026-000101');
    const text = mainTextOf(response.body!);
    expect(text).toMatch(/^Case FSP-2026-000101 Group supervision /);
    expect(text).not.toContain('case-');
    expect(text).toContain(
      'Group supervision 1 View (Group supervision 1) Status Scheduled When Scheduled for Thursday 5 February 2026 at 10am Due by the end of Overdue Thursday 5 February 2026 (overdue by 23 working days)',
    );
    expect(text).toContain('Rating over time The case has not been rated yet');
    expect(text).toContain('Open actions No open actions. Consultations No consultations recorded.');
    expect(mainHrefsOf(response.body!)).toEqual([
      '/supervision/cases/case-north-early/supervisions/1',
      '/supervision/cases/case-north-early/consultations/new',
      '/supervision',
    ]);
  });

  it('names a case stored without a reference by the day it opened, never by its id, and says its first waits for a social worker', async () => {
    const response = await pages.get(manager, '/supervision/cases/case-north-unallocated');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<title>Group supervision of the case opened on Friday 6 March 2026');
    const text = mainTextOf(response.body!);
    expect(text).toMatch(/^Case opened on Friday 6 March 2026 Group supervision /);
    expect(text).toContain(
      'This case has no group supervision yet. Its first is scheduled within a month of a social worker being allocated to it.',
    );
    expect(text).not.toContain('case-');
  });

  it("tells another team's worker the case has no supervision for them, exactly as for an unknown case", async () => {
    const otherTeams = await pages.get(southManager, '/supervision/cases/case-north-early');
    const unknown = await pages.get(southManager, '/supervision/cases/case-nobody-knows');
    const mangled = await pages.get(southManager, '/supervision/cases/%3Cscript%3E');
    for (const response of [otherTeams, unknown, mangled]) {
      expect(response.statusCode).toBe(404);
      expect(response.headers?.['content-type']).toMatch(/^text\/html/);
      expect(mainTextOf(response.body!)).toBe(
        'There is no supervision of this case for you to see The case may be held by another team, or the link you followed may be wrong. Go to your team’s group supervision agenda',
      );
    }
    expect(otherTeams.body).not.toContain('5 February 2026');
  });
});

describe('who may see the pages', () => {
  it.each(['/supervision', '/supervision/cases/case-north-early'])(
    'refuses %s to an administrator with the no-permission page',
    async (path) => {
      const response = await pages.get(administrator, path);
      expect(response.statusCode).toBe(403);
      expect(response.headers?.['content-type']).toMatch(/^text\/html/);
      expect(response.body).not.toContain('FSP-2026-000101');
    },
  );

  it('sends a browser without a session to sign in, and back to the page', async () => {
    const response = await pages.getSignedOut('/supervision/cases/case-north-early');
    expect(response.statusCode).toBe(303);
    expect(response.headers?.location).toMatch(/^\/signin\?returnTo=%2Fsupervision%2Fcases%2Fcase-north-early/);
  });
});

describe("the team's list pages are audited", () => {
  it.each(['/supervision', '/supervision/actions', '/supervision/overdue'])(
    "%s leaves one READ item in the team's supervision audit partition",
    async (path) => {
      const before = await teamAuditItems(table, manager.teamId);
      const response = await pages.get(manager, path);
      expect(response.statusCode).toBe(200);
      const after = await teamAuditItems(table, manager.teamId);
      const added = after.filter((item) => !before.some((earlier) => earlier.sk === item.sk));
      expect(added).toHaveLength(1);
      expect(added[0]).toMatchObject({ sk: expect.stringMatching(/^READ#/) });
    },
  );
});
