import type { ServiceRuntime } from '@fsp/shared/runtime';
import { apiGatewayEvent, workerClaims } from '@fsp/shared/testing/api-gateway-event';
import { allItems, type TestTable } from '@fsp/shared/testing/dynamodb';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { fixedClock } from '@fsp/shared/time/clock';
import { decisionReminderFor, decisionReminderFrom } from '../../src/domain/decision';
import { receiveReferral } from '../../src/domain/referral';
import { referralSubmissionSchema } from '../../src/domain/submission';
import { createDecisionReminders } from '../../src/schedules/decision-reminders';
import { schoolReferral } from '../support/fixtures';
import { createFrontDoorApi } from '../support/http';
import { receive } from '../support/referrals';

const received = (receivedAt: string) =>
  receiveReferral(referralSubmissionSchema.parse(schoolReferral()), {
    referralId: 'ref-1',
    reference: 'FSP-2026-7K3M2N',
    receivedAt: new Date(receivedAt),
    channel: 'partner-api',
    agencyId: 'agency-oakfield',
    newChildId: () => 'child-1',
  });

describe('decision reminders: due from 12:00 London on the due day, overdue after its end', () => {
  it.each([
    // received, due by, reminder from, [instant, expected reminder]...
    [
      'Friday 18:00 (GMT): due by the end of Monday; nothing over the weekend',
      '2026-11-27T18:00:00Z',
      '2026-11-30T23:59:59.999Z',
      '2026-11-30T12:00:00.000Z',
      [
        ['2026-11-28T12:00:00Z', undefined],
        ['2026-11-29T23:00:00Z', undefined],
        ['2026-11-30T11:59:59Z', undefined],
        ['2026-11-30T12:00:00Z', 'due'],
        ['2026-11-30T23:59:59.999Z', 'due'],
        ['2026-12-01T00:00:00Z', 'overdue'],
      ],
    ],
    [
      'Christmas Eve 2026: Christmas Day, the weekend and Boxing Day (moved to Monday 28th) skipped',
      '2026-12-24T10:00:00Z',
      '2026-12-29T23:59:59.999Z',
      '2026-12-29T12:00:00.000Z',
      [
        ['2026-12-25T12:00:00Z', undefined],
        ['2026-12-28T12:00:00Z', undefined],
        ['2026-12-29T12:00:00Z', 'due'],
        ['2026-12-30T00:00:01Z', 'overdue'],
      ],
    ],
    [
      'Thursday 23:30 UTC in June is Friday 00:30 BST: due by the end of Monday, London time',
      '2026-06-04T23:30:00Z',
      '2026-06-08T22:59:59.999Z',
      '2026-06-08T11:00:00.000Z',
      [
        ['2026-06-08T10:59:59Z', undefined],
        ['2026-06-08T11:00:00Z', 'due'],
        ['2026-06-08T22:59:59.999Z', 'due'],
        ['2026-06-08T23:00:00Z', 'overdue'],
      ],
    ],
    [
      'Friday before the clocks go back: due Monday, in GMT',
      '2026-10-23T15:00:00Z',
      '2026-10-26T23:59:59.999Z',
      '2026-10-26T12:00:00.000Z',
      [
        ['2026-10-25T12:00:00Z', undefined],
        ['2026-10-26T11:59:00Z', undefined],
        ['2026-10-26T12:00:00Z', 'due'],
      ],
    ],
  ] as const)('%s', (_, receivedAt, dueBy, reminderFrom, checks) => {
    const referral = received(receivedAt);
    expect(referral.decisionDueBy).toBe(dueBy);
    expect(decisionReminderFrom(new Date(dueBy)).toISOString()).toBe(reminderFrom);
    for (const [at, expected] of checks) expect([at, decisionReminderFor(referral, new Date(at))]).toEqual([at, expected]);
  });

  it('sends each reminder once, and none for a decided referral', () => {
    const referral = received('2026-11-27T18:00:00Z');
    expect(
      decisionReminderFor({ ...referral, decisionDueNotifiedAt: '2026-11-30T12:00:00.000Z' }, new Date('2026-11-30T13:00:00Z')),
    ).toBeUndefined();
    expect(decisionReminderFor({ ...referral, decisionDueNotifiedAt: '2026-11-30T12:00:00.000Z' }, new Date('2026-12-01T01:00:00Z'))).toBe(
      'overdue',
    );
    expect(
      decisionReminderFor({ ...referral, decisionOverdueNotifiedAt: '2026-12-01T00:00:00.000Z' }, new Date('2026-12-02T01:00:00Z')),
    ).toBeUndefined();
    expect(decisionReminderFor({ ...referral, status: 'decided' }, new Date('2026-12-02T01:00:00Z'))).toBeUndefined();
  });
});

describe('the decision-reminders schedule', () => {
  let table: TestTable;
  let runtime: ServiceRuntime;
  let now = '2026-11-27T18:00:00Z';

  beforeEach(async () => {
    now = '2026-11-27T18:00:00Z';
    ({ table, runtime } = await createTestRuntime('referrals', () => fixedClock(now)()));
  });
  afterEach(async () => {
    await table.drop();
  });

  const submit = async () => {
    const referral = await receive(runtime);
    return { id: referral.referralId, reference: referral.reference };
  };
  const run = () => createDecisionReminders(runtime)({ id: 'schedule-run-1', time: now });
  const reminders = async () =>
    (await allItems(table))
      .filter((item) => item.kind === 'outbox' && String(item.detailType).startsWith('ReferralDecision'))
      .map((item) => ({ detailType: item.detailType, detail: JSON.parse(item.detail as string) }));

  it('reminds on Monday afternoon and escalates on Tuesday, once each, however often and concurrently it runs', async () => {
    const friday = await submit(); // Friday 18:00: due by the end of Monday
    now = '2026-11-23T09:00:00Z';
    const earlier = await submit(); // Monday before: due by the end of Tuesday 24th: overdue by Friday
    now = '2026-11-28T12:00:00Z'; // Saturday
    expect(await run()).toMatchObject({ due: 0, overdue: 1 });
    expect((await reminders()).map((r) => [r.detailType, r.detail.data.referralId])).toEqual([['ReferralDecisionOverdue', earlier.id]]);

    now = '2026-11-30T11:45:00Z'; // Monday morning: not yet
    expect(await run()).toMatchObject({ due: 0, overdue: 0 });

    now = '2026-11-30T12:00:00Z';
    const concurrent = await Promise.all([run(), run(), run()]);
    expect(concurrent.reduce((sum, r) => sum + r.due, 0)).toBe(1);
    now = '2026-11-30T16:00:00Z';
    expect(await run()).toMatchObject({ due: 0, overdue: 0 });

    now = '2026-12-01T00:10:00Z';
    expect(await run()).toMatchObject({ due: 0, overdue: 1 });
    expect(await run()).toMatchObject({ due: 0, overdue: 0 });

    const sent = await reminders();
    expect(sent.map((r) => [r.detailType, r.detail.data.referralId]).sort()).toEqual(
      [
        ['ReferralDecisionDue', friday.id],
        ['ReferralDecisionOverdue', earlier.id],
        ['ReferralDecisionOverdue', friday.id],
      ].sort(),
    );
    const due = sent.find((r) => r.detailType === 'ReferralDecisionDue')!;
    expect(due.detail.data).toEqual({
      referralId: friday.id,
      reference: friday.reference,
      receivedAt: '2026-11-27T18:00:00.000Z',
      decisionDueBy: '2026-11-30T23:59:59.999Z',
      familySafeguardingFlag: true,
    });
    expect(due.detail.metadata).toMatchObject({ correlationId: friday.id, causationId: 'schedule-run-1' });
  });

  it('sends nothing for a referral decided in time', async () => {
    const { id } = await submit();
    now = '2026-11-30T10:00:00Z';
    const frontDoor = workerClaims({ 'cognito:groups': '[front-door]', 'custom:team': 'front-door', sub: 'frontdoor-user' });
    const decided = await createFrontDoorApi(runtime)(
      apiGatewayEvent({
        method: 'POST',
        path: `/api/front-door/referrals/${id}/decision`,
        body: { outcome: 'early-help', reason: 'Early help will call.' },
        claims: frontDoor,
      }),
    );
    expect(decided.statusCode).toBe(200);
    now = '2026-12-01T10:00:00Z';
    expect(await run()).toMatchObject({ due: 0, overdue: 0 });
    expect(await reminders()).toEqual([]);
  });

  it('still reminds a referral in screening', async () => {
    const { id } = await submit();
    const frontDoor = workerClaims({ 'cognito:groups': '[front-door]', 'custom:team': 'front-door', sub: 'frontdoor-user' });
    now = '2026-11-30T09:00:00Z';
    const screening = await createFrontDoorApi(runtime)(
      apiGatewayEvent({ method: 'POST', path: `/api/front-door/referrals/${id}/screening`, claims: frontDoor }),
    );
    expect(screening.statusCode).toBe(200);
    now = '2026-11-30T13:00:00Z';
    expect(await run()).toMatchObject({ due: 1 });
  });
});
