/** Lambda entry of the manifest's `on-case-status-changed` function (subscription `case-status-changed`). */
import { directoryFromEnvironment } from '@fsp/shared/directory-cognito';
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createCaseStatusChangedConsumer } from '../consumers/case-status-changed';

// Once per environment, so its five-minute cache outlives a message (shared/src/directory.ts).
export const handler = createCaseStatusChangedConsumer(serviceRuntimeFromEnvironment('notifications'), directoryFromEnvironment());
