/**
 * Group supervision's facts in, inbox items out (issue 13): overdue supervisions to the team's
 * managers as the directory lists them (the team's mailbox when it lists none), actions to their
 * owners, overdue actions to the owner and then the managers. Each consumer as deployed (SQS batch →
 * idempotent handler → store) against DynamoDB Local, each fact delivered five times, under the same
 * event id and under new ones, one after another and all at once: one item per (fact, recipient).
 */
import { DeleteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { idempotencyPartitionKey } from '@fsp/shared/consumer';
import { parseEventDetail } from '@fsp/shared/events/build';
import type { EventDefinition } from '@fsp/shared/events/define';
import { inboxItemDeliveredV1 } from '@fsp/shared/events/definitions/notifications';
import {
  supervisionActionAssignedV1,
  supervisionActionBecameOverdueV1,
  supervisionBecameOverdueV1,
} from '@fsp/shared/events/definitions/supervision';
import type { Mailbox } from '@fsp/shared/inbox/mailbox';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { allItems, type TestTable } from '@fsp/shared/testing/dynamodb';
import { type Consumer, type DeliverableEvent, deliverUntilAccepted, lambdaContext, sqsEventOf } from '@fsp/shared/testing/events';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import type * as core from 'zod/v4/core';
import { createSupervisionActionAssignedConsumer } from '../../src/consumers/supervision-action-assigned';
import { createSupervisionActionBecameOverdueConsumer } from '../../src/consumers/supervision-action-became-overdue';
import { createSupervisionBecameOverdueConsumer } from '../../src/consumers/supervision-became-overdue';
import { INBOX_ITEM_PREFIX, mailboxKey } from '../../src/store/inbox-store';
import { fixtureDirectory, person, unavailableDirectory } from '../support/directory';
import { factOf } from '../support/facts';
import { notificationsHttpHandler } from '../support/http';
import { asWorker, bodyOf } from '../support/notifications';

const NORTH = 'team-north-1';
const VACANT = 'team-without-manager';
const OWNER_ID = supervisionActionAssignedV1.fixtures[0]!.ownerId;

const people = {
  tara: person('tm-0001', 'Tara Mensah', ['team-manager'], NORTH),
  olu: person('tm-0002', 'Olu Adebayo', ['team-manager', 'social-worker'], NORTH),
  leaver: person('tm-0003', 'Lee Carter', ['team-manager'], NORTH, false),
  serviceManager: person('sm-0001', 'Priya Shah', ['service-manager'], NORTH),
  sam: person(OWNER_ID, 'Sam Okafor', ['social-worker'], NORTH),
  // The owner of several actions: delivery finds every personal item's owner in the directory (one it lacks has left).
  ali: person('sw-actions-2', 'Ali Reed', ['social-worker'], NORTH),
  vacantWorker: person('sw-0101', 'Ruth Hale', ['social-worker'], VACANT),
  southManager: person('tm-0009', 'Kim Lee', ['team-manager'], 'team-south-2'),
};
const directory = fixtureDirectory(Object.values(people));
/** Breaches go to the service manager five working days on (service.ts's environment). */
const escalation = { serviceManagerAfterWorkingDays: 5 };

let table: TestTable;
let runtime: ServiceRuntime;
let consumers: { overdue: Consumer; assigned: Consumer; actionOverdue: Consumer };

beforeAll(async () => {
  ({ table, runtime } = await createTestRuntime('notifications'));
  consumers = {
    overdue: createSupervisionBecameOverdueConsumer(runtime, directory, escalation),
    assigned: createSupervisionActionAssignedConsumer(runtime, directory),
    actionOverdue: createSupervisionActionBecameOverdueConsumer(runtime, directory, escalation),
  };
});
afterAll(async () => {
  await table.drop();
});

async function deliver(consumer: Consumer, event: DeliverableEvent): Promise<void> {
  expect((await consumer(sqsEventOf(event), lambdaContext)).batchItemFailures).toEqual([]);
}

/** The consumers' idempotency records gone (as after their 14 days), so a redelivery reaches the store again. */
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

/**
 * One fact delivered five times: the same event twice (the queue's redelivery), again once its
 * idempotency record is gone, then twice more as new events of the same fact (a producer's retry),
 * minutes apart.
 */
async function deliverFiveTimes<D extends core.$ZodType>(consumer: Consumer, definition: EventDefinition<D>, data: core.input<D>) {
  const first = factOf(definition, data, '2026-02-18T00:15:00.000Z');
  await deliver(consumer, first);
  await deliver(consumer, first);
  await forgetIdempotency();
  await deliver(consumer, first);
  await deliver(consumer, factOf(definition, data, '2026-02-18T00:15:00.000Z'));
  await deliver(consumer, factOf(definition, data, '2026-02-18T00:30:00.000Z'));
  return first;
}

async function itemsIn(mailbox: Mailbox): Promise<Record<string, unknown>[]> {
  const result = await table.documentClient.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :item)',
      ExpressionAttributeValues: { ':pk': mailboxKey(mailbox), ':item': INBOX_ITEM_PREFIX },
      ConsistentRead: true,
    }),
  );
  return result.Items ?? [];
}

/** InboxItemDelivered as the outbox holds it for one mailbox: the counter values published. */
async function deliveredCountsPublished(mailbox: Mailbox): Promise<number[]> {
  const items = (await allItems(table)).filter((item) => item.kind === 'outbox' && item.detailType === 'InboxItemDelivered');
  return items
    .map((item) => parseEventDetail(inboxItemDeliveredV1, JSON.parse(String(item.detail))).data)
    .filter((data) => data.mailbox === mailbox)
    .map((data) => data.deliveredCount)
    .sort((a, b) => a - b);
}

interface InboxBody {
  items: { id: string; kind: string; title: string; link: string; read: boolean }[];
  unreadCount: number;
}

async function inboxOf(worker: { userId: string; teamId: string }): Promise<InboxBody> {
  const response = await notificationsHttpHandler(runtime)(asWorker(worker, 'GET', '/api/inbox'));
  expect(response.statusCode).toBe(200);
  return bodyOf<InboxBody>(response);
}

describe('SupervisionBecameOverdue', () => {
  const data = { ...supervisionBecameOverdueV1.fixtures[0]!, supervisionId: 'sup-overdue-1', caseId: 'case-overdue-1' };

  it('reaches each enabled team manager of the case’s team once, however often it is delivered', async () => {
    await deliverFiveTimes(consumers.overdue, supervisionBecameOverdueV1, data);

    for (const manager of [people.olu, people.tara]) {
      const stored = await itemsIn(`user:${manager.userId}`);
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({
        kind: 'supervision-overdue',
        title: 'Group supervision of case FSP-2026-000123 is overdue — it was due by the end of Thursday 5 February 2026',
        link: '/supervision/cases/case-overdue-1',
      });
      expect(await deliveredCountsPublished(`user:${manager.userId}`)).toEqual([1]);
      const inbox = await inboxOf({ userId: manager.userId, teamId: NORTH });
      expect(inbox.unreadCount).toBe(1);
      expect(inbox.items.map((item) => item.kind)).toEqual(['supervision-overdue']);
    }
    // Not the leaver, the service manager, the owner, another team's manager, nor the team's mailbox.
    for (const mailbox of [
      `user:${people.leaver.userId}`,
      `user:${people.serviceManager.userId}`,
      `user:${OWNER_ID}`,
      `user:${people.southManager.userId}`,
      `team:${NORTH}`,
    ] as const)
      expect(await itemsIn(mailbox)).toEqual([]);
  });

  it('goes to the team’s mailbox, once, when the directory lists no team manager for the team', async () => {
    await deliverFiveTimes(consumers.overdue, supervisionBecameOverdueV1, { ...data, supervisionId: 'sup-vacant-1', teamId: VACANT });
    expect(await itemsIn(`team:${VACANT}`)).toEqual([expect.objectContaining({ kind: 'supervision-overdue' })]);
    expect(await deliveredCountsPublished(`team:${VACANT}`)).toEqual([1]);
    expect((await inboxOf({ userId: people.vacantWorker.userId, teamId: VACANT })).unreadCount).toBe(1);
  });

  it('delivers one item per manager when five events of the same fact arrive at once', async () => {
    const fact = { ...data, supervisionId: 'sup-concurrent-1', caseId: 'case-concurrent-1' };
    const events = ['00:15', '00:15', '00:30', '00:45', '01:00'].map((time) =>
      factOf(supervisionBecameOverdueV1, fact, `2026-02-19T${time}:00.000Z`),
    );
    await deliverUntilAccepted(consumers.overdue, [...events, events[0]!]);
    for (const manager of [people.olu, people.tara]) {
      const stored = await itemsIn(`user:${manager.userId}`);
      expect(stored.filter((item) => item.link === '/supervision/cases/case-concurrent-1')).toHaveLength(1);
      expect(await deliveredCountsPublished(`user:${manager.userId}`)).toEqual([1, 2]);
    }
  });

  it('waits for a directory that cannot answer (the queue retries) rather than telling nobody', async () => {
    const blind = createSupervisionBecameOverdueConsumer(runtime, unavailableDirectory, escalation);
    const fact = factOf(supervisionBecameOverdueV1, { ...data, supervisionId: 'sup-blind-1', teamId: 'team-blind' });
    expect((await blind(sqsEventOf(fact), lambdaContext)).batchItemFailures).toHaveLength(1);
    expect(await itemsIn('team:team-blind')).toEqual([]);
    // The queue's retry, with the directory answering again: the team (no manager listed) is told.
    await deliver(consumers.overdue, fact);
    expect(await itemsIn('team:team-blind')).toHaveLength(1);
  });
});

describe('SupervisionActionAssigned', () => {
  it('reaches the action’s owner once, in their own mailbox, naming the case by its reference and never the action’s words', async () => {
    const data = { ...supervisionActionAssignedV1.fixtures[0]!, actionId: 'act-assigned-1' };
    await deliverFiveTimes(consumers.assigned, supervisionActionAssignedV1, data);
    const stored = await itemsIn(`user:${OWNER_ID}`);
    expect(stored.filter((item) => item.kind === 'supervision-action-assigned')).toEqual([
      expect.objectContaining({
        title: 'You have a new action from group supervision of case FSP-2026-000123, due Tuesday 17 February 2026',
        link: '/supervision/actions',
      }),
    ]);
    expect(await itemsIn(`team:${NORTH}`)).toEqual([]);
    const inbox = await inboxOf({ userId: OWNER_ID, teamId: NORTH });
    expect(inbox.items.filter((item) => item.kind === 'supervision-action-assigned')).toHaveLength(1);
  });

  it('tells the owner of each action of a record, one item each', async () => {
    const owner = { userId: 'sw-actions-2', teamId: NORTH };
    for (const actionId of ['act-multi-1', 'act-multi-2', 'act-multi-3'])
      await deliver(
        consumers.assigned,
        factOf(supervisionActionAssignedV1, { ...supervisionActionAssignedV1.fixtures[0]!, actionId, ownerId: owner.userId }),
      );
    expect(await itemsIn(`user:${owner.userId}`)).toHaveLength(3);
    expect(await deliveredCountsPublished(`user:${owner.userId}`)).toEqual([1, 2, 3]);
    expect((await inboxOf(owner)).unreadCount).toBe(3);
  });
});

describe('SupervisionActionBecameOverdue', () => {
  const [toOwner, toManager] = supervisionActionBecameOverdueV1.fixtures;
  const ownerId = 'sw-overdue-owner';
  const owner = person(ownerId, 'Dana Lewis', ['adult-specialist'], NORTH);
  const withOwner = fixtureDirectory([...Object.values(people), owner]);
  const actionOverdue = () => createSupervisionActionBecameOverdueConsumer(runtime, withOwner, escalation);

  it('escalated to the owner: reaches the owner alone, once, linking to their actions', async () => {
    await deliverFiveTimes(actionOverdue(), supervisionActionBecameOverdueV1, { ...toOwner!, actionId: 'act-late-1', ownerId });
    expect(await itemsIn(`user:${ownerId}`)).toEqual([
      expect.objectContaining({
        kind: 'supervision-action-overdue',
        title: 'Your action from group supervision of case FSP-2026-000123 is overdue — it was due Tuesday 17 February 2026',
        link: '/supervision/actions',
      }),
    ]);
    const managerItems = await itemsIn(`user:${people.tara.userId}`);
    expect(managerItems.filter((item) => String(item.kind).startsWith('supervision-action'))).toEqual([]);
  });

  it('escalated to the team manager: reaches each manager once, saying whose action it is, linking to the team’s overdue list', async () => {
    const consumer = actionOverdue();
    await deliverFiveTimes(consumer, supervisionActionBecameOverdueV1, { ...toManager!, actionId: 'act-late-1', ownerId });
    for (const manager of [people.olu, people.tara]) {
      const escalated = (await itemsIn(`user:${manager.userId}`)).filter((item) => item.kind === 'supervision-action-escalated');
      expect(escalated).toEqual([
        expect.objectContaining({
          title: 'Dana Lewis’s action from group supervision of case FSP-2026-000123 is still open — it was due Tuesday 17 February 2026',
          link: '/supervision/overdue',
        }),
      ]);
    }
    // The owner's own item (the first escalation) stays the only one in their mailbox.
    expect(await itemsIn(`user:${ownerId}`)).toHaveLength(1);
    expect(await itemsIn(`team:${NORTH}`)).toEqual([]);
  });

  it('escalated to the team manager of a team with none listed: the team’s mailbox, once', async () => {
    await deliverFiveTimes(actionOverdue(), supervisionActionBecameOverdueV1, {
      ...toManager!,
      actionId: 'act-late-vacant',
      teamId: VACANT,
      ownerId: people.vacantWorker.userId,
    });
    const escalated = (await itemsIn(`team:${VACANT}`)).filter((item) => item.kind === 'supervision-action-escalated');
    expect(escalated).toEqual([
      expect.objectContaining({
        title: 'Ruth Hale’s action from group supervision of case FSP-2026-000123 is still open — it was due Tuesday 17 February 2026',
      }),
    ]);
  });
});
