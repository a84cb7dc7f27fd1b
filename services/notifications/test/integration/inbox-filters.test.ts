/**
 * The inbox's filters and "Mark all as read" (issue 15 Deliver 7) against DynamoDB Local, through the
 * JSON routes and the pages: unread, urgent and one case's items, alone and together, over more items
 * than a page; an item delivered before the filters (no reference, no seq) judged by its title and
 * covered by "Mark all as read"; marking all read once, for this worker only, exactly counted, and
 * an item delivered after it still unread.
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

describe('Mark all as read', () => {
  it('from the page: one POST with the CSRF token, back to the filtered inbox; every item read, the count 0, once', async () => {
    const before = await inbox(worker, '?limit=1');
    expect(before.unreadCount).toBe(34 - 2);
    const html = (await pages.get(worker, '/inbox?urgent=yes')).body ?? '';
    const form = formsOf(html).find((candidate) => candidate.action === '/inbox/read-all')!;
    expect(form.fields).toMatchObject({ urgent: 'yes' });
    expect(form.fields.csrfToken).toBeTruthy();

    const forged = await pages.post(worker, form.action, { ...form.fields, csrfToken: 'forged' });
    expect(forged.statusCode).toBe(403);
    expect((await inbox(worker, '?limit=1')).unreadCount).toBe(32);

    const posted = await pages.post(worker, form.action, form.fields);
    expect(posted.statusCode).toBe(303);
    expect(posted.headers?.location).toBe('/inbox?urgent=yes');
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
