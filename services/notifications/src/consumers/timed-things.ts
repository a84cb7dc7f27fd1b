/**
 * What every reminder and escalation consumer does around its drafts (src/domain/progress.ts): tell
 * only while the fact moves its thing on, and record a breach told to the team's managers so that the
 * service-manager sweep (src/schedules/service-manager-escalations.ts) can find it if it stays open.
 */
import type { ConsumerContext } from '@fsp/shared/consumer';
import type { NotificationDraft } from '../domain/notification';
import { type BreachNotice, escalateAtOf, type Stage, type TimedThing } from '../domain/progress';
import type { ProgressStore } from '../store/progress-store';
import type { NotificationDelivery } from './inbox-delivery';

/**
 * Delivers the drafts (made only when needed: they may ask the directory) if a fact of `stage` still
 * tells anybody about `thing`; false, delivering nothing, when it is done or already further on.
 */
export async function tellUnlessStale(
  deps: { progress: ProgressStore; delivery: NotificationDelivery },
  thing: TimedThing,
  stage: Stage,
  drafts: () => Promise<readonly NotificationDraft[]> | readonly NotificationDraft[],
  context: ConsumerContext,
): Promise<boolean> {
  if ((await deps.progress.advance(thing, stage)) === 'stale') {
    context.logger.info('Nothing told: the thing is done, or a later stage of it was told already', {
      thing: `${thing.scope}:${thing.name}`,
      stage,
    });
    return false;
  }
  await deps.delivery.deliver(await drafts(), context);
  return true;
}

/** After the team's managers were told of a breach: it goes to the service manager at escalate-at, unless done first. */
export async function recordBreach(
  progress: ProgressStore,
  thing: TimedThing,
  breach: BreachNotice,
  workingDays: number,
  context: ConsumerContext,
): Promise<void> {
  const escalateAt = escalateAtOf(new Date(breach.breachedAt), workingDays);
  const opened = await progress.openBreach(thing, breach, escalateAt);
  if (opened)
    context.logger.info('Breach recorded for the service manager', {
      thing: `${thing.scope}:${thing.name}`,
      escalateAt: escalateAt.toISOString(),
    });
}
