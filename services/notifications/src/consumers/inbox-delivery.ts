/** What every inbox consumer does with the drafts its domain rule made of a fact. */
import type { ConsumerContext } from '@fsp/shared/consumer';
import type { NotificationDraft } from '../domain/notification';
import type { InboxStore } from '../store/inbox-store';

/** Delivers each draft once; a repeat is logged, not an error, because redelivery of a fact is normal. */
export async function deliverAll(store: InboxStore, drafts: readonly NotificationDraft[], context: ConsumerContext): Promise<void> {
  for (const draft of drafts) {
    const outcome = await store.deliver(draft, context.now);
    context.logger.info(outcome === 'delivered' ? 'Notification delivered' : 'Notification was already delivered', {
      notificationId: draft.notificationId,
      mailbox: draft.mailbox,
      channel: draft.channel,
      kind: draft.kind,
    });
  }
}
