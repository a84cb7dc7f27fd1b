/**
 * Issue 15 Deliver 1–2 against DynamoDB Local: each consumer as deployed (SQS batch → idempotent
 * handler → stores) with an injected clock. Workers are told personally (de-allocation, status
 * changes, supervision and actions due soon, timescales due soon and overdue), overdue timescales
 * escalate to the team's managers, and a breach still open five working days on goes to the service
 * manager through the sweep (run at injected times across a weekend). Every fact is delivered five
 * times (the same event, again without its idempotency record, and as new events of the same fact);
 * facts arriving in the wrong order or after the thing is done tell nobody.
 */
import { DeleteCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { idempotencyPartitionKey } from '@fsp/shared/consumer';
import { cachedDirectory, type DirectoryWorker, type RoleDirectory } from '@fsp/shared/directory';
import type { EventDefinition } from '@fsp/shared/events/define';
import {
  assessmentCompletedV1,
  caseAllocatedV1,
  caseClosedV1,
  caseStatusChangedV1,
  caseTimescaleDueSoonV1,
  caseTimescaleMetV1,
  caseTimescaleOverdueV1,
} from '@fsp/shared/events/definitions/cases';
import { referralDecidedV1, referralDecisionOverdueV1 } from '@fsp/shared/events/definitions/referrals';
import {
  supervisionActionBecameOverdueV1,
  supervisionActionCompletedV1,
  supervisionActionDueSoonV1,
  supervisionBecameOverdueV1,
  supervisionDueSoonV1,
  supervisionHeldV1,
} from '@fsp/shared/events/definitions/supervision';
import type { Mailbox } from '@fsp/shared/inbox/mailbox';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import type { TestTable } from '@fsp/shared/testing/dynamodb';
import { type Consumer, type DeliverableEvent, lambdaContext, sqsEventOf } from '@fsp/shared/testing/events';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import type * as core from 'zod/v4/core';
import { createCaseAllocatedConsumer } from '../../src/consumers/case-allocated';
import { createCaseStatusChangedConsumer } from '../../src/consumers/case-status-changed';
import { createCaseTimescaleDueSoonConsumer } from '../../src/consumers/case-timescale-due-soon';
import { createCaseTimescaleOverdueConsumer } from '../../src/consumers/case-timescale-overdue';
import { createReferralDecidedConsumer } from '../../src/consumers/referral-decided';
import { createReferralDecisionOverdueConsumer } from '../../src/consumers/referral-decision-overdue';
import { createSupervisionActionBecameOverdueConsumer } from '../../src/consumers/supervision-action-became-overdue';
import { createSupervisionActionDueSoonConsumer } from '../../src/consumers/supervision-action-due-soon';
import { createSupervisionBecameOverdueConsumer } from '../../src/consumers/supervision-became-overdue';
import { createSupervisionDueSoonConsumer } from '../../src/consumers/supervision-due-soon';
import {
  createAssessmentCompletedConsumer,
  createCaseClosedConsumer,
  createCaseTimescaleMetConsumer,
  createSupervisionActionCompletedConsumer,
  createSupervisionHeldConsumer,
} from '../../src/consumers/timed-things-done';
import { createServiceManagerSweep } from '../../src/schedules/service-manager-escalations';
import { INBOX_ITEM_PREFIX, mailboxKey } from '../../src/store/inbox-store';
import { heldToDeclaration } from '../support/declared-runtime';
import { person } from '../support/directory';
import { factOf } from '../support/facts';

const NORTH = 'team-north-1';
const people = {
  sam: person('sw-sam', 'Sam Okafor', ['social-worker'], NORTH),
  rob: person('sw-rob', 'Rob Hale', ['social-worker'], NORTH),
  dana: person('as-dana', 'Dana Lewis', ['adult-specialist'], NORTH),
  tara: person('tm-tara', 'Tara Mensah', ['team-manager'], NORTH),
  olu: person('tm-olu', 'Olu Adebayo', ['team-manager'], NORTH),
  frontDoorManager: person('tm-front', 'Rita Osei', ['team-manager'], 'front-door'),
  serviceManager: person('sm-priya', 'Priya Shah', ['service-manager'], 'service-management'),
  formerServiceManager: person('sm-gone', 'Lee Carter', ['service-manager'], 'service-management', false),
};

/** The directory of these people behind the real cache, with its third question (holders of a role). */
function directoryOf(workers: readonly DirectoryWorker[]): RoleDirectory {
  return cachedDirectory({
    worker: async (userId) => workers.find((worker) => worker.userId === userId),
    workersWithRoles: async () => workers.filter((worker) => worker.roles.length > 0),
  });
}
const directory = directoryOf(Object.values(people));
const escalation = { serviceManagerAfterWorkingDays: 5 };

/** The injected clock: the sweep's notion of now. */
let now = new Date('2026-12-03T00:20:00.000Z');
let table: TestTable;
let runtime: ServiceRuntime;
let consumers: Record<string, Consumer>;
let sweep: ReturnType<typeof createServiceManagerSweep>;
/** The runtime as the named function has it: held to its manifest's table declaration (ADR 0023). */
const as = (functionName: string) => heldToDeclaration(runtime, functionName);

beforeAll(async () => {
  ({ table, runtime } = await createTestRuntime('notifications', () => now));
  const notTold = () => {
    throw new Error('no referrer is told in these tests');
  };
  consumers = {
    allocated: createCaseAllocatedConsumer(as('on-case-allocated'), directory),
    statusChanged: createCaseStatusChangedConsumer(as('on-case-status-changed'), directory),
    supervisionDueSoon: createSupervisionDueSoonConsumer(as('on-supervision-due-soon'), directory),
    supervisionOverdue: createSupervisionBecameOverdueConsumer(as('on-supervision-became-overdue'), directory, escalation),
    supervisionHeld: createSupervisionHeldConsumer(as('on-supervision-held')),
    actionDueSoon: createSupervisionActionDueSoonConsumer(as('on-supervision-action-due-soon'), directory),
    actionOverdue: createSupervisionActionBecameOverdueConsumer(as('on-supervision-action-became-overdue'), directory, escalation),
    actionCompleted: createSupervisionActionCompletedConsumer(as('on-supervision-action-completed')),
    timescaleDueSoon: createCaseTimescaleDueSoonConsumer(as('on-case-timescale-due-soon'), directory),
    timescaleOverdue: createCaseTimescaleOverdueConsumer(as('on-case-timescale-overdue'), directory, escalation),
    timescaleMet: createCaseTimescaleMetConsumer(as('on-case-timescale-met')),
    assessmentCompleted: createAssessmentCompletedConsumer(as('on-assessment-completed')),
    caseClosed: createCaseClosedConsumer(as('on-case-closed')),
    decisionOverdue: createReferralDecisionOverdueConsumer(as('on-referral-decision-overdue'), directory, {
      frontDoorTeamId: 'front-door',
      ...escalation,
    }),
    decided: createReferralDecidedConsumer(as('on-referral-decided'), { sendEmail: notTold, post: notTold }),
  };
  sweep = createServiceManagerSweep(as('service-manager-sweep'), directory, escalation);
});
afterAll(async () => {
  await table.drop();
});

it('holds each function here to its own table declaration: the sweep may not read a worker’s read receipts', async () => {
  await expect(
    as('service-manager-sweep').documents.send(
      new GetCommand({ TableName: runtime.tableName, Key: { pk: 'READER#u-sam', sk: 'READ#n1' }, ConsistentRead: true }),
    ),
  ).rejects.toThrow(/service-manager-sweep is not authorized: dynamodb:GetItem on partition READER#u-sam/);
});

async function deliver(consumer: Consumer, event: DeliverableEvent): Promise<void> {
  expect((await consumer(sqsEventOf(event), lambdaContext)).batchItemFailures).toEqual([]);
}

async function forgetIdempotency(): Promise<void> {
  const records = await table.documentClient.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': idempotencyPartitionKey('notifications') },
      ConsistentRead: true,
    }),
  );
  for (const record of records.Items ?? [])
    await table.documentClient.send(new DeleteCommand({ TableName: table.tableName, Key: { pk: record.pk, sk: record.sk } }));
}

/** One fact five times: the same event twice, again without its idempotency record, then twice as new events minutes apart. */
async function deliverFiveTimes<D extends core.$ZodType>(
  consumer: Consumer,
  definition: EventDefinition<D>,
  data: core.input<D>,
  at = '2026-12-03T00:15:00.000Z',
) {
  const first = factOf(definition, data, at);
  await deliver(consumer, first);
  await deliver(consumer, first);
  await forgetIdempotency();
  await deliver(consumer, first);
  await deliver(consumer, factOf(definition, data, at));
  await deliver(consumer, factOf(definition, data, new Date(new Date(at).getTime() + 15 * 60_000).toISOString()));
}

async function itemsIn(mailbox: Mailbox, reference?: string): Promise<Record<string, unknown>[]> {
  const result = await table.documentClient.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :item)',
      ExpressionAttributeValues: { ':pk': mailboxKey(mailbox), ':item': INBOX_ITEM_PREFIX },
      ConsistentRead: true,
    }),
  );
  return (result.Items ?? []).filter((item) => reference === undefined || item.reference === reference);
}
const kindsIn = async (mailbox: Mailbox, reference: string) => (await itemsIn(mailbox, reference)).map((item) => item.kind).sort();

/** A case of its own per test: its id and reference, allocated to Sam (social worker) and Dana (domestic abuse). */
async function allocatedCase(n: number) {
  const caseId = `case-personal-${n}`;
  const reference = `FSP-2026-00070${n}`;
  const [first, specialist] = caseAllocatedV1.fixtures;
  await deliver(
    consumers.allocated!,
    factOf(caseAllocatedV1, { ...first!, caseId, reference, teamId: NORTH, workerId: people.sam.userId }),
  );
  await deliver(
    consumers.allocated!,
    factOf(caseAllocatedV1, { ...specialist!, caseId, reference, teamId: NORTH, workerId: people.dana.userId }),
  );
  return { caseId, reference, teamId: NORTH };
}

describe('personal notifications', () => {
  it('a change of social worker: the new one is told they are allocated, the previous one that they are no longer on the case; once each', async () => {
    const { caseId, reference } = await allocatedCase(1);
    const change = {
      ...caseAllocatedV1.fixtures[2]!,
      caseId,
      reference,
      teamId: NORTH,
      workerId: people.rob.userId,
      previousWorkerId: people.sam.userId,
    };
    await deliverFiveTimes(consumers.allocated!, caseAllocatedV1, change);
    expect(await kindsIn(`user:${people.sam.userId}`, reference)).toEqual(['case-allocated', 'case-deallocated']);
    expect((await itemsIn(`user:${people.sam.userId}`, reference)).find((item) => item.kind === 'case-deallocated')).toMatchObject({
      title: `You are no longer allocated to case ${reference} as social worker`,
      link: `/cases/${caseId}`,
      teamId: NORTH,
    });
    expect(await kindsIn(`user:${people.rob.userId}`, reference)).toEqual(['case-allocated']);

    // Who hears of the case now: Rob and Dana, not Sam.
    const changed = { ...caseStatusChangedV1.fixtures[0]!, caseId, reference, teamId: NORTH, changedBy: people.tara.userId };
    await deliverFiveTimes(consumers.statusChanged!, caseStatusChangedV1, changed);
    expect(await kindsIn(`user:${people.rob.userId}`, reference)).toEqual(['case-allocated', 'case-status-changed']);
    expect(await kindsIn(`user:${people.dana.userId}`, reference)).toEqual(['case-allocated', 'case-status-changed']);
    expect(await kindsIn(`user:${people.sam.userId}`, reference)).toEqual(['case-allocated', 'case-deallocated']);
  });

  it('a status change of a case nobody is allocated to tells its team, once', async () => {
    const changed = {
      ...caseStatusChangedV1.fixtures[0]!,
      caseId: 'case-unallocated-1',
      reference: 'FSP-2026-000799',
      teamId: 'team-quiet',
    };
    await deliverFiveTimes(consumers.statusChanged!, caseStatusChangedV1, changed);
    expect(await kindsIn('team:team-quiet', 'FSP-2026-000799')).toEqual(['case-status-changed']);
  });

  it('group supervision due soon tells each allocated worker once; overdue then escalates to the managers; a due soon after it tells nobody', async () => {
    const { caseId, reference } = await allocatedCase(2);
    const supervision = { caseId, reference, teamId: NORTH, supervisionId: 'sup-personal-2' };
    await deliverFiveTimes(consumers.supervisionDueSoon!, supervisionDueSoonV1, { ...supervisionDueSoonV1.fixtures[0]!, ...supervision });
    expect(await kindsIn(`user:${people.sam.userId}`, reference)).toEqual(['case-allocated', 'supervision-due-soon']);
    expect(await kindsIn(`user:${people.dana.userId}`, reference)).toEqual(['case-allocated', 'supervision-due-soon']);

    await deliverFiveTimes(consumers.supervisionOverdue!, supervisionBecameOverdueV1, {
      ...supervisionBecameOverdueV1.fixtures[0]!,
      ...supervision,
    });
    for (const manager of [people.tara, people.olu])
      expect(await kindsIn(`user:${manager.userId}`, reference)).toEqual(['supervision-overdue']);

    // The reminder of a later supervision of the same case is its own thing; this one's, late, is stale.
    await deliver(consumers.supervisionDueSoon!, factOf(supervisionDueSoonV1, { ...supervisionDueSoonV1.fixtures[0]!, ...supervision }));
    await forgetIdempotency();
    await deliver(consumers.supervisionDueSoon!, factOf(supervisionDueSoonV1, { ...supervisionDueSoonV1.fixtures[0]!, ...supervision }));
    expect(await itemsIn(`user:${people.sam.userId}`, reference)).toHaveLength(2);
    // Held at last: its breach will not reach the service manager.
    await deliver(consumers.supervisionHeld!, factOf(supervisionHeldV1, { ...supervisionHeldV1.fixtures[0]!, ...supervision }));
  });

  it('overdue before due soon (the wrong order): the overdue is told, the due soon never', async () => {
    const { caseId, reference } = await allocatedCase(3);
    const action = {
      ...supervisionActionDueSoonV1.fixtures[0]!,
      caseId,
      reference,
      actionId: 'act-personal-3',
      ownerId: people.dana.userId,
    };
    await deliverFiveTimes(consumers.actionOverdue!, supervisionActionBecameOverdueV1, {
      ...action,
      escalatedTo: 'owner',
      detectedAt: '2026-12-03T00:15:00.000Z',
    });
    await deliverFiveTimes(consumers.actionDueSoon!, supervisionActionDueSoonV1, action);
    expect(await kindsIn(`user:${people.dana.userId}`, reference)).toEqual(['case-allocated', 'supervision-action-overdue']);
  });

  it('nothing is told of an action once it is completed, of a supervision once held, of a timescale once met', async () => {
    const { caseId, reference } = await allocatedCase(4);
    const action = {
      ...supervisionActionDueSoonV1.fixtures[0]!,
      caseId,
      reference,
      actionId: 'act-personal-4',
      ownerId: people.dana.userId,
    };
    await deliver(
      consumers.actionCompleted!,
      factOf(supervisionActionCompletedV1, { ...supervisionActionCompletedV1.fixtures[0]!, ...action }),
    );
    await deliverFiveTimes(consumers.actionDueSoon!, supervisionActionDueSoonV1, action);
    await deliverFiveTimes(consumers.actionOverdue!, supervisionActionBecameOverdueV1, {
      ...action,
      escalatedTo: 'team-manager',
      detectedAt: '2026-12-03T00:15:00.000Z',
    });

    const supervision = { caseId, reference, teamId: NORTH, supervisionId: 'sup-personal-4' };
    await deliver(consumers.supervisionHeld!, factOf(supervisionHeldV1, { ...supervisionHeldV1.fixtures[0]!, ...supervision }));
    await deliverFiveTimes(consumers.supervisionDueSoon!, supervisionDueSoonV1, { ...supervisionDueSoonV1.fixtures[0]!, ...supervision });
    await deliverFiveTimes(consumers.supervisionOverdue!, supervisionBecameOverdueV1, {
      ...supervisionBecameOverdueV1.fixtures[0]!,
      ...supervision,
    });

    const conference = { ...caseTimescaleDueSoonV1.fixtures[0]!, caseId, reference, socialWorkerId: people.sam.userId };
    await deliver(consumers.timescaleMet!, factOf(caseTimescaleMetV1, { ...caseTimescaleMetV1.fixtures[0]!, caseId, reference }));
    await deliverFiveTimes(consumers.timescaleDueSoon!, caseTimescaleDueSoonV1, conference);
    await deliverFiveTimes(consumers.timescaleOverdue!, caseTimescaleOverdueV1, conference);

    // The assessment, completed, is its timescale met.
    const assessment = { ...caseTimescaleDueSoonV1.fixtures[1]!, caseId, reference, socialWorkerId: people.sam.userId };
    await deliver(
      consumers.assessmentCompleted!,
      factOf(assessmentCompletedV1, { ...assessmentCompletedV1.fixtures[0]!, caseId, reference }),
    );
    await deliverFiveTimes(consumers.timescaleOverdue!, caseTimescaleOverdueV1, assessment);

    for (const worker of [people.sam, people.dana, people.tara, people.olu])
      expect((await kindsIn(`user:${worker.userId}`, reference)).filter((kind) => kind !== 'case-allocated')).toEqual([]);
    expect(await sweep()).toEqual({ escalated: 0, skipped: 0 });
  });

  it('nothing more is told of a closed case, whatever was still to come', async () => {
    const { caseId, reference } = await allocatedCase(5);
    await deliverFiveTimes(consumers.caseClosed!, caseClosedV1, { ...caseClosedV1.fixtures[0]!, caseId, reference });
    await deliverFiveTimes(consumers.timescaleDueSoon!, caseTimescaleDueSoonV1, {
      ...caseTimescaleDueSoonV1.fixtures[0]!,
      caseId,
      reference,
      socialWorkerId: people.sam.userId,
    });
    await deliverFiveTimes(consumers.actionDueSoon!, supervisionActionDueSoonV1, {
      ...supervisionActionDueSoonV1.fixtures[0]!,
      caseId,
      reference,
      ownerId: people.sam.userId,
    });
    expect(await kindsIn(`user:${people.sam.userId}`, reference)).toEqual(['case-allocated']);
  });
});

describe('escalations: the team’s managers once per breach, the service manager after five working days', () => {
  it('an assessment overdue on a Thursday: the social worker and each manager once; the service manager the next Thursday, not before, once', async () => {
    const { caseId, reference } = await allocatedCase(6);
    const assessment = { ...caseTimescaleDueSoonV1.fixtures[1]!, caseId, reference, teamId: NORTH, socialWorkerId: people.sam.userId };
    await deliverFiveTimes(consumers.timescaleDueSoon!, caseTimescaleDueSoonV1, assessment, '2026-11-26T07:00:00.000Z');
    await deliverFiveTimes(consumers.timescaleOverdue!, caseTimescaleOverdueV1, assessment, '2026-12-03T00:15:00.000Z');
    expect(await kindsIn(`user:${people.sam.userId}`, reference)).toEqual([
      'case-allocated',
      'case-timescale-due-soon',
      'case-timescale-overdue',
    ]);
    for (const manager of [people.tara, people.olu])
      expect(await kindsIn(`user:${manager.userId}`, reference)).toEqual(['case-timescale-escalated']);
    // A late due-soon changes nothing.
    await deliver(consumers.timescaleDueSoon!, factOf(caseTimescaleDueSoonV1, assessment, '2026-12-03T01:00:00.000Z'));
    expect(await itemsIn(`user:${people.sam.userId}`, reference)).toHaveLength(3);

    // Friday, the weekend, Monday to Wednesday, and a minute before: still with the team.
    for (const at of [
      '2026-12-04T12:00:00.000Z',
      '2026-12-05T12:00:00.000Z',
      '2026-12-06T23:00:00.000Z',
      '2026-12-07T09:00:00.000Z',
      '2026-12-09T17:00:00.000Z',
      '2026-12-10T00:14:00.000Z',
    ]) {
      now = new Date(at);
      expect(await sweep()).toEqual({ escalated: 0, skipped: 0 });
    }
    expect(await itemsIn(`user:${people.serviceManager.userId}`, reference)).toEqual([]);

    // Thursday 10 December at 00:15, five working days on: the (enabled) service manager, once however often the sweep runs.
    now = new Date('2026-12-10T00:15:00.000Z');
    expect(await sweep()).toEqual({ escalated: 1, skipped: 0 });
    now = new Date('2026-12-10T00:30:00.000Z');
    expect(await sweep()).toEqual({ escalated: 0, skipped: 0 });
    expect(await itemsIn(`user:${people.serviceManager.userId}`, reference)).toEqual([
      expect.objectContaining({
        kind: 'breach-escalated',
        title: `Still overdue after 5 working days: the assessment of case ${reference}, due by Monday 9 March 2026 — escalated to the service manager`,
        link: `/cases/${caseId}/path`,
        teamId: NORTH,
      }),
    ]);
    expect(await itemsIn(`user:${people.formerServiceManager.userId}`)).toEqual([]);
    // Met at last: nothing more, and the breach is not escalated again.
    await deliver(
      consumers.assessmentCompleted!,
      factOf(assessmentCompletedV1, { ...assessmentCompletedV1.fixtures[0]!, caseId, reference }),
    );
    await deliverFiveTimes(consumers.timescaleOverdue!, caseTimescaleOverdueV1, assessment, '2026-12-10T01:00:00.000Z');
    expect(await itemsIn(`user:${people.serviceManager.userId}`, reference)).toHaveLength(1);
  });

  it('a breach done before its time never reaches the service manager; a referral decision and an action escalated do', async () => {
    now = new Date('2026-12-11T08:00:00.000Z');
    const { caseId, reference } = await allocatedCase(7);
    // Friday 11 December: a supervision overdue (then held on Monday), an action escalated to the managers, a referral undecided.
    const supervision = { ...supervisionBecameOverdueV1.fixtures[0]!, caseId, reference, teamId: NORTH, supervisionId: 'sup-personal-7' };
    await deliverFiveTimes(consumers.supervisionOverdue!, supervisionBecameOverdueV1, supervision, '2026-12-11T00:15:00.000Z');
    const action = {
      ...supervisionActionBecameOverdueV1.fixtures[1]!,
      caseId,
      reference,
      teamId: NORTH,
      actionId: 'act-personal-7',
      ownerId: people.dana.userId,
    };
    await deliverFiveTimes(consumers.actionOverdue!, supervisionActionBecameOverdueV1, action, '2026-12-11T00:15:00.000Z');
    const referral = { ...referralDecisionOverdueV1.fixtures[0]!, referralId: 'ref-personal-7', reference: 'FSP-2026-000777' };
    await deliverFiveTimes(consumers.decisionOverdue!, referralDecisionOverdueV1, referral, '2026-12-11T00:05:00.000Z');
    expect(await kindsIn(`user:${people.frontDoorManager.userId}`, 'FSP-2026-000777')).toEqual(['referral-decision-overdue']);
    expect(await itemsIn('team:front-door', 'FSP-2026-000777')).toEqual([]);

    now = new Date('2026-12-14T10:00:00.000Z');
    await deliver(
      consumers.supervisionHeld!,
      factOf(supervisionHeldV1, { ...supervisionHeldV1.fixtures[0]!, caseId, reference, supervisionId: 'sup-personal-7' }),
    );

    // Friday 18 December, 00:15: the action and the referral (both still open), not the supervision.
    now = new Date('2026-12-18T00:15:00.000Z');
    expect(await sweep()).toEqual({ escalated: 2, skipped: 0 });
    expect(await kindsIn(`user:${people.serviceManager.userId}`, reference)).toEqual(['breach-escalated']);
    expect((await itemsIn(`user:${people.serviceManager.userId}`, reference))[0]!.title).toContain('an action from group supervision');
    expect(await kindsIn(`user:${people.serviceManager.userId}`, 'FSP-2026-000777')).toEqual(['breach-escalated']);

    // Decided afterwards: its escalation stands, and nothing more comes of it.
    await deliver(
      consumers.decided!,
      factOf(referralDecidedV1, {
        ...referralDecidedV1.fixtures[0]!,
        referralId: 'ref-personal-7',
        reference: 'FSP-2026-000777',
        agencyId: undefined,
      }),
    );
    now = new Date('2026-12-21T00:15:00.000Z');
    expect(await sweep()).toEqual({ escalated: 0, skipped: 0 });
  });

  it('with no service manager in the directory, the breach goes to the team’s mailbox rather than nobody', async () => {
    now = new Date('2026-12-21T09:00:00.000Z');
    const lonely = directoryOf([people.sam, people.tara]);
    const overdue = createCaseTimescaleOverdueConsumer(as('on-case-timescale-overdue'), lonely, escalation);
    const data = {
      ...caseTimescaleOverdueV1.fixtures[0]!,
      caseId: 'case-lonely-1',
      reference: 'FSP-2026-000788',
      teamId: NORTH,
      socialWorkerId: people.sam.userId,
    };
    await deliver(overdue, factOf(caseTimescaleOverdueV1, data, '2026-12-21T00:15:00.000Z'));
    // Five working days from Monday 21 December: Christmas Day and the Boxing Day holiday do not count.
    now = new Date('2026-12-29T00:15:00.000Z');
    expect(await createServiceManagerSweep(as('service-manager-sweep'), lonely, escalation)()).toEqual({ escalated: 0, skipped: 0 });
    now = new Date('2026-12-30T00:15:00.000Z');
    expect(await createServiceManagerSweep(as('service-manager-sweep'), lonely, escalation)()).toEqual({ escalated: 1, skipped: 0 });
    expect(await kindsIn(`team:${NORTH}`, 'FSP-2026-000788')).toEqual(['breach-escalated']);
  });
});
