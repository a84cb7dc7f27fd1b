/** What the audit trail holds of a case, read as an audit reader reads it: its AUDIT#CASE partition. */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { TestTable } from '@fsp/shared/testing/dynamodb';

export async function caseAuditItems(table: Pick<TestTable, 'documentClient' | 'tableName'>, caseId: string) {
  const result = await table.documentClient.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `AUDIT#CASE#${caseId}` },
    }),
  );
  return result.Items ?? [];
}
