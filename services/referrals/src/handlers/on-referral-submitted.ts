/** Lambda entry point of the `known-family-check` subscription. */
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createKnownFamilyCheckConsumer } from './known-family-check';

export const handler = createKnownFamilyCheckConsumer(serviceRuntimeFromEnvironment('referrals'));
