/**
 * The timers a state implies (ADR 0015 §4, §9): a scheduled supervision not yet told overdue waits for
 * its due instant, and until told due soon for the first instant (London) of the fifth working day
 * before its due day; an open action waits for its next escalation (the owner at its due instant,
 * then the team manager two working days later), and until told due soon for the first instant of
 * the second working day before its due date. Held, cancelled, done or fully told: none. Pure.
 */
import type { LocalDate } from '@fsp/shared/time/local-date';
import { startOfLondonDay } from '@fsp/shared/time/london';
import { addWorkingDays } from '@fsp/shared/time/working-days';
import { escalationAt, nextEscalation } from './actions';
import type { ActionEscalation, Supervision, SupervisionAction } from './model';

export const TIMER_KINDS = [
  'supervision-overdue',
  'action-overdue-owner',
  'action-overdue-manager',
  'supervision-due-soon',
  'action-due-soon',
] as const;
export type TimerKind = (typeof TIMER_KINDS)[number];

/** Working days before its due day that a supervision is due soon (as cases' statutory timescales). */
export const SUPERVISION_DUE_SOON_WORKING_DAYS = 5;
/** Working days before its due date that an action is due soon. */
export const ACTION_DUE_SOON_WORKING_DAYS = 2;

/** From when a supervision is due soon: the first instant (London) of the fifth working day before its due day. */
export const supervisionDueSoonFrom = (dueDate: LocalDate): Date =>
  startOfLondonDay(addWorkingDays(dueDate, -SUPERVISION_DUE_SOON_WORKING_DAYS));

/** From when an action is due soon: the first instant (London) of the second working day before its due date. */
export const actionDueSoonFrom = (dueDate: LocalDate): Date => startOfLondonDay(addWorkingDays(dueDate, -ACTION_DUE_SOON_WORKING_DAYS));

/**
 * Whether a due-soon reminder is to be told at `now`: from its moment up to the due instant. Once the
 * due instant has passed, the overdue fact speaks and the reminder is never sent late.
 */
export const dueSoonWindow = (dueSoonFrom: Date, dueBy: string, now: Date): boolean =>
  now.getTime() >= dueSoonFrom.getTime() && now.getTime() <= new Date(dueBy).getTime();

export interface Timer {
  kind: TimerKind;
  /** When it fires: the schedule fires it once `now` is after this instant. */
  fireAt: string;
  caseId: string;
  /** The supervision's sequence, 4 digits (supervision-overdue), or the action's id. */
  targetId: string;
}

export const timerForEscalation = (escalation: ActionEscalation): TimerKind =>
  escalation === 'owner' ? 'action-overdue-owner' : 'action-overdue-manager';

export const supervisionTimer = (supervision: Pick<Supervision, 'caseId' | 'sequence' | 'dueBy'>): Timer => ({
  kind: 'supervision-overdue',
  fireAt: supervision.dueBy,
  caseId: supervision.caseId,
  targetId: String(supervision.sequence).padStart(4, '0'),
});

export const actionTimer = (action: Pick<SupervisionAction, 'caseId' | 'actionId' | 'dueDate'>, escalation: ActionEscalation): Timer => ({
  kind: timerForEscalation(escalation),
  fireAt: escalationAt(action.dueDate, escalation).toISOString(),
  caseId: action.caseId,
  targetId: action.actionId,
});

export const supervisionDueSoonTimer = (supervision: Pick<Supervision, 'caseId' | 'sequence' | 'dueDate'>): Timer => ({
  kind: 'supervision-due-soon',
  fireAt: supervisionDueSoonFrom(supervision.dueDate as LocalDate).toISOString(),
  caseId: supervision.caseId,
  targetId: String(supervision.sequence).padStart(4, '0'),
});

export const actionDueSoonTimer = (action: Pick<SupervisionAction, 'caseId' | 'actionId' | 'dueDate'>): Timer => ({
  kind: 'action-due-soon',
  fireAt: actionDueSoonFrom(action.dueDate).toISOString(),
  caseId: action.caseId,
  targetId: action.actionId,
});

/**
 * Every timer a supervision can have: what scheduling it puts, and what holding or cancelling it
 * removes (removing one already fired is harmless).
 */
export const supervisionTimers = (supervision: Pick<Supervision, 'caseId' | 'sequence' | 'dueBy' | 'dueDate'>): Timer[] => [
  supervisionDueSoonTimer(supervision),
  supervisionTimer(supervision),
];

/** The timers a new action is given: due soon, and its owner's escalation (which puts the team manager's when fired). */
export const newActionTimers = (action: Pick<SupervisionAction, 'caseId' | 'actionId' | 'dueDate'>): Timer[] => [
  actionDueSoonTimer(action),
  actionTimer(action, 'owner'),
];

/** Every timer an action can have: what completing it removes. */
export const allActionTimers = (action: Pick<SupervisionAction, 'caseId' | 'actionId' | 'dueDate'>): Timer[] => [
  actionDueSoonTimer(action),
  actionTimer(action, 'owner'),
  actionTimer(action, 'team-manager'),
];

/** The timers a supervision in this state waits on. */
export function timersOfSupervision(
  supervision: Pick<Supervision, 'caseId' | 'sequence' | 'dueBy' | 'dueDate' | 'status' | 'overdueAt' | 'dueSoonAt'>,
): Timer[] {
  if (supervision.status !== 'scheduled' || supervision.overdueAt !== undefined) return [];
  return supervision.dueSoonAt === undefined ? supervisionTimers(supervision) : [supervisionTimer(supervision)];
}

/** The timers an action in this state waits on. */
export function timersOfAction(
  action: Pick<SupervisionAction, 'caseId' | 'actionId' | 'dueDate' | 'status' | 'overdueTold' | 'dueSoonAt'>,
): Timer[] {
  const escalation = nextEscalation(action);
  if (escalation === undefined) return [];
  // Told the owner it is overdue: nothing is due soon any more.
  const dueSoon = action.dueSoonAt === undefined && escalation === 'owner' ? [actionDueSoonTimer(action)] : [];
  return [...dueSoon, actionTimer(action, escalation)];
}
