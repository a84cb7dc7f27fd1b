/**
 * Family group decision making (domain/fgdm.ts): one item in the case's own FGDM partition
 * (pk CASE#<caseId>#FGDM, sk FGDM), kept out of the case partition that readCase reads whole,
 * replaced on its version with the offers, conferences and pre-proceedings inside it (an item
 * written before pre-proceedings were kept has none).
 */
import { idSchema, instantSchema } from '@fsp/shared/events/definitions/common';
import * as z from 'zod/mini';
import { type CaseFgdm, OFFER_RESPONSES, PRE_PROCEEDINGS_OUTCOMES } from '../../domain/fgdm';

export const FGDM_SORT_KEY = 'FGDM';
export const fgdmPartitionKey = (caseId: string): string => `CASE#${caseId}#FGDM`;
export const fgdmKey = (caseId: string) => ({ pk: fgdmPartitionKey(caseId), sk: FGDM_SORT_KEY });

const actor = () => z.object({ userId: idSchema, name: z.string() });
const words = () => z.string().check(z.maxLength(5000));
const plan = () => z.object({ agreedOn: z.iso.date(), inFamilysWords: words(), by: actor(), recordedAt: instantSchema });

export const fgdmItemSchema = z.lazy(() =>
  z.object({
    kind: z.literal('fgdm'),
    caseId: idSchema,
    offers: z.array(
      z.object({
        sequence: z.int().check(z.positive()),
        offeredOn: z.iso.date(),
        response: z.enum(OFFER_RESPONSES),
        declinedReason: z.optional(words()),
        by: actor(),
        recordedAt: instantSchema,
      }),
    ),
    conferences: z.array(
      z.object({
        sequence: z.int().check(z.positive()),
        heldOn: z.iso.date(),
        attendees: z.array(z.object({ personId: idSchema, name: z.string() })),
        others: z.array(z.string().check(z.maxLength(200))),
        by: actor(),
        recordedAt: instantSchema,
        familyPlan: z.optional(plan()),
        earlierPlans: z.optional(z.array(plan())),
      }),
    ),
    preProceedings: z.optional(
      z.array(
        z.object({
          sequence: z.int().check(z.positive()),
          startedOn: z.iso.date(),
          by: actor(),
          recordedAt: instantSchema,
          ended: z.optional(
            z.object({
              endedOn: z.iso.date(),
              outcome: z.enum(PRE_PROCEEDINGS_OUTCOMES),
              otherOutcome: z.optional(z.string().check(z.maxLength(2000))),
              by: actor(),
              recordedAt: instantSchema,
            }),
          ),
        }),
      ),
    ),
    version: z.int().check(z.positive()),
  }),
);

export const toCaseFgdm = ({ kind: _kind, preProceedings, ...fgdm }: z.infer<typeof fgdmItemSchema>): CaseFgdm =>
  ({ ...fgdm, preProceedings: preProceedings ?? [] }) as CaseFgdm;

/** The item after a step, put only over the version it was decided from (0: none yet). */
export function fgdmPut(tableName: string, fgdm: CaseFgdm, readVersion: number, now: Date) {
  return {
    TableName: tableName,
    Item: { ...fgdmKey(fgdm.caseId), kind: 'fgdm', ...fgdm, updatedAt: now.toISOString() },
    ...(readVersion === 0
      ? { ConditionExpression: 'attribute_not_exists(pk)' }
      : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': readVersion } }),
  };
}
