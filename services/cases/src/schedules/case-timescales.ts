/**
 * The `case-timescales` schedule (every 15 minutes, function `case-timescales`; ADR 0016):
 * CaseTimescaleDueSoon and CaseTimescaleOverdue once for each statutory timescale of a case (the
 * assessment, each initial child protection conference, each CP review) that is due within five
 * working days, then passed, unmet. Reads only the timers due (one Query of partition TIMER, sorted
 * by when they fire): never a Scan. Each is fired with a TOLD marker put only if absent, the timer's
 * removal and the event in the outbox in one transaction, so a repeated or concurrent run publishes
 * nothing more.
 */
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { runTimers, type ScheduledEvent } from '@fsp/shared/timer-run';
import { createPathStore } from '../store/path-store';

export interface CaseTimescalesRun {
  /** CaseTimescaleDueSoon published. */
  dueSoon: number;
  /** CaseTimescaleOverdue published. */
  overdue: number;
  alreadySent: number;
  dropped: number;
  failed: number;
}

export function createCaseTimescales(runtime: ServiceRuntime) {
  const store = createPathStore(runtime.documents, runtime.tableName);
  return async (event: ScheduledEvent = {}): Promise<CaseTimescalesRun> => {
    const counts = await runTimers(
      {
        name: 'case-timescales',
        runtime,
        dueTimers: store.dueTimers,
        fire: store.fireTimer,
        counterOf: (timer) => (timer.moment === 'due-soon' ? 'dueSoon' : 'overdue'),
        counters: ['dueSoon', 'overdue'],
        describe: (timer) => ({ caseId: timer.caseId, timescale: timer.timescale, targetId: timer.targetId, moment: timer.moment }),
      },
      event,
    );
    const { dueSoon = 0, overdue = 0 } = counts.published;
    return { dueSoon, overdue, alreadySent: counts.alreadySent, dropped: counts.dropped, failed: counts.failed };
  };
}
