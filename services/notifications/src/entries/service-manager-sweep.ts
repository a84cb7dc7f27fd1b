/** Lambda entry of the manifest's `service-manager-sweep` function (schedule `service-manager-escalations`). */
import { directoryFromEnvironment } from '@fsp/shared/directory-cognito';
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { escalationConfig } from '../escalation-config';
import { createServiceManagerSweep } from '../schedules/service-manager-escalations';

// Once per environment, so the directory's five-minute cache outlives an invocation (shared/src/directory.ts).
export const handler = createServiceManagerSweep(
  serviceRuntimeFromEnvironment('notifications'),
  directoryFromEnvironment(),
  escalationConfig(),
);
