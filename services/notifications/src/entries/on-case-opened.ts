/** Lambda entry point of the `case-opened` subscription. */
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createCaseOpenedConsumer } from './case-opened';

export const handler = createCaseOpenedConsumer(serviceRuntimeFromEnvironment('notifications'));
