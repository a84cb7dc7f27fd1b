/**
 * A service bound to a table restored from a backup or to a point in time (docs/operations, ADR
 * 0020). DynamoDB restores only into a new table, so after a restore the service must be told its
 * table's new name: the `restoredTables` context value, a JSON object from stage to service name
 * to the restored table's name and its stream's ARN, in cdk.json's `context` (committed, so that
 * every later deploy of the stage keeps the binding):
 *
 *   "restoredTables": { "prod": { "cases": { "tableName": "fsp-prod-cases-r20261203",
 *                                            "streamArn": "arn:aws:dynamodb:…:table/fsp-prod-cases-r20261203/stream/…" } } }
 *
 * (`-c restoredTables='…'` takes the same JSON). Only the synthesized stage's bindings are used;
 * every stage's are checked. The service's stack then imports that table instead of declaring its own: its functions'
 * TABLE_NAME, their IAM statements, the outbox pipe's source and the backup selection all follow
 * it. The table it declared before leaves the stack; in staging and prod (RETAIN) it stays in the
 * account, untouched, as the evidence of what went wrong. Pure: no construct is built here.
 */
import * as z from 'zod/mini';
import { prefixOf, STAGES, type Stage } from './naming';

export interface RestoredTable {
  tableName: string;
  /** The restored table's stream (the restore does not copy the stream: the operator enables it, NEW_IMAGE). */
  streamArn: string;
}

const restoredTableSchema = z.object({ tableName: z.string(), streamArn: z.string() });

/**
 * The bindings from the context value (an object, or its JSON text as `-c` passes it), checked
 * against the stage and the services there are; anything wrong is refused naming the key at fault.
 */
export function parseRestoredTables(value: unknown, stage: Stage, services: readonly string[]): ReadonlyMap<string, RestoredTable> {
  if (value === undefined || value === null || value === '') return new Map();
  let parsedJson: unknown = value;
  if (typeof value === 'string') {
    try {
      parsedJson = JSON.parse(value);
    } catch {
      throw new Error(
        `restoredTables must be a JSON object of stage to service name to {"tableName","streamArn"}; got ${JSON.stringify(value)}`,
      );
    }
  }
  const parsed = z.safeParse(z.record(z.string(), z.record(z.string(), restoredTableSchema)), parsedJson);
  if (!parsed.success) {
    throw new Error(
      `restoredTables: ${parsed.error.issues.map((issue) => `${['restoredTables', ...issue.path].join('.')}: ${issue.message}`).join('; ')}`,
    );
  }
  let bindings = new Map<string, RestoredTable>();
  for (const [bindingStage, tables] of Object.entries(parsed.data)) {
    if (!(STAGES as readonly string[]).includes(bindingStage)) {
      throw new Error(`restoredTables.${bindingStage}: not a stage (stages: ${STAGES.join(', ')})`);
    }
    const checked = checkedBindings(tables, bindingStage as Stage, services);
    if (bindingStage === stage) bindings = checked;
  }
  return bindings;
}

function checkedBindings(tables: Record<string, RestoredTable>, stage: Stage, services: readonly string[]): Map<string, RestoredTable> {
  const bindings = new Map<string, RestoredTable>();
  for (const [service, table] of Object.entries(tables)) {
    const key = `restoredTables.${stage}.${service}`;
    if (!services.includes(service)) throw new Error(`${key}: no service is named ${service} (services: ${services.join(', ')})`);
    const expectedPrefix = `${prefixOf(stage)}-${service}-`;
    // At most 50 characters of letters, digits, - and _: the backup selection and the pipe are named after it.
    if (
      !table.tableName.startsWith(expectedPrefix) ||
      !/^[A-Za-z0-9_-]{1,50}$/.test(table.tableName) ||
      table.tableName === expectedPrefix
    ) {
      throw new Error(
        `${key}.tableName must start ${expectedPrefix} (the service's own table name, then what tells the restore apart) and be at most 50 letters, digits, - or _; got ${JSON.stringify(table.tableName)}`,
      );
    }
    const streamPattern = new RegExp(
      `^arn:aws(-[a-z]+)*:dynamodb:[a-z0-9-]+:[0-9]{12}:table/${escaped(table.tableName)}/stream/[0-9T:.-]+$`,
    );
    if (!streamPattern.test(table.streamArn)) {
      throw new Error(
        `${key}.streamArn must be the stream ARN of table ${table.tableName} (describe-table's LatestStreamArn); got ${JSON.stringify(table.streamArn)}`,
      );
    }
    bindings.set(service, table);
  }
  return bindings;
}

const escaped = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
