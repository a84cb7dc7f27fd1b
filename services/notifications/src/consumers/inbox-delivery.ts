/**
 * What every notification consumer does with the drafts its domain rule made of a fact: deliver each
 * to its recipient, in the channels the recipient chose (issue 15: preferences, email, the digest),
 * once per (fact, recipient, channel).
 */
import type { ConsumerContext } from '@fsp/shared/consumer';
import type { Directory } from '@fsp/shared/directory';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import type { NotificationDraft } from '../domain/notification';
import { createInboxStore, type InboxStore } from '../store/inbox-store';

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

export interface NotificationDelivery {
  /** Delivers the drafts of one fact: to the inbox, and by email or the digest as each recipient prefers. */
  deliver(drafts: readonly NotificationDraft[], context: ConsumerContext): Promise<void>;
}

/**
 * The delivery every consumer uses. The directory says who a user mailbox's owner is (their role,
 * whether they have left, their email address); today it delivers to the inbox only.
 */
export function createNotificationDelivery(runtime: ServiceRuntime, _directory: Directory): NotificationDelivery {
  const store = createInboxStore(runtime.documents, runtime.tableName);
  return { deliver: (drafts, context) => deliverAll(store, drafts, context) };
}
