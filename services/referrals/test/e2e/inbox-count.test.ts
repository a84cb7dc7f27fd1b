/**
 * The Inbox count on another service's page, end to end against the whole local cloud (ADR 0013):
 * a partner's referral reaches notifications, which delivers an inbox item to the front door and
 * publishes InboxItemDelivered through its outbox; the relay and the bus bring it to referrals'
 * inbox-changed queue, whose consumer keeps the count in referrals' table; GET /front-door then
 * shows "Inbox" with 1 unread. Marked read on notifications' /inbox page (a form post with the
 * session's CSRF token), InboxItemRead takes the same way and the badge goes. Waits by asking for
 * the page again, never by sleeping a fixed time.
 */
import { randomUUID } from 'node:crypto';
import { partnerToken } from '@fsp/infra/local/demo-tokens';
import { type LocalCloud, startLocalCloud } from '@fsp/infra/local/local-cloud';
import { loadServiceManifests } from '@fsp/infra/local/manifests';
import { newSession } from '@fsp/shared/http/session';
import { testDynamoEndpoint } from '@fsp/shared/testing/dynamodb';
import { formsOf, mainLinksOf } from '@fsp/shared/testing/html';
import { inboxBadgeOf, inboxItemTextOf } from '@fsp/shared/testing/inbox';
import { type PageWorker, sealedSessionCookie } from '@fsp/shared/testing/pages';
import { schoolReferral } from '../support/fixtures';

jest.setTimeout(300_000);

let cloud: LocalCloud;

/** A front door worker nobody else's tests sign in as, so that only this test reads their inbox. */
const worker: PageWorker = {
  userId: `e2e-inbox-${randomUUID().slice(0, 8)}`,
  name: 'Ivy Reader',
  roles: ['front-door'],
  teamId: 'front-door',
};
const session = newSession(
  { userId: worker.userId, username: worker.userId, name: worker.name, roles: [...worker.roles], teamId: worker.teamId },
  new Date(),
);
const cookie = () => sealedSessionCookie(cloud.sessionKeys, worker, new Date(), session);

async function page(path: string): Promise<{ status: number; html: string }> {
  const response = await fetch(`${cloud.url}${path}`, { headers: { cookie: cookie(), accept: 'text/html' }, redirect: 'manual' });
  return { status: response.status, html: await response.text() };
}

/** Events go through the outbox, the relay, the bus and queues: on a busy machine, seconds each. */
async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

beforeAll(async () => {
  cloud = await startLocalCloud({
    manifests: await loadServiceManifests(),
    dynamoEndpoint: testDynamoEndpoint(),
    tablePrefix: `inbox${Date.now().toString(36)}-`,
    functionLogLevel: 'WARN',
    log: process.env.FSP_TEST_VERBOSE ? (line) => process.stderr.write(`${line}\n`) : () => {},
  });
});
afterAll(async () => {
  await cloud?.stop();
});

it('shows a new referral’s inbox item as 1 unread on the front door’s queue, and no badge once it is read', async () => {
  const submitted = await fetch(`${cloud.url}/v1/referrals`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${await partnerToken(cloud)}`,
      'content-type': 'application/json',
      'idempotency-key': randomUUID(),
    },
    body: JSON.stringify(schoolReferral()),
  });
  expect(submitted.status).toBe(201);
  const { id } = (await submitted.json()) as { id: string };

  // Referrals' own page, from referrals' own table: the count it heard from notifications.
  const queue = await until('the Inbox count on the front door’s queue', async () => {
    const shown = await page('/front-door');
    expect(shown.status).toBe(200);
    return inboxBadgeOf(shown.html) === undefined ? undefined : shown;
  });
  expect(inboxItemTextOf(queue.html)).toBe('Inbox 1 (1 unread)');
  expect(inboxBadgeOf((await page(`/front-door/referrals/${id}`)).html)).toBe(1);

  // Notifications' inbox: the item, and the form that marks it read.
  const inbox = await page('/inbox');
  expect(inbox.status).toBe(200);
  expect(inboxBadgeOf(inbox.html)).toBe(1);
  expect(mainLinksOf(inbox.html).some((link) => link.href === `/front-door/referrals/${id}`)).toBe(true);
  const markRead = formsOf(inbox.html).find((form) => /^\/inbox\/[^/]+\/read$/.test(form.action));
  if (!markRead) throw new Error('the inbox offers no form to mark the item read');
  const read = await fetch(`${cloud.url}${markRead.action}`, {
    method: 'POST',
    headers: { cookie: cookie(), origin: cloud.url, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(markRead.fields).toString(),
    redirect: 'manual',
  });
  expect(read.status).toBe(303);
  expect(inboxBadgeOf((await page('/inbox')).html)).toBeUndefined();

  const after = await until('the front door’s queue without the badge', async () => {
    const shown = await page('/front-door');
    return inboxBadgeOf(shown.html) === undefined ? shown : undefined;
  });
  expect(inboxItemTextOf(after.html)).toBe('Inbox');
});
