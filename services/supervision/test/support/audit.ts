/** What the audit trail holds, read as an audit reader reads it: a case's or a team's supervision audit partition. */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { TestTable } from '@fsp/shared/testing/dynamodb';

async function partition(table: Pick<TestTable, 'documentClient' | 'tableName'>, pk: string) {
  const result = await table.documentClient.send(
    new QueryCommand({ TableName: table.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }),
  );
  return result.Items ?? [];
}

export const caseAuditItems = (table: Pick<TestTable, 'documentClient' | 'tableName'>, caseId: string) =>
  partition(table, `AUDIT#SUPERVISION#${caseId}`);
export const teamAuditItems = (table: Pick<TestTable, 'documentClient' | 'tableName'>, teamId: string) =>
  partition(table, `AUDIT#SUPERVISION-TEAM#${teamId}`);
