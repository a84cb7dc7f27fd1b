import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite, itemFamily, readPartition } from '@fsp/shared/store';
import { StoredItemError } from '@fsp/shared/stored-item';
import { createTestTable, type TestTable } from '@fsp/shared/testing/dynamodb';
import * as z from 'zod/mini';

let table: TestTable;
beforeAll(async () => {
  table = await createTestTable('store');
});
afterAll(async () => {
  await table.drop();
});

const put = (item: Record<string, unknown>, condition?: string) => () =>
  table.documentClient.send(
    new PutCommand({ TableName: table.tableName, Item: item, ...(condition ? { ConditionExpression: condition } : {}) }),
  );

describe('conditionalWrite', () => {
  it('answers true when written and false when the condition refused it, leaving the first item as it was', async () => {
    expect(await conditionalWrite(put({ pk: 'THING#1', sk: 'THING', colour: 'red' }, 'attribute_not_exists(pk)'))).toBe(true);
    expect(await conditionalWrite(put({ pk: 'THING#1', sk: 'THING', colour: 'blue' }, 'attribute_not_exists(pk)'))).toBe(false);
    const { head } = await readPartition(
      table.documentClient,
      { tableName: table.tableName, pk: 'THING#1', consistentRead: true },
      { head: itemFamily({ equals: 'THING' }, z.object({ colour: z.string() }), 'thing') },
    );
    expect(head).toEqual([{ colour: 'red' }]);
  });

  it('throws any other failure', async () => {
    await expect(conditionalWrite(put({ pk: 'THING#2', sk: 'THING' }, 'attribute_not_exists(('))).rejects.toThrow(/syntax/i);
  });
});

describe('readPartition', () => {
  const families = {
    head: itemFamily({ equals: 'CASE' }, z.object({ caseId: z.string() }), 'case'),
    notes: itemFamily({ prefix: 'NOTE#' }, z.object({ text: z.string() }), 'note'),
  };

  it('reads every item of the partition once, each through the family its sort key belongs to, in sort-key order', async () => {
    await put({ pk: 'CASE#a', sk: 'NOTE#2026-01-02', text: 'second' })();
    await put({ pk: 'CASE#a', sk: 'CASE', caseId: 'a' })();
    await put({ pk: 'CASE#a', sk: 'NOTE#2026-01-01', text: 'first' })();
    await put({ pk: 'CASE#b', sk: 'NOTE#2026-01-01', text: 'another case' })();
    const read = await readPartition(table.documentClient, { tableName: table.tableName, pk: 'CASE#a', consistentRead: true }, families);
    expect(read).toEqual({ head: [{ caseId: 'a' }], notes: [{ text: 'first' }, { text: 'second' }] });
  });

  it('answers empty lists for an empty partition', async () => {
    expect(await readPartition(table.documentClient, { tableName: table.tableName, pk: 'CASE#none' }, families)).toEqual({
      head: [],
      notes: [],
    });
  });

  it('refuses an item no family claims, and an item its family cannot read, naming the key', async () => {
    await put({ pk: 'CASE#c', sk: 'SURPRISE#1' })();
    await expect(
      readPartition(table.documentClient, { tableName: table.tableName, pk: 'CASE#c', consistentRead: true }, families),
    ).rejects.toThrow(new StoredItemError('Partition CASE#c holds an item this service does not know: SURPRISE#1'));
    await put({ pk: 'CASE#d', sk: 'NOTE#1', text: 42 })();
    await expect(
      readPartition(table.documentClient, { tableName: table.tableName, pk: 'CASE#d', consistentRead: true }, families),
    ).rejects.toThrow(/The stored note CASE#d \/ NOTE#1 is not valid: \$\.text/);
  });
});
