/**
 * The `supervision-timescales` schedule (every 15 minutes, function `supervision-timescales`):
 * SupervisionDueSoon once for each scheduled supervision from the fifth working day before its due
 * day, SupervisionActionDueSoon once for each open action from the second working day before its
 * due date (ADR 0015 §9); SupervisionBecameOverdue once for each supervision not held by its due date, and
 * SupervisionActionBecameOverdue for each action not done by its due date (to its owner), then
 * still open two working days later (to the team manager), each once (ADR 0015 §4, §5).
 *
 * Reads only the timers due (one Query of partition TIMER, sorted by when they fire): never a
 * Scan. Each is fired with a conditional update of its target's flag, the event in the outbox and
 * the timer's removal in one transaction, so a repeated or concurrent run publishes nothing more.
 */
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { runTimers, type ScheduledEvent } from '@fsp/shared/timer-run';
import { createSupervisionStore } from '../store/supervision-store';

export type { ScheduledEvent };

export interface TimescalesRun {
  /** SupervisionBecameOverdue published. */
  supervisionsOverdue: number;
  /** SupervisionActionBecameOverdue published to the owner. */
  actionsOverdueToOwner: number;
  /** SupervisionActionBecameOverdue published to the team manager. */
  actionsOverdueToManager: number;
  /** SupervisionDueSoon published. */
  supervisionsDueSoon: number;
  /** SupervisionActionDueSoon published. */
  actionsDueSoon: number;
  /** Another run (or an earlier one) had already published them. */
  alreadySent: number;
  /** Timers whose target needed nothing any more (held, done, cancelled): removed. */
  dropped: number;
  /** Failed writes (throttling, a conflict): retried by the next run; the run then reports failure. */
  failed: number;
}

const COUNTER = {
  'supervision-overdue': 'supervisionsOverdue',
  'action-overdue-owner': 'actionsOverdueToOwner',
  'action-overdue-manager': 'actionsOverdueToManager',
  'supervision-due-soon': 'supervisionsDueSoon',
  'action-due-soon': 'actionsDueSoon',
} as const;

export function createSupervisionTimescales(runtime: ServiceRuntime) {
  const store = createSupervisionStore(runtime);
  return async (event: ScheduledEvent = {}): Promise<TimescalesRun> => {
    const counts = await runTimers(
      {
        name: 'supervision-timescales',
        runtime,
        dueTimers: store.dueTimers,
        fire: store.fireTimer,
        counterOf: (timer) => COUNTER[timer.kind],
        counters: Object.values(COUNTER),
        describe: (timer) => ({ caseId: timer.caseId, timer: timer.kind }),
      },
      event,
    );
    const {
      supervisionsOverdue = 0,
      actionsOverdueToOwner = 0,
      actionsOverdueToManager = 0,
      supervisionsDueSoon = 0,
      actionsDueSoon = 0,
    } = counts.published;
    return {
      supervisionsOverdue,
      actionsOverdueToOwner,
      actionsOverdueToManager,
      supervisionsDueSoon,
      actionsDueSoon,
      alreadySent: counts.alreadySent,
      dropped: counts.dropped,
      failed: counts.failed,
    };
  };
}
