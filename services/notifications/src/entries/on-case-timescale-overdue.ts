/** Lambda entry of the manifest's `on-case-timescale-overdue` function (subscription `case-timescale-overdue`). */
import { directoryFromEnvironment } from '@fsp/shared/directory-cognito';
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createCaseTimescaleOverdueConsumer } from '../consumers/case-timescale-overdue';
import { escalationConfig } from '../escalation-config';

// Once per environment, so its five-minute cache outlives a message (shared/src/directory.ts).
export const handler = createCaseTimescaleOverdueConsumer(
  serviceRuntimeFromEnvironment('notifications'),
  directoryFromEnvironment(),
  escalationConfig(),
);
