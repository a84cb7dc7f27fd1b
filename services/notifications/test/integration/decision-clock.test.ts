/**
 * ReferralDecisionDue / ReferralDecisionOverdue: the reminder to the front-door team's inbox and the
 * escalation to the front-door team's managers (the directory's; the team's mailbox when it lists
 * none), once per referral however often or in whatever order the facts arrive, and never after the
 * decision. Each consumer as deployed (SQS batch → idempotent handler → stores) against DynamoDB Local.
 */
import { referralDecidedV1, referralDecisionDueV1, referralDecisionOverdueV1 } from '@fsp/shared/events/definitions/referrals';
import type { Mailbox } from '@fsp/shared/inbox/mailbox';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { allItems, type TestTable } from '@fsp/shared/testing/dynamodb';
import { type Consumer, deliverUntilAccepted } from '@fsp/shared/testing/events';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import type { NotificationsConfig } from '../../src/config';
import { createReferralDecidedConsumer } from '../../src/consumers/referral-decided';
import { createReferralDecisionDueConsumer } from '../../src/consumers/referral-decision-due';
import { createReferralDecisionOverdueConsumer } from '../../src/consumers/referral-decision-overdue';
import { INBOX_ITEM_PREFIX, mailboxKey } from '../../src/store/inbox-store';
import { fixtureDirectory, person } from '../support/directory';
import { factOf } from '../support/facts';

const config: NotificationsConfig & { serviceManagerAfterWorkingDays: number } = {
  frontDoorTeamId: 'front-door',
  serviceManagerAfterWorkingDays: 5,
};
const frontDoorManager = person('tm-front-1', 'Rita Osei', ['team-manager', 'front-door'], 'front-door');
const nobody = fixtureDirectory([]);
const withManager = fixtureDirectory([frontDoorManager, person('fd-1', 'Ann Bell', ['front-door'], 'front-door')]);

let table: TestTable;
let runtime: ServiceRuntime;
let consumers: { due: Consumer; overdue: Consumer; overdueToManager: Consumer; decided: Consumer };

beforeAll(async () => {
  ({ table, runtime } = await createTestRuntime('notifications'));
  const notTold = () => {
    throw new Error('no referrer is told in these tests');
  };
  consumers = {
    due: createReferralDecisionDueConsumer(runtime, nobody, config),
    overdue: createReferralDecisionOverdueConsumer(runtime, nobody, config),
    overdueToManager: createReferralDecisionOverdueConsumer(runtime, withManager, config),
    decided: createReferralDecidedConsumer(runtime, { sendEmail: notTold, post: notTold }),
  };
});
afterAll(async () => {
  await table.drop();
});

async function itemsIn(mailbox: Mailbox): Promise<Record<string, unknown>[]> {
  return (await allItems(table)).filter((item) => item.pk === mailboxKey(mailbox) && String(item.sk).startsWith(INBOX_ITEM_PREFIX));
}
const mine = async (reference: string, mailbox: Mailbox = 'team:front-door') =>
  (await itemsIn(mailbox)).filter((item) => String(item.title).includes(reference));

const due = (referralId: string, reference: string, at: string) =>
  factOf(referralDecisionDueV1, { ...referralDecisionDueV1.fixtures[0]!, referralId, reference }, at);
const overdue = (referralId: string, reference: string, at = '2026-01-07T00:05:00.000Z') =>
  factOf(referralDecisionOverdueV1, { ...referralDecisionOverdueV1.fixtures[0]!, referralId, reference }, at);
/** Five deliveries of the same event, and five more of the same fact under new event ids and times. */
const fiveTimesAndRepublished = (make: (at: string) => ReturnType<typeof factOf>, times: string[]) => {
  const first = make(times[0]!);
  return [first, first, first, first, first, ...times.map(make)];
};

describe('the front door is reminded and escalated to', () => {
  it('ReferralDecisionDue on the deadline’s day: "Decision due by the end of today", once however often it arrives', async () => {
    const facts = fiveTimesAndRepublished(
      (at) => due('ref-clock-1', 'FSP-2026-000201', at),
      ['2026-01-06T14:00:00.000Z', '2026-01-06T14:05:00.000Z', '2026-01-06T14:10:00.000Z'],
    );
    await deliverUntilAccepted(consumers.due, facts);
    const items = await mine('FSP-2026-000201');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      kind: 'referral-decision-due',
      title: 'Decision due by the end of today: FSP-2026-000201',
      link: '/front-door/referrals/ref-clock-1',
    });
  });

  it('ReferralDecisionDue the day before says which day', async () => {
    await deliverUntilAccepted(consumers.due, [due('ref-clock-2', 'FSP-2026-000202', '2026-01-05T16:00:00.000Z')]);
    expect((await mine('FSP-2026-000202'))[0]?.title).toBe('Decision due by the end of Tuesday 6 January 2026: FSP-2026-000202');
  });

  it('ReferralDecisionOverdue with no manager listed: one escalation of its own kind in the front-door team mailbox, however often it arrives', async () => {
    const facts = fiveTimesAndRepublished(
      (at) => overdue('ref-clock-3', 'FSP-2026-000203', at),
      ['2026-01-07T00:05:00.000Z', '2026-01-07T00:20:00.000Z'],
    );
    await deliverUntilAccepted(consumers.overdue, facts);
    const items = await mine('FSP-2026-000203');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      kind: 'referral-decision-overdue',
      title: 'Overdue: FSP-2026-000203 — the decision was due by the end of Tuesday 6 January 2026; escalated to the front-door manager',
    });
  });

  it('ReferralDecisionOverdue goes to each of the front-door team’s managers in person, not to the team', async () => {
    await deliverUntilAccepted(
      consumers.overdueToManager,
      fiveTimesAndRepublished(
        (at) => overdue('ref-clock-4', 'FSP-2026-000204', at),
        ['2026-01-07T00:05:00.000Z', '2026-01-07T01:05:00.000Z'],
      ),
    );
    expect(await mine('FSP-2026-000204', `user:${frontDoorManager.userId}`)).toEqual([
      expect.objectContaining({ kind: 'referral-decision-overdue', teamId: 'front-door', link: '/front-door/referrals/ref-clock-4' }),
    ]);
    expect(await mine('FSP-2026-000204')).toEqual([]);
    expect(await mine('FSP-2026-000204', 'user:fd-1')).toEqual([]);
  });

  it('a reminder arriving after the escalation, or anything after the decision, tells nobody', async () => {
    await deliverUntilAccepted(consumers.overdue, [overdue('ref-clock-5', 'FSP-2026-000205')]);
    await deliverUntilAccepted(consumers.due, [due('ref-clock-5', 'FSP-2026-000205', '2026-01-06T14:00:00.000Z')]);
    expect((await mine('FSP-2026-000205')).map((item) => item.kind)).toEqual(['referral-decision-overdue']);

    const decided = factOf(referralDecidedV1, {
      ...referralDecidedV1.fixtures[0]!,
      referralId: 'ref-clock-6',
      reference: 'FSP-2026-000206',
      agencyId: undefined,
      formReferrer: undefined,
    });
    await deliverUntilAccepted(consumers.decided, [decided]);
    await deliverUntilAccepted(consumers.due, [due('ref-clock-6', 'FSP-2026-000206', '2026-01-06T14:00:00.000Z')]);
    await deliverUntilAccepted(consumers.overdue, [overdue('ref-clock-6', 'FSP-2026-000206')]);
    expect(await mine('FSP-2026-000206')).toEqual([]);
  });
});
