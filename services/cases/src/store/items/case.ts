/**
 * The case head item: one per case, first in the case's partition (pk CASE#<caseId>, sk CASE). Its
 * `version` is the case's optimistic lock; every update of the case, a chronology append included,
 * moves it on.
 */
import { idSchema, instantSchema, referenceSchema } from '@fsp/shared/events/definitions/common';
import { SUPERVISION_RATINGS } from '@fsp/shared/events/definitions/supervision';
import type { TransactItem } from '@fsp/shared/outbox';
import { itemFamily } from '@fsp/shared/store';
import { londonDateOf } from '@fsp/shared/time/london';
import * as z from 'zod/mini';
import { CASE_STATUSES, type CaseRecord, type LatestSupervision } from '../../domain/case';
import { TIMESCALES } from '../../domain/path-timescales';

/** The partition that holds a case and everything recorded about it (its chronology). */
export const casePartitionKey = (caseId: string): string => `CASE#${caseId}`;

export const caseKey = (caseId: string) => ({ pk: casePartitionKey(caseId), sk: 'CASE' });

/**
 * A team's cases (gsi1), read newest first: written with the head when the case opens, and moved
 * when the case is first allocated. An unallocated case's key starts `CASE#`, an allocated one's
 * `ALLOCATED#`, so that reading the index descending lists the cases waiting for a social worker
 * first, newest first within each. A case's team and opening never change today; a transfer
 * between teams must move these keys with it.
 */
export const teamCasesPartitionKey = (teamId: string): string => `TEAM#${teamId}#CASES`;
export const teamCasesSortKey = (record: Pick<CaseRecord, 'openedAt' | 'caseId' | 'socialWorker'>): string =>
  `${record.socialWorker ? 'ALLOCATED' : 'CASE'}#${record.openedAt}#${record.caseId}`;
const TEAM_CASES_SORT_KEY = /^(?:CASE|ALLOCATED)#(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)#([A-Za-z0-9][A-Za-z0-9._:-]{0,63})$/;

/** The case a team-cases sort key names, or undefined when it is not one (a cursor from elsewhere). */
export function caseIdOfTeamCasesSortKey(sortKey: string): string | undefined {
  return TEAM_CASES_SORT_KEY.exec(sortKey)?.[2];
}

/** The case's soonest deadline (domain/case.ts), as the head and its caseload items copy it; null: none. */
export const nextDeadlineSchema = z.nullable(z.object({ timescale: z.enum(TIMESCALES), dueDate: z.iso.date(), dueBy: instantSchema }));

// What is read back from the table is validated like any other input: a malformed item fails loudly here.
export const caseItemSchema = z.lazy(() =>
  z.object({
    kind: z.literal('case'),
    caseId: idSchema,
    referralId: idSchema,
    reference: referenceSchema,
    status: z.enum(CASE_STATUSES),
    teamId: idSchema,
    urgent: z.boolean(),
    openedAt: instantSchema,
    assessmentDueDate: z.iso.date(),
    assessmentDueBy: instantSchema,
    children: z.array(z.object({ childId: idSchema, unborn: z.boolean(), dateOfBirth: z.optional(z.iso.date()) })),
    nextDeadline: z.optional(nextDeadlineSchema),
    /** Copied from the allocation when it changes (store/allocation-store.ts), for the team's list. */
    socialWorker: z.optional(z.object({ userId: idSchema, name: z.string() })),
    socialWorkerChanges: z.optional(z.int().check(z.nonnegative())),
    /** Written with the first social worker's allocation only, never moved by a later change. */
    firstAllocatedOn: z.optional(z.iso.date()),
    /** From SupervisionHeld (store/case-store.ts recordSupervision), for the overview. */
    latestSupervision: z.optional(
      z.object({ rating: z.enum(SUPERVISION_RATINGS), heldOn: z.iso.date(), sequence: z.int().check(z.positive()) }),
    ),
    /** Copies for the essentials check of the team's list: the summary's last write, the assessment's completion, the plan's review dates. */
    summaryUpdatedAt: z.optional(instantSchema),
    assessmentCompletedOn: z.optional(z.iso.date()),
    planLastReviewedOn: z.optional(z.iso.date()),
    planNextReviewDate: z.optional(z.iso.date()),
    version: z.int().check(z.positive()),
  }),
);

/** The head as `readPartition` finds it in the case's partition. */
export const caseItemFamily = itemFamily({ equals: 'CASE' }, caseItemSchema, 'case');

export const toCaseRecord = ({ kind: _kind, ...record }: z.infer<typeof caseItemSchema>): CaseRecord => record;

/** A new case's head, written only if the case does not exist yet. */
export function caseHeadPut(tableName: string, record: CaseRecord, now: Date): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...caseKey(record.caseId),
        gsi1pk: teamCasesPartitionKey(record.teamId),
        gsi1sk: teamCasesSortKey(record),
        kind: 'case',
        ...record,
        updatedAt: now.toISOString(),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** Moves the case on one version, only from the version just read: a concurrent writer conflicts instead of being overwritten. */
export function caseVersionBump(tableName: string, head: Pick<CaseRecord, 'caseId' | 'version'>, now: Date): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: caseKey(head.caseId),
      UpdateExpression: 'SET version = :next, updatedAt = :now',
      ConditionExpression: 'version = :expected',
      ExpressionAttributeValues: { ':next': head.version + 1, ':expected': head.version, ':now': now.toISOString() },
    },
  };
}

/**
 * What the team's list shows of a case's allocation, copied onto the head with its list position,
 * in the allocation's transaction and only from the head's version as read (so the caseload items
 * written beside it copy the head as it is).
 */
export function caseHeadAllocationUpdate(
  tableName: string,
  head: CaseRecord,
  allocation: { socialWorker: { userId: string; name: string; allocatedAt: string }; socialWorkerChanges: number },
  now: Date,
): TransactItem {
  const socialWorker = { userId: allocation.socialWorker.userId, name: allocation.socialWorker.name };
  // The head as read has no social worker only before the first allocation; the version condition makes that read the truth.
  const first = head.socialWorker === undefined ? londonDateOf(new Date(allocation.socialWorker.allocatedAt)) : undefined;
  return {
    Update: {
      TableName: tableName,
      Key: caseKey(head.caseId),
      UpdateExpression: `SET socialWorker = :socialWorker, socialWorkerChanges = :changes, gsi1sk = :position, version = :next, updatedAt = :now${
        first === undefined ? '' : ', firstAllocatedOn = :first'
      }`,
      ConditionExpression: 'version = :expected',
      ExpressionAttributeValues: {
        ...(first === undefined ? {} : { ':first': first }),
        ':socialWorker': socialWorker,
        ':changes': allocation.socialWorkerChanges,
        ':position': teamCasesSortKey({ ...head, socialWorker }),
        ':next': head.version + 1,
        ':expected': head.version,
        ':now': now.toISOString(),
      },
    },
  };
}

/** The case's latest group supervision, only from the head's version as read (a later one written meanwhile conflicts). */
export function caseLatestSupervisionUpdate(
  tableName: string,
  head: Pick<CaseRecord, 'caseId' | 'version'>,
  latest: LatestSupervision,
  now: Date,
): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: caseKey(head.caseId),
      UpdateExpression: 'SET latestSupervision = :latest, version = :next, updatedAt = :now',
      ConditionExpression: 'version = :expected',
      ExpressionAttributeValues: {
        ':latest': { rating: latest.rating, heldOn: latest.heldOn, sequence: latest.sequence },
        ':next': head.version + 1,
        ':expected': head.version,
        ':now': now.toISOString(),
      },
    },
  };
}
