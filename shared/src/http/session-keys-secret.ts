/**
 * Reads the session keys' secret in AWS. Only the entry of a function that serves pages imports
 * this module and passes `fetchSessionKeysSecret` to createHttpHandler (`fetchSecret`), so the
 * Secrets Manager client is bundled into those functions alone. The handler calls it once per
 * container, on the first page request.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { withoutSdkLogging } from '../sdk-client';
import type { SecretFetcher } from './page-session';

let client: SecretsManagerClient | undefined;

export const fetchSessionKeysSecret: SecretFetcher = async (arn) => {
  client ??= withoutSdkLogging(new SecretsManagerClient({}));
  const answer = await client.send(new GetSecretValueCommand({ SecretId: arn }));
  if (typeof answer.SecretString !== 'string') throw new Error('the session keys secret has no string value');
  return answer.SecretString;
};
