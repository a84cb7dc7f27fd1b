/**
 * The Inbox count on referrals' pages, the front door's and the administrators' (WEB.md: every
 * page's navigation shows "Inbox" with the worker's unread count; ADR 0013): notifications' counter
 * events kept by this service's inbox-changed consumer in its own table, read in the same round as
 * each page's own reads, through the real handlers with a sealed session against DynamoDB Local.
 */
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { createInboxChangedConsumer } from '@fsp/shared/inbox/consumer';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import type { TestTable } from '@fsp/shared/testing/dynamodb';
import { type DeliverableEvent, deliverUntilAccepted } from '@fsp/shared/testing/events';
import { mainTextOf } from '@fsp/shared/testing/html';
import { inboxBadgeOf, inboxDelivered, inboxItemTextOf, inboxRead } from '@fsp/shared/testing/inbox';
import { countingRounds } from '@fsp/shared/testing/read-rounds';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { fixedClock } from '@fsp/shared/time/clock';
import { createCognitoIdentityProvider } from '../../src/adapters/identity-provider';
import { ADMINISTRATOR, adminPagesUnderTest } from '../support/admin-pages';
import { pagesFor, signedIn } from '../support/pages';
import { receive } from '../support/referrals';

/** Monday 23 November 2026. */
const NOW = '2026-11-23T09:15:00Z';

let table: TestTable;
let runtime: ServiceRuntime;
let rounds: ReturnType<typeof countingRounds>;
let referralId: string;

const priya = signedIn({ userId: 'priya-sub', name: 'Priya Shah' });
const tom = signedIn({ userId: 'tom-sub', name: 'Tom Reid' });

const hear = (...events: DeliverableEvent[]) => deliverUntilAccepted(createInboxChangedConsumer(runtime), events);

beforeAll(async () => {
  ({ table, runtime } = await createTestRuntime('referrals', fixedClock(NOW)));
  referralId = (await receive(runtime)).referralId;
  rounds = countingRounds(runtime.documents);
});
afterAll(async () => {
  await table.drop();
});

const frontDoorPage = async (path: string, as = priya) => {
  rounds.take();
  const response = await pagesFor({ ...runtime, documents: rounds.documents }).get(path, as);
  return { status: response.statusCode, html: response.body ?? '', rounds: rounds.take() };
};

describe('the Inbox item on the front door’s pages', () => {
  it('shows no count before notifications has told this service of any item', async () => {
    expect(inboxItemTextOf((await frontDoorPage('/front-door')).html)).toBe('Inbox');
  });

  it('shows the worker’s unread items, read with the page’s own data, on the queue, a referral and its forms', async () => {
    await hear(
      inboxDelivered('team:front-door', 1),
      inboxDelivered('team:front-door', 3),
      inboxRead('priya-sub', 'team:front-door', 1),
      inboxDelivered('user:priya-sub', 2),
      inboxDelivered('team:front-door', 2),
    );

    const queue = await frontDoorPage('/front-door');
    expect(queue.status).toBe(200);
    expect(inboxItemTextOf(queue.html)).toBe('Inbox 4 (4 unread)');
    expect(queue.rounds).toBe(1);

    const referral = await frontDoorPage(`/front-door/referrals/${referralId}`);
    expect(referral.status).toBe(200);
    expect(inboxBadgeOf(referral.html)).toBe(4);
    // The read recorded, the referral and the count at once (a first referral of its family: no earlier ones to read after).
    expect(referral.rounds).toBe(1);

    for (const form of ['screening', 'decision']) {
      const page = await frontDoorPage(`/front-door/referrals/${referralId}/${form}`);
      expect({ form, status: page.status, badge: inboxBadgeOf(page.html) }).toEqual({ form, status: 200, badge: 4 });
    }

    // Read state is each worker's own: Tom has read nothing.
    expect(inboxBadgeOf((await frontDoorPage('/front-door', tom)).html)).toBe(3);
  });

  it('loses the badge when the worker has read everything', async () => {
    await hear(inboxRead('priya-sub', 'team:front-door', 3), inboxRead('priya-sub', 'user:priya-sub', 2));
    expect(inboxItemTextOf((await frontDoorPage('/front-door')).html)).toBe('Inbox');
  });
});

describe('the Inbox item on the administrators’ pages', () => {
  // These pages read only this service's table; the identity provider is the real adapter, never called by them.
  const identity = createCognitoIdentityProvider({
    userPoolId: 'eu-west-2_fsplocal',
    client: new CognitoIdentityProviderClient({
      endpoint: 'http://127.0.0.1:9',
      region: 'eu-west-2',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    }),
  });

  it('shows the administrator’s unread items on Admin, the agencies and the onboarding form', async () => {
    await hear(inboxDelivered('team:platform', 2), inboxDelivered(`user:${ADMINISTRATOR.userId}`, 1));
    const pages = adminPagesUnderTest({ ...runtime, documents: rounds.documents }, identity);

    rounds.take();
    const admin = await pages.get('/admin');
    expect(admin.statusCode).toBe(200);
    expect(mainTextOf(admin.body ?? '')).toContain('Partner agencies');
    expect(inboxItemTextOf(admin.body ?? '')).toBe('Inbox 3 (3 unread)');
    expect(rounds.take()).toBe(1);

    for (const path of ['/admin/agencies', '/admin/agencies/new']) {
      const page = await pages.get(path);
      expect({ path, status: page.statusCode, badge: inboxBadgeOf(page.body ?? '') }).toEqual({ path, status: 200, badge: 3 });
    }
  });
});
