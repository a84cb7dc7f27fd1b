/**
 * Referral link items (pk REFERRAL#<referralId>, sk REFERRAL): the one case a referral belongs to.
 * Written only if absent, which is what makes a referral belong to one case however often, and
 * however, it arrives.
 */
import { idSchema, instantSchema } from '@fsp/shared/events/definitions/common';
import type { TransactItem } from '@fsp/shared/outbox';
import { parseStoredItem } from '@fsp/shared/stored-item';
import * as z from 'zod/mini';

export const referralLinkKey = (referralId: string) => ({ pk: `REFERRAL#${referralId}`, sk: 'REFERRAL' });

export const referralLinkItemSchema = z.lazy(() =>
  z.object({
    kind: z.literal('referral-link'),
    referralId: idSchema,
    caseId: idSchema,
    linkedAt: instantSchema,
  }),
);

export function referralLinkPut(tableName: string, link: { referralId: string; caseId: string }, now: Date): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...referralLinkKey(link.referralId),
        kind: 'referral-link',
        referralId: link.referralId,
        caseId: link.caseId,
        linkedAt: now.toISOString(),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** The case a stored link names; a malformed link fails loudly. */
export const linkedCaseIdOf = (item: Record<string, unknown>): string =>
  parseStoredItem(referralLinkItemSchema, item, 'referral link').caseId;
