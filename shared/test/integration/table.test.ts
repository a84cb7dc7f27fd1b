import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { TABLE_KEYS } from '@fsp/shared/table';
import { createTestTable } from '@fsp/shared/testing/dynamodb';

describe('the shared table definition', () => {
  it('creates a table on DynamoDB Local that serves both the primary key and gsi1', async () => {
    const table = await createTestTable('table-def');
    try {
      await table.documentClient.send(
        new PutCommand({
          TableName: table.tableName,
          Item: { pk: 'CASE#1', sk: 'META', gsi1pk: 'TEAM#north', gsi1sk: '2026-01-05', title: 'Smith' },
        }),
      );
      const byKey = await table.documentClient.send(new GetCommand({ TableName: table.tableName, Key: { pk: 'CASE#1', sk: 'META' } }));
      expect(byKey.Item?.title).toBe('Smith');
      const byIndex = await table.documentClient.send(
        new QueryCommand({
          TableName: table.tableName,
          IndexName: TABLE_KEYS.gsi1.name,
          KeyConditionExpression: 'gsi1pk = :team',
          ExpressionAttributeValues: { ':team': 'TEAM#north' },
        }),
      );
      expect(byIndex.Items?.map((item) => item.pk)).toEqual(['CASE#1']);
    } finally {
      await table.drop();
    }
  });
});
