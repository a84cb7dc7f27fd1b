/** Lambda entry of the manifest's `on-case-allocated` function (subscription `case-allocated`). */
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createCaseAllocatedConsumer } from '../consumers/case-allocated';

export const handler = createCaseAllocatedConsumer(serviceRuntimeFromEnvironment('notifications'));
