/** Lambda entry of the manifest's `on-supervision-due-soon` function (subscription `supervision-due-soon`). */
import { directoryFromEnvironment } from '@fsp/shared/directory-cognito';
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createSupervisionDueSoonConsumer } from '../consumers/supervision-due-soon';

// Once per environment, so its five-minute cache outlives a message (shared/src/directory.ts).
export const handler = createSupervisionDueSoonConsumer(serviceRuntimeFromEnvironment('notifications'), directoryFromEnvironment());
