/**
 * The team's agenda and overdue lists, assembled from the two Queries a page makes (the team's
 * scheduled supervisions and its open actions): each supervision with the case's open actions,
 * what changed since the case was last discussed, the rating it was last given, and whether (and by
 * how many working days) it is overdue. No record content beyond the last rating and actions' words.
 * Pure.
 */
import { parseLocalDate } from '@fsp/shared/time/local-date';
import { isActionOverdue, overdueWorkingDays } from './actions';
import type { AgendaChange, Supervision, SupervisionAction, SupervisionRating } from './model';

export interface AgendaEntry {
  supervision: Supervision;
  reference?: string;
  previousRating?: SupervisionRating;
  changes: AgendaChange[];
  /** The case's open actions, earliest due first. */
  openActions: SupervisionAction[];
  overdue: boolean;
  /** 0 unless overdue ("overdue by n working days"; 0 also when overdue only over a weekend or holiday). */
  overdueWorkingDays: number;
}

export interface OverdueAction {
  action: SupervisionAction;
  overdueWorkingDays: number;
  /** Told to the team manager already (two working days after its due date). */
  escalatedToManager: boolean;
}

const byDue = (a: { dueBy: string; id: string }, b: { dueBy: string; id: string }) =>
  a.dueBy < b.dueBy ? -1 : a.dueBy > b.dueBy ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/** The team's scheduled supervisions, earliest due first, each with its case's open actions and changes. */
export function agendaEntries(agenda: readonly Supervision[], openActions: readonly SupervisionAction[], now: Date): AgendaEntry[] {
  const actionsByCase = new Map<string, SupervisionAction[]>();
  for (const action of openActions) {
    if (action.status !== 'open') continue;
    actionsByCase.set(action.caseId, [...(actionsByCase.get(action.caseId) ?? []), action]);
  }
  return agenda
    .filter((supervision) => supervision.status === 'scheduled')
    .map((supervision) => ({ supervision, id: supervision.supervisionId, dueBy: supervision.dueBy }))
    .sort(byDue)
    .map(({ supervision }) => {
      const days = overdueWorkingDays(parseLocalDate(supervision.dueDate), supervision.dueBy, now);
      const overdue = now.getTime() > new Date(supervision.dueBy).getTime();
      return {
        supervision,
        ...(supervision.caseReference !== undefined ? { reference: supervision.caseReference } : {}),
        ...(supervision.previousRating !== undefined ? { previousRating: supervision.previousRating } : {}),
        changes: supervision.agenda?.changes ?? [],
        openActions: (actionsByCase.get(supervision.caseId) ?? [])
          .map((action) => ({ action, id: action.actionId, dueBy: action.dueBy }))
          .sort(byDue)
          .map(({ action }) => action),
        overdue,
        overdueWorkingDays: overdue ? days : 0,
      };
    });
}

/** The team's actions past their due date, most overdue first. */
export function overdueActions(openActions: readonly SupervisionAction[], now: Date): OverdueAction[] {
  return openActions
    .filter((action) => isActionOverdue(action, now))
    .map((action) => ({ action, id: action.actionId, dueBy: action.dueBy }))
    .sort(byDue)
    .map(({ action }) => ({
      action,
      overdueWorkingDays: overdueWorkingDays(action.dueDate, action.dueBy, now),
      escalatedToManager: action.overdueTold['team-manager'] !== undefined,
    }));
}

/** The team's supervisions past their due date and not held, most overdue first. */
export const overdueSupervisions = (agenda: readonly Supervision[], openActions: readonly SupervisionAction[], now: Date): AgendaEntry[] =>
  agendaEntries(agenda, openActions, now).filter((entry) => entry.overdue);
