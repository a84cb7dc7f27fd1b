/** Lambda entry of the manifest's `on-supervision-held` function (subscription `supervision-held`). */
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createSupervisionHeldConsumer } from '../consumers/timed-things-done';

export const handler = createSupervisionHeldConsumer(serviceRuntimeFromEnvironment('notifications'));
