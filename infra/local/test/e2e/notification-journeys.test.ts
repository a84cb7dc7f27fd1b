/**
 * Issue 15's "Done when", on the running local cloud (gateway, functions, DynamoDB Local, outbox
 * relay, bus, queues and the mail outbox), with EVERY event delivered five times to every
 * subscription and the functions' clock set to each moment of the story:
 *
 * - Before: the north team's specialist, Dana, chooses a daily email at 08:30; the social worker,
 *   Sam, and the manager, Jo, keep their roles' defaults (an email at once; a digest at 08:00).
 * - Thursday 31 December 2026: a health visitor's referral is decided for an assessment; the case
 *   opens, its assessment due 45 working days on, Friday 5 March 2027.
 * - Friday 5 March (the first working day): Jo allocates Sam and Dana; the case-timescales schedule
 *   tells Sam the assessment is due soon; Jo holds the first group supervision early, with an
 *   action for each (Dana's due that day, Sam's on Monday).
 * - The weekend: the assessment goes overdue (Sam told, and Jo escalated to, once), Dana's action
 *   goes overdue (Dana told); no digest is sent on Saturday or Sunday.
 * - Monday 8 March (the second working day): Jo's digest at 08:00 and Dana's at 08:30, each once;
 *   runs before, at and after each moment show that only the moment itself sends.
 *
 * Each worker's inbox and the mail outbox then hold exactly what their preferences say, and no email
 * names the family.
 */
import { loadServiceManifests } from '@fsp/shared/manifest-loader';
import { testDynamoEndpoint } from '@fsp/shared/testing/dynamodb';
import { type LocalCloud, startLocalCloud } from '../../src/local-cloud';
import type { StoredMessage } from '../../src/mail/outbox';
import { failed, healthVisitorReferral, journeyOn, london } from './local-cloud/journey';
import { eventually, partnerToken, verboseLog, workerToken } from './local-cloud/support';

jest.setTimeout(180_000);

const WAIT_MS = 90_000;
/** EventBridge delivers at least once: here, every event reaches every subscription five times. */
const DELIVERY_COPIES = 5;

type Who = 'partner' | 'frontdoor' | 'socialworker' | 'specialist' | 'manager';

let cloud: LocalCloud;
const tokens = new Map<Who, string>();
const { call, subOf, quiet, runSchedule, setClock } = journeyOn(() => cloud, tokens, WAIT_MS);

const ADDRESSES = {
  socialworker: 'sam.okafor@example.gov.uk',
  specialist: 'dana.lewis@example.gov.uk',
  manager: 'jo.patel@example.gov.uk',
} as const;

/** What would identify the family: none of it may reach an email. */
const FAMILY = ['Noah', 'Reid', 'Chloe', '2023-04-12', 'drinking', 'DASH', 'safety plan'];

async function mailTo(who: keyof typeof ADDRESSES): Promise<StoredMessage[]> {
  const response = await fetch(`${cloud.url}/_local/mail/messages?to=${encodeURIComponent(ADDRESSES[who])}`);
  expect(response.status).toBe(200);
  const { messages } = (await response.json()) as { messages: StoredMessage[] };
  return messages.reverse();
}
const subjectsTo = async (who: keyof typeof ADDRESSES) => (await mailTo(who)).map((message) => message.subject);

interface InboxItem {
  kind: string;
  title: string;
  link: string;
}
async function inboxOf(who: Who): Promise<InboxItem[]> {
  const answer = await call(who, '/api/inbox');
  expect(failed(answer, `GET /api/inbox as ${who}`)).toMatchObject({ status: 200 });
  return (answer.body.items ?? []) as InboxItem[];
}
const kindsOf = async (who: Who) => (await inboxOf(who)).map((item) => item.kind).sort();

/** The worker-mail schedule at a moment: it sends what is due then (immediate emails, digests whose moment has come). */
const runWorkerMail = (day: string, time: string) => runSchedule<unknown>('notifications', 'worker-mail', 'worker-mail', london(day, time));
const runCaseTimescales = (day: string, time: string) =>
  runSchedule<{ dueSoon: number; overdue: number; failed: number }>('cases', 'case-timescales', 'case-timescales', london(day, time));
const runSupervisionTimescales = (day: string, time: string) =>
  runSchedule<Record<string, number>>('supervision', 'supervision-timescales', 'supervision-timescales', london(day, time));

beforeAll(async () => {
  cloud = await startLocalCloud({
    manifests: await loadServiceManifests(),
    dynamoEndpoint: testDynamoEndpoint(),
    tablePrefix: `notify${Date.now().toString(36)}-`,
    deliveryCopies: DELIVERY_COPIES,
    queueOverrides: { backoff: () => 50, visibilityTimeoutMs: 10_000 },
    log: verboseLog,
    ...(process.env.FSP_TEST_VERBOSE ? {} : { functionLogLevel: 'WARN' as const }),
  });
  tokens.set('partner', await partnerToken(cloud, 'referrals/submit'));
  for (const who of ['frontdoor', 'socialworker', 'specialist', 'manager'] as const) tokens.set(who, await workerToken(cloud, who));
}, 120_000);
afterAll(() => cloud?.stop());

describe('workers told once, by the channel they chose, across two working days', () => {
  let caseId: string;
  let reference: string;

  it('keeps each worker’s choice, and their role’s default until they choose', async () => {
    setClock(london('2026-12-30', '16:00'));
    const dana = await call('specialist', '/api/inbox/preferences', {
      method: 'PUT',
      body: { mode: 'digest', digestAt: '08:30', version: 0 },
    });
    expect(failed(dana, 'PUT preferences as Dana')).toMatchObject({
      status: 200,
      body: { mode: 'digest', digestAt: '08:30', saved: true },
    });
    expect(failed(await call('socialworker', '/api/inbox/preferences'), 'GET preferences as Sam')).toMatchObject({
      status: 200,
      body: { mode: 'immediate', saved: false },
    });
    expect(failed(await call('manager', '/api/inbox/preferences'), 'GET preferences as Jo')).toMatchObject({
      status: 200,
      body: { mode: 'digest', digestAt: '08:00', saved: false },
    });
  });

  it('opens a case from a referral decided on the last working day of 2026: its team is told, nobody is emailed', async () => {
    setClock(london('2026-12-31', '09:30'));
    const submitted = await call('partner', '/v1/referrals', {
      method: 'POST',
      body: healthVisitorReferral,
    });
    expect(failed(submitted, 'POST /v1/referrals')).toMatchObject({ status: 201 });
    const referralId = submitted.body.id as string;
    reference = submitted.body.reference as string;
    setClock(london('2026-12-31', '10:30'));
    expect(
      failed(await call('frontdoor', `/api/front-door/referrals/${referralId}/screening`, { method: 'POST' }), 'screening'),
    ).toMatchObject({
      status: 200,
    });
    const decided = await call('frontdoor', `/api/front-door/referrals/${referralId}/decision`, {
      method: 'POST',
      body: { outcome: 'assessment', reason: 'Domestic abuse with a baby in the home: assess.', teamId: 'north' },
    });
    expect(failed(decided, 'decision')).toMatchObject({ status: 200 });
    const found = await eventually(
      async () => {
        const answer = await call('manager', `/api/cases?referralId=${referralId}`);
        return answer.status === 200 ? answer.body : undefined;
      },
      'the case opened from the referral',
      WAIT_MS,
    );
    caseId = found.id as string;
    await quiet();
    await runWorkerMail('2026-12-31', '10:35');

    expect(await kindsOf('manager')).toEqual(['case-opened']);
    for (const who of ['socialworker', 'specialist', 'manager'] as const) expect(await subjectsTo(who)).toEqual([]);
  });

  it('Friday 5 March: allocation, the assessment due soon and a supervision held with actions reach Sam at once, and wait for the digests', async () => {
    setClock(london('2027-03-05', '09:00'));
    const allocated = await call('manager', `/api/cases/${caseId}/allocation`, {
      method: 'PUT',
      body: { version: 0, socialWorkerId: subOf('socialworker'), specialists: { 'domestic-abuse-victim': subOf('specialist') } },
    });
    expect(failed(allocated, 'PUT allocation')).toMatchObject({ status: 200 });
    await quiet();
    await runWorkerMail('2027-03-05', '09:01');
    expect(await subjectsTo('socialworker')).toHaveLength(1);

    // The assessment is due today: due soon since Friday 26 February, and the first run since tells Sam, now allocated.
    expect(await runCaseTimescales('2027-03-05', '09:15')).toMatchObject({ dueSoon: 1, overdue: 0, failed: 0 });
    await runWorkerMail('2027-03-05', '09:16');
    expect(await subjectsTo('socialworker')).toHaveLength(2);

    setClock(london('2027-03-05', '11:00'));
    const record = {
      heldOn: '2027-03-05',
      attendees: [subOf('socialworker'), subOf('specialist')],
      rating: 'amber',
      ratingRationale: 'Chloe is engaging and the partner has moved out, but he still visits and his drinking is unchanged.',
      discussion: 'Hypothesis: the visits continue because Chloe fears what he will do if she refuses them.',
      risks: 'His drinking; contact arranged between the adults without a plan.',
      strengths: 'Chloe sought help herself; Noah’s grandmother is close by and protective.',
      decisions: 'Complete the assessment; safety plan reviewed with Chloe.',
      actions: [
        { what: 'Complete the DASH risk assessment with Chloe', ownerId: subOf('specialist'), dueDate: '2027-03-05' },
        { what: 'Review the safety plan with Chloe and her mother', ownerId: subOf('socialworker'), dueDate: '2027-03-08' },
      ],
    };
    const completed = await call('manager', `/api/supervision/cases/${caseId}/supervisions/1/record/complete`, {
      method: 'POST',
      body: { ...record, expectedVersion: 0 },
    });
    expect(failed(completed, 'POST complete')).toMatchObject({ status: 200, body: { recordStatus: 'completed' } });
    await quiet();
    await runSupervisionTimescales('2027-03-05', '11:15');
    await runWorkerMail('2027-03-05', '11:16');

    // Sam: allocated, assessment due soon, his action, and his action due soon (Monday): four emails, each once.
    expect(await subjectsTo('socialworker')).toHaveLength(4);
    // Dana and Jo chose (or kept) a digest, and today's has passed: nothing yet.
    expect(await subjectsTo('specialist')).toEqual([]);
    expect(await subjectsTo('manager')).toEqual([]);
  });

  it('the weekend: the assessment and Dana’s action go overdue, Jo is escalated to once, and no digest is sent', async () => {
    expect(await runCaseTimescales('2027-03-05', '23:45')).toMatchObject({ dueSoon: 0, overdue: 0 });
    expect(await runCaseTimescales('2027-03-06', '00:15')).toMatchObject({ dueSoon: 0, overdue: 1, failed: 0 });
    expect(await runCaseTimescales('2027-03-06', '00:30')).toMatchObject({ dueSoon: 0, overdue: 0 });
    await runSupervisionTimescales('2027-03-06', '00:15');
    await runSupervisionTimescales('2027-03-06', '00:30');
    await runWorkerMail('2027-03-06', '00:31');
    // Sam is told at once that the assessment is overdue.
    expect(await subjectsTo('socialworker')).toHaveLength(5);

    for (const [day, time] of [
      ['2027-03-06', '08:01'],
      ['2027-03-06', '08:31'],
      ['2027-03-07', '08:01'],
      ['2027-03-07', '08:31'],
      ['2027-03-08', '07:59'],
    ] as const) {
      await runWorkerMail(day, time);
      expect({ at: `${day} ${time}`, dana: await subjectsTo('specialist'), jo: await subjectsTo('manager') }).toEqual({
        at: `${day} ${time}`,
        dana: [],
        jo: [],
      });
    }
  });

  it('Monday 8 March: each digest arrives once, at its time, grouped by case with the urgent first', async () => {
    await runWorkerMail('2027-03-08', '08:01');
    await runWorkerMail('2027-03-08', '08:02');
    const jos = await mailTo('manager');
    expect(jos).toHaveLength(1);
    expect(await subjectsTo('specialist')).toEqual([]);

    await runWorkerMail('2027-03-08', '08:31');
    await runWorkerMail('2027-03-08', '08:46');
    const danas = await mailTo('specialist');
    expect(danas).toHaveLength(1);
    expect(await mailTo('manager')).toHaveLength(1);
    expect(await subjectsTo('socialworker')).toHaveLength(5);

    // Jo: the one escalation, the assessment overdue on Sam's case.
    expect(jos[0]?.subject).toBe('Family Safeguarding: your daily summary (1 item, 1 urgent)');
    expect(jos[0]?.text).toContain(`Case ${reference}`);
    // Dana: since Friday's allocation, four items on one case, her overdue action first under "Urgent".
    expect(danas[0]?.subject).toMatch(/^Family Safeguarding: your daily summary \(\d+ items, [1-9]\d* urgent\)$/);
    const danasText = danas[0]?.text ?? '';
    expect(danasText.indexOf('Urgent')).toBeGreaterThan(-1);
    expect(danasText.indexOf('Urgent')).toBeLessThan(danasText.indexOf('Other items'));
    expect(danasText.match(new RegExp(`Case ${reference}`, 'g'))).toHaveLength(2);
    expect(danasText.slice(danasText.indexOf('Urgent'), danasText.indexOf('Other items'))).toMatch(/overdue/);
  });

  it('holds in each inbox exactly what happened, once, and names the family in no email', async () => {
    expect(await kindsOf('socialworker')).toEqual(
      [
        'case-allocated',
        'case-opened',
        'case-timescale-due-soon',
        'case-timescale-overdue',
        'supervision-action-assigned',
        'supervision-action-due-soon',
        'supervision-scheduled',
        'supervision-scheduled',
      ].sort(),
    );
    expect(await kindsOf('specialist')).toEqual(
      [
        'case-allocated',
        'case-opened',
        'supervision-action-assigned',
        'supervision-action-due-soon',
        'supervision-action-overdue',
        'supervision-scheduled',
        'supervision-scheduled',
      ].sort(),
    );
    expect(await kindsOf('manager')).toEqual(
      ['case-opened', 'case-timescale-escalated', 'supervision-scheduled', 'supervision-scheduled'].sort(),
    );

    const everyEmail = [...(await mailTo('socialworker')), ...(await mailTo('specialist')), ...(await mailTo('manager'))];
    for (const message of everyEmail) {
      for (const word of FAMILY) {
        expect({ subject: message.subject, word, inText: message.text?.includes(word), inHtml: message.html?.includes(word) }).toEqual({
          subject: message.subject,
          word,
          inText: false,
          inHtml: false,
        });
      }
    }
  });
});
