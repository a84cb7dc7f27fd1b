/**
 * The `supervision-timescales` schedule (every 15 minutes, function `supervision-timescales`):
 * SupervisionBecameOverdue once for each supervision not held by its due date, and
 * SupervisionActionBecameOverdue for each action not done by its due date (to its owner), then
 * still open two working days later (to the team manager), each once (ADR 0015 §4, §5).
 *
 * Reads only the timers due (one Query of partition TIMER, sorted by when they fire): never a
 * Scan. Each is fired with a conditional update of its target's flag, the event in the outbox and
 * the timer's removal in one transaction, so a repeated or concurrent run publishes nothing more.
 */
import { randomUUID } from 'node:crypto';
import { isValidCorrelationId } from '@fsp/shared/observability/correlation';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { createSupervisionStore } from '../store/supervision-store';

/** The parts of the scheduler's "Scheduled Event" this reads (the same shape from EventBridge Scheduler and the local cloud). */
export interface ScheduledEvent {
  id?: string;
  time?: string;
}

export interface TimescalesRun {
  /** SupervisionBecameOverdue published. */
  supervisionsOverdue: number;
  /** SupervisionActionBecameOverdue published to the owner. */
  actionsOverdueToOwner: number;
  /** SupervisionActionBecameOverdue published to the team manager. */
  actionsOverdueToManager: number;
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
} as const;

export function createSupervisionTimescales(runtime: ServiceRuntime) {
  const store = createSupervisionStore(runtime);
  return async (event: ScheduledEvent = {}): Promise<TimescalesRun> => {
    const now = runtime.clock();
    const runId = isValidCorrelationId(event.id) ? event.id : `supervision-timescales-${randomUUID()}`;
    const run: TimescalesRun = {
      supervisionsOverdue: 0,
      actionsOverdueToOwner: 0,
      actionsOverdueToManager: 0,
      alreadySent: 0,
      dropped: 0,
      failed: 0,
    };
    const timers = await store.dueTimers(now);
    for (const timer of timers) {
      try {
        // The case is the journey these escalations belong to; the run caused them.
        const result = await store.fireTimer(timer, now, { correlationId: timer.caseId, causationId: runId });
        if (result === 'published') run[COUNTER[timer.kind]] += 1;
        else if (result === 'already') run.alreadySent += 1;
        else run.dropped += 1;
      } catch (error) {
        run.failed += 1;
        runtime.logger.error('supervision timer not fired; the next run tries again', {
          caseId: timer.caseId,
          timer: timer.kind,
          error: error as Error,
        });
      }
    }
    runtime.logger.info('supervision timescales run', { runId, timers: timers.length, ...run });
    if (run.failed > 0) throw new Error(`${run.failed} supervision timers failed; the others were fired`);
    return run;
  };
}
