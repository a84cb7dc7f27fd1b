/** Lambda entry point of the `case-opened` subscription (manifest function `on-case-opened`). */
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createCaseOpenedConsumer } from '../consumers/case-opened';

export const handler = createCaseOpenedConsumer(serviceRuntimeFromEnvironment('supervision'));
