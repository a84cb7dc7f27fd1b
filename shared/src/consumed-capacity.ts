/**
 * Opt-in measurement of the DynamoDB capacity a function consumes (QUALITY.md, storage cost), for
 * `npm run bench`: with `FSP_CAPACITY_LOG=1` in a function's environment, every data command its
 * documents client (and the low-level client under it) sends asks for `ReturnConsumedCapacity:
 * TOTAL`, and each answer's capacity is posted, with the command's name and the function's, on the
 * BroadcastChannel `fsp-capacity`, which reaches every thread of the process: the local cloud runs
 * functions in worker threads of the bench's own process. Off by default; when off, nothing is
 * added to the client, so production paths pay nothing. A command that fails (a refused
 * condition) consumes capacity too, which DynamoDB does not return with the error: it is reported
 * with its name and zero units, so it is counted, not priced.
 *
 * A transaction's answer is not what AWS bills: DynamoDB Local adds up the *distinct* per-item
 * figures (five 1 KB puts answer 2 units, not 10; measured, ADR 0034). So a transaction's report
 * also names the items it wrote, and the bench prices them itself from the stream's images
 * (bench/stream-ledger.ts).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export const CAPACITY_LOG_ENV = 'FSP_CAPACITY_LOG';
export const CAPACITY_CHANNEL = 'fsp-capacity';

export interface CapacityReport {
  /** `AWS_LAMBDA_FUNCTION_NAME` (`<service>-<function>` locally); absent outside a function. */
  function?: string;
  /** The DynamoDB command (`TransactWriteItemsCommand`, `QueryCommand`, …). */
  command: string;
  read: number;
  write: number;
  /** The command was refused (its capacity is unknown: not returned with an error). */
  failed?: true;
  /** A TransactWriteItems's actions, in order: what the bench prices, DynamoDB Local's sum being wrong. */
  transactionItems?: TransactionItem[];
}

/** One action of a transaction, by the item's table and primary key (the platform's tables key on `pk` and `sk`). */
export interface TransactionItem {
  action: 'Put' | 'Update' | 'Delete' | 'ConditionCheck';
  table: string;
  pk: string;
  sk: string;
}

/** A key attribute as the documents client holds it (a string) or, once marshalled, as DynamoDB does (`{ S }`). */
const keyText = (value: unknown): string =>
  typeof value === 'string' ? value : String((value as { S?: unknown } | undefined)?.S ?? value);

type TransactAction = { TableName?: string; Item?: Record<string, unknown>; Key?: Record<string, unknown> };

/** The actions of a documents client's TransactWriteItems input. */
export function transactionItemsOf(input: { TransactItems?: ReadonlyArray<Partial<Record<TransactionItem['action'], TransactAction>>> }) {
  return (input.TransactItems ?? []).flatMap((entry) =>
    (['Put', 'Update', 'Delete', 'ConditionCheck'] as const).flatMap((action) => {
      const target = entry[action];
      if (!target) return [];
      const key = target.Item ?? target.Key ?? {};
      return [{ action, table: String(target.TableName), pk: keyText(key.pk), sk: keyText(key.sk) } satisfies TransactionItem];
    }),
  );
}

const READS = new Set(['GetItemCommand', 'QueryCommand', 'ScanCommand', 'BatchGetItemCommand', 'TransactGetItemsCommand']);
const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand', 'TransactWriteItemsCommand']);

interface ConsumedCapacity {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

/** Read and write units of one answer's `ConsumedCapacity` (one entry, or one per table for batches and transactions). */
export function capacityUnitsOf(command: string, consumed: ConsumedCapacity | readonly ConsumedCapacity[] | undefined) {
  const entries = consumed === undefined ? [] : Array.isArray(consumed) ? consumed : [consumed as ConsumedCapacity];
  let read = 0;
  let write = 0;
  for (const entry of entries) {
    if (entry.ReadCapacityUnits !== undefined || entry.WriteCapacityUnits !== undefined) {
      read += entry.ReadCapacityUnits ?? 0;
      write += entry.WriteCapacityUnits ?? 0;
    } else if (WRITES.has(command)) write += entry.CapacityUnits ?? 0;
    else read += entry.CapacityUnits ?? 0;
  }
  return { read, write };
}

/** Adds the reporting middleware when `env` opts in; a second call on the same client replaces it, never doubles it. */
export function reportConsumedCapacity(documents: DynamoDBDocumentClient, env: NodeJS.ProcessEnv): void {
  if (env[CAPACITY_LOG_ENV] !== '1') return;
  // Node's global BroadcastChannel, not an import of node:worker_threads: requiring that module cost
  // every function about 1 ms at its cold start, for a channel only the bench opens.
  const channel = new BroadcastChannel(CAPACITY_CHANNEL);
  // The channel must never keep a function's thread alive by itself.
  channel.unref();
  const functionName = env.AWS_LAMBDA_FUNCTION_NAME;
  documents.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? 'an unnamed command';
      if (!READS.has(command) && !WRITES.has(command)) return next(args);
      const input = args.input as { ReturnConsumedCapacity?: string };
      input.ReturnConsumedCapacity ??= 'TOTAL';
      const base = {
        ...(functionName ? { function: functionName } : {}),
        command,
        ...(command === 'TransactWriteItemsCommand' ? { transactionItems: transactionItemsOf(args.input as never) } : {}),
      };
      try {
        const result = await next(args);
        const output = result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] };
        channel.postMessage({ ...base, ...capacityUnitsOf(command, output.ConsumedCapacity) } satisfies CapacityReport);
        return result;
      } catch (error) {
        channel.postMessage({ ...base, read: 0, write: 0, failed: true } satisfies CapacityReport);
        throw error;
      }
    },
    { step: 'initialize', name: 'fspReportConsumedCapacity', override: true },
  );
}
