/** Lambda entry of the manifest's `on-supervision-action-due-soon` function (subscription `supervision-action-due-soon`). */
import { directoryFromEnvironment } from '@fsp/shared/directory-cognito';
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createSupervisionActionDueSoonConsumer } from '../consumers/supervision-action-due-soon';

// Once per environment, so its five-minute cache outlives a message (shared/src/directory.ts).
export const handler = createSupervisionActionDueSoonConsumer(serviceRuntimeFromEnvironment('notifications'), directoryFromEnvironment());
