/**
 * The notifications pages through the real handler, with a sealed session cookie, against DynamoDB
 * Local: what a worker sees on their home, in their inbox and (administrators) on the failed
 * webhook deliveries, from facts delivered to the real consumers.
 */
import { caseOpenedV1 } from '@fsp/shared/events/definitions/cases';
import {
  referralDecidedV1,
  referralDecisionDueV1,
  referralDecisionOverdueV1,
  referralSubmittedV1,
} from '@fsp/shared/events/definitions/referrals';
import { supervisionScheduledV1 } from '@fsp/shared/events/definitions/supervision';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { apiGatewayEvent } from '@fsp/shared/testing/api-gateway-event';
import { lambdaContext, sqsEventOf } from '@fsp/shared/testing/events';
import { formsOf, mainLinksOf, mainTextOf, textOf } from '@fsp/shared/testing/html';
import { countingRounds } from '@fsp/shared/testing/read-rounds';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { fixedClock } from '@fsp/shared/time/clock';
import type { NotificationsConfig } from '../../src/config';
import { createCaseOpenedConsumer } from '../../src/consumers/case-opened';
import { createReferralDecidedConsumer } from '../../src/consumers/referral-decided';
import { createReferralDecisionDueConsumer } from '../../src/consumers/referral-decision-due';
import { createReferralDecisionOverdueConsumer } from '../../src/consumers/referral-decision-overdue';
import { createReferralSubmittedConsumer } from '../../src/consumers/referral-submitted';
import { createSupervisionScheduledConsumer } from '../../src/consumers/supervision-scheduled';
import { notificationIdOf } from '../../src/domain/notification';
import { referralDecidedDelivery } from '../../src/domain/webhook';
import { createDeliveryStore } from '../../src/store/delivery-store';
import { createInboxStore } from '../../src/store/inbox-store';
import { fixtureDirectory } from '../support/directory';
import { factOf } from '../support/facts';
import { type PageWorker, pagesUnderTest } from '../support/page-session';

/** Tuesday 1 December 2026, 10am in London (GMT). */
const NOW = '2026-12-01T10:00:00.000Z';
const config: NotificationsConfig = { frontDoorTeamId: 'front-door' };
/** Nobody is listed: these pages show team mailboxes, and no item here goes to a person. */
const nobody = fixtureDirectory([]);

const frontDoor: PageWorker = { userId: 'fd-0001', name: 'Femi Adeyemi', roles: ['front-door'], teamId: 'front-door' };
const manager: PageWorker = { userId: 'tm-0001', name: 'Tara Mensah', roles: ['team-manager'], teamId: 'team-north-1' };
const socialWorker: PageWorker = { userId: 'sw-0001', name: 'Sam Okafor', roles: ['social-worker'], teamId: 'team-north-1' };
const administrator: PageWorker = { userId: 'ad-0001', name: 'Ade Bello', roles: ['administrator'], teamId: 'platform' };
const inboxWorker: PageWorker = { userId: 'pw-0001', name: 'Priya Walsh', roles: ['social-worker'], teamId: 'team-inbox' };
const noRole: PageWorker = { userId: 'nr-0001', name: 'Nobody Yet', roles: [], teamId: 'team-north-1' };

const referral = (id: string, reference: string, receivedAt: string, decisionDueBy: string) => ({
  ...referralSubmittedV1.fixtures[1]!,
  referralId: id,
  reference,
  receivedAt,
  decisionDueBy,
});
const clockOf = (id: string, reference: string, receivedAt: string, decisionDueBy: string) => ({
  referralId: id,
  reference,
  receivedAt,
  decisionDueBy,
  familySafeguardingFlag: false,
});
const decision = (id: string, reference: string) => ({
  referralId: id,
  reference,
  outcome: 'early-help' as const,
  reason: 'Stepped down to early help.',
  decidedAt: '2026-12-01T09:00:00.000Z',
  decidedBy: 'fd-0001',
});

async function consume(
  consumer: (event: ReturnType<typeof sqsEventOf>, context: typeof lambdaContext) => Promise<{ batchItemFailures: unknown[] }>,
  fact: Parameters<typeof sqsEventOf>[0],
) {
  expect((await consumer(sqsEventOf(fact), lambdaContext)).batchItemFailures).toEqual([]);
}

let runtime: ServiceRuntime;
let drop: () => Promise<void>;
let pages: ReturnType<typeof pagesUnderTest>;
let rounds: ReturnType<typeof countingRounds>;

beforeAll(async () => {
  const created = await createTestRuntime('notifications', fixedClock(NOW));
  runtime = created.runtime;
  drop = () => created.table.drop();
  rounds = countingRounds(runtime.documents);
  pages = pagesUnderTest({ ...runtime, documents: rounds.documents });

  const notTold = () => {
    throw new Error('no referrer is told in these tests');
  };
  const consumers = {
    submitted: createReferralSubmittedConsumer(runtime, nobody, config),
    due: createReferralDecisionDueConsumer(runtime, nobody, config),
    overdue: createReferralDecisionOverdueConsumer(runtime, nobody, { ...config, serviceManagerAfterWorkingDays: 5 }),
    decided: createReferralDecidedConsumer(runtime, { sendEmail: notTold, post: notTold }),
    caseOpened: createCaseOpenedConsumer(runtime, nobody),
    supervision: createSupervisionScheduledConsumer(runtime, nobody),
  };

  // The front door: A overdue and escalated, B due today, F known only from its reminder, C due tomorrow,
  // D decided, E decided before its submission and reminder arrived.
  await consume(
    consumers.submitted,
    factOf(
      referralSubmittedV1,
      referral('ref-a', 'FSP-2026-000101', '2026-11-27T09:30:00.000Z', '2026-11-30T23:59:59.999Z'),
      '2026-11-27T09:30:00.000Z',
    ),
  );
  await consume(
    consumers.overdue,
    factOf(
      referralDecisionOverdueV1,
      clockOf('ref-a', 'FSP-2026-000101', '2026-11-27T09:30:00.000Z', '2026-11-30T23:59:59.999Z'),
      '2026-12-01T00:05:00.000Z',
    ),
  );
  await consume(
    consumers.submitted,
    factOf(
      referralSubmittedV1,
      referral('ref-b', 'FSP-2026-000102', '2026-11-30T14:05:00.000Z', '2026-12-01T23:59:59.999Z'),
      '2026-11-30T14:05:00.000Z',
    ),
  );
  await consume(
    consumers.due,
    factOf(
      referralDecisionDueV1,
      clockOf('ref-f', 'FSP-2026-000106', '2026-11-30T16:00:00.000Z', '2026-12-01T23:59:59.999Z'),
      '2026-12-01T08:00:00.000Z',
    ),
  );
  await consume(
    consumers.submitted,
    factOf(
      referralSubmittedV1,
      referral('ref-c', 'FSP-2026-000103', '2026-12-01T09:00:00.000Z', '2026-12-02T23:59:59.999Z'),
      '2026-12-01T09:00:00.000Z',
    ),
  );
  await consume(
    consumers.submitted,
    factOf(
      referralSubmittedV1,
      referral('ref-d', 'FSP-2026-000104', '2026-11-30T11:00:00.000Z', '2026-12-01T23:59:59.999Z'),
      '2026-11-30T11:00:00.000Z',
    ),
  );
  await consume(consumers.decided, factOf(referralDecidedV1, decision('ref-d', 'FSP-2026-000104'), '2026-12-01T09:00:00.000Z'));
  await consume(consumers.decided, factOf(referralDecidedV1, decision('ref-e', 'FSP-2026-000105'), '2026-12-01T09:01:00.000Z'));
  await consume(
    consumers.submitted,
    factOf(
      referralSubmittedV1,
      referral('ref-e', 'FSP-2026-000105', '2026-11-30T12:00:00.000Z', '2026-12-01T23:59:59.999Z'),
      '2026-11-30T12:00:00.000Z',
    ),
  );
  await consume(
    consumers.due,
    factOf(
      referralDecisionDueV1,
      clockOf('ref-e', 'FSP-2026-000105', '2026-11-30T12:00:00.000Z', '2026-12-01T23:59:59.999Z'),
      '2026-12-01T08:00:00.000Z',
    ),
  );

  // Team north: a case from referral A today, one too old to be new, and one for another team.
  const caseOpened = (caseId: string, referralId: string, teamId: string, openedAt: string) =>
    factOf(
      caseOpenedV1,
      { ...caseOpenedV1.fixtures[0]!, caseId, referralId, teamId, openedAt, assessmentDueBy: '2027-02-02T23:59:59.999Z' },
      openedAt,
    );
  await consume(consumers.caseOpened, caseOpened('case-north-new', 'ref-a', 'team-north-1', '2026-12-01T09:15:00.000Z'));
  await consume(consumers.caseOpened, caseOpened('case-north-old', 'ref-old', 'team-north-1', '2026-10-01T09:15:00.000Z'));
  await consume(consumers.caseOpened, caseOpened('case-south', 'ref-south', 'team-south-2', '2026-12-01T09:20:00.000Z'));

  // Team north's supervision: today at 2pm; one moved from the 3rd to the 4th (the later fact arrives first); one past.
  const scheduled = (supervisionId: string, caseId: string, scheduledFor: string, occurredAt: string) =>
    factOf(
      supervisionScheduledV1,
      { supervisionId, caseId, teamId: 'team-north-1', scheduledFor, dueBy: '2026-12-08T23:59:59.999Z' },
      occurredAt,
    );
  await consume(consumers.supervision, scheduled('sup-today', 'case-north-new', '2026-12-01T14:00:00.000Z', '2026-11-20T10:00:00.000Z'));
  await consume(consumers.supervision, scheduled('sup-moved', 'case-north-old', '2026-12-04T10:00:00.000Z', '2026-11-25T10:00:00.000Z'));
  await consume(consumers.supervision, scheduled('sup-moved', 'case-north-old', '2026-12-03T10:00:00.000Z', '2026-11-20T10:00:00.000Z'));
  await consume(consumers.supervision, scheduled('sup-past', 'case-north-old', '2026-11-30T10:00:00.000Z', '2026-11-10T10:00:00.000Z'));

  // The inbox worker's team: 25 cases a minute apart, so 25 items in the team's mailbox.
  for (let minute = 0; minute < 25; minute += 1) {
    const at = new Date(Date.parse('2026-11-30T09:00:00.000Z') + minute * 60_000).toISOString();
    await consume(
      consumers.caseOpened,
      caseOpened(`case-inbox-${String(minute).padStart(2, '0')}`, `ref-inbox-${minute}`, 'team-inbox', at),
    );
  }

  // Webhook deliveries: 23 dead (a minute apart, the newest from Oakfield) and one still being retried.
  const deliveries = createDeliveryStore(runtime.documents, runtime.tableName);
  const deliver = async (index: number, agency: { agencyId: string; name?: string; contactEmail?: string }, outcome: 'dead' | 'retry') => {
    const fact = { eventId: `event-${index}`, occurredAt: '2026-11-29T09:00:00.000Z', correlationId: `corr-${index}` };
    const data = {
      ...referralDecidedV1.fixtures[0]!,
      referralId: `ref-w${index}`,
      reference: `FSP-2026-9${String(index).padStart(5, '0')}`,
    };
    const created = await deliveries.createClaimed(
      referralDecidedDelivery(data as never, fact, agency),
      new Date('2026-11-29T09:00:00.000Z'),
    );
    if (created === 'already-exists') throw new Error('each delivery is new');
    const at = new Date(Date.parse('2026-11-30T09:00:00.000Z') + index * 60_000);
    if (outcome === 'dead')
      expect(await deliveries.recordDead(created, at, index % 2 === 0 ? 'HTTP 503' : 'timed out after 10 s')).toBe(true);
    else expect(await deliveries.recordRetry(created, at, 'HTTP 500', new Date('2026-12-01T10:30:00.000Z'))).toBe(true);
  };
  for (let index = 1; index <= 22; index += 1) await deliver(index, { agencyId: 'agency-northtown-police' }, 'dead');
  await deliver(23, { agencyId: 'agency-oakfield', name: 'Oakfield Primary School', contactEmail: 'dsl@oakfield.example.sch.uk' }, 'dead');
  await deliver(24, { agencyId: 'agency-oakfield', name: 'Oakfield Primary School' }, 'retry');
  rounds.take();
}, 120_000);

afterAll(() => drop());

const page = async (worker: PageWorker, path: string) => {
  const response = await pages.get(worker, path);
  expect({ path, status: response.statusCode }).toEqual({ path, status: 200 });
  expect(response.headers?.['content-type']).toBe('text/html; charset=utf-8');
  expect(response.headers?.['cache-control']).toBe('no-store');
  expect(response.headers?.['content-security-policy']).toContain("frame-ancestors 'none'");
  return response.body ?? '';
};

/** The unread count on the navigation's Inbox item (MoJ's notification badge), or undefined when it shows none. */
const inboxBadgeOf = (html: string): number | undefined => {
  const badge = /<a\b[^>]*href="\/inbox"[^>]*>[\s\S]*?<\/a>/.exec(html)?.[0].match(/moj-notification-badge[\s\S]*?(\d+)/);
  return badge ? Number(badge[1]) : undefined;
};

describe('the worker’s home', () => {
  it('shows the front door its referrals due today and overdue, most overdue first, each linking to its page', async () => {
    const html = await page(frontDoor, '/');
    const text = mainTextOf(html);
    expect(text).toContain('Tuesday 1 December 2026');
    expect(text).toContain('Referrals due today and overdue');
    expect(text).toContain('1 overdue and 2 due by the end of today');
    const referrals = mainLinksOf(html).filter((link) => link.href.startsWith('/front-door/referrals/'));
    expect(referrals).toEqual([
      { href: '/front-door/referrals/ref-a', text: 'FSP-2026-000101' },
      { href: '/front-door/referrals/ref-b', text: 'FSP-2026-000102' },
      { href: '/front-door/referrals/ref-f', text: 'FSP-2026-000106' },
    ]);
    expect(text).toContain(
      'Decision overdue by 1 working day. Received Friday 27 November 2026 at 9:30am. Escalated to the front door manager. Overdue',
    );
    expect(text).toContain('Decision due by the end of today. Received yesterday at 2:05pm. Due today');
    expect(html).toContain('govuk-tag--red');
    expect(mainLinksOf(html)).toContainEqual({ href: '/front-door', text: 'See every referral awaiting a decision' });
    // Due tomorrow, decided, and decided before it was submitted: none of them.
    for (const reference of ['FSP-2026-000103', 'FSP-2026-000104', 'FSP-2026-000105']) expect(text).not.toContain(reference);
    expect(text).not.toContain('new cases');
  });

  it('answers in one round of reads, and shows the unread count on the page and on the Inbox item', async () => {
    rounds.take();
    const html = await page(frontDoor, '/');
    expect(rounds.take()).toBe(1);
    // Five submissions, F's reminder and the escalation for the front-door team: 7 items, none read. (E's reminder came
    // after its decision: nobody is told of a referral already decided.)
    expect(mainLinksOf(html)).toContainEqual({ href: '/inbox', text: 'You have 7 unread items in your inbox' });
    expect(inboxBadgeOf(html)).toBe(7);
  });

  it('shows a team manager their team’s new cases (by the referral’s reference) and supervision to come, in one round', async () => {
    rounds.take();
    const html = await page(manager, '/');
    expect(rounds.take()).toBe(1);
    const links = mainLinksOf(html);
    expect(links.filter((link) => link.href.startsWith('/cases/'))).toEqual([{ href: '/cases/case-north-new', text: 'FSP-2026-000101' }]);
    expect(links.filter((link) => link.href.startsWith('/supervision/cases/'))).toEqual([
      { href: '/supervision/cases/case-north-new', text: 'Group supervision today at 2pm' },
      { href: '/supervision/cases/case-north-old', text: 'Group supervision Friday 4 December 2026 at 10am' },
    ]);
    const text = mainTextOf(html);
    expect(text).toContain('Opened today at 9:15am. Assessment due in 42 working days.');
    expect(text).not.toContain('Referrals due today');
    expect(text).not.toContain('Webhook deliveries');
  });

  it('sends a social worker to their caseload for their own cases, and shows their team’s new cases', async () => {
    const html = await page(socialWorker, '/');
    const text = mainTextOf(html);
    expect(text).toContain('Go to your caseload to see the cases allocated to you, each with its next deadline.');
    expect(mainLinksOf(html).filter((link) => link.href.startsWith('/cases/'))).toEqual([
      { href: '/cases/caseload', text: 'Go to your caseload' },
      { href: '/cases/case-north-new', text: 'FSP-2026-000101' },
    ]);
    expect(text).not.toContain('Supervision coming up');
  });

  it('shows an administrator the failed webhook deliveries, newest first, and where partner agencies are managed', async () => {
    const html = await page(administrator, '/');
    const text = mainTextOf(html);
    expect(text).toContain('Webhook deliveries that failed');
    expect(text).toContain('Oakfield Primary School: FSP-2026-900023');
    expect(text.indexOf('FSP-2026-900023')).toBeLessThan(text.indexOf('FSP-2026-900022'));
    expect(text).toContain('1 attempt. Last result: timed out after 10 s. Stopped yesterday at 9:23am. Failed');
    // Ten on the home; the rest on the list.
    expect(text).not.toContain('FSP-2026-900013');
    expect(mainLinksOf(html)).toEqual(
      expect.arrayContaining([
        { href: '/admin/webhook-deliveries', text: 'See every failed webhook delivery' },
        { href: '/admin/agencies', text: 'Manage partner agencies' },
      ]),
    );
  });

  it('says what to do next when there is nothing to show', async () => {
    const empty = await createTestRuntime('notifications', fixedClock(NOW));
    try {
      const emptyPages = pagesUnderTest(empty.runtime);
      const textFor = async (worker: PageWorker) => {
        const response = await emptyPages.get(worker, '/');
        expect(response.statusCode).toBe(200);
        return { text: mainTextOf(response.body ?? ''), links: mainLinksOf(response.body ?? '') };
      };
      const fd = await textFor(frontDoor);
      expect(fd.text).toContain('You have no unread items.');
      expect(fd.text).toContain('No referral is due today or overdue.');
      expect(fd.links).toContainEqual({ href: '/front-door', text: 'Go to the front door queue' });
      const tm = await textFor(manager);
      expect(tm.text).toContain('No case has been opened for your team in the last 4 weeks.');
      expect(tm.text).toContain('No group supervision is scheduled for your team from today.');
      const admin = await textFor(administrator);
      expect(admin.text).toContain('Every partner agency has been told its decisions.');
    } finally {
      await empty.table.drop();
    }
  });

  it('refuses an account with no platform role', async () => {
    expect((await pages.get(noRole, '/')).statusCode).toBe(403);
  });

  it('sends a browser without a session to sign in', async () => {
    const response = await pages.handler(apiGatewayEvent({ path: '/' }));
    expect(response.statusCode).toBe(303);
    expect(response.headers?.location).toBe('/signin?returnTo=%2F');
  });
});

describe('the inbox', () => {
  const unreadText = (html: string) => /You have (no|\d+) unread items?/.exec(mainTextOf(html))?.[0];
  const itemLinks = (html: string) => mainLinksOf(html).filter((link) => link.href.startsWith('/cases/'));

  it('lists the newest 20 items first, each linking to its thing, unread, with when it happened in London time', async () => {
    const html = await page(inboxWorker, '/inbox');
    expect(unreadText(html)).toBe('You have 25 unread items');
    const links = itemLinks(html);
    expect(links).toHaveLength(20);
    expect(links[0]).toEqual({ href: '/cases/case-inbox-24', text: 'Case opened from referral — allocate a social worker' });
    expect(links.at(-1)?.href).toBe('/cases/case-inbox-05');
    expect(mainTextOf(html)).toContain('Yesterday at 9:24am Unread');
    expect(formsOf(html).filter((form) => /^\/inbox\/[^/]+\/read$/.test(form.action))).toHaveLength(20);
  });

  it('shows an item’s title as text in its link and in its button’s hidden text, whatever characters it holds', async () => {
    const reader: PageWorker = { userId: 'pw-0002', name: 'Ola Quinn', roles: ['social-worker'], teamId: 'team-escape' };
    const createdAt = '2026-12-01T09:00:00.000Z';
    await createInboxStore(runtime.documents, runtime.tableName).deliver(
      {
        notificationId: notificationIdOf({ eventId: 'e-escape', occurredAt: createdAt }, 'team:team-escape', 'inbox'),
        mailbox: 'team:team-escape',
        channel: 'inbox',
        kind: 'case-opened',
        title: 'Case <b>opened</b> & "allocated" to O\'Neil',
        link: '/cases/case-escape',
        createdAt,
        sourceEventId: 'e-escape',
        correlationId: 'c-escape',
      },
      new Date(NOW),
    );
    const html = await page(reader, '/inbox');
    const escaped = 'Case &lt;b&gt;opened&lt;/b&gt; &amp; &quot;allocated&quot; to O&#39;Neil';
    expect(html).toContain(`<a class="govuk-link" href="/cases/case-escape">${escaped}</a>`);
    expect(html).toContain(`Mark as read<span class="govuk-visually-hidden">: ${escaped}</span>`);
    expect(html).not.toContain('<b>opened</b>');
    expect(mainTextOf(html)).toContain('Mark as read : Case <b>opened</b> & "allocated" to O\'Neil');
  });

  it('pages on to older items and back, with GOV.UK pagination', async () => {
    const first = await page(inboxWorker, '/inbox');
    const older = mainLinksOf(first).find((link) => link.text.startsWith('Next'));
    expect(older?.text).toBe('Next page : Older items');
    expect(mainLinksOf(first).some((link) => link.text.startsWith('Previous'))).toBe(false);

    const second = await page(inboxWorker, older!.href);
    expect(itemLinks(second).map((link) => link.href)).toEqual([
      '/cases/case-inbox-04',
      '/cases/case-inbox-03',
      '/cases/case-inbox-02',
      '/cases/case-inbox-01',
      '/cases/case-inbox-00',
    ]);
    const newer = mainLinksOf(second).find((link) => link.text.startsWith('Previous'));
    expect(newer).toEqual({ href: '/inbox', text: 'Previous page : Newer items' });
    expect(mainLinksOf(second).some((link) => link.text.startsWith('Next'))).toBe(false);
  });

  it('marks one item read with its form, returning to the same page at the item, and the count goes down', async () => {
    const first = await page(inboxWorker, '/inbox');
    const second = await page(inboxWorker, mainLinksOf(first).find((link) => link.text.startsWith('Next'))!.href);
    const form = formsOf(second).find((candidate) => /^\/inbox\/[^/]+\/read$/.test(candidate.action))!;
    const before = Number(/(\d+) unread/.exec(unreadText(second) ?? '')?.[1]);

    const response = await pages.post(inboxWorker, form.action, form.fields);
    expect(response.statusCode).toBe(303);
    const id = form.action.split('/')[2]!;
    const location = response.headers?.location ?? '';
    expect(location).toBe(`/inbox?cursor=${encodeURIComponent(form.fields.cursor!)}#item-${id}`);

    const after = await page(inboxWorker, location.split('#')[0]!);
    expect(unreadText(after)).toBe(`You have ${before - 1} unread items`);
    expect(inboxBadgeOf(after)).toBe(before - 1);
    expect(formsOf(after).map((candidate) => candidate.action)).not.toContain(form.action);
    expect(after).toContain(`id="item-${id}"`);

    // Again: nothing changes, and the worker is still taken back.
    expect((await pages.post(inboxWorker, form.action, form.fields)).statusCode).toBe(303);
    expect(unreadText(await page(inboxWorker, '/inbox'))).toBe(`You have ${before - 1} unread items`);
  });

  it('changes nothing for a forged CSRF token, a post from another site, or an item from another team’s inbox', async () => {
    const html = await page(inboxWorker, '/inbox');
    const count = unreadText(html);
    const form = formsOf(html).find((candidate) => /^\/inbox\/[^/]+\/read$/.test(candidate.action))!;

    const forged = await pages.post(inboxWorker, form.action, { ...form.fields, csrfToken: 'forged-token' });
    expect(forged.statusCode).toBe(403);
    const crossSite = await pages.post(inboxWorker, form.action, form.fields, { origin: 'https://evil.example' });
    expect(crossSite.statusCode).toBe(403);
    const withoutToken = await pages.post(inboxWorker, form.action, { cursor: '', back: '' });
    expect(withoutToken.statusCode).toBe(403);

    // The front door's item, posted with the inbox worker's own valid token.
    const frontDoorForm = formsOf(await page(frontDoor, '/inbox')).find((candidate) => /^\/inbox\/[^/]+\/read$/.test(candidate.action))!;
    const foreign = await pages.post(inboxWorker, frontDoorForm.action, form.fields);
    expect(foreign.statusCode).toBe(404);
    expect(mainTextOf(foreign.body ?? '')).toContain('This item is not in your inbox');
    expect(unreadText(await page(frontDoor, '/inbox'))).toBe('You have 7 unread items');

    expect(unreadText(await page(inboxWorker, '/inbox'))).toBe(count);
  });

  it('says what to do with an address that is not one of its pages, as a page', async () => {
    for (const path of ['/inbox?cursor=not-a-cursor', '/inbox?back=x', '/inbox?cursor=a&cursor=b']) {
      const response = await pages.get(inboxWorker, path);
      expect({ path, status: response.statusCode }).toEqual({ path, status: 404 });
      expect(response.headers?.['content-type']).toBe('text/html; charset=utf-8');
      expect(mainLinksOf(response.body ?? '')).toContainEqual({ href: '/inbox', text: 'Go to the newest items in your inbox' });
    }
  });

  it('is empty for a new team, and says what will appear', async () => {
    const html = await page({ ...inboxWorker, userId: 'new-0001', teamId: 'team-new' }, '/inbox');
    expect(mainTextOf(html)).toContain('Your inbox is empty. New referrals, cases and supervision for you and your team will appear here.');
  });

  it('refuses an account with no platform role', async () => {
    expect((await pages.get(noRole, '/inbox')).statusCode).toBe(403);
  });
});

describe('the failed webhook deliveries', () => {
  const cardTitles = (html: string) =>
    [...html.matchAll(/<h3 class="govuk-summary-card__title">([\s\S]*?)<\/h3>/g)].map((m) => textOf(m[1]!));

  it('lists dead deliveries newest first with the agency, reference, attempts, last result and when, and says what to do', async () => {
    const html = await page(administrator, '/admin/webhook-deliveries');
    const text = mainTextOf(html);
    expect(text).toContain('These agencies have not been told the decision on a referral they made');
    expect(text).toContain('Contact the agency');
    expect(cardTitles(html)).toHaveLength(20);
    expect(cardTitles(html)[0]).toBe('Oakfield Primary School');
    expect(cardTitles(html)[1]).toBe('agency-northtown-police');
    expect(text).toContain(
      'Referral FSP-2026-900023 Attempts 1 Last result timed out after 10 s Last tried Yesterday at 9:23am Stopped trying Yesterday at 9:23am',
    );
    expect(mainLinksOf(html)).toContainEqual({ href: 'mailto:dsl@oakfield.example.sch.uk', text: 'dsl@oakfield.example.sch.uk' });
    expect(html).not.toContain('whsec_');
  });

  it('pages through them, keeping the list', async () => {
    const first = await page(administrator, '/admin/webhook-deliveries');
    const next = mainLinksOf(first).find((link) => link.text.startsWith('Next'))!;
    expect(next.href).toMatch(/^\/admin\/webhook-deliveries\?status=dead&cursor=/);
    const second = await page(administrator, next.href);
    expect(mainTextOf(second)).toContain('FSP-2026-900001');
    expect(cardTitles(second)).toHaveLength(3);
    expect(mainLinksOf(second)).toContainEqual({ href: '/admin/webhook-deliveries?status=dead', text: 'Previous page : Newer failures' });
  });

  it('lists those still being retried, with when the next attempt is', async () => {
    const html = await page(administrator, '/admin/webhook-deliveries?status=pending');
    const text = mainTextOf(html);
    expect(text).toContain('Webhook deliveries being retried');
    expect(cardTitles(html)).toEqual(['Oakfield Primary School']);
    expect(text).toContain('Last result HTTP 500');
    expect(text).toContain('Next attempt Today at 10:30am');
  });

  it('answers in one round of reads', async () => {
    rounds.take();
    await page(administrator, '/admin/webhook-deliveries');
    expect(rounds.take()).toBe(1);
  });

  it('is for administrators only', async () => {
    for (const worker of [frontDoor, manager, socialWorker]) {
      expect((await pages.get(worker, '/admin/webhook-deliveries')).statusCode).toBe(403);
    }
  });

  it('says what to do with a list or a page that does not exist', async () => {
    for (const path of ['/admin/webhook-deliveries?status=delivered', '/admin/webhook-deliveries?cursor=nonsense']) {
      const response = await pages.get(administrator, path);
      expect({ path, status: response.statusCode }).toEqual({ path, status: 404 });
      expect(mainLinksOf(response.body ?? '')).toContainEqual({
        href: '/admin/webhook-deliveries',
        text: 'Go to the webhook deliveries that failed',
      });
    }
  });
});
