/**
 * The inbox over HTTP as a worker uses it: two workers of one team, one of another team, items in
 * the team's mailbox and in one worker's own mailbox.
 */
import { caseOpenedV1 } from '@fsp/shared/events/definitions/cases';
import { supervisionScheduledV1 } from '@fsp/shared/events/definitions/supervision';
import { userMailbox } from '@fsp/shared/inbox/mailbox';
import { ROLES } from '@fsp/shared/people';
import { apiGatewayEvent, problemOf, workerClaims } from '@fsp/shared/testing/api-gateway-event';
import { lambdaContext, sqsEventOf } from '@fsp/shared/testing/events';
import { notificationIdOf } from '../../src/domain/notification';
import { factOf } from '../support/facts';
import { asWorker, bodyOf, notificationsUnderTest, type Worker } from '../support/notifications';

const alice: Worker = { userId: 'alice-0001', teamId: 'team-north-1' };
const bob: Worker = { userId: 'bob-0002', teamId: 'team-north-1' };
const carol: Worker = { userId: 'carol-0003', teamId: 'team-south-2' };

interface InboxItemBody {
  id: string;
  kind: string;
  title: string;
  link: string;
  createdAt: string;
  read: boolean;
}
interface InboxBody {
  items: InboxItemBody[];
  unreadCount: number;
  nextCursor: string | null;
}

let env: Awaited<ReturnType<typeof notificationsUnderTest>>;
/** Newest first, as the inbox must list them. */
const northIds: string[] = [];
let aliceOwnId: string;
let southId: string;

const get = (worker: Worker, path: string) => env.http(asWorker(worker, 'GET', path));
const markRead = (worker: Worker, id: string) => env.http(asWorker(worker, 'POST', `/api/inbox/${id}/read`));
const unreadCountOf = async (worker: Worker) => bodyOf<{ unreadCount: number }>(await get(worker, '/api/inbox/unread-count')).unreadCount;

async function wholeInbox(worker: Worker, limit: number): Promise<{ items: InboxItemBody[]; pages: number; unreadCounts: number[] }> {
  const items: InboxItemBody[] = [];
  const unreadCounts: number[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const response = await get(worker, `/api/inbox?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(response.statusCode).toBe(200);
    const body = bodyOf<InboxBody>(response);
    expect(body.items.length).toBeLessThanOrEqual(limit);
    items.push(...body.items);
    unreadCounts.push(body.unreadCount);
    cursor = body.nextCursor;
    pages += 1;
    if (pages > 50) throw new Error('the inbox never ends');
  } while (cursor);
  return { items, pages, unreadCounts };
}

beforeAll(async () => {
  env = await notificationsUnderTest();
  // Five facts for the north team a minute apart, alternating kinds, and one for the south team.
  const facts = [0, 1, 2, 3, 4].map((minute) => {
    const occurredAt = `2026-01-05T10:0${minute}:00.000Z`;
    return minute % 2 === 0
      ? { kind: 'case', fact: factOf(caseOpenedV1, { ...caseOpenedV1.fixtures[0]!, caseId: `case-${minute}` }, occurredAt) }
      : {
          kind: 'supervision',
          fact: factOf(supervisionScheduledV1, { ...supervisionScheduledV1.fixtures[0]!, caseId: `case-${minute}` }, occurredAt),
        };
  });
  for (const { kind, fact } of facts) {
    const consumer = kind === 'case' ? env.consumers.caseOpened : env.consumers.supervisionScheduled;
    expect((await consumer(sqsEventOf(fact), lambdaContext)).batchItemFailures).toEqual([]);
  }
  const south = factOf(
    caseOpenedV1,
    { ...caseOpenedV1.fixtures[0]!, teamId: carol.teamId, caseId: 'case-south' },
    '2026-01-05T10:10:00.000Z',
  );
  expect((await env.consumers.caseOpened(sqsEventOf(south), lambdaContext)).batchItemFailures).toEqual([]);
  southId = notificationIdOf(south.detail.metadata, 'team:team-south-2', 'inbox');

  // A personal item for Alice, between the team's items in time (no consumer addresses people yet).
  const personal = {
    eventId: '0d9e4b1a-2c3f-4a5b-8c7d-6e5f4a3b2c1d',
    occurredAt: '2026-01-05T10:02:30.000Z',
    correlationId: 'corr-personal',
  };
  aliceOwnId = notificationIdOf(personal, userMailbox(alice.userId), 'inbox');
  await env.store.deliver(
    {
      notificationId: aliceOwnId,
      mailbox: userMailbox(alice.userId),
      channel: 'inbox',
      kind: 'case-opened',
      title: 'You have been allocated a case',
      link: '/cases/case-2',
      createdAt: personal.occurredAt,
      sourceEventId: personal.eventId,
      correlationId: personal.correlationId,
    },
    new Date(),
  );

  const north = facts.map(({ fact }) => notificationIdOf(fact.detail.metadata, 'team:team-north-1', 'inbox'));
  northIds.push(...north.reverse());
});
afterAll(async () => {
  await env.table.drop();
});

describe('GET /api/inbox', () => {
  it('lists the worker’s own and team items, newest first, with the unread count', async () => {
    const response = await get(alice, '/api/inbox');
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['cache-control']).toBe('private, no-store');
    const body = bodyOf<InboxBody>(response);
    expect(body.items.map((item) => item.id)).toEqual([northIds[0], northIds[1], aliceOwnId, northIds[2], northIds[3], northIds[4]]);
    expect(body.items[0]).toEqual({
      id: northIds[0],
      kind: 'case-opened',
      title: 'Case opened from referral — allocate a social worker',
      link: '/cases/case-4',
      createdAt: '2026-01-05T10:04:00.000Z',
      read: false,
      urgent: false,
      caseReference: 'FSP-2026-000123',
    });
    expect(body.unreadCount).toBe(6);
    expect(body.nextCursor).toBeNull();
  });

  it.each([1, 2, 4, 5, 6])('pages through everything exactly once with limit=%i', async (limit) => {
    const all = await wholeInbox(alice, limit);
    expect(all.items.map((item) => item.id)).toEqual([northIds[0], northIds[1], aliceOwnId, northIds[2], northIds[3], northIds[4]]);
    expect(all.pages).toBe(Math.ceil(6 / limit));
  });

  it('shows a worker of another team none of them', async () => {
    const body = bodyOf<InboxBody>(await get(carol, '/api/inbox'));
    expect(body.items.map((item) => item.id)).toEqual([southId]);
    expect(body.unreadCount).toBe(1);
  });

  it.each([
    [
      'a tampered cursor',
      'cursor=eyJ2IjoxLCJ1c2VyIjp7ImFmdGVyIjpudWxsLCJkb25lIjpmYWxzZX0sInRlYW0iOnsiYWZ0ZXIiOm51bGwsImRvbmUiOmZhbHNlfX0x',
      '$.cursor',
    ],
    ['a cursor that is not base64', 'cursor=%7B%22v%22%3A1%7D', '$.cursor'],
    ['a limit of 0', 'limit=0', '$.limit'],
    ['a limit over 100', 'limit=101', '$.limit'],
    ['a limit that is not a number', 'limit=ten', '$.limit'],
  ])('answers 400 naming the field for %s', async (_, query, path) => {
    const response = await get(alice, `/api/inbox?${query}`);
    expect(response.statusCode).toBe(400);
    expect(problemOf(response).errors).toEqual([expect.objectContaining({ in: 'query', path })]);
  });

  it('answers 400 for a cursor altered by one character', async () => {
    const first = bodyOf<InboxBody>(await get(alice, '/api/inbox?limit=2'));
    const cursor = first.nextCursor!;
    const altered = `${cursor.slice(0, 10)}${cursor[10] === 'A' ? 'B' : 'A'}${cursor.slice(11)}`;
    const response = await get(alice, `/api/inbox?limit=2&cursor=${altered}`);
    expect(response.statusCode).toBe(400);
    expect(problemOf(response).errors?.[0]).toMatchObject({ in: 'query', path: '$.cursor' });
  });

  it('answers 401 without a signed-in worker', async () => {
    expect((await env.http(apiGatewayEvent({ method: 'GET', path: '/api/inbox' }))).statusCode).toBe(401);
  });

  it('is open to every role, and refuses with 403 a signed-in account that has no platform role', async () => {
    for (const role of ROLES) {
      const response = await env.http(
        apiGatewayEvent({ path: '/api/inbox', claims: workerClaims({ 'cognito:groups': `[${role}]`, 'custom:team': 'team-north-1' }) }),
      );
      expect({ role, status: response.statusCode }).toEqual({ role, status: 200 });
    }
    for (const groups of ['[]', '[federated-staff]']) {
      const response = await env.http(
        apiGatewayEvent({
          path: '/api/inbox/unread-count',
          claims: workerClaims({ 'cognito:groups': groups, 'custom:team': 'team-north-1' }),
        }),
      );
      expect(response.statusCode).toBe(403);
    }
  });
});

describe('read state is per person', () => {
  it('one worker marking a team item read leaves it unread for a colleague', async () => {
    const before = { alice: await unreadCountOf(alice), bob: await unreadCountOf(bob) };
    expect(before).toEqual({ alice: 6, bob: 5 });

    const response = await markRead(alice, northIds[1]!);
    expect(response.statusCode).toBe(204);

    const aliceInbox = bodyOf<InboxBody>(await get(alice, '/api/inbox'));
    const bobInbox = bodyOf<InboxBody>(await get(bob, '/api/inbox'));
    expect(aliceInbox.items.find((item) => item.id === northIds[1])?.read).toBe(true);
    expect(bobInbox.items.find((item) => item.id === northIds[1])?.read).toBe(false);
    expect(aliceInbox.unreadCount).toBe(5);
    expect(bobInbox.unreadCount).toBe(5);
    expect(await unreadCountOf(alice)).toBe(5);
    expect(await unreadCountOf(bob)).toBe(5);
  });

  it('marking read again, in sequence or all at once, answers 204 and counts once', async () => {
    expect((await markRead(alice, northIds[1]!)).statusCode).toBe(204);
    const concurrent = await Promise.all(Array.from({ length: 5 }, () => markRead(bob, northIds[3]!)));
    expect(concurrent.map((response) => response.statusCode)).toEqual([204, 204, 204, 204, 204]);
    expect(await unreadCountOf(alice)).toBe(5);
    expect(await unreadCountOf(bob)).toBe(4);
  });

  it('marks the worker’s own items read too', async () => {
    expect((await markRead(alice, aliceOwnId)).statusCode).toBe(204);
    expect(await unreadCountOf(alice)).toBe(4);
  });

  it('the unread count always matches the items listed as unread', async () => {
    for (const worker of [alice, bob, carol]) {
      const all = await wholeInbox(worker, 2);
      const unreadListed = all.items.filter((item) => !item.read).length;
      expect(await unreadCountOf(worker)).toBe(unreadListed);
      expect(new Set(all.unreadCounts)).toEqual(new Set([unreadListed]));
    }
  });
});

describe('POST /api/inbox/{notificationId}/read outside the worker’s mailboxes', () => {
  it('answers 404 for another team’s item, and changes nothing', async () => {
    const response = await markRead(carol, northIds[0]!);
    expect(response.statusCode).toBe(404);
    expect(await unreadCountOf(carol)).toBe(1);
    expect((await markRead(alice, southId)).statusCode).toBe(404);
  });

  it('answers 404 for a colleague’s personal item', async () => {
    expect((await markRead(bob, aliceOwnId)).statusCode).toBe(404);
  });

  it('answers 404 for an id that was never delivered, and 400 for one that cannot be an id', async () => {
    expect((await markRead(alice, '20260105T100000000Z-00000000000000000000000000000000')).statusCode).toBe(404);
    const malformed = await markRead(alice, 'not-an-id');
    expect(malformed.statusCode).toBe(400);
    expect(problemOf(malformed).errors?.[0]).toMatchObject({ in: 'path', path: '$.notificationId' });
  });
});
