/**
 * The local cloud's IAM for DynamoDB (ADR 0023): each function may call its service's table only
 * with the actions and on the partitions its manifest entry declares (`permissions.tableKeys`),
 * the very declaration CDK turns into its role's `dynamodb:LeadingKeys` statements
 * (infra/cdk/service-stack.ts `tableStatements`). Installed in each function's execution
 * environment before its entry loads (worker-bootstrap.mjs), it checks every command any AWS SDK
 * client of the environment sends to DynamoDB, as IAM would, and refuses one that the role could
 * not make with an `AccessDeniedException`, before it reaches DynamoDB Local. So every test that
 * goes through the local cloud also checks the declarations: a function reading or writing a
 * partition it did not declare fails here as it would in AWS.
 *
 * What IAM sees of a request, and so what is checked: the action per item (a transaction's puts,
 * updates, deletes and condition checks each as that action), the table it names, and the
 * partition key values (`dynamodb:LeadingKeys`): an item's `pk`, or, for a Query, the partition key
 * of the table or index it queries (`gsi1pk` on gsi1). Sort keys and the attributes written are
 * invisible to IAM, and so to this guard.
 */
import { appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { AUDIT_PARTITION_PREFIX, TABLE_KEYS } from '@fsp/shared/table';
import { type TableActionKind, type TableKeys, tableKeyPatternMatches } from '@fsp/shared/table-keys';

/** What the guard is given: the function's declaration (absent: no access to any table), its id and table. */
export interface TableGuardOptions {
  functionId: string;
  tableName: string;
  tableKeys: TableKeys | undefined;
  readAudit: boolean;
}

/** One DynamoDB action on one item or partition, as IAM evaluates it. */
export interface TableRequest {
  action: string;
  tableName: string | undefined;
  /** The partition keys the request names (`dynamodb:LeadingKeys`); empty for a request naming none. */
  leadingKeys: string[];
  returnValues?: string;
}

/** A DynamoDB call the function's declaration does not allow, shaped as the SDK reports IAM's refusal. */
export class AccessDeniedException extends Error {
  readonly $fault = 'client';
  readonly $metadata = { httpStatusCode: 400 };
  constructor(message: string) {
    super(message);
    this.name = 'AccessDeniedException';
  }
}

type AttributeValue = string | { S?: string } | undefined;
type Item = Record<string, AttributeValue>;
type Input = Record<string, unknown>;

/** A key attribute's string value, from a document client's input (plain) or a low-level client's (`{ S }`). */
function stringOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object' && typeof (value as { S?: unknown }).S === 'string') return (value as { S: string }).S;
  return undefined;
}

const partitionOf = (key: unknown): string[] => {
  const value = stringOf((key as Item | undefined)?.[TABLE_KEYS.partitionKey]);
  return value === undefined ? [] : [value];
};

/**
 * The partition a Query names: the value compared with `=` to the partition key of the table or
 * of the index it queries, in its key condition (or its legacy `KeyConditions`).
 */
function queriedPartition(input: Input): string[] {
  const indexName = input.IndexName as string | undefined;
  const keyName =
    indexName === undefined ? TABLE_KEYS.partitionKey : indexName === TABLE_KEYS.gsi1.name ? TABLE_KEYS.gsi1.partitionKey : undefined;
  if (keyName === undefined) return [];
  const legacy = (input.KeyConditions as Record<string, { AttributeValueList?: unknown[] }> | undefined)?.[keyName];
  if (legacy !== undefined) return [stringOf(legacy.AttributeValueList?.[0])].filter((v): v is string => v !== undefined);
  const expression = input.KeyConditionExpression as string | undefined;
  if (expression === undefined) return [];
  const names = (input.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const values = (input.ExpressionAttributeValues ?? {}) as Record<string, unknown>;
  for (const [, left, right] of expression.matchAll(/([#\w]+)\s*=\s*([:#\w]+)/g)) {
    const sides = [left!, right!];
    const nameSide = sides.find((side) => (names[side] ?? side) === keyName && !side.startsWith(':'));
    const valueSide = sides.find((side) => side.startsWith(':'));
    if (nameSide === undefined || valueSide === undefined) continue;
    const value = stringOf(values[valueSide]);
    return value === undefined ? [] : [value];
  }
  return [];
}

/** A command as IAM sees it: one request per action it needs (a transaction: one per item). */
export function requestsOf(commandName: string, input: Input): TableRequest[] {
  const name = commandName.replace(/Command$/, '');
  const single = (action: string, key: unknown): TableRequest => ({
    action: `dynamodb:${action}`,
    tableName: input.TableName as string | undefined,
    leadingKeys: partitionOf(key),
    ...(typeof input.ReturnValues === 'string' ? { returnValues: input.ReturnValues } : {}),
  });
  switch (name) {
    case 'Get':
    case 'GetItem':
      return [single('GetItem', input.Key)];
    case 'Put':
    case 'PutItem':
      return [single('PutItem', input.Item)];
    case 'Update':
    case 'UpdateItem':
      return [single('UpdateItem', input.Key)];
    case 'Delete':
    case 'DeleteItem':
      return [single('DeleteItem', input.Key)];
    case 'Query':
      return [{ action: 'dynamodb:Query', tableName: input.TableName as string | undefined, leadingKeys: queriedPartition(input) }];
    case 'BatchGet':
    case 'BatchGetItem':
      return Object.entries((input.RequestItems ?? {}) as Record<string, { Keys?: unknown[] }>).map(([tableName, { Keys }]) => ({
        action: 'dynamodb:BatchGetItem',
        tableName,
        leadingKeys: (Keys ?? []).flatMap(partitionOf),
      }));
    case 'BatchWrite':
    case 'BatchWriteItem':
      return Object.entries(
        (input.RequestItems ?? {}) as Record<string, { PutRequest?: { Item: unknown }; DeleteRequest?: { Key: unknown } }[]>,
      ).map(([tableName, writes]) => ({
        action: 'dynamodb:BatchWriteItem',
        tableName,
        leadingKeys: writes.flatMap((write) => partitionOf(write.PutRequest?.Item ?? write.DeleteRequest?.Key)),
      }));
    case 'TransactWrite':
    case 'TransactWriteItems':
      return ((input.TransactItems ?? []) as Record<string, Input>[]).flatMap((item) => {
        const [[kind, operation] = []] = Object.entries(item);
        if (kind === undefined || operation === undefined) return [];
        const action = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem' }[kind];
        return [
          {
            action: `dynamodb:${action ?? kind}`,
            tableName: operation.TableName as string | undefined,
            leadingKeys: partitionOf(kind === 'Put' ? operation.Item : operation.Key),
          },
        ];
      });
    case 'TransactGet':
    case 'TransactGetItems':
      return ((input.TransactItems ?? []) as { Get?: Input }[]).map(({ Get }) => ({
        action: 'dynamodb:GetItem',
        tableName: Get?.TableName as string | undefined,
        leadingKeys: partitionOf(Get?.Key),
      }));
    default:
      return [{ action: `dynamodb:${name}`, tableName: input.TableName as string | undefined, leadingKeys: [] }];
  }
}

/** Which of a declaration's lists an action needs its partitions in; undefined: an action no declaration grants. */
const KIND_OF_ACTION: Record<string, TableActionKind> = {
  'dynamodb:GetItem': 'read',
  'dynamodb:BatchGetItem': 'read',
  'dynamodb:Query': 'read',
  'dynamodb:ConditionCheckItem': 'read',
  'dynamodb:PutItem': 'write',
  'dynamodb:UpdateItem': 'write',
  'dynamodb:DeleteItem': 'delete',
};

/**
 * Why the declaration does not allow the request, or undefined when it does. The same reading as
 * the statements CDK writes: every leading key must match one of the action's patterns, a request
 * naming none is refused, audit partitions may only be put (returning nothing) and read by a
 * declared audit reader.
 */
export function refusalOf(request: TableRequest, options: Omit<TableGuardOptions, 'functionId'>): string | undefined {
  if (request.tableName !== options.tableName) return `${request.action} on table ${request.tableName ?? '(none)'}, not its own`;
  const kind = KIND_OF_ACTION[request.action];
  if (kind === undefined) return `${request.action}, which no function is granted`;
  const declared = options.tableKeys;
  if (declared === undefined) return `${request.action}: its manifest entry declares no permissions.tableKeys`;
  if (request.leadingKeys.length === 0) return `${request.action} naming no partition key`;
  const patterns = declared[kind] ?? [];
  for (const key of request.leadingKeys) {
    const audit = key.startsWith(AUDIT_PARTITION_PREFIX);
    if (audit && kind !== 'read' && request.action !== 'dynamodb:PutItem') return `${request.action} on audit partition ${key}`;
    if (audit && request.action === 'dynamodb:PutItem' && request.returnValues !== undefined && request.returnValues !== 'NONE')
      return `${request.action} on audit partition ${key} returning ${request.returnValues}`;
    if (
      audit &&
      kind === 'read' &&
      (!options.readAudit || request.action === 'dynamodb:BatchGetItem' || request.action === 'dynamodb:ConditionCheckItem')
    )
      return `${request.action} on audit partition ${key}${options.readAudit ? '' : ' without permissions.readAudit'}`;
    if (!patterns.some((pattern) => tableKeyPatternMatches(pattern, key)))
      return `${request.action} on partition ${key}, outside permissions.tableKeys.${kind} (${patterns.join(', ') || 'none'})`;
  }
  return undefined;
}

const RECORD = process.env.FSP_TABLE_GUARD_RECORD;

interface SmithyClient {
  prototype: {
    send(this: { config?: { serviceId?: string } }, command: { input?: Input; constructor: { name: string } }, ...rest: unknown[]): unknown;
  };
}

/**
 * Wraps `send` of every AWS SDK client the function can load (`@smithy/core`'s `Client`, resolved
 * from its entry as the entry resolves it) so that each DynamoDB command is checked first. A
 * refused command rejects as AWS's would, and is never sent.
 */
export function installTableGuard(entry: string, options: TableGuardOptions): void {
  const { Client } = createRequire(entry)('@smithy/core/client') as { Client: SmithyClient };
  const send = Client.prototype.send;
  Client.prototype.send = function guardedSend(this: { config?: { serviceId?: string } }, command, ...rest) {
    if (this.config?.serviceId === 'DynamoDB') {
      for (const request of requestsOf(command.constructor.name, command.input ?? {})) {
        const refusal = refusalOf(request, options);
        if (refusal === undefined) continue;
        if (RECORD !== undefined) {
          appendFileSync(RECORD, `${JSON.stringify({ fn: options.functionId, ...request, refusal })}\n`);
          continue;
        }
        const error = new AccessDeniedException(
          `${options.functionId} is not authorized to perform: ${request.action} on resource: table/${request.tableName ?? ''} (${refusal})`,
        );
        const callback = rest.find((argument) => typeof argument === 'function') as ((error: Error) => void) | undefined;
        if (callback !== undefined) {
          callback(error);
          return undefined;
        }
        return Promise.reject(error);
      }
    }
    return send.call(this, command, ...rest);
  };
}
