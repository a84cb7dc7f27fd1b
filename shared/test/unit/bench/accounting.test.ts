import {
  accountBurst,
  frontDoorLink,
  intoOwnPartitions,
  perReferralSum,
  perSecond,
  priceTransactions,
  sumCapacity,
  usageOf,
} from '../../../../bench/accounting';
import { isOutboxImage } from '../../../src/outbox';

describe('the burst’s accounting', () => {
  it('counts a 201 whose referral is not stored, one without an inbox item, and one with two', () => {
    const created = ['r1', 'r2', 'r3', 'r4'];
    const stored = new Set(['r1', 'r2', 'r4']);
    const links = [frontDoorLink('r1'), frontDoorLink('r2'), frontDoorLink('r2'), frontDoorLink('r3'), '/cases/elsewhere'];
    expect(accountBurst(created, stored, links)).toEqual({ lost: { notStored: 1, noInboxItem: 1 }, duplicated: 1 });
  });

  it('finds nothing lost or duplicated when every referral is stored with one item, whatever else the mailbox holds', () => {
    const created = ['r1', 'r2'];
    expect(accountBurst(created, new Set(created), [frontDoorLink('r2'), '/front-door/referrals/old', frontDoorLink('r1')])).toEqual({
      lost: { notStored: 0, noInboxItem: 0 },
      duplicated: 0,
    });
  });

  it('rates answers per second to one decimal', () => {
    expect(perSecond(1000, 8000)).toBe(125);
    expect(perSecond(10, 3000)).toBe(3.3);
  });

  it('moves every item of a transaction into partitions of its own, leaving the original as it was', () => {
    const original = {
      TransactItems: [
        {
          Put: {
            TableName: 'fsp-local-referrals',
            Item: { pk: 'REFERRAL#1', sk: 'REFERRAL', gsi1pk: 'FRONT-DOOR', gsi1sk: 'due#1', n: 1 },
          },
        },
        { Put: { TableName: 'fsp-local-referrals', Item: { pk: 'OUTBOX#e1', sk: 'OUTBOX', kind: 'outbox', detail: '{}' } } },
        {
          Update: {
            TableName: 'fsp-local-referrals',
            Key: { pk: 'RATE-LIMIT#a', sk: 'WINDOW#1' },
            UpdateExpression: 'ADD #count :one',
            ExpressionAttributeValues: { ':one': 1 },
          },
        },
      ],
      ClientRequestToken: 'token',
    };
    const copy = intoOwnPartitions(original, 'BENCH-RAW#r#');
    expect(copy.TransactItems).toEqual([
      {
        Put: {
          TableName: 'fsp-local-referrals',
          Item: { pk: 'BENCH-RAW#r#REFERRAL#1', sk: 'REFERRAL', gsi1pk: 'BENCH-RAW#r#FRONT-DOOR', gsi1sk: 'due#1', n: 1 },
        },
      },
      { Put: { TableName: 'fsp-local-referrals', Item: { pk: 'BENCH-RAW#r#OUTBOX#e1', sk: 'OUTBOX', kind: 'outbox', detail: '{}' } } },
      {
        Update: {
          TableName: 'fsp-local-referrals',
          Key: { pk: 'BENCH-RAW#r#RATE-LIMIT#a', sk: 'WINDOW#1' },
          UpdateExpression: 'ADD #count :one',
          ExpressionAttributeValues: { ':one': 1 },
        },
      },
    ]);
    expect(isOutboxImage(original.TransactItems[1]?.Put?.Item)).toBe(true);
    expect(isOutboxImage(copy.TransactItems?.[1]?.Put?.Item)).toBe(false);
    expect(copy.ClientRequestToken).toBe('token');
    expect(original.TransactItems[0]?.Put?.Item.pk).toBe('REFERRAL#1');
  });
});

describe('capacity and counts', () => {
  const reports = [
    { function: 'referrals-partner-api', command: 'TransactWriteItemsCommand', read: 0, write: 4 },
    { function: 'referrals-partner-api', command: 'GetItemCommand', read: 0.5, write: 0 },
    { function: 'notifications-on-referral-submitted', command: 'PutItemCommand', read: 0, write: 1 },
    { function: 'notifications-on-referral-submitted', command: 'QueryCommand', read: 1.5, write: 0 },
  ];

  it('sums read and write units, for the reports kept', () => {
    expect(sumCapacity(reports)).toEqual({ read: 2, write: 5, commands: 4 });
    expect(sumCapacity(reports, (report) => report.function === 'referrals-partner-api')).toEqual({ read: 0.5, write: 4, commands: 2 });
  });

  it('prices a transaction’s items from the stream’s writes, twice each, whatever DynamoDB Local answered', () => {
    const item = (action: 'Put' | 'Update' | 'Delete' | 'ConditionCheck', pk: string) => ({ action, table: 't', pk, sk: 'S' });
    const write = (pk: string, table: number, indexes = 0) => ({ table: 't', pk, sk: 'S', units: { table, indexes } });
    const transaction = {
      function: 'referrals-http',
      command: 'TransactWriteItemsCommand',
      read: 0,
      // DynamoDB Local's answer for these five items: its distinct per-item figures added up.
      write: 2,
      transactionItems: [item('Put', 'A'), item('Update', 'B'), item('Delete', 'C'), item('ConditionCheck', 'D'), item('Update', 'E')],
    };
    const single = { function: 'cases-on-referral-accepted', command: 'UpdateItemCommand', read: 0, write: 1 };
    const sizes: Record<string, number> = { D: 1500, E: 300 };
    const priced = priceTransactions(
      [transaction, single],
      // The same key written twice in the step: the transaction takes the first write, in stream order.
      [write('A', 2, 2), write('A', 1), write('B', 1, 1), write('C', 1)],
      (_table, pk) => sizes[pk] ?? 0,
    );
    // A: 2 × (2 + 2); B: 2 × (1 + 1); C: 2 × 1; D checked, 1.5 KB: 2 × 2; E changed nothing the stream shows, 300 bytes: 2 × 1.
    expect(priced[0]?.write).toBe(8 + 4 + 2 + 4 + 2);
    expect(priced[1]).toBe(single);
    expect(priceTransactions([{ ...transaction, write: 0, failed: true }], [], () => 0)[0]?.write).toBe(0);
  });

  it('groups a window’s invocations by function, billed durations rounded up, and counts the queue messages', () => {
    const invocation = (fn: string, durationMs: number, messages: number, memoryMb = 512) => ({
      function: fn,
      memoryMb,
      durationMs,
      messages,
      endedAt: 0,
    });
    const usage = usageOf(
      {
        capacity: reports,
        invocations: [
          invocation('referrals-partner-api', 20.2, 0),
          invocation('notifications-on-referral-submitted', 5, 3),
          invocation('referrals-partner-api', 9.5, 0),
        ],
        httpRequests: 2,
        events: 4,
      },
      2,
    );
    expect(usage).toEqual({
      referrals: 2,
      httpRequests: 2,
      invocations: [
        { function: 'notifications-on-referral-submitted', invocations: 1, billedMs: 5, memoryMb: 512 },
        { function: 'referrals-partner-api', invocations: 2, billedMs: 31, memoryMb: 512 },
      ],
      events: 4,
      queueMessages: 3,
      readUnits: 2,
      writeUnits: 5,
    });
  });

  it('adds windows per referral: one referral carried through each', () => {
    const window = (referrals: number, scale: number) => ({
      referrals,
      httpRequests: 2 * scale,
      invocations: [{ function: 'f', invocations: 2 * scale, billedMs: 100 * scale, memoryMb: 512 }],
      events: 4 * scale,
      queueMessages: 6 * scale,
      readUnits: 8 * scale,
      writeUnits: 10 * scale,
    });
    expect(perReferralSum(window(1, 1), window(10, 10))).toEqual({
      referrals: 1,
      httpRequests: 4,
      invocations: [{ function: 'f', invocations: 4, billedMs: 200, memoryMb: 512 }],
      events: 8,
      queueMessages: 12,
      readUnits: 16,
      writeUnits: 20,
    });
  });
});
