/**
 * One run of a timer schedule (ADR 0015 §4, ADR 0016): read the timers due with one Query, fire each
 * (each firing is its own conditional transaction with its event, so a repeated or overlapping run
 * publishes nothing more), count what happened, log it, and fail the run when any firing failed
 * (the others stand; the next run retries the failed ones). Used by supervision's and cases'
 * timescale schedules.
 */
import { randomUUID } from 'node:crypto';
import { flushMetrics } from './metrics';
import { isValidCorrelationId } from './observability/correlation';
import type { ServiceRuntime } from './runtime';

/** The parts of the scheduler's "Scheduled Event" a run reads (the same shape from EventBridge Scheduler and the local cloud). */
export interface ScheduledEvent {
  id?: string;
  time?: string;
}

/** 'published': this run told it; 'already': told before (or by a concurrent run); 'nothing-due': its target needs nothing now. */
export type TimerFired = 'published' | 'already' | 'nothing-due';

export interface TimerRunCounts {
  /** Events published, by what the caller counts them as. */
  published: Record<string, number>;
  alreadySent: number;
  /** Timers whose target needed nothing any more: removed. */
  dropped: number;
  /** Failed firings (throttling, a conflict): retried by the next run; the run then fails. */
  failed: number;
}

export interface TimerRun<T extends { caseId: string }> {
  /** The schedule's name, for the run id and the logs. */
  name: string;
  runtime: Pick<ServiceRuntime, 'clock' | 'logger'>;
  dueTimers(now: Date): Promise<T[]>;
  fire(timer: T, now: Date, context: { correlationId: string; causationId: string }): Promise<TimerFired>;
  /** Which counter a published timer adds to. */
  counterOf(timer: T): string;
  /** Every counter, so a run that published none of a kind still reports it as 0. */
  counters: readonly string[];
  /** What to call a timer in a log line. */
  describe(timer: T): Record<string, unknown>;
}

export async function runTimers<T extends { caseId: string }>(run: TimerRun<T>, event: ScheduledEvent = {}): Promise<TimerRunCounts> {
  const now = run.runtime.clock();
  const runId = isValidCorrelationId(event.id) ? event.id : `${run.name}-${randomUUID()}`;
  const counts: TimerRunCounts = {
    published: Object.fromEntries(run.counters.map((counter) => [counter, 0])),
    alreadySent: 0,
    dropped: 0,
    failed: 0,
  };
  const timers = await run.dueTimers(now);
  for (const timer of timers) {
    try {
      // The case is the journey these events belong to; the run caused them.
      const result = await run.fire(timer, now, { correlationId: timer.caseId, causationId: runId });
      if (result === 'published') {
        const counter = run.counterOf(timer);
        counts.published[counter] = (counts.published[counter] ?? 0) + 1;
      } else if (result === 'already') counts.alreadySent += 1;
      else counts.dropped += 1;
    } catch (error) {
      counts.failed += 1;
      run.runtime.logger.error(`${run.name}: timer not fired; the next run tries again`, { ...run.describe(timer), error: error as Error });
    }
  }
  run.runtime.logger.info(`${run.name} run`, {
    runId,
    timers: timers.length,
    ...counts.published,
    alreadySent: counts.alreadySent,
    dropped: counts.dropped,
    failed: counts.failed,
  });
  // The events the run published (EventsPublished, counted where they were written), as EMF lines.
  flushMetrics();
  if (counts.failed > 0) throw new Error(`${counts.failed} ${run.name} timers failed; the others were fired`);
  return counts;
}
