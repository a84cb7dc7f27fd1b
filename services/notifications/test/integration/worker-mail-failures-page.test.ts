/**
 * The administrators' page of workers' email that failed (ADR 0019), against DynamoDB Local: made
 * failed the way the schedule fails them (SES refusing every attempt), listed newest first as
 * summary cards with what to do, paged, and for administrators only.
 */
import { mainLinksOf, mainTextOf } from '@fsp/shared/testing/html';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import type { WorkerMailIntent } from '../../src/domain/worker-mail';
import { createWorkerMailSchedule } from '../../src/schedules/worker-mail';
import { createWorkerMailStore } from '../../src/store/worker-mail-store';
import { fixtureDirectory, person } from '../support/directory';
import { movableClock } from '../support/outbound';
import { type PageWorker, pagesUnderTest } from '../support/page-session';

const time = movableClock('2026-01-05T09:00:00.000Z');
const administrator: PageWorker = { userId: 'ad-0001', name: 'Ade Bello', roles: ['administrator'], teamId: 'platform' };
const manager: PageWorker = { userId: 'tm-0001', name: 'Tara Mensah', roles: ['team-manager'], teamId: 'team-a' };
const unreachable = { ...person('u-unreachable', 'Una Reach', ['social-worker'], 'team-a'), email: 'una.reach@no-such-domain.invalid' };

let env: Awaited<ReturnType<typeof createTestRuntime>>;
let pages: ReturnType<typeof pagesUnderTest>;

/** SES refuses every email (as it does an address it has suppressed). */
const refuse = async (): Promise<never> => {
  throw Object.assign(new Error('Address is on the suppression list'), { name: 'MessageRejected', $metadata: { httpStatusCode: 400 } });
};

beforeAll(async () => {
  env = await createTestRuntime('notifications', time.clock);
  pages = pagesUnderTest(env.runtime);
  const store = createWorkerMailStore(env.runtime.documents, env.runtime.tableName);
  const run = createWorkerMailSchedule(env.runtime, {
    sendEmail: refuse,
    directory: fixtureDirectory([unreachable]),
    origin: 'https://fsp.example.gov.uk',
  });
  const intent = (n: number): WorkerMailIntent => ({
    notificationId: `n-page-${String(n).padStart(2, '0')}`,
    userId: unreachable.userId,
    mode: 'immediate',
    sendAt: time.now().toISOString(),
    kind: 'case-allocated',
    title: `Case FSP-2026-0000${String(n).padStart(2, '0')} has been allocated to you`,
    link: '/cases/c',
    reference: `FSP-2026-0000${String(n).padStart(2, '0')}`,
    urgent: false,
    createdAt: time.now().toISOString(),
  });
  // 22 emails, failing a minute apart: more than one page.
  for (let n = 1; n <= 22; n += 1) {
    await store.record([intent(n)], time.now());
    await run();
    for (const wait of [1, 5, 30, 120]) {
      time.advance(wait * 60_000);
      await run();
    }
    time.advance(60_000);
  }
  time.set('2026-01-06T10:00:00.000Z');
});
afterAll(async () => {
  await env.table.drop();
});

const page = async (worker: PageWorker, path: string) => {
  const response = await pages.get(worker, path);
  expect(response.statusCode).toBe(200);
  return response.body ?? '';
};

describe('workers’ emails that failed, for administrators', () => {
  it('lists them newest first as cards, with the cases, attempts and what SES said, and says what to do', async () => {
    const html = await page(administrator, '/admin/worker-mail-failures');
    const text = mainTextOf(html);
    expect(text).toContain('Workers’ emails that failed');
    expect(text).toContain('Check their email address, and correct it if it is wrong.');
    const cards = [...html.matchAll(/<h2 class="govuk-summary-card__title">/g)];
    expect(cards).toHaveLength(20);
    expect(text.indexOf('FSP-2026-000022')).toBeGreaterThan(-1);
    expect(text.indexOf('FSP-2026-000022')).toBeLessThan(text.indexOf('FSP-2026-000021'));
    expect(text).toContain(
      'Worker (user id) u-unreachable Cases FSP-2026-000022 Items 1 Attempts 5 Last result refused by SES: MessageRejected (HTTP 400)',
    );
    // Neither the address nor the titles are shown.
    expect(html).not.toContain('una.reach');
    expect(html).not.toContain('has been allocated to you');
  });

  it('pages through them', async () => {
    const first = await page(administrator, '/admin/worker-mail-failures');
    const next = mainLinksOf(first).find((link) => link.text.startsWith('Next'))!;
    expect(next.href).toMatch(/^\/admin\/worker-mail-failures\?cursor=/);
    const second = mainTextOf(await page(administrator, next.href));
    expect(second).toContain('FSP-2026-000001');
    expect(second).not.toContain('FSP-2026-000022');
  });

  it('is for administrators only, and says what to do with a page that does not exist', async () => {
    expect((await pages.get(manager, '/admin/worker-mail-failures')).statusCode).toBe(403);
    const missing = await pages.get(administrator, '/admin/worker-mail-failures?cursor=nonsense');
    expect(missing.statusCode).toBe(404);
    expect(mainLinksOf(missing.body ?? '')).toContainEqual({
      href: '/admin/worker-mail-failures',
      text: 'Go to the workers’ emails that failed',
    });
  });
});
