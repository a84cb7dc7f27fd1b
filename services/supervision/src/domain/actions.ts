/**
 * Supervision actions (DOMAIN.md, Group supervision; ADR 0015 §5): each is due by the end of its
 * London due date. The day after, it is overdue and its owner is told; still open at the end of the
 * second working day after its due date, the team manager is told. Each once. Pure.
 */
import { createHash } from 'node:crypto';
import type { LocalDate } from '@fsp/shared/time/local-date';
import { endOfLondonDay, londonDateOf } from '@fsp/shared/time/london';
import { addWorkingDays, workingDaysBetween } from '@fsp/shared/time/working-days';
import type { ActionEscalation, SupervisionAction } from './model';

/** Working days after its due date that an action still open is escalated to the team manager. */
export const ACTION_MANAGER_ESCALATION_WORKING_DAYS = 2;

/**
 * Derived from the supervision and the action's place among its actions, never random: a retried
 * completion aims at the same items, so the record's version condition lets exactly one through.
 */
export function actionIdFor(supervisionId: string, position: number): string {
  return `act-${createHash('sha256').update(`${supervisionId}#${position}`).digest('hex').slice(0, 32)}`;
}

/** The last instant of the London day an action is due. */
export const actionDueBy = (dueDate: LocalDate): Date => endOfLondonDay(dueDate);

/** When an action still open goes to the team manager: the end of the 2nd working day after its due date. */
export const managerEscalationAt = (dueDate: LocalDate): Date =>
  endOfLondonDay(addWorkingDays(dueDate, ACTION_MANAGER_ESCALATION_WORKING_DAYS));

/** When an escalation is due: the owner once the due date has passed, the team manager two working days later. */
export const escalationAt = (dueDate: LocalDate, escalation: ActionEscalation): Date =>
  escalation === 'owner' ? actionDueBy(dueDate) : managerEscalationAt(dueDate);

export const isActionOverdue = (action: Pick<SupervisionAction, 'dueBy' | 'status'>, now: Date): boolean =>
  action.status === 'open' && now.getTime() > new Date(action.dueBy).getTime();

/**
 * The escalation now due and not yet told, earliest first; undefined when none is (not overdue,
 * completed, or both told). The owner is always told before the team manager.
 */
export function escalationDue(
  action: Pick<SupervisionAction, 'dueDate' | 'status' | 'overdueTold'>,
  now: Date,
): ActionEscalation | undefined {
  if (action.status !== 'open') return undefined;
  for (const escalation of ['owner', 'team-manager'] as const) {
    if (action.overdueTold[escalation] !== undefined) continue;
    return now.getTime() > escalationAt(action.dueDate, escalation).getTime() ? escalation : undefined;
  }
  return undefined;
}

/** The next escalation an open action waits for, if any (the timer it needs). */
export function nextEscalation(action: Pick<SupervisionAction, 'status' | 'overdueTold'>): ActionEscalation | undefined {
  if (action.status !== 'open') return undefined;
  if (action.overdueTold.owner === undefined) return 'owner';
  if (action.overdueTold['team-manager'] === undefined) return 'team-manager';
  return undefined;
}

/**
 * Working days a thing due on `dueDate` is overdue by at `now`: the working days after its due date
 * up to today, London. 0 when not overdue, or overdue only over a weekend or bank holiday.
 */
export function overdueWorkingDays(dueDate: LocalDate, dueBy: string, now: Date): number {
  if (now.getTime() <= new Date(dueBy).getTime()) return 0;
  return Math.max(0, workingDaysBetween(dueDate, londonDateOf(now)));
}
