/**
 * The local cloud's IAM for DynamoDB (table-guard.ts, ADR 0023): what IAM sees of each command
 * (`requestsOf`) and whether a function's declaration allows it (`refusalOf`), read as the
 * statements CDK writes from the same declaration are read.
 */
import { refusalOf, requestsOf } from '../../src/runtime/table-guard';

const TABLE = 'fsp-local-referrals';
const publicForm = {
  tableName: TABLE,
  readAudit: false,
  tableKeys: { read: ['DRAFT#*'], write: ['DRAFT#*', 'REFERRAL#*', 'REFERENCE#*', 'FAMILY#*', 'OUTBOX#*'] },
};
const auditReader = {
  tableName: TABLE,
  readAudit: true,
  tableKeys: { read: ['REFERRAL#*', 'AUDIT#REFERRAL#*'], write: ['REFERRAL#*', 'AUDIT#REFERRAL#*'], delete: ['AGENCY#*#CHANGES'] },
};

describe('what IAM sees of a command', () => {
  test('a document client item command: its action and the item’s partition key', () => {
    expect(requestsOf('GetCommand', { TableName: TABLE, Key: { pk: 'REFERRAL#1', sk: 'REFERRAL' } })).toEqual([
      { action: 'dynamodb:GetItem', tableName: TABLE, leadingKeys: ['REFERRAL#1'] },
    ]);
    expect(requestsOf('PutCommand', { TableName: TABLE, Item: { pk: 'DRAFT#x', sk: 'DRAFT' }, ReturnValues: 'ALL_OLD' })).toEqual([
      { action: 'dynamodb:PutItem', tableName: TABLE, leadingKeys: ['DRAFT#x'], returnValues: 'ALL_OLD' },
    ]);
  });

  test('a low-level client command: the key read from its attribute values', () => {
    expect(requestsOf('UpdateItemCommand', { TableName: TABLE, Key: { pk: { S: 'IDEMPOTENCY#referrals' }, sk: { S: 'a' } } })).toEqual([
      { action: 'dynamodb:UpdateItem', tableName: TABLE, leadingKeys: ['IDEMPOTENCY#referrals'] },
    ]);
  });

  test('a query: the partition its key condition names, on the table or on gsi1, through attribute names or not', () => {
    expect(
      requestsOf('QueryCommand', {
        TableName: TABLE,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': 'AUDIT#REFERRAL#1', ':prefix': 'ACCESS#' },
      }),
    ).toEqual([{ action: 'dynamodb:Query', tableName: TABLE, leadingKeys: ['AUDIT#REFERRAL#1'] }]);
    expect(
      requestsOf('QueryCommand', {
        TableName: TABLE,
        IndexName: 'gsi1',
        KeyConditionExpression: '#gsk < :before AND #gpk = :open',
        ExpressionAttributeNames: { '#gpk': 'gsi1pk', '#gsk': 'gsi1sk' },
        ExpressionAttributeValues: { ':open': 'FRONT-DOOR#AWAITING', ':before': '2026' },
      }),
    ).toEqual([{ action: 'dynamodb:Query', tableName: TABLE, leadingKeys: ['FRONT-DOOR#AWAITING'] }]);
  });

  test('a transaction: each item as its own action; a batch: every key at once', () => {
    expect(
      requestsOf('TransactWriteCommand', {
        TransactItems: [
          { Put: { TableName: TABLE, Item: { pk: 'REFERRAL#1', sk: 'REFERRAL' } } },
          { ConditionCheck: { TableName: TABLE, Key: { pk: 'REFERENCE#R', sk: 'REFERENCE' } } },
          { Delete: { TableName: TABLE, Key: { pk: 'AGENCY#a#CHANGES', sk: 't' } } },
        ],
      }).map((request) => [request.action, request.leadingKeys]),
    ).toEqual([
      ['dynamodb:PutItem', ['REFERRAL#1']],
      ['dynamodb:ConditionCheckItem', ['REFERENCE#R']],
      ['dynamodb:DeleteItem', ['AGENCY#a#CHANGES']],
    ]);
    expect(
      requestsOf('BatchGetCommand', {
        RequestItems: {
          [TABLE]: {
            Keys: [
              { pk: 'REFERRAL#1', sk: 'R' },
              { pk: 'REFERRAL#2', sk: 'R' },
            ],
          },
        },
      }),
    ).toEqual([{ action: 'dynamodb:BatchGetItem', tableName: TABLE, leadingKeys: ['REFERRAL#1', 'REFERRAL#2'] }]);
  });
});

describe('whether the declaration allows it', () => {
  const allowed = (request: Parameters<typeof refusalOf>[0], options: Parameters<typeof refusalOf>[1]) =>
    refusalOf(request, options) === undefined;

  test('the public form may write a new referral and its draft, and read its draft, but read no referral and no agency', () => {
    expect(allowed({ action: 'dynamodb:PutItem', tableName: TABLE, leadingKeys: ['REFERRAL#1'] }, publicForm)).toBe(true);
    expect(allowed({ action: 'dynamodb:GetItem', tableName: TABLE, leadingKeys: ['DRAFT#d'] }, publicForm)).toBe(true);
    expect(refusalOf({ action: 'dynamodb:GetItem', tableName: TABLE, leadingKeys: ['REFERRAL#1'] }, publicForm)).toBe(
      'dynamodb:GetItem on partition REFERRAL#1, outside permissions.tableKeys.read (DRAFT#*)',
    );
    expect(allowed({ action: 'dynamodb:Query', tableName: TABLE, leadingKeys: ['AGENCY#a'] }, publicForm)).toBe(false);
    expect(allowed({ action: 'dynamodb:UpdateItem', tableName: TABLE, leadingKeys: ['AGENCY#a'] }, publicForm)).toBe(false);
  });

  test('a kind of action not declared is refused even on a declared partition; so is every action with no partition, a scan and another table', () => {
    expect(allowed({ action: 'dynamodb:DeleteItem', tableName: TABLE, leadingKeys: ['DRAFT#d'] }, publicForm)).toBe(false);
    expect(allowed({ action: 'dynamodb:Query', tableName: TABLE, leadingKeys: [] }, publicForm)).toBe(false);
    expect(allowed({ action: 'dynamodb:Scan', tableName: TABLE, leadingKeys: [] }, publicForm)).toBe(false);
    expect(allowed({ action: 'dynamodb:BatchWriteItem', tableName: TABLE, leadingKeys: ['DRAFT#d'] }, publicForm)).toBe(false);
    expect(allowed({ action: 'dynamodb:PutItem', tableName: 'fsp-local-cases', leadingKeys: ['REFERRAL#1'] }, publicForm)).toBe(false);
    expect(
      allowed({ action: 'dynamodb:GetItem', tableName: TABLE, leadingKeys: ['DRAFT#d'] }, { ...publicForm, tableKeys: undefined }),
    ).toBe(false);
  });

  test('a batch is allowed only when every key it names is', () => {
    expect(allowed({ action: 'dynamodb:BatchGetItem', tableName: TABLE, leadingKeys: ['REFERRAL#1', 'REFERRAL#2'] }, auditReader)).toBe(
      true,
    );
    expect(allowed({ action: 'dynamodb:BatchGetItem', tableName: TABLE, leadingKeys: ['REFERRAL#1', 'AGENCY#a'] }, auditReader)).toBe(
      false,
    );
  });

  test('audit items: put returning nothing, read by a declared reader with GetItem or Query, never changed', () => {
    const audit = ['AUDIT#REFERRAL#1'];
    expect(allowed({ action: 'dynamodb:PutItem', tableName: TABLE, leadingKeys: audit }, auditReader)).toBe(true);
    expect(allowed({ action: 'dynamodb:PutItem', tableName: TABLE, leadingKeys: audit, returnValues: 'ALL_OLD' }, auditReader)).toBe(false);
    expect(allowed({ action: 'dynamodb:UpdateItem', tableName: TABLE, leadingKeys: audit }, auditReader)).toBe(false);
    expect(allowed({ action: 'dynamodb:Query', tableName: TABLE, leadingKeys: audit }, auditReader)).toBe(true);
    expect(allowed({ action: 'dynamodb:ConditionCheckItem', tableName: TABLE, leadingKeys: audit }, auditReader)).toBe(false);
    expect(allowed({ action: 'dynamodb:Query', tableName: TABLE, leadingKeys: audit }, { ...auditReader, readAudit: false })).toBe(false);
  });

  test('a pattern with a wildcard inside matches as IAM’s StringLike does', () => {
    expect(allowed({ action: 'dynamodb:DeleteItem', tableName: TABLE, leadingKeys: ['AGENCY#oak#CHANGES'] }, auditReader)).toBe(true);
    expect(allowed({ action: 'dynamodb:DeleteItem', tableName: TABLE, leadingKeys: ['AGENCY#oak'] }, auditReader)).toBe(false);
  });
});
