/**
 * Break-glass grants (ADR 0014 §6): one item per grant, in the case's partition so that the case
 * page's one Query reads them with the case (pk CASE#<caseId>, sk BREAKGLASS#<at>#<userId>). All
 * are kept: the team manager sees every use, and a grant lapses by its age (domain/access.ts), never
 * by being changed or deleted. Written only if absent, in one transaction with its audit item.
 */
import { idSchema, instantSchema } from '@fsp/shared/events/definitions/common';
import type { TransactItem } from '@fsp/shared/outbox';
import { itemFamily } from '@fsp/shared/store';
import * as z from 'zod/mini';
import { BREAK_GLASS_REASON_MAX, type BreakGlassGrant } from '../../domain/access';
import { casePartitionKey } from './case';

const BREAK_GLASS_PREFIX = 'BREAKGLASS#';

export const breakGlassKey = (grant: Pick<BreakGlassGrant, 'caseId' | 'at' | 'userId'>) => ({
  pk: casePartitionKey(grant.caseId),
  sk: `${BREAK_GLASS_PREFIX}${grant.at}#${grant.userId}`,
});

export const breakGlassItemSchema = z.lazy(() =>
  z.object({
    kind: z.literal('break-glass'),
    caseId: idSchema,
    userId: z.string().check(z.minLength(1)),
    name: z.string(),
    reason: z.string().check(z.minLength(1), z.maxLength(BREAK_GLASS_REASON_MAX)),
    at: instantSchema,
    requestId: z.string().check(z.minLength(1)),
  }),
);

/** The grants as `readPartition` finds them in the case's partition (oldest first, by their sort key). */
export const breakGlassItemFamily = itemFamily({ prefix: BREAK_GLASS_PREFIX }, breakGlassItemSchema, 'break-glass grant');

export const toBreakGlassGrant = ({ kind: _kind, ...grant }: z.infer<typeof breakGlassItemSchema>): BreakGlassGrant => grant;

/** A new grant, written once: the same worker's grant at the same instant is the same grant. */
export function breakGlassPut(tableName: string, grant: BreakGlassGrant): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: { ...breakGlassKey(grant), kind: 'break-glass', ...grant },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}
