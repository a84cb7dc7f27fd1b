/** Lambda entry of the manifest's `on-supervision-action-completed` function (subscription `supervision-action-completed`). */
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createSupervisionActionCompletedConsumer } from '../consumers/timed-things-done';

export const handler = createSupervisionActionCompletedConsumer(serviceRuntimeFromEnvironment('notifications'));
