/**
 * Reads the match keys' secret in AWS (keyed-hash.ts, `MATCH_KEYS_SECRET_ARN`). Only the entries of
 * functions that hash match keys import this module, so the Secrets Manager client is bundled into
 * those functions alone; the ring is read once per container, on the first hash.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SecretFetcher } from './keyed-hash';
import { withoutSdkLogging } from './sdk-client';

let client: SecretsManagerClient | undefined;

export const fetchMatchKeysSecret: SecretFetcher = async (arn) => {
  client ??= withoutSdkLogging(new SecretsManagerClient({}));
  const answer = await client.send(new GetSecretValueCommand({ SecretId: arn }));
  if (typeof answer.SecretString !== 'string') throw new Error('the match keys secret has no string value');
  return answer.SecretString;
};
