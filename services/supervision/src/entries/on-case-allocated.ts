/** Lambda entry point of the `case-allocated` subscription (manifest function `on-case-allocated`). */
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createCaseAllocatedConsumer } from '../consumers/case-allocated';

export const handler = createCaseAllocatedConsumer(serviceRuntimeFromEnvironment('supervision'));
