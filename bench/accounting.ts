/**
 * The bench's pure arithmetic, apart from the measurements that feed it so that unit tests load
 * nothing else: the burst's lost and duplicated accounting, rates, the capacity sums and the cost
 * model's counts of a window.
 */
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { CapacityReport } from '../shared/src/consumed-capacity';
import { billedMs, type InvocationUsage, type Usage } from './cost-model';
import type { InvocationRecord } from './invocations';
import type { LedgerWrite } from './stream-ledger';
import { conditionCheckUnits, transactionalUnits } from './write-units';

export interface CapacitySum {
  read: number;
  write: number;
  commands: number;
}

export interface BurstAccount {
  lost: { notStored: number; noInboxItem: number };
  duplicated: number;
}

/** Which created referrals are missing from the table or the inbox, and which have more than one inbox item. Pure. */
export function accountBurst(created: readonly string[], stored: ReadonlySet<string>, inboxLinks: readonly string[]): BurstAccount {
  const itemsPerLink = new Map<string, number>();
  for (const link of inboxLinks) itemsPerLink.set(link, (itemsPerLink.get(link) ?? 0) + 1);
  let notStored = 0;
  let noInboxItem = 0;
  let duplicated = 0;
  for (const id of new Set(created)) {
    if (!stored.has(id)) notStored += 1;
    const items = itemsPerLink.get(frontDoorLink(id)) ?? 0;
    if (items === 0) noInboxItem += 1;
    if (items > 1) duplicated += 1;
  }
  return { lost: { notStored, noInboxItem }, duplicated };
}

/** Where the front door's inbox item about a referral links to (notifications' domain). */
export const frontDoorLink = (referralId: string): string => `/front-door/referrals/${referralId}`;

/** Answers per second, rounded to one decimal. */
export const perSecond = (count: number, elapsedMs: number): number => Math.round((count / (elapsedMs / 1000)) * 10) / 10;

/**
 * The same transaction, to the same table, with every item moved into partitions of its own: each
 * partition key (and gsi1's) gets `prefix` in front. Same items, same sizes give or take the prefix,
 * same table, index and stream; but no key is one the platform reads, and an outbox item's key no
 * longer starts `OUTBOX#`, so the relay passes it by and no consumer runs. Pure.
 */
export function intoOwnPartitions(input: TransactWriteCommandInput, prefix: string): TransactWriteCommandInput {
  const moved = (record: Record<string, unknown> | undefined, attributes: readonly string[]) =>
    record &&
    Object.fromEntries(
      Object.entries(record).map(([name, value]) => [
        name,
        attributes.includes(name) && typeof value === 'string' ? `${prefix}${value}` : value,
      ]),
    );
  return {
    ...input,
    TransactItems: (input.TransactItems ?? []).map((item) =>
      Object.fromEntries(
        Object.entries(item).map(([kind, action]) => {
          if (!action) return [kind, action];
          const { Item, Key, ...rest } = action as { Item?: Record<string, unknown>; Key?: Record<string, unknown> };
          return [kind, { ...rest, ...(Item ? { Item: moved(Item, ['pk', 'gsi1pk']) } : {}), ...(Key ? { Key: moved(Key, ['pk']) } : {}) }];
        }),
      ),
    ),
  };
}

/**
 * The reports with each transaction's write units as AWS bills them (ADR 0034): every item it put,
 * updated or deleted priced from the stream's write of that item (`writes`, the same step's, in
 * stream order), twice; a condition check as a write of the item checked (`sizeOf`). An item the
 * stream did not show (an update that changed nothing) is priced as a write of its size now. A
 * refused transaction stays unpriced. Pure, `sizeOf` apart.
 */
export function priceTransactions(
  reports: readonly CapacityReport[],
  writes: readonly LedgerWrite[],
  sizeOf: (table: string, pk: string, sk: string) => number,
): CapacityReport[] {
  const pending = new Map<string, LedgerWrite[]>();
  const keyOf = (table: string, pk: string, sk: string) => `${table}\u0000${pk}\u0000${sk}`;
  for (const write of writes) {
    const key = keyOf(write.table, write.pk, write.sk);
    pending.set(key, [...(pending.get(key) ?? []), write]);
  }
  return reports.map((report) => {
    if (!report.transactionItems || report.failed) return report;
    let units = 0;
    for (const item of report.transactionItems) {
      const write = item.action === 'ConditionCheck' ? undefined : pending.get(keyOf(item.table, item.pk, item.sk))?.shift();
      units += write ? transactionalUnits(write.units) : conditionCheckUnits(sizeOf(item.table, item.pk, item.sk));
    }
    return { ...report, write: units };
  });
}

/** Read and write units, and the commands, of the reports `include` keeps (transactions priced by `priceTransactions`). Pure. */
export function sumCapacity(reports: readonly CapacityReport[], include: (report: CapacityReport) => boolean = () => true): CapacitySum {
  const kept = reports.filter(include);
  const round = (value: number) => Math.round(value * 10) / 10;
  return {
    read: round(kept.reduce((sum, report) => sum + report.read, 0)),
    write: round(kept.reduce((sum, report) => sum + report.write, 0)),
    commands: kept.length,
  };
}

/** The cost model's counts of one window, for `referrals` referrals. Pure. */
export function usageOf(
  window: { capacity: readonly CapacityReport[]; invocations: readonly InvocationRecord[]; httpRequests: number; events: number },
  referrals: number,
): Usage {
  const byFunction = new Map<string, InvocationUsage>();
  for (const record of window.invocations) {
    const row = byFunction.get(record.function) ?? { function: record.function, invocations: 0, billedMs: 0, memoryMb: record.memoryMb };
    row.invocations += 1;
    row.billedMs += billedMs(record.durationMs);
    byFunction.set(record.function, row);
  }
  const capacity = sumCapacity(window.capacity);
  return {
    referrals,
    httpRequests: window.httpRequests,
    invocations: [...byFunction.values()].sort((a, b) => a.function.localeCompare(b.function)),
    events: window.events,
    queueMessages: window.invocations.reduce((sum, record) => sum + record.messages, 0),
    readUnits: capacity.read,
    writeUnits: capacity.write,
  };
}

/** Two windows' counts together, each taken per referral first: one referral carried through both. Pure. */
export function perReferralSum(...usages: readonly Usage[]): Usage {
  const byFunction = new Map<string, InvocationUsage>();
  let httpRequests = 0;
  let events = 0;
  let queueMessages = 0;
  let readUnits = 0;
  let writeUnits = 0;
  for (const usage of usages) {
    const per = 1 / usage.referrals;
    httpRequests += usage.httpRequests * per;
    events += usage.events * per;
    queueMessages += usage.queueMessages * per;
    readUnits += usage.readUnits * per;
    writeUnits += usage.writeUnits * per;
    for (const row of usage.invocations) {
      const sum = byFunction.get(row.function) ?? { function: row.function, invocations: 0, billedMs: 0, memoryMb: row.memoryMb };
      sum.invocations += row.invocations * per;
      sum.billedMs += row.billedMs * per;
      byFunction.set(row.function, sum);
    }
  }
  return {
    referrals: 1,
    httpRequests,
    invocations: [...byFunction.values()].sort((a, b) => a.function.localeCompare(b.function)),
    events,
    queueMessages,
    readUnits,
    writeUnits,
  };
}
