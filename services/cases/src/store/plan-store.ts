/**
 * The plan's writes (domain/plan.ts).
 *
 * | access pattern        | key condition                                                                                   | index |
 * |-----------------------|-------------------------------------------------------------------------------------------------|-------|
 * | agree or review it    | one transaction: Put PLAN if version = read (absent when 0), Update CASE (its review dates, for the essentials check) if version = read, Put the chronology entry, its CaseChronologyEntryAdded in the outbox | table |
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { failedConditionsOf } from '@fsp/shared/dynamo-errors';
import { type OutboundEvent, writeWithOutbox } from '@fsp/shared/outbox';
import type { CaseRecord, ChronologyEntry } from '../domain/case';
import { type CasePlan, planLastReviewedOn } from '../domain/plan';
import { caseKey } from './items/case';
import { chronologyEntryPut } from './items/chronology-entry';
import { planPut } from './items/plan';

/** The case or its plan changed since they were read: nothing was written. */
export class PlanVersionConflictError extends Error {
  override readonly name = 'PlanVersionConflictError';
  constructor(readonly caseId: string) {
    super(`Case ${caseId} or its plan changed while the plan was being written`);
  }
}

export function createPlanStore(documents: DynamoDBDocumentClient, tableName: string) {
  async function write(
    change: { head: CaseRecord; readVersion: number; plan: CasePlan; entry: ChronologyEntry; events: OutboundEvent[] },
    now: Date,
  ): Promise<void> {
    const { head, readVersion, plan, entry, events } = change;
    try {
      await writeWithOutbox(documents, {
        tableName,
        now,
        writes: [
          planPut(tableName, plan, readVersion),
          {
            Update: {
              TableName: tableName,
              Key: caseKey(head.caseId),
              UpdateExpression: 'SET planLastReviewedOn = :reviewed, planNextReviewDate = :next, version = :version, updatedAt = :now',
              ConditionExpression: 'version = :expected',
              ExpressionAttributeValues: {
                ':reviewed': planLastReviewedOn(plan),
                ':next': plan.nextReviewDate,
                ':version': head.version + 1,
                ':expected': head.version,
                ':now': now.toISOString(),
              },
            },
          },
          chronologyEntryPut(tableName, entry),
        ],
        events,
      });
    } catch (error) {
      if (failedConditionsOf(error) !== undefined) throw new PlanVersionConflictError(head.caseId);
      throw error;
    }
  }
  return { write };
}
