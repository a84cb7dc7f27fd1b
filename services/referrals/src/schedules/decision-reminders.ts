/**
 * The `decision-reminders` schedule (every 15 minutes, function `decision-reminders`): ReferralDecisionDue for each undecided
 * referral from 12:00 London on its due day, and ReferralDecisionOverdue once its deadline has
 * passed, each published once per referral (see `decisionReminderFor` in domain/decision.ts).
 *
 * Reads only the due end of the front door's queue index (gsi1, sorted by decisionDueBy): the
 * referrals due within the next 12 hours and those overdue but not yet told. Each reminder is a
 * conditional update of the referral's flag in the same transaction as its outbox item, so a
 * repeated or concurrent run publishes nothing more.
 */
import { randomUUID } from 'node:crypto';
import { buildEvent } from '@fsp/shared/events/build';
import { referralDecisionDueV1, referralDecisionOverdueV1 } from '@fsp/shared/events/definitions/referrals';
import { flushingMetrics } from '@fsp/shared/metrics';
import { isValidCorrelationId } from '@fsp/shared/observability/correlation';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { DECISION_REMINDER_LEAD_MS, decisionReminderFor } from '../domain/decision';
import { referralDecisionDueData, referralDecisionOverdueData } from '../domain/events';
import { createFrontDoorStore } from '../store/front-door-store';

/** The parts of the scheduler's "Scheduled Event" this reads (the same shape from EventBridge Scheduler and the local cloud). */
export interface ScheduledEvent {
  id?: string;
  time?: string;
}

export interface RemindersRun {
  due: number;
  overdue: number;
  /** Another run (or an earlier one) had already published them, or they were decided meanwhile. */
  alreadySent: number;
  /** Failed writes (throttling, a transaction conflict): retried by the next run; the run then reports failure. */
  failed: number;
}

export function createDecisionReminders(runtime: ServiceRuntime) {
  const store = createFrontDoorStore(runtime.documents, runtime.tableName);
  return flushingMetrics(async (event: ScheduledEvent = {}): Promise<RemindersRun> => {
    const now = runtime.clock();
    const runId = isValidCorrelationId(event.id) ? event.id : `decision-reminders-${randomUUID()}`;
    const run: RemindersRun = { due: 0, overdue: 0, alreadySent: 0, failed: 0 };
    const candidates = await store.dueBefore(new Date(now.getTime() + DECISION_REMINDER_LEAD_MS));
    for (const referral of candidates) {
      const reminder = decisionReminderFor(referral, now);
      if (!reminder) continue;
      // The referral's id is its journey's correlation id here: the reminders are about it, not about the run.
      const context = { clock: () => now, correlationId: referral.referralId, causationId: runId };
      const built =
        reminder === 'due'
          ? buildEvent(referralDecisionDueV1, referralDecisionDueData(referral), context)
          : buildEvent(referralDecisionOverdueV1, referralDecisionOverdueData(referral), context);
      try {
        const result = await store.markReminded(referral.referralId, reminder, built, now);
        if (result === 'already') run.alreadySent += 1;
        else run[reminder] += 1;
      } catch (error) {
        run.failed += 1;
        runtime.logger.error('decision reminder not sent; the next run tries again', {
          referralId: referral.referralId,
          reminder,
          error: error as Error,
        });
      }
    }
    runtime.logger.info('decision reminders run', { runId, candidates: candidates.length, ...run });
    if (run.failed > 0) throw new Error(`${run.failed} decision reminders failed; the others were sent`);
    return run;
  });
}
