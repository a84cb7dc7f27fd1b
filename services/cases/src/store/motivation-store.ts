/**
 * Motivational interviewing's reads and writes (domain/motivation.ts; items/motivation.ts).
 *
 * | access pattern        | key condition                                                          | index |
 * |-----------------------|------------------------------------------------------------------------|-------|
 * | a case's assessments  | Query pk = CASE#<caseId>#MOTIVATION (consistent)                        | table |
 * | record an assessment  | Put MOTIVATION if version = read version (absent when 0)                | table |
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from '@fsp/shared/dynamo-errors';
import { queryAll } from '@fsp/shared/query';
import { parseStoredItem } from '@fsp/shared/stored-item';
import { type CaseMotivation, emptyMotivation } from '../domain/motivation';
import { MOTIVATION_SORT_KEY, motivationItemSchema, motivationPartitionKey, motivationPut, toCaseMotivation } from './items/motivation';

/** The case's assessments changed since they were read: nothing was written. */
export class MotivationVersionConflictError extends Error {
  override readonly name = 'MotivationVersionConflictError';
  constructor(readonly caseId: string) {
    super(`The stages of change of case ${caseId} changed while one was being recorded`);
  }
}

export function createMotivationStore(documents: DynamoDBDocumentClient, tableName: string) {
  async function read(caseId: string): Promise<CaseMotivation> {
    const items = await queryAll(documents, {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': motivationPartitionKey(caseId) },
      ConsistentRead: true,
    });
    const item = items.find((each) => each.sk === MOTIVATION_SORT_KEY);
    return item ? toCaseMotivation(parseStoredItem(motivationItemSchema, item, 'stages of change')) : emptyMotivation(caseId);
  }

  async function write(motivation: CaseMotivation, readVersion: number, now: Date): Promise<void> {
    try {
      await documents.send(new PutCommand(motivationPut(tableName, motivation, readVersion, now)));
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw new MotivationVersionConflictError(motivation.caseId);
      throw error;
    }
  }

  return { read, write };
}
