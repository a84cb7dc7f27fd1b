/**
 * The `inbox-changed` consumer (subscription.ts) each service with worker pages runs over its own
 * table: InboxItemDelivered and InboxItemRead kept as counters in the service's unread projection,
 * so that its pages show the Inbox count. A service's entry is `createInboxChangedConsumer(runtime)`.
 */
import { type ConsumedEvent, consumerRuntimeOptions, createEventConsumer, type EventConsumer, HANDLED_BEFORE } from '../consumer';
import { inboxItemDeliveredV1, inboxItemReadV1 } from '../events/definitions/notifications';
import type { ServiceRuntime } from '../runtime';
import { INBOX_CHANGED_SUBSCRIPTION } from './subscription';
import { createUnreadProjection, type RecordedCounter } from './unread-projection';

type InboxChanged = ConsumedEvent<typeof inboxItemDeliveredV1 | typeof inboxItemReadV1>;

/** The counter an event reports, as the projection keeps it. */
export function counterOf({ data }: InboxChanged): RecordedCounter {
  const moved = { mailbox: data.mailbox as RecordedCounter['mailbox'], notificationId: data.notificationId, at: data.at };
  return 'readCount' in data
    ? { counter: 'read', userId: data.userId, value: data.readCount, ...moved }
    : { counter: 'delivered', value: data.deliveredCount, ...moved };
}

export function createInboxChangedConsumer(runtime: ServiceRuntime): EventConsumer {
  const projection = createUnreadProjection(runtime.documents, runtime.tableName);
  return createEventConsumer({
    ...consumerRuntimeOptions(runtime),
    subscription: INBOX_CHANGED_SUBSCRIPTION,
    // The projection keeps the highest count heard, so a fact heard again writes nothing: three
    // services hear every delivery and read, and an idempotency record would double their writes.
    idempotency: 'by-its-own-writes',
    subscribesTo: [inboxItemDeliveredV1, inboxItemReadV1],
    handle: async (event, context) => {
      const counter = counterOf(event);
      const outcome = await projection.record(counter);
      // A lower or equal count is normal (a redelivery, or two changes heard out of order): nothing to do.
      context.logger.info(outcome === 'recorded' ? 'Inbox counter kept' : 'Inbox counter already as high; nothing written', {
        counter: counter.counter,
        mailbox: counter.mailbox,
        value: counter.value,
      });
      return outcome === 'stale' ? HANDLED_BEFORE : undefined;
    },
  });
}
