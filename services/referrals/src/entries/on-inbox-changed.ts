/**
 * Lambda entry of the manifest's `on-inbox-changed` function (subscription `inbox-changed`):
 * notifications' inbox counters kept in this service's table, for the Inbox count on its pages.
 */
import { createInboxChangedConsumer } from '@fsp/shared/inbox/consumer';
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';

export const handler = createInboxChangedConsumer(serviceRuntimeFromEnvironment('referrals'));
