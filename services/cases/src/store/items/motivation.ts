/**
 * Motivational interviewing (domain/motivation.ts): one item in the case's own motivation
 * partition (pk CASE#<caseId>#MOTIVATION, sk MOTIVATION), kept out of the case partition that
 * readCase reads whole, replaced on its version with every assessment inside it.
 */
import { idSchema, instantSchema } from '@fsp/shared/events/definitions/common';
import * as z from 'zod/mini';
import { type CaseMotivation, CONCERNS, STAGES } from '../../domain/motivation';

export const MOTIVATION_SORT_KEY = 'MOTIVATION';
export const motivationPartitionKey = (caseId: string): string => `CASE#${caseId}#MOTIVATION`;
export const motivationKey = (caseId: string) => ({ pk: motivationPartitionKey(caseId), sk: MOTIVATION_SORT_KEY });

export const motivationItemSchema = z.lazy(() =>
  z.object({
    kind: z.literal('motivation'),
    caseId: idSchema,
    records: z.array(
      z.object({
        sequence: z.int().check(z.positive()),
        personId: idSchema,
        concern: z.enum(CONCERNS),
        otherConcern: z.optional(z.string().check(z.maxLength(200))),
        stage: z.enum(STAGES),
        assessedOn: z.iso.date(),
        note: z.string().check(z.maxLength(2000)),
        by: z.object({ userId: idSchema, name: z.string() }),
        recordedAt: instantSchema,
      }),
    ),
    version: z.int().check(z.positive()),
  }),
);

export const toCaseMotivation = ({ kind: _kind, ...motivation }: z.infer<typeof motivationItemSchema>): CaseMotivation =>
  motivation as CaseMotivation;

/** The item after an assessment, put only over the version it was decided from (0: none yet). */
export function motivationPut(tableName: string, motivation: CaseMotivation, readVersion: number, now: Date) {
  return {
    TableName: tableName,
    Item: { ...motivationKey(motivation.caseId), kind: 'motivation', ...motivation, updatedAt: now.toISOString() },
    ...(readVersion === 0
      ? { ConditionExpression: 'attribute_not_exists(pk)' }
      : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': readVersion } }),
  };
}
