import { randomUUID } from 'node:crypto';
import { BroadcastChannel } from 'node:worker_threads';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { CAPACITY_CHANNEL, type CapacityReport } from '@fsp/shared/consumed-capacity';
import { createDocumentClient } from '@fsp/shared/runtime';
import { createTestTable, type TestTable, testDynamoClient } from '@fsp/shared/testing/dynamodb';

let table: TestTable;
let channel: BroadcastChannel;
const reports: CapacityReport[] = [];
beforeAll(async () => {
  table = await createTestTable('consumed-capacity');
  channel = new BroadcastChannel(CAPACITY_CHANNEL);
  channel.onmessage = (message) => reports.push((message as { data: CapacityReport }).data);
});
afterAll(async () => {
  channel.close();
  await table.drop();
});

/** Resolves once `count` reports have arrived: each is a message the channel delivers, not a timer. */
const reported = (count: number) =>
  new Promise<CapacityReport[]>((resolve) => {
    const check = () => (reports.length >= count ? resolve(reports.splice(0, count)) : setImmediate(check));
    check();
  });

describe('FSP_CAPACITY_LOG', () => {
  it('reports each command with its consumed capacity, read and write apart, named by the function', async () => {
    const client = testDynamoClient();
    const documents = createDocumentClient(client, { FSP_CAPACITY_LOG: '1', AWS_LAMBDA_FUNCTION_NAME: 'cases-http' });
    const pk = `THING#${randomUUID()}`;
    await documents.send(new PutCommand({ TableName: table.tableName, Item: { pk, sk: 'A', colour: 'red' } }));
    await documents.send(new GetCommand({ TableName: table.tableName, Key: { pk, sk: 'A' }, ConsistentRead: true }));
    await documents.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: table.tableName, Item: { pk, sk: 'B' } } },
          { Put: { TableName: table.tableName, Item: { pk, sk: 'C' } } },
        ],
      }),
    );
    await documents.send(
      new QueryCommand({ TableName: table.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }),
    );
    const [put, get, transaction, query] = await reported(4);
    expect(put).toEqual({ function: 'cases-http', command: 'PutItemCommand', read: 0, write: 1 });
    expect(get).toEqual({ function: 'cases-http', command: 'GetItemCommand', read: 1, write: 0 });
    // As DynamoDB Local answers it, which is not what AWS bills (ADR 0034): the items are named so that the bench can price them.
    expect(transaction).toEqual({
      function: 'cases-http',
      command: 'TransactWriteItemsCommand',
      read: 0,
      write: 2,
      transactionItems: [
        { action: 'Put', table: table.tableName, pk, sk: 'B' },
        { action: 'Put', table: table.tableName, pk, sk: 'C' },
      ],
    });
    // An eventually consistent read of three small items: half a unit.
    expect(query).toEqual({ function: 'cases-http', command: 'QueryCommand', read: 0.5, write: 0 });
    client.destroy();
  });

  it('reports a refused command as failed, and a second client on the same low-level client does not double the reports', async () => {
    const client = testDynamoClient();
    createDocumentClient(client, { FSP_CAPACITY_LOG: '1' });
    const documents = createDocumentClient(client, { FSP_CAPACITY_LOG: '1' });
    const pk = `THING#${randomUUID()}`;
    const put = () =>
      documents.send(
        new PutCommand({ TableName: table.tableName, Item: { pk, sk: 'A' }, ConditionExpression: 'attribute_not_exists(pk)' }),
      );
    await put();
    await expect(put()).rejects.toThrow();
    expect(await reported(2)).toEqual([
      { command: 'PutItemCommand', read: 0, write: 1 },
      { command: 'PutItemCommand', read: 0, write: 0, failed: true },
    ]);
    await documents.send(new GetCommand({ TableName: table.tableName, Key: { pk, sk: 'A' } }));
    expect(await reported(1)).toEqual([{ command: 'GetItemCommand', read: 0.5, write: 0 }]);
    expect(reports).toEqual([]);
    client.destroy();
  });

  it('adds nothing to the client when unset: no middleware, and DynamoDB is not asked for capacity', async () => {
    const client = testDynamoClient();
    const documents = createDocumentClient(client, {});
    expect(documents.middlewareStack.identify().some((name) => name.includes('fspReportConsumedCapacity'))).toBe(false);
    const output = await documents.send(new GetCommand({ TableName: table.tableName, Key: { pk: 'NONE', sk: 'NONE' } }));
    expect(output.ConsumedCapacity).toBeUndefined();
    client.destroy();
  });
});
