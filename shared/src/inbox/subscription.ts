/**
 * The subscription every service with worker pages declares in its manifest to keep the Inbox
 * count (ADR 0013): notifications' InboxItemDelivered and InboxItemRead, version 1, on one queue,
 * consumed by the service's `src/entries/on-inbox-changed.ts` (a few lines around consumer.ts).
 * Data only, so that the CDK app and the local cloud read it without loading handler code.
 */
import { inboxItemDeliveredV1, inboxItemReadV1 } from '../events/definitions/notifications';
import { type EventPattern, patternFor, type Subscription } from '../manifest';
import { INBOX_COUNT_WRITE } from '../table-keys';

export const INBOX_CHANGED_SUBSCRIPTION = 'inbox-changed';

/** The two facts' own patterns, as one: the same producer and version, either detail-type. */
function patternForEither(first: typeof inboxItemDeliveredV1, second: typeof inboxItemReadV1): EventPattern {
  if (first.producer !== second.producer || first.version !== second.version) {
    throw new Error('the inbox-changed subscription reads facts of one producer and one version');
  }
  return { ...patternFor(first), 'detail-type': [first.detailType, second.detailType] };
}

export const inboxChangedSubscription: Subscription = {
  name: INBOX_CHANGED_SUBSCRIPTION,
  // Keeps the count's projection (unread-projection.ts: UpdateItem on INBOX#<mailbox> only); no
  // idempotency records, as the projection's own writes make a repeat change nothing (consumer.ts).
  function: {
    name: 'on-inbox-changed',
    entry: 'src/entries/on-inbox-changed.ts',
    permissions: { tableKeys: INBOX_COUNT_WRITE },
  },
  pattern: patternForEither(inboxItemDeliveredV1, inboxItemReadV1),
};
