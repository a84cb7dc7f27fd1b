/** Lambda entry of the manifest's `on-referral-submitted` function (subscription `known-family-check`). */
import { keyringFromEnvironment } from '@fsp/shared/keyed-hash';
import { fetchMatchKeysSecret } from '@fsp/shared/keyed-hash-secret';
import { serviceRuntimeFromEnvironment } from '@fsp/shared/runtime';
import { createKnownFamilyCheckConsumer } from '../consumers/known-family-check';

// The match keys: MATCH_KEYS locally, the stage's secret (MATCH_KEYS_SECRET_ARN) in AWS, read on the first check.
export const handler = createKnownFamilyCheckConsumer(
  serviceRuntimeFromEnvironment('referrals'),
  keyringFromEnvironment(fetchMatchKeysSecret),
);
