/**
 * PLACEHOLDER written by helper B1 so that readCase can return the allocation (issue 12); helper B2
 * owns this file and replaces it with the real codec (writes, history, caseload items). Keep the
 * exports `allocationItemFamily`, `AllocationItem` and `toAllocationItem`: case-store.ts reads them.
 *
 * The allocation item: one per case once allocated (pk CASE#<caseId>, sk ALLOCATION); absent means
 * never allocated.
 */
import { idSchema } from '@fsp/shared/events/definitions/common';
import { itemFamily } from '@fsp/shared/store';
import * as z from 'zod/mini';
import { type Allocation, SPECIALISMS } from '../../domain/allocation';

export const ALLOCATION_SORT_KEY = 'ALLOCATION';

const allocatedWorkerSchema = z.object({ userId: idSchema, name: z.string(), allocatedAt: z.string(), allocatedBy: z.string() });

export const allocationItemSchema = z.object({
  kind: z.literal('allocation'),
  allocation: z.object({
    caseId: idSchema,
    teamId: idSchema,
    socialWorker: z.optional(allocatedWorkerSchema),
    specialists: z.partialRecord(z.enum(SPECIALISMS), allocatedWorkerSchema),
    socialWorkerChanges: z.int().check(z.nonnegative()),
  }),
  version: z.int().check(z.positive()),
});

export const allocationItemFamily = itemFamily({ equals: ALLOCATION_SORT_KEY }, allocationItemSchema, 'allocation');

export interface AllocationItem {
  allocation: Allocation;
  version: number;
}

export const toAllocationItem = ({ kind: _kind, ...item }: z.infer<typeof allocationItemSchema>): AllocationItem => item;
