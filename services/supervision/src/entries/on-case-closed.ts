/** Lambda entry point of the `case-closed` subscription (manifest function `on-case-closed`). */
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createCaseClosedConsumer } from '../consumers/case-closed';

export const handler = createCaseClosedConsumer(serviceRuntimeFromEnvironment('supervision'));
