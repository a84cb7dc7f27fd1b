import { DeleteItemCommand, PutItemCommand, TransactWriteItemsCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { priceTransactions } from '../../../../bench/accounting';
import { openStreamLedger } from '../../../../bench/stream-ledger';
import { createTestTable, type TestTable, testDynamoClient, testDynamoEndpoint } from '../../../testing/dynamodb';

let table: TestTable;
beforeAll(async () => {
  table = await createTestTable('stream-ledger');
});
afterAll(async () => {
  await table.drop();
});

const text = (bytes: number) => ({ S: 'x'.repeat(bytes) });

describe('the bench’s stream ledger', () => {
  it('prices every single write as DynamoDB itself answers it, the index included', async () => {
    const client = testDynamoClient();
    const ledger = openStreamLedger(client, testDynamoEndpoint(), [table.tableName]);
    try {
      const TableName = table.tableName;
      const key = (pk: string) => ({ pk: { S: pk }, sk: { S: 'S' } });
      const answered: number[] = [];
      const note = (result: { ConsumedCapacity?: { CapacityUnits?: number } }) =>
        answered.push(result.ConsumedCapacity?.CapacityUnits ?? Number.NaN);
      const sendAndNote = async (command: UpdateItemCommand | PutItemCommand) =>
        note(command instanceof PutItemCommand ? await client.send(command) : await client.send(command));
      const capacity = { ReturnConsumedCapacity: 'TOTAL' as const };
      note(await client.send(new PutItemCommand({ TableName, Item: { ...key('A'), body: text(100) }, ...capacity })));
      await sendAndNote(
        new PutItemCommand({ TableName, Item: { ...key('B'), body: text(1500), gsi1pk: { S: 'Q' }, gsi1sk: { S: '1' } }, ...capacity }),
      );
      await sendAndNote(
        new UpdateItemCommand({
          TableName,
          Key: key('B'),
          UpdateExpression: 'SET body = :body REMOVE gsi1pk, gsi1sk',
          ExpressionAttributeValues: { ':body': text(100) },
          ...capacity,
        }),
      );
      await sendAndNote(
        new UpdateItemCommand({
          TableName,
          Key: key('A'),
          UpdateExpression: 'SET body = :body, gsi1pk = :q, gsi1sk = :one',
          ExpressionAttributeValues: { ':body': text(2600), ':q': { S: 'Q' }, ':one': { S: '1' } },
          ...capacity,
        }),
      );
      note(await client.send(new DeleteItemCommand({ TableName, Key: key('A'), ...capacity })));
      const writes = await ledger.writes();
      expect(writes.map((write) => write.units.table + write.units.indexes)).toEqual(answered);
      expect(answered).toEqual([1, 2 + 2, 2 + 2, 3 + 3, 3 + 3]);
      expect(ledger.sizeOf(TableName, 'B', 'S')).toBeGreaterThan(100);
      expect(ledger.sizeOf(TableName, 'A', 'S')).toBe(0);
    } finally {
      ledger.close();
      client.destroy();
    }
  });

  it('prices a transaction’s items one by one, twice each, where DynamoDB Local answers only their distinct figures', async () => {
    const client = testDynamoClient();
    const ledger = openStreamLedger(client, testDynamoEndpoint(), [table.tableName]);
    try {
      await ledger.writes();
      const items = ['T1', 'T2', 'T3', 'T4', 'T5'].map((pk) => ({ pk: { S: pk }, sk: { S: 'S' }, body: text(100) }));
      const result = await client.send(
        new TransactWriteItemsCommand({
          TransactItems: items.map((Item) => ({ Put: { TableName: table.tableName, Item } })),
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      // Five puts of a small item answer as one: the reason the bench prices transactions itself.
      expect(result.ConsumedCapacity?.[0]?.CapacityUnits).toBe(2);
      const report = {
        command: 'TransactWriteItemsCommand',
        read: 0,
        write: 2,
        transactionItems: items.map((item) => ({ action: 'Put' as const, table: table.tableName, pk: item.pk.S, sk: 'S' })),
      };
      const [priced] = priceTransactions([report], await ledger.writes(), ledger.sizeOf);
      expect(priced?.write).toBe(10);
    } finally {
      ledger.close();
      client.destroy();
    }
  });
});
