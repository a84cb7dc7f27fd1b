/** Lambda entry point of the `case-opened` subscription. */
import { createCaseOpenedConsumer } from './case-opened';
import { runtimeFromEnvironment } from './runtime';

export const handler = createCaseOpenedConsumer(runtimeFromEnvironment());
