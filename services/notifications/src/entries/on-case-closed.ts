/** Lambda entry of the manifest's `on-case-closed` function (subscription `case-closed`). */
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createCaseClosedConsumer } from '../consumers/timed-things-done';

export const handler = createCaseClosedConsumer(serviceRuntimeFromEnvironment('notifications'));
