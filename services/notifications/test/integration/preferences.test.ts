/**
 * Workers' preferences and delivery's routing (issue 15 Deliver 3) against DynamoDB Local: the
 * preference store's versioned writes; the one delivery every consumer uses, with the real inbox,
 * preferences and workers' mail stores — a leaver's item to their team's managers (or the team's
 * mailbox), what each recipient's preference records to be emailed, once however often the fact
 * arrives, also after a crash between the inbox and the email; the JSON API; and the page.
 */
import type { ConsumerContext } from '@fsp/shared/consumer';
import { type Mailbox, teamMailbox, userMailbox } from '@fsp/shared/inbox/mailbox';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { apiGatewayEvent, problemOf, workerClaims } from '@fsp/shared/testing/api-gateway-event';
import { formsOf, mainLinksOf, mainTextOf } from '@fsp/shared/testing/html';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { fixedClock } from '@fsp/shared/time/clock';
import { createNotificationDelivery, type NotificationDelivery } from '../../src/consumers/inbox-delivery';
import { factNotificationIdOf, type NotificationDraft, notificationIdOf } from '../../src/domain/notification';
import { DIGEST_TIME_QUARTER, MODE_ERROR } from '../../src/domain/preferences';
import type { WorkerMailIntent } from '../../src/domain/worker-mail';
import { createInboxStore, type InboxStore } from '../../src/store/inbox-store';
import { createPreferencesStore, isPreferenceConflict, type PreferencesStore } from '../../src/store/preferences-store';
import { createWorkerMailStore, type WorkerMailStore } from '../../src/store/worker-mail-store';
import { fixtureDirectory, person, unavailableDirectory } from '../support/directory';
import { notificationsHttpHandler } from '../support/http';
import { type PageWorker, pagesUnderTest } from '../support/page-session';

/** Tuesday 1 December 2026, 10am in London (GMT). */
const NOW = '2026-12-01T10:00:00.000Z';
const NORTH = 'team-north-1';
const VACANT = 'team-vacant';

const people = {
  sam: person('sw-0001', 'Sam Okafor', ['social-worker'], NORTH),
  lee: person('sw-0009', 'Lee Carter', ['social-worker'], NORTH, false),
  tara: person('tm-0001', 'Tara Mensah', ['team-manager'], NORTH),
  olu: person('tm-0002', 'Olu Adebayo', ['team-manager', 'social-worker'], NORTH),
  ade: person('ad-0001', 'Ade Bello', ['administrator'], 'platform'),
  ruth: person('sw-0101', 'Ruth Hale', ['social-worker'], VACANT, false),
};
const directory = fixtureDirectory(Object.values(people));

let runtime: ServiceRuntime;
let drop: () => Promise<void>;
let inbox: InboxStore;
let preferences: PreferencesStore;
let mail: WorkerMailStore;
let delivery: NotificationDelivery;

beforeAll(async () => {
  const created = await createTestRuntime('notifications', fixedClock(NOW));
  runtime = created.runtime;
  drop = () => created.table.drop();
  inbox = createInboxStore(runtime.documents, runtime.tableName);
  preferences = createPreferencesStore(runtime.documents, runtime.tableName);
  mail = createWorkerMailStore(runtime.documents, runtime.tableName);
  delivery = createNotificationDelivery(runtime, directory);
});
afterAll(async () => {
  await drop();
});

const contextOf = (eventId: string): ConsumerContext => ({
  eventId,
  correlationId: `journey-${eventId}`,
  now: new Date(NOW),
  logger: runtime.logger,
});

/** A personal draft as the consumers make them: for one fact (by event, or by natural key), to one mailbox. */
function draftFor(mailbox: Mailbox, eventId: string, overrides: Partial<NotificationDraft> & { factKey?: string } = {}): NotificationDraft {
  const occurredAt = overrides.createdAt ?? NOW;
  const fact = { eventId, occurredAt, correlationId: `journey-${eventId}` };
  return {
    notificationId:
      overrides.factKey === undefined
        ? notificationIdOf(fact, mailbox, 'inbox')
        : factNotificationIdOf(overrides.factKey, occurredAt, mailbox, 'inbox'),
    mailbox,
    channel: 'inbox',
    kind: 'case-allocated',
    title: 'You have been allocated to case FSP-2026-7K3M2N as social worker',
    link: '/cases/case-1',
    createdAt: occurredAt,
    sourceEventId: eventId,
    correlationId: fact.correlationId,
    reference: 'FSP-2026-7K3M2N',
    teamId: NORTH,
    ...overrides,
  };
}

/** Everything recorded to be emailed to one worker (every intent is due by 2028). */
const intentsOf = async (userId: string): Promise<WorkerMailIntent[]> =>
  (await mail.dueIntents(new Date('2028-01-01T00:00:00.000Z'), 1000)).filter((intent) => intent.userId === userId);

const itemsIn = async (mailbox: Mailbox, userId: string) => {
  const mailboxes = mailbox.startsWith('team:')
    ? { user: userMailbox(userId), team: mailbox }
    : { user: mailbox, team: teamMailbox(`nobody-${userId}`) };
  const { page } = await inbox.inboxPage(
    userId,
    mailboxes,
    { user: { after: null, done: false }, team: { after: null, done: false } },
    100,
  );
  return page.items.filter((item) => item.mailbox === mailbox);
};

describe('the preferences store', () => {
  it('holds nothing until the worker chooses, then writes only over the version read', async () => {
    expect(await preferences.get('pref-store-1')).toBeUndefined();
    const first = await preferences.put('pref-store-1', { mode: 'inbox' }, 0, new Date(NOW));
    expect(first).toEqual({ preference: { mode: 'inbox' }, version: 1, updatedAt: NOW });

    const stale = await preferences.put('pref-store-1', { mode: 'immediate' }, 0, new Date(NOW));
    expect(isPreferenceConflict(stale) && stale.current).toEqual(first);

    const second = await preferences.put('pref-store-1', { mode: 'digest', digestAt: '16:30' }, 1, new Date(NOW));
    expect(second).toMatchObject({ version: 2 });
    const late = await preferences.put('pref-store-1', { mode: 'inbox' }, 1, new Date(NOW));
    expect(isPreferenceConflict(late)).toBe(true);
    expect(await preferences.get('pref-store-1', { consistent: true })).toEqual({
      preference: { mode: 'digest', digestAt: '16:30' },
      version: 2,
      updatedAt: NOW,
    });
  });

  it('two writers over the same version: exactly one wins', async () => {
    const results = await Promise.all([
      preferences.put('pref-store-2', { mode: 'inbox' }, 0, new Date(NOW)),
      preferences.put('pref-store-2', { mode: 'immediate' }, 0, new Date(NOW)),
    ]);
    expect(results.filter((result) => !isPreferenceConflict(result))).toHaveLength(1);
  });

  it('refuses a preference that is not one', async () => {
    await expect(preferences.put('pref-store-3', { mode: 'digest', digestAt: '08:10' }, 0, new Date(NOW))).rejects.toThrow();
    expect(await preferences.get('pref-store-3', { consistent: true })).toBeUndefined();
  });
});

describe('delivery by preference', () => {
  it('a social worker who has not chosen gets an email at once: one item and one intent, however often the fact arrives', async () => {
    const draft = draftFor(userMailbox(people.sam.userId), 'evt-sam-1');
    for (let i = 0; i < 5; i += 1) await delivery.deliver([draft], contextOf('evt-sam-1'));
    await Promise.all([1, 2, 3].map(() => delivery.deliver([draft], contextOf('evt-sam-1'))));
    expect((await itemsIn(draft.mailbox, people.sam.userId)).map((item) => item.notificationId)).toEqual([draft.notificationId]);
    expect(await intentsOf(people.sam.userId)).toEqual([
      {
        notificationId: draft.notificationId,
        userId: people.sam.userId,
        mode: 'immediate',
        sendAt: NOW,
        kind: 'case-allocated',
        title: draft.title,
        link: '/cases/case-1',
        reference: 'FSP-2026-7K3M2N',
        urgent: false,
        createdAt: NOW,
      },
    ]);
  });

  it('a fact known by its natural key, under five event ids: one item, and the email tells of that item', async () => {
    const factKey = 'SupervisionActionAssigned:case-2:action-2';
    const drafts = [1, 2, 3, 4, 5].map((n) =>
      draftFor(userMailbox(people.olu.userId), `evt-olu-${n}`, {
        factKey,
        kind: 'supervision-action-overdue',
        createdAt: `2026-12-01T09:0${n}:00.000Z`,
      }),
    );
    await preferences.put(people.olu.userId, { mode: 'immediate' }, 0, new Date(NOW));
    for (const draft of drafts) await delivery.deliver([draft], contextOf(draft.sourceEventId));
    const items = await itemsIn(userMailbox(people.olu.userId), people.olu.userId);
    expect(items).toHaveLength(1);
    const intents = await intentsOf(people.olu.userId);
    expect(intents).toHaveLength(1);
    expect(intents[0]).toMatchObject({ notificationId: items[0]?.notificationId, mode: 'immediate', urgent: true });
  });

  it('a manager who has not chosen gets it in the next morning’s digest; an administrator in the inbox only; a team nothing by email', async () => {
    const forTara = draftFor(userMailbox(people.tara.userId), 'evt-tara-1', { kind: 'supervision-overdue' });
    const forAde = draftFor(userMailbox(people.ade.userId), 'evt-ade-1', { teamId: 'platform' });
    const forTeam = draftFor(teamMailbox(NORTH), 'evt-team-1', { kind: 'case-opened' });
    await delivery.deliver([forTara, forAde, forTeam], contextOf('evt-mixed'));
    // Tuesday 10am: today's 08:00 has passed, so Wednesday 2 December at 8am.
    expect(await intentsOf(people.tara.userId)).toEqual([
      expect.objectContaining({ notificationId: forTara.notificationId, mode: 'digest', sendAt: '2026-12-02T08:00:00.000Z', urgent: true }),
    ]);
    expect(await intentsOf(people.ade.userId)).toEqual([]);
    expect(await itemsIn(forAde.mailbox, people.ade.userId)).toHaveLength(1);
    expect(await itemsIn(forTeam.mailbox, people.sam.userId)).toHaveLength(1);
  });

  it('after a crash between the inbox and the email, the fact again still records the email, once', async () => {
    const draft = draftFor(userMailbox(people.sam.userId), 'evt-sam-crash', { createdAt: '2026-12-01T09:30:00.000Z' });
    expect(await inbox.deliver(draft, new Date(NOW))).toBe('delivered');
    expect((await intentsOf(people.sam.userId)).some((intent) => intent.notificationId === draft.notificationId)).toBe(false);
    await delivery.deliver([draft], contextOf('evt-sam-crash'));
    await delivery.deliver([draft], contextOf('evt-sam-crash'));
    expect((await intentsOf(people.sam.userId)).filter((intent) => intent.notificationId === draft.notificationId)).toHaveLength(1);
  });

  it('a directory that cannot answer delivers nothing, so the fact is retried rather than lost', async () => {
    const draft = draftFor(userMailbox('sw-0042'), 'evt-unanswered');
    const unanswered = createNotificationDelivery(runtime, unavailableDirectory);
    await expect(unanswered.deliver([draft], contextOf('evt-unanswered'))).rejects.toThrow(/unavailable/);
    expect(await itemsIn(draft.mailbox, 'sw-0042')).toEqual([]);
  });
});

describe('a leaver’s items', () => {
  it('go to each of the team’s managers, naming them, by each manager’s preference; never to the leaver; once in five', async () => {
    const factKey = 'SupervisionActionBecameOverdue:case-3:action-3:owner';
    const drafts = [1, 2, 3, 4, 5].map((n) =>
      draftFor(userMailbox(people.lee.userId), `evt-lee-${n}`, {
        factKey,
        kind: 'supervision-action-overdue',
        title: 'Your action from group supervision of case FSP-2026-7K3M2N is overdue — it was due Monday 30 November 2026',
        link: '/supervision/actions',
      }),
    );
    for (const draft of [...drafts, drafts[0]!]) await delivery.deliver([draft], contextOf(draft.sourceEventId));
    expect(await itemsIn(userMailbox(people.lee.userId), people.lee.userId)).toEqual([]);
    for (const manager of [people.tara, people.olu]) {
      const items = (await itemsIn(userMailbox(manager.userId), manager.userId)).filter((item) => item.title.includes('Lee Carter'));
      expect(items.map((item) => item.title)).toEqual([
        'For Lee Carter, who has left: Your action from group supervision of case FSP-2026-7K3M2N is overdue — it was due Monday 30 November 2026',
      ]);
      expect(items[0]).toMatchObject({ kind: 'supervision-action-overdue', link: '/supervision/actions', reference: 'FSP-2026-7K3M2N' });
      const told = (await intentsOf(manager.userId)).filter((intent) => intent.notificationId === items[0]?.notificationId);
      // Tara has the managers' default (the digest); Olu chose an email at once (above).
      expect(told.map((intent) => intent.mode)).toEqual([manager === people.tara ? 'digest' : 'immediate']);
    }
    expect(await intentsOf(people.lee.userId)).toEqual([]);
  });

  it('someone the directory no longer has: to the managers, as “a worker who has left”', async () => {
    const draft = draftFor(userMailbox('sw-gone'), 'evt-gone-1');
    await delivery.deliver([draft], contextOf('evt-gone-1'));
    const titles = (await itemsIn(userMailbox(people.tara.userId), people.tara.userId)).map((item) => item.title);
    expect(titles).toContain('For a worker who has left: You have been allocated to case FSP-2026-7K3M2N as social worker');
    expect(await itemsIn(userMailbox('sw-gone'), 'sw-gone')).toEqual([]);
  });

  it('a team without a manager: to the team’s mailbox, which is not emailed', async () => {
    const draft = draftFor(userMailbox(people.ruth.userId), 'evt-ruth-1', { teamId: VACANT });
    for (let i = 0; i < 5; i += 1) await delivery.deliver([draft], contextOf('evt-ruth-1'));
    const items = await itemsIn(teamMailbox(VACANT), 'sw-0102');
    expect(items.map((item) => item.title)).toEqual([
      'For Ruth Hale, who has left: You have been allocated to case FSP-2026-7K3M2N as social worker',
    ]);
    expect(await intentsOf(people.ruth.userId)).toEqual([]);
  });
});

const sam: PageWorker = { userId: 'pg-sw-0001', name: 'Sam Page', roles: ['social-worker'], teamId: NORTH };
const manager: PageWorker = { userId: 'pg-tm-0001', name: 'Tara Page', roles: ['team-manager'], teamId: NORTH };

describe('the JSON API', () => {
  let http: ReturnType<typeof notificationsHttpHandler>;
  beforeAll(() => {
    http = notificationsHttpHandler(runtime);
  });
  const api = (who: PageWorker, method: string, body?: unknown) =>
    http(
      apiGatewayEvent({
        method,
        path: '/api/inbox/preferences',
        ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
        claims: workerClaims({
          sub: who.userId,
          'cognito:username': who.userId,
          'custom:team': who.teamId,
          'cognito:groups': `[${who.roles.join(' ')}]`,
        }),
      }),
    );

  it('answers the role’s default until the worker chooses, then their choice; a stale version is a 409', async () => {
    const first = await api(manager, 'GET');
    expect(first.statusCode).toBe(200);
    expect(first.headers?.['cache-control']).toBe('private, no-store');
    expect(JSON.parse(first.body ?? '{}')).toEqual({ mode: 'digest', digestAt: '08:00', saved: false, version: 0 });

    const saved = await api(manager, 'PUT', { mode: 'digest', digestAt: '16:45', version: 0 });
    expect(saved.statusCode).toBe(200);
    expect(JSON.parse(saved.body ?? '{}')).toEqual({ mode: 'digest', digestAt: '16:45', saved: true, version: 1 });
    expect(JSON.parse((await api(manager, 'GET')).body ?? '{}')).toEqual({ mode: 'digest', digestAt: '16:45', saved: true, version: 1 });

    const stale = await api(manager, 'PUT', { mode: 'inbox', version: 0 });
    expect(stale.statusCode).toBe(409);
    expect(problemOf(stale)).toMatchObject({ currentVersion: 1 });
    // Another worker's choice is theirs alone.
    expect(JSON.parse((await api(sam, 'GET')).body ?? '{}')).toEqual({ mode: 'immediate', digestAt: null, saved: false, version: 0 });
  });

  it.each([
    [{ mode: 'digest', digestAt: '16:10', version: 0 }, 'digestAt'],
    [{ mode: 'digest', version: 0 }, 'digestAt'],
    [{ mode: 'weekly', version: 0 }, 'mode'],
    [{ mode: 'inbox' }, 'version'],
    [{ mode: 'inbox', version: -1 }, 'version'],
  ])('400 naming the field for %j', async (body, field) => {
    const response = await api(sam, 'PUT', body);
    expect(response.statusCode).toBe(400);
    expect(problemOf(response).errors?.map((error) => error.path)).toContain(`$.${field}`);
  });
});

describe('the preferences page', () => {
  let pages: ReturnType<typeof pagesUnderTest>;
  beforeAll(() => {
    pages = pagesUnderTest(runtime);
  });

  it('is linked from the inbox, and shows the role’s default checked with the digest’s time', async () => {
    expect(mainLinksOf((await pages.get(sam, '/inbox')).body ?? '')).toContainEqual({
      href: '/inbox/preferences',
      text: 'Choose how you are told about new items',
    });
    const response = await pages.get(sam, '/inbox/preferences');
    expect(response.statusCode).toBe(200);
    const html = response.body ?? '';
    expect(mainTextOf(html)).toContain(
      'You have not chosen yet, so you have the usual choice for your role: inbox and an email for each item as it arrives.',
    );
    expect(html).toMatch(/id="mode-2"[^>]*value="immediate"[^>]*checked/);
    expect(html).toMatch(/id="digestAt"[^>]*value="08:00"/);
    const form = formsOf(html).find((candidate) => candidate.action === '/inbox/preferences');
    expect(form?.fields).toMatchObject({ version: '0', digestAt: '08:00' });
    expect(form?.fields.csrfToken).toBeTruthy();
  });

  it('a time not on the quarter hour is told on its field, with what was typed; nothing is saved', async () => {
    const form = formsOf((await pages.get(sam, '/inbox/preferences')).body ?? '').find((f) => f.action === '/inbox/preferences')!;
    const response = await pages.post(sam, form.action, { ...form.fields, mode: 'digest', digestAt: '7:50' });
    expect(response.statusCode).toBe(400);
    const html = response.body ?? '';
    expect(html).toContain('<title>Error: How you are told about new items');
    expect(mainLinksOf(html)).toContainEqual({ href: '#digestAt', text: DIGEST_TIME_QUARTER });
    expect(html).toMatch(/id="digestAt"[^>]*value="7:50"/);
    expect(html).toMatch(/id="mode-3"[^>]*value="digest"[^>]*checked/);
    expect(await preferences.get(sam.userId, { consistent: true })).toBeUndefined();

    const noChoice = await pages.post(sam, form.action, { csrfToken: form.fields.csrfToken ?? '', version: '0', digestAt: '08:00' });
    expect(noChoice.statusCode).toBe(400);
    expect(mainLinksOf(noChoice.body ?? '')).toContainEqual({ href: '#mode', text: MODE_ERROR });
  });

  it('saves a choice with the CSRF token and says so; a forged token or a stale form saves nothing', async () => {
    const form = formsOf((await pages.get(sam, '/inbox/preferences')).body ?? '').find((f) => f.action === '/inbox/preferences')!;
    const forged = await pages.post(sam, form.action, { ...form.fields, csrfToken: 'forged', mode: 'inbox' });
    expect(forged.statusCode).toBe(403);

    const saved = await pages.post(sam, form.action, { ...form.fields, mode: 'digest', digestAt: '4:30pm' });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers?.location).toBe('/inbox/preferences?saved=yes');
    const after = (await pages.get(sam, '/inbox/preferences?saved=yes')).body ?? '';
    expect(mainTextOf(after)).toContain(
      'Your choice has been saved. You will be told: inbox and one email at 4:30pm (UK time) on working days.',
    );
    expect(after).toMatch(/id="digestAt"[^>]*value="16:30"/);
    expect(await preferences.get(sam.userId, { consistent: true })).toMatchObject({
      preference: { mode: 'digest', digestAt: '16:30' },
      version: 1,
    });

    // The same form again (opened before the save, in another window): told, not saved.
    const stale = await pages.post(sam, form.action, { ...form.fields, mode: 'inbox' });
    expect(stale.statusCode).toBe(409);
    expect(mainTextOf(stale.body ?? '')).toContain(
      'Your choice was changed in another window since you opened this page, so nothing was saved.',
    );
    expect(formsOf(stale.body ?? '').find((f) => f.action === '/inbox/preferences')?.fields.version).toBe('1');
    expect(await preferences.get(sam.userId, { consistent: true })).toMatchObject({ version: 1 });
  });
});
