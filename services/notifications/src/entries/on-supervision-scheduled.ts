/** Lambda entry point of the `supervision-scheduled` subscription. */
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createSupervisionScheduledConsumer } from './supervision-scheduled';

export const handler = createSupervisionScheduledConsumer(serviceRuntimeFromEnvironment('notifications'));
