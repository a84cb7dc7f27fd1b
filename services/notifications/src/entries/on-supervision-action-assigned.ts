/** Lambda entry of the manifest's `on-supervision-action-assigned` function (subscription `supervision-action-assigned`). */
import { directoryFromEnvironment } from '@fsp/shared/directory-cognito';
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createSupervisionActionAssignedConsumer } from '../consumers/supervision-action-assigned';

// Once per environment, so its five-minute cache outlives a message (shared/src/directory.ts).
export const handler = createSupervisionActionAssignedConsumer(serviceRuntimeFromEnvironment('notifications'), directoryFromEnvironment());
