/** Lambda entry of the manifest's `on-supervision-scheduled` function (subscription `supervision-scheduled`). */
import { directoryFromEnvironment } from '@fsp/shared/directory-cognito';
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createSupervisionScheduledConsumer } from '../consumers/supervision-scheduled';

// Once per environment, so its five-minute cache outlives a message (shared/src/directory.ts).
export const handler = createSupervisionScheduledConsumer(serviceRuntimeFromEnvironment('notifications'), directoryFromEnvironment());
