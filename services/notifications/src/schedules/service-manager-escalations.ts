/**
 * The `service-manager-escalations` schedule (function `service-manager-sweep`): the breaches told to
 * a team's managers and still open when their escalate-at comes (SERVICE_MANAGER_ESCALATION_WORKING_DAYS
 * working days on) go to each service manager (the directory's 'service-manager' role; the team's
 * mailbox when it lists none). It reads only the due breaches, oldest first, from gsi1 (never a Scan).
 * Each still open (read again, consistently) is delivered (once per breach: its fact key) and then leaves the index on condition that it is
 * unchanged and not done, so overlapping sweeps or a crash between the two steps tell nobody twice.
 */
import type { ConsumerContext } from '@fsp/shared/consumer';
import type { RoleDirectory } from '@fsp/shared/directory';
import { flushingMetrics } from '@fsp/shared/metrics';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { createNotificationDelivery } from '../consumers/inbox-delivery';
import { breachEscalatedNotifications } from '../domain/notification';
import type { EscalationConfig } from '../escalation-config';
import { createProgressStore, type OpenBreach } from '../store/progress-store';

const PAGE_SIZE = 25;
const MAX_ROUNDS = 40;

export interface EscalationSweepSummary {
  /** Breaches the service manager(s) were told of in this run. */
  escalated: number;
  /** Breaches done (or escalated by another sweep) between reading and escalating: told already, or nobody needs telling. */
  skipped: number;
}

export function createServiceManagerSweep(runtime: ServiceRuntime, directory: RoleDirectory, config: EscalationConfig) {
  const progress = createProgressStore(runtime.documents, runtime.tableName);
  const delivery = createNotificationDelivery(runtime, directory);

  async function escalate(breach: OpenBreach, serviceManagerIds: readonly string[], now: Date): Promise<boolean> {
    if (!(await progress.stillOpen(breach))) return false;
    const drafts = breachEscalatedNotifications(breach, breach.escalateAt, config.serviceManagerAfterWorkingDays, serviceManagerIds);
    const context: ConsumerContext = {
      eventId: `escalation:${breach.key}`,
      correlationId: breach.correlationId,
      now,
      logger: runtime.logger,
    };
    await delivery.deliver(drafts, context);
    return progress.escalated(breach, now);
  }

  // The inbox items it delivers are counted (EventsPublished) and flushed at the end of each run.
  return flushingMetrics(async (): Promise<EscalationSweepSummary> => {
    const summary: EscalationSweepSummary = { escalated: 0, skipped: 0 };
    let serviceManagerIds: string[] | undefined;
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const now = runtime.clock();
      const due = await progress.dueBreaches(now, PAGE_SIZE);
      if (due.length === 0) break;
      // Asked once per run, and only when something is due; a directory that cannot answer fails the run (retried next time).
      serviceManagerIds ??= (await directory.holdersOf('service-manager')).map((manager) => manager.userId);
      for (const breach of due) {
        if (await escalate(breach, serviceManagerIds, now)) summary.escalated += 1;
        else summary.skipped += 1;
      }
      if (due.length < PAGE_SIZE) break;
    }
    if (summary.escalated + summary.skipped > 0) runtime.logger.info('Service-manager escalation sweep finished', { ...summary });
    return summary;
  });
}
