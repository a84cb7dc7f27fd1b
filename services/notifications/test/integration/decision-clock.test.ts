/** ReferralDecisionDue / ReferralDecisionOverdue → the front-door team's inbox, once per fact. */
import { referralDecisionDueV1, referralDecisionOverdueV1 } from '@fsp/shared/events/definitions/referrals';
import { deliverUntilAccepted, lambdaContext, sqsEventOf } from '@fsp/shared/testing/events';
import { factOf } from '../support/facts';
import { notificationsUnderTest } from '../support/notifications';

let env: Awaited<ReturnType<typeof notificationsUnderTest>>;

beforeAll(async () => {
  env = await notificationsUnderTest();
});
afterAll(async () => {
  await env.table.drop();
});

const mine = async (reference: string) => (await env.itemsIn('team:front-door')).filter((item) => String(item.title).includes(reference));

describe('the front door is reminded and escalated to', () => {
  it('ReferralDecisionDue on the deadline’s day: "Decision due by the end of today", once however often it arrives', async () => {
    const fact = factOf(
      referralDecisionDueV1,
      { ...referralDecisionDueV1.fixtures[0]!, reference: 'FSP-2026-000201' },
      '2026-01-06T14:00:00.000Z',
    );
    for (let i = 0; i < 5; i += 1) expect((await env.consumers.decisionDue(sqsEventOf(fact), lambdaContext)).batchItemFailures).toEqual([]);
    await deliverUntilAccepted(
      env.consumers.decisionDue,
      Array.from({ length: 5 }, () => fact),
    );
    const items = await mine('FSP-2026-000201');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      kind: 'referral-decision-due',
      title: 'Decision due by the end of today: FSP-2026-000201',
      link: '/front-door/referrals/01JGZ8Q4V7K3M2N5P6R8S9T0VW',
    });
  });

  it('ReferralDecisionDue the day before says which day', async () => {
    const fact = factOf(
      referralDecisionDueV1,
      { ...referralDecisionDueV1.fixtures[0]!, reference: 'FSP-2026-000202' },
      '2026-01-05T16:00:00.000Z',
    );
    await deliverUntilAccepted(env.consumers.decisionDue, [fact]);
    expect((await mine('FSP-2026-000202'))[0]?.title).toBe('Decision due by the end of Tuesday 6 January 2026: FSP-2026-000202');
  });

  it('ReferralDecisionOverdue: one escalation item of its own kind in the front-door team mailbox, however often it arrives', async () => {
    const fact = factOf(
      referralDecisionOverdueV1,
      { ...referralDecisionOverdueV1.fixtures[0]!, reference: 'FSP-2026-000203' },
      '2026-01-07T00:05:00.000Z',
    );
    await deliverUntilAccepted(
      env.consumers.decisionOverdue,
      Array.from({ length: 5 }, () => fact),
    );
    for (let i = 0; i < 5; i += 1) await deliverUntilAccepted(env.consumers.decisionOverdue, [fact]);
    const items = await mine('FSP-2026-000203');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      kind: 'referral-decision-overdue',
      title: 'Overdue: FSP-2026-000203 — the decision was due by the end of Tuesday 6 January 2026; escalated to the front-door manager',
    });
  });
});
