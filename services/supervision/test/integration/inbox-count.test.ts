/**
 * The Inbox count on the supervision pages (WEB.md: every page's navigation shows "Inbox" with the
 * worker's unread count; ADR 0013): notifications' counter events kept by this service's
 * inbox-changed consumer in its own table, read in the same round as the page's own read, through
 * the real handler with a sealed session against DynamoDB Local.
 */
import { generateSessionKey, serializeSessionKeys } from '@fsp/shared/http/session';
import { createInboxChangedConsumer } from '@fsp/shared/inbox/consumer';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import type { TestTable } from '@fsp/shared/testing/dynamodb';
import { type DeliverableEvent, deliverUntilAccepted } from '@fsp/shared/testing/events';
import { mainTextOf } from '@fsp/shared/testing/html';
import { inboxBadgeOf, inboxDelivered, inboxItemTextOf, inboxRead } from '@fsp/shared/testing/inbox';
import { type PageWorker, pageVisitor } from '@fsp/shared/testing/pages';
import { countingRounds } from '@fsp/shared/testing/read-rounds';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { fixedClock } from '@fsp/shared/time/clock';
import { createCaseOpenedConsumer } from '../../src/consumers/case-opened';
import { caseOpened } from '../support/events';
import { ORIGIN, supervisionPagesHandler } from '../support/pages';

const NOW = '2026-03-10T09:00:00.000Z';

const manager: PageWorker = { userId: 'tm-0001', name: 'Tara Mensah', roles: ['team-manager'], teamId: 'team-north-1' };
const southManager: PageWorker = { userId: 'tm-0002', name: 'Kim Lee', roles: ['team-manager'], teamId: 'team-south-2' };

let table: TestTable;
let runtime: ServiceRuntime;
let rounds: ReturnType<typeof countingRounds>;
let visitor: ReturnType<typeof pageVisitor>;

const hear = (...events: DeliverableEvent[]) => deliverUntilAccepted(createInboxChangedConsumer(runtime), events);

beforeAll(async () => {
  ({ table, runtime } = await createTestRuntime('supervision', fixedClock(NOW)));
  await deliverUntilAccepted(createCaseOpenedConsumer(runtime), [
    caseOpened({ caseId: 'case-inbox', teamId: 'team-north-1', openedAt: '2026-03-06T10:00:00.000Z' }),
  ]);
  rounds = countingRounds(runtime.documents);
  const keys = [generateSessionKey(1)];
  const handler = supervisionPagesHandler(
    { ...runtime, documents: rounds.documents },
    { environment: { SESSION_KEYS: serializeSessionKeys(keys), PUBLIC_ORIGIN: ORIGIN }, now: runtime.clock },
  );
  visitor = pageVisitor({ handler, keys, origin: ORIGIN, clock: runtime.clock });
});
afterAll(async () => {
  await table.drop();
});

const page = async (worker: PageWorker, path: string) => {
  rounds.take();
  const response = await visitor.get(worker, path);
  return { status: response.statusCode, html: response.body ?? '', rounds: rounds.take() };
};

describe('the Inbox item on the supervision pages', () => {
  it('shows no count before notifications has told this service of any item', async () => {
    expect(inboxItemTextOf((await page(manager, '/supervision')).html)).toBe('Inbox');
  });

  it('shows the worker’s unread items on every page, in one round of reads with the page’s own', async () => {
    await hear(
      inboxDelivered('team:team-north-1', 2),
      inboxDelivered('team:team-north-1', 6),
      inboxRead('tm-0001', 'team:team-north-1', 3),
      inboxDelivered('team:team-south-2', 1),
    );

    const agenda = await page(manager, '/supervision');
    expect(agenda.status).toBe(200);
    expect(inboxItemTextOf(agenda.html)).toBe('Inbox 3 (3 unread)');
    // One round: the agenda, the team's open actions and the counters read, and the team's audit item written, together (1ec2215).
    expect(agenda.rounds).toBe(1);

    const supervisions = await page(manager, '/supervision/cases/case-inbox');
    expect(supervisions.status).toBe(200);
    expect(inboxBadgeOf(supervisions.html)).toBe(3);
    // One round of reads (the case's partition and the counters), then the read's audit item, written before answering.
    expect(supervisions.rounds).toBe(2);

    // Another team's worker: their own count, on the page that tells them there is nothing for them.
    const refused = await page(southManager, '/supervision/cases/case-inbox');
    expect(refused.status).toBe(404);
    expect(mainTextOf(refused.html)).toContain('There is no supervision of this case for you to see');
    expect(inboxBadgeOf(refused.html)).toBe(1);
  });
});
