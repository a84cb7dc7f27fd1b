/**
 * The case's statutory path (domain/path.ts): one item in the case's partition (sk PATH), replaced
 * whole at each step on its version; the timers its timescales wait on (partition TIMER, sorted by
 * when they fire); and a marker per timescale moment told (sk TOLD#<target>#<moment>), so that each
 * due-soon and overdue event is published once, whichever run fires it.
 */

import { CATEGORIES_OF_ABUSE, CLOSURE_REASON_CODES, REFERRAL_SOURCE_CODES } from '@fsp/shared/events/codes';
import { idSchema, instantSchema } from '@fsp/shared/events/definitions/common';
import type { TransactItem } from '@fsp/shared/outbox';
import { ROLES } from '@fsp/shared/people';
import { itemFamily } from '@fsp/shared/store';
import * as z from 'zod/mini';
import { CASE_STATUSES } from '../../domain/case';
import { ASSESSMENT_FACTOR_CODES, ASSESSMENT_OUTCOMES, type CasePath, PRIMARY_NEED_CODES } from '../../domain/path';
import { TIMESCALE_MOMENTS, TIMESCALES, type TimescaleTimer } from '../../domain/path-timescales';
import { casePartitionKey } from './case';

const day = () => z.iso.date();
const text = () => z.string().check(z.maxLength(5000));
const positive = () => z.int().check(z.positive());
/** Who recorded a step, copied at write time (domain/path.ts Recorder); absent on steps recorded before names were kept. */
const recorder = () => z.optional(z.object({ name: z.string().check(z.maxLength(500)), roles: z.array(z.enum(ROLES)) }));

export const PATH_SORT_KEY = 'PATH';
export const pathKey = (caseId: string) => ({ pk: casePartitionKey(caseId), sk: PATH_SORT_KEY });

export const pathItemSchema = z.lazy(() =>
  z.object({
    kind: z.literal('path'),
    caseId: idSchema,
    status: z.enum(CASE_STATUSES),
    referralDate: day(),
    assessmentDueDate: day(),
    familySafeguardingFlag: z.optional(z.boolean()),
    referralSource: z.optional(z.enum(REFERRAL_SOURCE_CODES)),
    assessment: z.optional(
      z.object({
        completedOn: day(),
        factors: z.array(z.enum(ASSESSMENT_FACTOR_CODES)),
        primaryNeed: z.enum(PRIMARY_NEED_CODES),
        outcome: z.enum(ASSESSMENT_OUTCOMES),
        familySafeguardingEligible: z.boolean(),
        summary: text(),
        by: idSchema,
        recorder: recorder(),
      }),
    ),
    strategyDiscussions: z.array(
      z.object({
        sequence: positive(),
        heldOn: day(),
        section47: z.boolean(),
        reason: text(),
        conferenceDueDate: z.optional(day()),
        conference: z.optional(
          z.union([
            z.object({ heldOn: day(), outcome: z.enum(['cp-plan', 'no-plan']), by: z.optional(idSchema), recorder: recorder() }),
            z.object({ notRequiredOn: day(), reason: text(), by: z.optional(idSchema), recorder: recorder() }),
          ]),
        ),
        by: idSchema,
        recorder: recorder(),
      }),
    ),
    childProtectionPlans: z.array(
      z.object({
        sequence: positive(),
        startedOn: day(),
        initialCategory: z.enum(CATEGORIES_OF_ABUSE),
        latestCategory: z.enum(CATEGORIES_OF_ABUSE),
        reviews: z.array(
          z.object({
            sequence: positive(),
            heldOn: day(),
            outcome: z.enum(['continue', 'step-down']),
            category: z.enum(CATEGORIES_OF_ABUSE),
            by: idSchema,
            recorder: recorder(),
          }),
        ),
        nextReviewDueDate: z.optional(day()),
        endedOn: z.optional(day()),
        endReason: z.optional(text()),
      }),
    ),
    childInNeedPlans: z.array(z.object({ sequence: positive(), startedOn: day(), endedOn: z.optional(day()) })),
    lookedAfterFrom: z.optional(day()),
    closure: z.optional(
      z.object({
        closedOn: day(),
        reasonCode: z.enum(CLOSURE_REASON_CODES),
        sustainabilityPlan: z.object({
          people: z.array(z.object({ name: text(), relationship: text(), helps: text() })),
          summary: text(),
        }),
        stepDownToEarlyHelp: z.boolean(),
        by: idSchema,
        recorder: recorder(),
      }),
    ),
    statusChanges: z.array(
      z.object({
        sequence: positive(),
        from: z.enum(CASE_STATUSES),
        to: z.enum(CASE_STATUSES),
        on: day(),
        reason: text(),
        by: idSchema,
        recorder: recorder(),
        recordedAt: instantSchema,
      }),
    ),
    version: positive(),
  }),
);

export const pathItemFamily = itemFamily({ equals: PATH_SORT_KEY }, pathItemSchema, 'statutory path');

export const toCasePath = ({ kind: _kind, ...path }: z.infer<typeof pathItemSchema>): CasePath => path as CasePath;

/** The path after a step, written only over the version it was decided from (absent: none written yet). */
export function pathPut(tableName: string, path: CasePath, readVersion: number, now: Date): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: { ...pathKey(path.caseId), kind: 'path', ...path, updatedAt: now.toISOString() },
      ...(readVersion === 0
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': readVersion } }),
    },
  };
}

export const TIMER_PK = 'TIMER';

export const timerKey = (timer: TimescaleTimer) => ({
  pk: TIMER_PK,
  sk: `${timer.fireAt}#${timer.caseId}#${timer.targetId}#${timer.moment}`,
});

export const timerItemSchema = z.lazy(() =>
  z.object({
    kind: z.literal('timer'),
    caseId: idSchema,
    timescale: z.enum(TIMESCALES),
    targetId: z.string().check(z.minLength(1)),
    moment: z.enum(TIMESCALE_MOMENTS),
    fireAt: instantSchema,
  }),
);

export const toTimer = ({ kind: _kind, ...timer }: z.infer<typeof timerItemSchema>): TimescaleTimer => timer;

export const timerPut = (tableName: string, timer: TimescaleTimer): TransactItem => ({
  Put: { TableName: tableName, Item: { ...timerKey(timer), kind: 'timer', ...timer } },
});

export const timerDelete = (tableName: string, timer: TimescaleTimer): TransactItem => ({
  Delete: { TableName: tableName, Key: timerKey(timer) },
});

const TOLD_PREFIX = 'TOLD#';

export const toldKey = (timer: Pick<TimescaleTimer, 'caseId' | 'targetId' | 'moment'>) => ({
  pk: casePartitionKey(timer.caseId),
  sk: `${TOLD_PREFIX}${timer.targetId}#${timer.moment}`,
});

export const toldItemSchema = z.lazy(() =>
  z.object({
    kind: z.literal('timescale-told'),
    targetId: z.string().check(z.minLength(1)),
    moment: z.enum(TIMESCALE_MOMENTS),
    toldAt: instantSchema,
  }),
);

/** The markers as `readPartition` finds them in the case's partition (the path page shows what was told). */
export const toldItemFamily = itemFamily({ prefix: TOLD_PREFIX }, toldItemSchema, 'timescale told');

/** Written once per timescale moment: a second run's put is refused, and its event is never published. */
export const toldPut = (tableName: string, timer: TimescaleTimer, now: Date): TransactItem => ({
  Put: {
    TableName: tableName,
    Item: { ...toldKey(timer), kind: 'timescale-told', targetId: timer.targetId, moment: timer.moment, toldAt: now.toISOString() },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});
