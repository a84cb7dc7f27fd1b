/** Lambda entry of the manifest's `on-supervision-scheduled` function (subscription `supervision-scheduled`). */
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createSupervisionScheduledConsumer } from '../consumers/supervision-scheduled';

export const handler = createSupervisionScheduledConsumer(serviceRuntimeFromEnvironment('notifications'));
