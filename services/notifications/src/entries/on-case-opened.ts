/** Lambda entry of the manifest's `on-case-opened` function (subscription `case-opened`). */
import { directoryFromEnvironment } from '@fsp/shared/directory-cognito';
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createCaseOpenedConsumer } from '../consumers/case-opened';

// Once per environment, so its five-minute cache outlives a message (shared/src/directory.ts).
export const handler = createCaseOpenedConsumer(serviceRuntimeFromEnvironment('notifications'), directoryFromEnvironment());
