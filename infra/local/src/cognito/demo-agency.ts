/**
 * The local cloud's demo partner agency, onboarded through the real admin API (referrals'
 * `POST /api/admin/agencies`, called as the demo administrator through the local gateway), so that it
 * is an agency like any an administrator creates: a Cognito app client made through the local
 * Cognito endpoint, an agency record, an AgencyOnboarded event.
 *
 * With data kept on disk the agency (fixed id `demo-school`) and its client survive a restart; it
 * is then not created again but given a fresh secret, and its older secrets are retired, because
 * secrets are never stored and the ready screen must print a working one.
 */
import type { ServiceManifest } from '@fsp/shared/manifest';
import type { LocalIssuer, RegisteredClient } from '../oidc/issuer';

export const DEMO_AGENCY = {
  agencyId: 'demo-school',
  name: 'Demo Primary School',
  type: 'school',
  referralSource: '2A',
  contactEmail: 'dsl@demo-school.example',
} as const;

export interface SeedDemoAgencyOptions {
  /** The local cloud's origin (its gateway serves the admin API). */
  url: string;
  manifests: readonly ServiceManifest[];
  issuer: LocalIssuer;
  /** A demo worker with the administrator role. */
  adminUsername: string;
  scopes: readonly string[];
  log: (line: string) => void;
}

interface AgencyAnswer {
  agencyId: string;
  clientId: string;
  status: 'active' | 'revoked';
  clientSecret?: string;
  secretId?: string;
  secrets?: { secretId: string }[];
}

const servesAdminApi = (manifests: readonly ServiceManifest[]): boolean =>
  manifests.some((manifest) => manifest.http?.routes.some((route) => route.method === 'POST' && route.path === '/api/admin/agencies'));

export async function seedDemoAgency(options: SeedDemoAgencyOptions): Promise<RegisteredClient> {
  const { url, issuer, scopes } = options;
  const demo = { name: DEMO_AGENCY.name, scopes: [...scopes], agencyId: DEMO_AGENCY.agencyId };
  if (!servesAdminApi(options.manifests)) {
    // A local cloud without the referrals service (the infra tests' fixtures): a bare client, as a stand-in.
    return issuer.registerClient(demo);
  }

  const token = issuer.issueWorkerToken(options.adminUsername).access_token;
  const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: AgencyAnswer }> => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as AgencyAnswer };
  };
  const fail = (what: string, answer: { status: number; body: unknown }): never => {
    // The body of a failed answer is a problem document: it never carries a secret.
    throw new Error(`seeding the demo agency: ${what} answered ${answer.status} ${JSON.stringify(answer.body)}`);
  };

  const agencyPath = `/api/admin/agencies/${DEMO_AGENCY.agencyId}`;
  const found = await call('GET', agencyPath);
  if (found.status === 404) {
    const created = await call('POST', '/api/admin/agencies', DEMO_AGENCY);
    if (created.status !== 201 || !created.body.clientSecret) fail('POST /api/admin/agencies', created);
    return { ...demo, clientId: created.body.clientId, clientSecret: created.body.clientSecret! };
  }
  if (found.status !== 200) fail(`GET ${agencyPath}`, found);
  if (found.body.status !== 'active') {
    throw new Error(
      `the demo agency ${DEMO_AGENCY.agencyId} was revoked in the kept data; start with --in-memory, or remove the data directory to start afresh`,
    );
  }
  const rotated = await call('POST', `${agencyPath}/credentials`);
  if (rotated.status !== 201 || !rotated.body.clientSecret) fail(`POST ${agencyPath}/credentials`, rotated);
  // The previous run's secret was never stored, so nobody can use it: retire it.
  for (const secret of rotated.body.secrets ?? []) {
    if (secret.secretId === rotated.body.secretId) continue;
    const retired = await call('DELETE', `${agencyPath}/credentials/${encodeURIComponent(secret.secretId)}`);
    if (retired.status !== 204 && retired.status !== 404) fail(`DELETE ${agencyPath}/credentials/…`, retired);
  }
  options.log(JSON.stringify({ level: 'INFO', component: 'local-cloud', message: 'demo agency found; given a fresh secret' }));
  return { ...demo, clientId: found.body.clientId, clientSecret: rotated.body.clientSecret! };
}
