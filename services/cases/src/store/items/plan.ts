/**
 * The plan agreed with the family (domain/plan.ts): one item in the case's partition (sk PLAN),
 * replaced whole on its version, its reviews inside it.
 */
import { idSchema, instantSchema } from '@fsp/shared/events/definitions/common';
import type { TransactItem } from '@fsp/shared/outbox';
import { itemFamily } from '@fsp/shared/store';
import * as z from 'zod/mini';
import { type CasePlan, PROGRESS_RATINGS } from '../../domain/plan';
import { casePartitionKey } from './case';

export const PLAN_SORT_KEY = 'PLAN';
export const planKey = (caseId: string) => ({ pk: casePartitionKey(caseId), sk: PLAN_SORT_KEY });

const day = () => z.iso.date();
const words = () => z.string().check(z.maxLength(5000));
const actor = () => z.object({ userId: idSchema, name: z.string() });

export const planItemSchema = z.lazy(() =>
  z.object({
    kind: z.literal('plan'),
    caseId: idSchema,
    agreedOn: day(),
    goals: z.array(
      z.object({
        goalId: idSchema,
        inFamilysWords: words(),
        actions: z.array(z.object({ what: words(), who: words(), byWhen: day() })),
      }),
    ),
    nextReviewDate: day(),
    reviews: z.array(
      z.object({
        sequence: z.int().check(z.positive()),
        reviewedOn: day(),
        by: actor(),
        summary: words(),
        progress: z.array(z.object({ goalId: idSchema, rating: z.enum(PROGRESS_RATINGS), note: words() })),
        nextReviewDate: day(),
      }),
    ),
    updatedAt: instantSchema,
    updatedBy: actor(),
    version: z.int().check(z.positive()),
  }),
);

export const planItemFamily = itemFamily({ equals: PLAN_SORT_KEY }, planItemSchema, 'plan');

export const toCasePlan = ({ kind: _kind, ...plan }: z.infer<typeof planItemSchema>): CasePlan => plan as CasePlan;

/** The plan at its next version, written only over the version it was decided from (0: none yet). */
export function planPut(tableName: string, plan: CasePlan, readVersion: number): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: { ...planKey(plan.caseId), kind: 'plan', ...plan },
      ...(readVersion === 0
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': readVersion } }),
    },
  };
}
