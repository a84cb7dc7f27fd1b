/** Lambda entry of the manifest's `on-supervision-became-overdue` function (subscription `supervision-became-overdue`). */
import { directoryFromEnvironment } from '@fsp/shared/directory-cognito';
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createSupervisionBecameOverdueConsumer } from '../consumers/supervision-became-overdue';
import { escalationConfig } from '../escalation-config';

// Once per environment, so its five-minute cache outlives a message (shared/src/directory.ts).
export const handler = createSupervisionBecameOverdueConsumer(
  serviceRuntimeFromEnvironment('notifications'),
  directoryFromEnvironment(),
  escalationConfig(),
);
