/**
 * The items of the supervision table: keys, stored schemas (validated when read back) and their
 * mapping to the domain. The only module that knows how an item is laid out.
 *
 * Case partition pk `CASE#<caseId>`: sk `CASE` (head), `SUPERVISION#<seq 4>` (a supervision with its
 * record), `SUPERVISION#<seq 4>#AMENDMENT#<nnn>`, `ACTION#<actionId>`, `CONSULTATION#<at>#<id>`.
 * Timers pk `TIMER`, sk `<fireAt>#<kind>#<caseId>#<id>`.
 */

import { ADULT_SPECIALISMS } from '@fsp/shared/events/definitions/cases';
import { idSchema, instantSchema, referenceSchema } from '@fsp/shared/events/definitions/common';
import { SUPERVISION_RATINGS } from '@fsp/shared/events/definitions/supervision';
import { onFirstUse } from '@fsp/shared/first-use';
import { itemFamily } from '@fsp/shared/store';
import type { LocalDate } from '@fsp/shared/time/local-date';
import * as z from 'zod/mini';
import { type AllocationSlots, allocationOfSlots } from '../domain/allocation';
import {
  ACTION_STATUSES,
  type Amendment,
  type CaseHead,
  type Consultation,
  RECORD_STATUSES,
  SUPERVISION_STATUSES,
  type Supervision,
  type SupervisionAction,
} from '../domain/model';
import { TIMER_KINDS, type Timer } from '../domain/timers';

export const casePk = (caseId: string) => `CASE#${caseId}`;
export const CASE_SK = 'CASE';
export const SUPERVISION_SK_PREFIX = 'SUPERVISION#';
export const ACTION_SK_PREFIX = 'ACTION#';
export const CONSULTATION_SK_PREFIX = 'CONSULTATION#';
export const TIMER_PK = 'TIMER';

export const caseKey = (caseId: string) => ({ pk: casePk(caseId), sk: CASE_SK });
const sequenceText = (sequence: number) => String(sequence).padStart(4, '0');
export const supervisionKey = (caseId: string, sequence: number) => ({
  pk: casePk(caseId),
  sk: `${SUPERVISION_SK_PREFIX}${sequenceText(sequence)}`,
});
export const amendmentKey = (caseId: string, sequence: number, number: number) => ({
  pk: casePk(caseId),
  sk: `${SUPERVISION_SK_PREFIX}${sequenceText(sequence)}#AMENDMENT#${String(number).padStart(3, '0')}`,
});
export const actionKey = (caseId: string, actionId: string) => ({ pk: casePk(caseId), sk: `${ACTION_SK_PREFIX}${actionId}` });
export const consultationKey = (caseId: string, at: string, consultationId: string) => ({
  pk: casePk(caseId),
  sk: `${CONSULTATION_SK_PREFIX}${at}#${consultationId}`,
});

/** The team's agenda (gsi1): scheduled supervisions only, earliest due first. */
export const teamAgendaPk = (teamId: string) => `TEAM#${teamId}`;
export const agendaKeys = (supervision: Pick<Supervision, 'teamId' | 'dueBy' | 'supervisionId'>) => ({
  gsi1pk: teamAgendaPk(supervision.teamId),
  gsi1sk: `${supervision.dueBy}#${supervision.supervisionId}`,
});
/** The team's open actions (gsi1): earliest due first. */
export const teamActionsPk = (teamId: string) => `TEAM#${teamId}#ACTIONS`;
export const openActionKeys = (action: Pick<SupervisionAction, 'teamId' | 'dueDate' | 'actionId'>) => ({
  gsi1pk: teamActionsPk(action.teamId),
  gsi1sk: `${action.dueDate}#${action.actionId}`,
});

// ---------------------------------------------------------------------------------------------
// Timers
// ---------------------------------------------------------------------------------------------

export {
  actionTimer,
  allActionTimers,
  newActionTimers,
  supervisionTimer,
  supervisionTimers,
  TIMER_KINDS,
  type Timer,
  type TimerKind,
  timerForEscalation,
} from '../domain/timers';

export const timerKey = (timer: Timer) => ({ pk: TIMER_PK, sk: `${timer.fireAt}#${timer.kind}#${timer.caseId}#${timer.targetId}` });
export const timerItem = (timer: Timer) => ({
  ...timerKey(timer),
  kind: 'timer',
  timerKind: timer.kind,
  fireAt: timer.fireAt,
  caseId: timer.caseId,
  targetId: timer.targetId,
});

// ---------------------------------------------------------------------------------------------
// Schemas of the items read back
// ---------------------------------------------------------------------------------------------

const localDate = () => z.iso.date() as unknown as z.ZodMiniType<LocalDate>;
const personSchema = () => z.object({ userId: idSchema, name: z.string() });
const slotSchema = () => z.object({ userId: idSchema, since: instantSchema });

const schemas = onFirstUse(() => {
  const rating = z.enum(SUPERVISION_RATINGS);
  const actionDraft = z.object({ actionId: z.optional(idSchema), what: z.string(), ownerId: idSchema, dueDate: localDate() });
  const content = {
    heldOn: z.optional(localDate()),
    attendees: z._default(z.array(idSchema), []),
    apologies: z._default(z.array(idSchema), []),
    rating: z.optional(rating),
    ratingRationale: z.optional(z.string()),
    discussion: z.optional(z.string()),
    risks: z.optional(z.string()),
    strengths: z.optional(z.string()),
    decisions: z.optional(z.string()),
    actions: z._default(z.array(actionDraft), []),
    nextDate: z.optional(localDate()),
  };
  // An amendment's before and after hold only the fields that changed: no defaults filled in.
  const changed = z.object({
    ...content,
    attendees: z.optional(z.array(idSchema)),
    apologies: z.optional(z.array(idSchema)),
    actions: z.optional(z.array(actionDraft)),
  });
  const record = z.object({
    ...content,
    chair: personSchema(),
    recordStatus: z.enum(RECORD_STATUSES),
    recordVersion: z.int().check(z.positive()),
    savedAt: instantSchema,
    completedAt: z.optional(instantSchema),
    completedBy: z.optional(idSchema),
  });
  const agendaChange = z.object({ id: z.string(), at: instantSchema, kind: z.string(), text: z.string() });
  const caseItem = z.object({
    kind: z.literal('case'),
    caseId: idSchema,
    teamId: idSchema,
    openedAt: z.optional(instantSchema),
    reference: z.optional(referenceSchema),
    closedAt: z.optional(instantSchema),
    allocation: z.optional(
      z.object({
        socialWorker: z.optional(slotSchema()),
        specialists: z._default(z.partialRecord(z.enum(ADULT_SPECIALISMS), slotSchema()), {}),
      }),
    ),
    lastRating: z.optional(rating),
    lastHeldOn: z.optional(localDate()),
    ratings: z._default(z.array(z.object({ sequence: z.int(), heldOn: localDate(), rating, rationale: z.string() })), []),
    version: z._default(z.int(), 0),
  });
  const supervisionItem = z.object({
    kind: z.literal('supervision'),
    supervisionId: idSchema,
    caseId: idSchema,
    teamId: idSchema,
    sequence: z.int().check(z.positive()),
    status: z.enum(SUPERVISION_STATUSES),
    dueDate: z.iso.date(),
    dueBy: instantSchema,
    scheduledDate: z.iso.date(),
    scheduledFor: instantSchema,
    caseReference: z.optional(referenceSchema),
    overdueAt: z.optional(instantSchema),
    dueSoonAt: z.optional(instantSchema),
    reschedules: z._default(
      z.array(
        z.object({
          at: instantSchema,
          by: personSchema(),
          previousScheduledFor: instantSchema,
          scheduledFor: instantSchema,
          reason: z.string(),
        }),
      ),
      [],
    ),
    agenda: z._default(z.object({ changes: z._default(z.array(agendaChange), []) }), { changes: [] }),
    previousRating: z.optional(rating),
    heldOn: z.optional(localDate()),
    cancelledAt: z.optional(instantSchema),
    record: z.optional(record),
    version: z._default(z.int(), 1),
    /** Optimistic concurrency for the agenda's changes (consumers append), apart from the scheduling version. */
    agendaVersion: z._default(z.int(), 0),
  });
  const amendmentItem = z.object({
    kind: z.literal('amendment'),
    sequence: z.int(),
    number: z.int(),
    at: instantSchema,
    by: personSchema(),
    reason: z.string(),
    before: changed,
    after: changed,
    addedActionIds: z._default(z.array(idSchema), []),
  });
  const actionItem = z.object({
    kind: z.literal('action'),
    actionId: idSchema,
    supervisionId: idSchema,
    caseId: idSchema,
    teamId: idSchema,
    reference: referenceSchema,
    sequence: z.int(),
    what: z.string(),
    ownerId: idSchema,
    ownerName: z.string(),
    dueDate: localDate(),
    dueBy: instantSchema,
    assignedAt: instantSchema,
    assignedBy: idSchema,
    status: z.enum(ACTION_STATUSES),
    completedAt: z.optional(instantSchema),
    completedBy: z.optional(idSchema),
    overdueTold: z._default(z.object({ owner: z.optional(instantSchema), 'team-manager': z.optional(instantSchema) }), {}),
    dueSoonAt: z.optional(instantSchema),
  });
  const consultationItem = z.object({
    kind: z.literal('consultation'),
    consultationId: idSchema,
    caseId: idSchema,
    at: instantSchema,
    by: personSchema(),
    with: z.string(),
    heldOn: localDate(),
    notes: z.string(),
  });
  const timerItemSchema = z.object({
    kind: z.literal('timer'),
    timerKind: z.enum(TIMER_KINDS),
    fireAt: instantSchema,
    caseId: idSchema,
    targetId: z.string(),
  });
  return {
    caseItem,
    supervisionItem,
    amendmentItem,
    supervisionOrAmendment: z.discriminatedUnion('kind', [supervisionItem, amendmentItem]),
    actionItem,
    consultationItem,
    timerItem: timerItemSchema,
  };
});

export const caseItemSchema = z.lazy(() => schemas().caseItem);
export const supervisionItemSchema = z.lazy(() => schemas().supervisionItem);
export const actionItemSchema = z.lazy(() => schemas().actionItem);
export const timerItemSchema = z.lazy(() => schemas().timerItem);

export type StoredCase = z.infer<typeof caseItemSchema>;
export type StoredSupervision = z.infer<typeof supervisionItemSchema>;

/** What a case's partition holds, told apart by sort key (a supervision's amendments share its prefix, told apart by kind). */
export const casePartition = {
  cases: itemFamily({ equals: CASE_SK }, caseItemSchema, 'case'),
  supervisions: itemFamily(
    { prefix: SUPERVISION_SK_PREFIX },
    z.lazy(() => schemas().supervisionOrAmendment),
    'supervision or amendment',
  ),
  actions: itemFamily({ prefix: ACTION_SK_PREFIX }, actionItemSchema, 'action'),
  consultations: itemFamily(
    { prefix: CONSULTATION_SK_PREFIX },
    z.lazy(() => schemas().consultationItem),
    'consultation',
  ),
};

// ---------------------------------------------------------------------------------------------
// Mapping to the domain
// ---------------------------------------------------------------------------------------------

export const slotsOf = (stored: StoredCase['allocation']): AllocationSlots => ({
  ...(stored?.socialWorker ? { socialWorker: stored.socialWorker } : {}),
  specialists: stored?.specialists ?? {},
});

export function toCaseHead({ kind: _kind, allocation, ...stored }: StoredCase): CaseHead {
  return { ...stored, allocation: allocationOfSlots(slotsOf(allocation)) };
}

export function toSupervision({ kind: _kind, agendaVersion: _agendaVersion, ...stored }: StoredSupervision): Supervision {
  return stored as Supervision;
}

export const toAmendment = ({ kind: _kind, ...stored }: z.infer<ReturnType<typeof schemas>['amendmentItem']>): Amendment =>
  stored as Amendment;

export const toAction = ({ kind: _kind, ...stored }: z.infer<typeof actionItemSchema>): SupervisionAction => stored as SupervisionAction;

export const toConsultation = ({ kind: _kind, ...stored }: z.infer<ReturnType<typeof schemas>['consultationItem']>): Consultation => stored;

export const toTimer = (stored: z.infer<typeof timerItemSchema>): Timer => ({
  kind: stored.timerKind,
  fireAt: stored.fireAt,
  caseId: stored.caseId,
  targetId: stored.targetId,
});

/** Items as written: the domain value with its keys (and, while on a list, its index keys). */
export function supervisionItem(supervision: Supervision, createdAt: string) {
  return {
    ...supervisionKey(supervision.caseId, supervision.sequence),
    ...(supervision.status === 'scheduled' ? agendaKeys(supervision) : {}),
    kind: 'supervision',
    reschedules: [],
    agenda: { changes: [] },
    version: 1,
    ...stripUndefined(supervision),
    createdAt,
  };
}

export function actionItem(action: SupervisionAction) {
  return {
    ...actionKey(action.caseId, action.actionId),
    ...(action.status === 'open' ? openActionKeys(action) : {}),
    kind: 'action',
    ...stripUndefined(action),
  };
}

/** The document client is told to reject undefined; optional fields absent are left out. */
export function stripUndefined<T extends object>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
