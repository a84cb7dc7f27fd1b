/** Lambda entry of the manifest's `on-supervision-action-became-overdue` function (subscription `supervision-action-became-overdue`). */
import { directoryFromEnvironment } from '@fsp/shared/directory-cognito';
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createSupervisionActionBecameOverdueConsumer } from '../consumers/supervision-action-became-overdue';
import { escalationConfig } from '../escalation-config';

// Once per environment, so its five-minute cache outlives a message (shared/src/directory.ts).
export const handler = createSupervisionActionBecameOverdueConsumer(
  serviceRuntimeFromEnvironment('notifications'),
  directoryFromEnvironment(),
  escalationConfig(),
);
