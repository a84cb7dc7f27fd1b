/** Lambda entry of the manifest's `on-referral-submitted` function (subscription `known-family-check`). */
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createKnownFamilyCheckConsumer } from '../consumers/known-family-check';

export const handler = createKnownFamilyCheckConsumer(serviceRuntimeFromEnvironment('referrals'));
