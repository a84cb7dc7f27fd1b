/**
 * The inbox's filters and "Mark all as read" (issue 15 Deliver 7) against DynamoDB Local, through the
 * JSON routes and the pages: unread, urgent and one case's items, alone and together, over more items
 * than a page; an item delivered before the filters (no reference, no seq) judged by its title and
 * covered by "Mark all as read"; a filtered page marking read only the unread items it shows;
 * marking all read once, for this worker only, exactly counted, and an item delivered after it still
 * unread.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { caseAllocatedV1, caseOpenedV1 } from '@fsp/shared/events/definitions/cases';
import { supervisionActionBecameOverdueV1, supervisionBecameOverdueV1 } from '@fsp/shared/events/definitions/supervision';
import { type Mailbox, userMailbox } from '@fsp/shared/inbox/mailbox';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { apiGatewayEvent, problemOf, workerClaims } from '@fsp/shared/testing/api-gateway-event';
import { formsOf, mainLinksOf, mainTextOf } from '@fsp/shared/testing/html';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { fixedClock } from '@fsp/shared/time/clock';
import {
  caseAllocatedNotifications,
  caseOpenedNotifications,
  notificationIdOf,
  supervisionActionBecameOverdueNotifications,
  supervisionBecameOverdueNotifications,
} from '../../src/domain/notification';
import { createInboxStore, mailboxKey } from '../../src/store/inbox-store';
import { notificationsHttpHandler } from '../support/http';
import { type PageWorker, pagesUnderTest } from '../support/page-session';

const NOW = '2026-03-02T10:00:00.000Z';
const worker: PageWorker = { userId: 'sw-0101', name: 'Sam Okafor', roles: ['social-worker'], teamId: 'team-filter' };
const colleague: PageWorker = { userId: 'sw-0102', name: 'Ria Patel', roles: ['social-worker'], teamId: 'team-filter' };
const teammate: PageWorker = { userId: 'sw-0103', name: 'Jo Byrne', roles: ['social-worker'], teamId: 'team-filter' };

const CASE_A = 'FSP-2026-4K7Q2M';
const CASE_B = 'FSP-2026-8H3T6W';

interface Body {
  items: { id: string; kind: string; title: string; read: boolean; urgent: boolean; caseReference: string | null }[];
  unreadCount: number;
  nextCursor: string | null;
}

let runtime: ServiceRuntime;
let drop: () => Promise<void>;
let pages: ReturnType<typeof pagesUnderTest>;
let http: ReturnType<typeof notificationsHttpHandler>;
let store: ReturnType<typeof createInboxStore>;
let legacyId: string;

const minute = (n: number) => new Date(Date.parse('2026-02-02T09:00:00.000Z') + n * 60_000).toISOString();
const fact = (n: number) => ({ eventId: `event-${n}`, occurredAt: minute(n), correlationId: `journey-${n}` });

const api = (who: PageWorker, method: string, path: string) =>
  http(
    apiGatewayEvent({
      method,
      path,
      claims: workerClaims({
        sub: who.userId,
        'cognito:username': who.userId,
        'custom:team': who.teamId,
        'cognito:groups': '[social-worker]',
      }),
    }),
  );
const inbox = async (who: PageWorker, query: string): Promise<Body> => {
  const response = await api(who, 'GET', `/api/inbox${query}`);
  expect(response.statusCode).toBe(200);
  return JSON.parse(response.body ?? '{}') as Body;
};
/** Every item a filter shows, following nextCursor to the end. */
async function allOf(who: PageWorker, filter: string, limit = 5): Promise<Body['items']> {
  const items: Body['items'] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100; pages += 1) {
    const body: Body = await inbox(who, `?limit=${limit}${filter}${cursor ? `&cursor=${cursor}` : ''}`);
    items.push(...body.items);
    cursor = body.nextCursor;
    if (!cursor) return items;
  }
  throw new Error('the inbox never ends');
}

beforeAll(async () => {
  const created = await createTestRuntime('notifications', fixedClock(NOW));
  runtime = created.runtime;
  drop = () => created.table.drop();
  pages = pagesUnderTest(runtime);
  http = notificationsHttpHandler(runtime);
  store = createInboxStore(runtime.documents, runtime.tableName, { conflictBackoffMs: 5 });
  const deliver = async (drafts: { mailbox: Mailbox }[]) => {
    for (const draft of drafts) expect(await store.deliver(draft as never, new Date(NOW))).toBe('delivered');
  };

  // 30 cases opened for the team (not urgent), every third about case A, the rest about case B.
  for (let n = 0; n < 30; n += 1) {
    await deliver(
      caseOpenedNotifications(
        { ...caseOpenedV1.fixtures[0]!, caseId: `case-${n}`, teamId: worker.teamId, reference: n % 3 === 0 ? CASE_A : CASE_B },
        fact(n),
      ),
    );
  }
  // The worker's own: allocated to case A, an overdue action on case A and a supervision overdue on case B (urgent).
  await deliver(
    caseAllocatedNotifications(
      { ...caseAllocatedV1.fixtures[0]!, reference: CASE_A, workerId: worker.userId, teamId: worker.teamId } as never,
      fact(40),
    ),
  );
  await deliver(
    supervisionActionBecameOverdueNotifications(
      { ...supervisionActionBecameOverdueV1.fixtures[0]!, reference: CASE_A, ownerId: worker.userId, teamId: worker.teamId },
      fact(41),
      { managerIds: [] },
    ),
  );
  await deliver(
    supervisionBecameOverdueNotifications(
      { ...supervisionBecameOverdueV1.fixtures[0]!, reference: CASE_B, teamId: worker.teamId },
      fact(42),
      [worker.userId],
    ),
  );
  // An item delivered before the filters existed: no reference, no seq, its case only in its title.
  legacyId = notificationIdOf(fact(50), userMailbox(worker.userId), 'inbox');
  await runtime.documents.send(
    new PutCommand({
      TableName: runtime.tableName,
      Item: {
        pk: mailboxKey(userMailbox(worker.userId)),
        sk: `ITEM#${legacyId}`,
        type: 'InboxItem',
        notificationId: legacyId,
        mailbox: userMailbox(worker.userId),
        channel: 'inbox',
        kind: 'supervision-action-overdue',
        title: `Your action from group supervision of case ${CASE_A} is overdue — it was due Tuesday 17 February 2026`,
        link: '/supervision/actions',
        createdAt: minute(50),
        sourceEventId: 'event-50',
        correlationId: 'journey-50',
        deliveredAt: minute(50),
      },
    }),
  );
  // ...and counted, as its delivery counted it then.
  await runtime.documents.send(
    new PutCommand({
      TableName: runtime.tableName,
      Item: { pk: mailboxKey(userMailbox(worker.userId)), sk: 'COUNTER', type: 'MailboxCounter', deliveredCount: 4 },
    }),
  );
}, 120_000);
afterAll(() => drop());

describe('the inbox’s filters, as JSON', () => {
  it('with none: all 34 items, each saying whether it is urgent and which case it is about', async () => {
    const all = await allOf(worker, '');
    expect(all).toHaveLength(34);
    expect(all[0]).toMatchObject({ id: legacyId, urgent: true, caseReference: CASE_A, read: false });
    expect(all.filter((item) => item.urgent)).toHaveLength(3);
  });

  it('urgent: the overdue action, the overdue supervision and the item from before, newest first', async () => {
    const urgent = await allOf(worker, '&urgent=yes', 2);
    expect(urgent.map((item) => item.kind)).toEqual(['supervision-action-overdue', 'supervision-overdue', 'supervision-action-overdue']);
  });

  it('by case, typed in any case: only that case’s items, the one from before found by its title', async () => {
    const caseA = await allOf(worker, `&case=${CASE_A.toLowerCase()}`, 3);
    expect(caseA).toHaveLength(13);
    expect(caseA.every((item) => item.caseReference === CASE_A)).toBe(true);
    expect(caseA.map((item) => item.id)).toContain(legacyId);
    const both = await allOf(worker, `&case=${CASE_B}&urgent=yes`);
    expect(both.map((item) => item.kind)).toEqual(['supervision-overdue']);
  });

  it('unread: once two are read, neither is listed; and a colleague’s reading changes nothing for this worker', async () => {
    const [first, second] = await allOf(worker, `&case=${CASE_B}`, 20);
    for (const item of [first!, second!]) expect((await api(worker, 'POST', `/api/inbox/${item.id}/read`)).statusCode).toBe(204);
    const unread = await allOf(worker, `&unread=yes&case=${CASE_B}`, 4);
    expect(unread).toHaveLength(21 - 2);
    expect(unread.map((item) => item.id)).not.toContain(first!.id);
    expect(await allOf(colleague, `&unread=yes&case=${CASE_B}`)).toHaveLength(20);
  });

  it('refuses a case that is not a reference, or a filter that is not yes, naming the field', async () => {
    const badCase = await api(worker, 'GET', '/api/inbox?case=Jones');
    expect(badCase.statusCode).toBe(400);
    expect(JSON.stringify(problemOf(badCase))).toContain('case');
    const badUnread = await api(worker, 'GET', '/api/inbox?unread=true');
    expect(badUnread.statusCode).toBe(400);
    expect(JSON.stringify(problemOf(badUnread))).toContain('unread');
  });
});

describe('the inbox’s filters, as a page', () => {
  it('a GET form that works without JavaScript; the filtered list says what it shows and pages with its filters', async () => {
    const response = await pages.get(worker, `/inbox?urgent=yes`);
    expect(response.statusCode).toBe(200);
    const html = response.body ?? '';
    const filterForm = formsOf(html).find((form) => form.action === '/inbox');
    expect(filterForm).toBeDefined();
    expect(html).toMatch(/<form method="get" action="\/inbox"/);
    expect(mainTextOf(html)).toContain('Showing only urgent items.');
    expect(html).toMatch(/name="urgent"[^>]*value="yes"[^>]*checked/);
    expect(mainLinksOf(html).filter((link) => link.href.startsWith('/supervision/'))).toHaveLength(3);
    expect(mainLinksOf(html)).toContainEqual({ href: '/inbox', text: 'Clear filters' });

    const caseB = await pages.get(worker, `/inbox?case=${CASE_B}`);
    const next = mainLinksOf(caseB.body ?? '').find((link) => link.text.includes('Older items'));
    expect(next?.href).toMatch(new RegExp(`^/inbox\\?case=${CASE_B}&cursor=`));
  });

  it('a mistyped case reference is told on its field, keeping what was typed, and the list is not narrowed by it', async () => {
    const response = await pages.get(worker, '/inbox?case=Jones%20family');
    expect(response.statusCode).toBe(200);
    const html = response.body ?? '';
    expect(html).toContain('<title>Error: Inbox');
    expect(mainTextOf(html)).toContain('There is a problem');
    expect(mainLinksOf(html)).toContainEqual({ href: '#case', text: 'Enter a case reference in the format FSP-2026-7K3M2N' });
    expect(html).toMatch(/id="case"[^>]*value="Jones family"/);
    expect(mainLinksOf(html).filter((link) => /^\/(cases|supervision)\//.test(link.href))).toHaveLength(20);
  });

  it('says when nothing matches', async () => {
    const html = (await pages.get(colleague, '/inbox?urgent=yes')).body ?? '';
    expect(mainTextOf(html)).toContain('No items match these filters.');
  });
});

describe('marking read from a filtered page', () => {
  const unreadIds = async (who: PageWorker, filter: string) =>
    (await allOf(who, filter, 20)).filter((item) => !item.read).map((item) => item.id);

  it('marks only the unread items the page shows, never those the filter hides; once, and back to the same filters', async () => {
    expect((await inbox(worker, '?limit=1')).unreadCount).toBe(32);
    const html = (await pages.get(worker, '/inbox?urgent=yes')).body ?? '';
    // No "Mark all as read" on a filtered page: it would mark the 30 items the filter hides, unseen.
    expect(formsOf(html).some((form) => form.action === '/inbox/read-all')).toBe(false);
    const form = formsOf(html).find((candidate) => candidate.action === '/inbox/read-shown')!;
    // Of the 3 urgent items, the overdue supervision was read above.
    const urgent = await unreadIds(worker, '&urgent=yes');
    expect(urgent).toHaveLength(2);
    expect(mainTextOf(html)).toContain('Mark these 2 unread items as read');
    expect(form.fields).toMatchObject({ urgent: 'yes' });
    expect(form.fields.csrfToken).toBeTruthy();
    expect([...form.lists.ids!].sort()).toEqual([...urgent].sort());

    const forged = await pages.post(worker, form.action, { ...form.fields, csrfToken: 'forged' });
    expect(forged.statusCode).toBe(403);
    expect((await inbox(worker, '?limit=1')).unreadCount).toBe(32);

    const posted = await pages.post(worker, form.action, { ...form.fields, ids: form.lists.ids! });
    expect(posted.statusCode).toBe(303);
    expect(posted.headers?.location).toBe('/inbox?urgent=yes');
    expect((await inbox(worker, '?limit=1')).unreadCount).toBe(30);
    expect(await unreadIds(worker, '&urgent=yes')).toEqual([]);
    expect(await unreadIds(worker, '')).toHaveLength(30);
    // Nothing unread is shown, so nothing is offered.
    const after = formsOf((await pages.get(worker, '/inbox?urgent=yes')).body ?? '');
    expect(after.some((candidate) => candidate.action.startsWith('/inbox/read-'))).toBe(false);

    // The same form again (a second tab, a double submit): nothing is counted twice.
    expect((await pages.post(worker, form.action, { ...form.fields, ids: form.lists.ids! })).statusCode).toBe(303);
    expect((await inbox(worker, '?limit=1')).unreadCount).toBe(30);
  });

  it('over more than a page: the first page’s items only; the older page keeps its unread item', async () => {
    const before = (await inbox(worker, '?limit=1')).unreadCount;
    const allCaseB = await unreadIds(worker, `&case=${CASE_B}`);
    const html = (await pages.get(worker, `/inbox?case=${CASE_B}`)).body ?? '';
    const form = formsOf(html).find((candidate) => candidate.action === '/inbox/read-shown')!;
    const shown = form.lists.ids!;
    expect(shown.length).toBeGreaterThan(1);
    expect(shown.length).toBeLessThan(allCaseB.length);
    expect((await pages.post(worker, form.action, { ...form.fields, ids: shown })).statusCode).toBe(303);
    expect((await inbox(worker, '?limit=1')).unreadCount).toBe(before - shown.length);
    expect(await unreadIds(worker, `&case=${CASE_B}`)).toEqual(allCaseB.filter((id) => !shown.includes(id)));
  });

  it('another worker’s items, posted by a colleague, are not theirs to mark: nothing moves for either', async () => {
    const mine = await unreadIds(worker, '');
    const own = (await allOf(worker, '', 20)).filter((item) => !item.read && item.kind === 'case-allocated').map((item) => item.id);
    expect(own).toHaveLength(1);
    const colleagueBefore = (await inbox(colleague, '?limit=1')).unreadCount;
    const html = (await pages.get(colleague, '/inbox?unread=yes')).body ?? '';
    const form = formsOf(html).find((candidate) => candidate.action === '/inbox/read-shown')!;
    expect((await pages.post(colleague, form.action, { ...form.fields, ids: own })).statusCode).toBe(303);
    expect(await unreadIds(worker, '')).toEqual(mine);
    expect((await inbox(colleague, '?limit=1')).unreadCount).toBe(colleagueBefore);
  });

  it('at once with another tab and a single “Mark as read”: each item is counted once', async () => {
    const before = (await inbox(teammate, '?limit=1')).unreadCount;
    const html = (await pages.get(teammate, `/inbox?case=${CASE_A}`)).body ?? '';
    const form = formsOf(html).find((candidate) => candidate.action === '/inbox/read-shown')!;
    const ids = form.lists.ids!;
    expect(ids.length).toBeGreaterThanOrEqual(4);
    const responses = await Promise.all([
      pages.post(teammate, form.action, { ...form.fields, ids }),
      pages.post(teammate, form.action, { ...form.fields, ids: ids.slice(1) }),
      api(teammate, 'POST', `/api/inbox/${ids[0]}/read`),
    ]);
    expect(responses.map((response) => response.statusCode)).toEqual([303, 303, 204]);
    expect((await inbox(teammate, '?limit=1')).unreadCount).toBe(before - ids.length);
    expect(await unreadIds(teammate, `&case=${CASE_A}`)).toEqual([]);
  });

  it('refuses an id that is not an inbox item’s, or too many, and marks nothing', async () => {
    const before = (await inbox(worker, '?limit=1')).unreadCount;
    const html = (await pages.get(worker, '/inbox?unread=yes')).body ?? '';
    const form = formsOf(html).find((candidate) => candidate.action === '/inbox/read-shown')!;
    const ids = form.lists.ids!;
    const mangled = await pages.post(worker, form.action, { ...form.fields, ids: [...ids, '../../etc'] });
    expect(mangled.statusCode).toBe(400);
    const tooMany = await pages.post(worker, form.action, {
      ...form.fields,
      ids: Array.from({ length: 33 }, (_, n) => `${ids[0]!.slice(0, -2)}${String(n).padStart(2, '0')}`),
    });
    expect(tooMany.statusCode).toBe(400);
    expect((await inbox(worker, '?limit=1')).unreadCount).toBe(before);
  });
});

describe('Mark all as read', () => {
  it('from the unfiltered page: one POST with the CSRF token, back to the inbox; every item read, the count 0, once', async () => {
    const before = await inbox(worker, '?limit=1');
    expect(before.unreadCount).toBeGreaterThan(0);
    const html = (await pages.get(worker, '/inbox')).body ?? '';
    expect(formsOf(html).some((candidate) => candidate.action === '/inbox/read-shown')).toBe(false);
    const form = formsOf(html).find((candidate) => candidate.action === '/inbox/read-all')!;
    expect(form.fields.csrfToken).toBeTruthy();

    const forged = await pages.post(worker, form.action, { ...form.fields, csrfToken: 'forged' });
    expect(forged.statusCode).toBe(403);
    expect((await inbox(worker, '?limit=1')).unreadCount).toBe(before.unreadCount);

    const posted = await pages.post(worker, form.action, form.fields);
    expect(posted.statusCode).toBe(303);
    expect(posted.headers?.location).toBe('/inbox');
    expect((await inbox(worker, '?limit=1')).unreadCount).toBe(0);
    expect(await allOf(worker, '&unread=yes')).toEqual([]);
    // The item from before (no seq) is read too, and no button is offered any more.
    expect((await allOf(worker, '')).every((item) => item.read)).toBe(true);
    expect(formsOf((await pages.get(worker, '/inbox')).body ?? '').some((f) => f.action === '/inbox/read-all')).toBe(false);

    // Again, and one of its items marked read on its own: nothing moves.
    expect(JSON.parse((await api(worker, 'POST', '/api/inbox/read-all')).body ?? '{}')).toEqual({ marked: 0 });
    expect((await api(worker, 'POST', `/api/inbox/${legacyId}/read`)).statusCode).toBe(204);
    expect((await inbox(worker, '?limit=1')).unreadCount).toBe(0);
  });

  it('for this worker only: their colleague’s team items stay unread', async () => {
    expect((await inbox(colleague, '?limit=1')).unreadCount).toBe(30);
  });

  it('an item delivered after it is unread, and counted', async () => {
    const [late] = caseOpenedNotifications(
      { ...caseOpenedV1.fixtures[0]!, caseId: 'case-late', teamId: worker.teamId, reference: CASE_A },
      fact(60),
    );
    expect(await store.deliver(late!, new Date(NOW))).toBe('delivered');
    const body = await inbox(worker, '?limit=3');
    expect(body.unreadCount).toBe(1);
    expect(body.items[0]).toMatchObject({ id: late!.notificationId, read: false });
    expect(body.items.slice(1).every((item) => item.read)).toBe(true);
  });

  it('as JSON, counts what it marked; concurrent calls mark each item once', async () => {
    const responses = await Promise.all([1, 2, 3].map(() => api(colleague, 'POST', '/api/inbox/read-all')));
    expect(responses.map((response) => response.statusCode)).toEqual([200, 200, 200]);
    const marked = responses.map((response) => (JSON.parse(response.body ?? '{}') as { marked: number }).marked);
    expect(marked.reduce((sum, n) => sum + n, 0)).toBe(31);
    expect((await inbox(colleague, '?limit=1')).unreadCount).toBe(0);
  });
});
