/** Lambda entry of the manifest's `on-case-timescale-met` function (subscription `case-timescale-met`). */
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createCaseTimescaleMetConsumer } from '../consumers/timed-things-done';

export const handler = createCaseTimescaleMetConsumer(serviceRuntimeFromEnvironment('notifications'));
