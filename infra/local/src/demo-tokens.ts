/**
 * Tokens for the local cloud's demo accounts, as a client gets them: a worker through the local
 * sign-in endpoint, the demo partner agency through client credentials (PARTNER-API.md). Used by
 * the end-to-end tests and `npm run bench`.
 */
import { PARTNER_SCOPES } from '@fsp/shared/people';
import type { LocalCloud } from './local-cloud';

export async function workerToken(cloud: LocalCloud, username: string): Promise<string> {
  const worker = cloud.demoWorkers.find((candidate) => candidate.username === username);
  if (!worker) throw new Error(`no demo worker ${username}`);
  const response = await fetch(`${cloud.url}/local/worker-token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: worker.username, password: worker.password }),
  });
  if (response.status !== 200) throw new Error(`signing in ${username} answered ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

export async function partnerToken(cloud: LocalCloud, scope = PARTNER_SCOPES.join(' ')): Promise<string> {
  const response = await fetch(`${cloud.url}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: cloud.demoPartner.clientId,
      client_secret: cloud.demoPartner.clientSecret,
      scope,
    }).toString(),
  });
  if (response.status !== 200) throw new Error(`the token endpoint answered ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}
