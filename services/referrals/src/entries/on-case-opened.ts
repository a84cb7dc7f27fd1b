/** Lambda entry of the manifest's `on-case-opened` function (subscription `case-opened`). */
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createCaseOpenedConsumer } from '../consumers/case-opened';

export const handler = createCaseOpenedConsumer(serviceRuntimeFromEnvironment('referrals'));
