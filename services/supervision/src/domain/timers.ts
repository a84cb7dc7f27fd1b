/**
 * The timers a state implies (ADR 0015 §4): a scheduled supervision not yet told overdue waits for
 * its due instant; an open action waits for its next escalation (the owner at its due instant, then
 * the team manager two working days later). Held, cancelled, done or fully escalated: none. Pure.
 */
import { escalationAt, nextEscalation } from './actions';
import type { ActionEscalation, Supervision, SupervisionAction } from './model';

export const TIMER_KINDS = ['supervision-overdue', 'action-overdue-owner', 'action-overdue-manager'] as const;
export type TimerKind = (typeof TIMER_KINDS)[number];

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

/** The timer a supervision in this state waits on, if any. */
export function timersOfSupervision(supervision: Pick<Supervision, 'caseId' | 'sequence' | 'dueBy' | 'status' | 'overdueAt'>): Timer[] {
  return supervision.status === 'scheduled' && supervision.overdueAt === undefined ? [supervisionTimer(supervision)] : [];
}

/** The timer an action in this state waits on, if any. */
export function timersOfAction(action: Pick<SupervisionAction, 'caseId' | 'actionId' | 'dueDate' | 'status' | 'overdueTold'>): Timer[] {
  const escalation = nextEscalation(action);
  return escalation === undefined ? [] : [actionTimer(action, escalation)];
}
