/** Lambda entry of the manifest's `on-case-allocated` function (subscription `case-allocated`). */
import { directoryFromEnvironment } from '@fsp/shared/directory-cognito';
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createCaseAllocatedConsumer } from '../consumers/case-allocated';

// Once per environment, so its five-minute cache outlives a message (shared/src/directory.ts).
export const handler = createCaseAllocatedConsumer(serviceRuntimeFromEnvironment('notifications'), directoryFromEnvironment());
