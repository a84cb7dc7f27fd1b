/**
 * The admin API for partner agencies with the real Cognito adapter against the local cloud's
 * Cognito endpoint and OIDC issuer (started in-process on a loopback port): an onboarded agency
 * gets tokens and submits referrals; rotation keeps the old secret working until it is retired;
 * revocation stops new tokens and already-issued ones.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { JwtClaims } from '@fsp/shared/http/api-gateway';
import { createHttpHandler } from '@fsp/shared/http/handler';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { apiGatewayEvent, partnerClaims, problemOf, workerClaims } from '@fsp/shared/testing/api-gateway-event';
import { allItems, type TestTable } from '@fsp/shared/testing/dynamodb';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { type CreateUserPoolClientRequest, createLocalCognito } from '../../../../infra/local/src/cognito';
import { createLocalIssuer, decodeJwt, type LocalIssuer } from '../../../../infra/local/src/oidc';
import { createCognitoIdentityProvider } from '../../src/adapters/identity-provider';
import { adminAgencyRoutes } from '../../src/http/admin-agencies';
import { createAgencyResolver } from '../../src/http/partner-agency';
import { partnerApiRoutes } from '../../src/http/partner-api';
import { schoolReferral } from '../support/fixtures';

const POOL = 'eu-west-2_fsplocal';
const SCOPES = ['referrals/submit', 'referrals/read'];

const administrator = workerClaims({ 'cognito:groups': '[administrator]', 'custom:team': 'platform', sub: 'admin-user' });
const frontDoor = workerClaims({ 'cognito:groups': '[front-door team-manager]', 'custom:team': 'front-door', sub: 'fd-user' });

const oakfield = {
  name: 'Oakfield Primary School',
  type: 'school',
  referralSource: '2A',
  contactEmail: 'office@oakfield.example.sch.uk',
};

let table: TestTable;
let runtime: ServiceRuntime;
let issuer: LocalIssuer;
let server: Server;
let url: string;
let cognito: CognitoIdentityProviderClient;
let api: ReturnType<typeof createHttpHandler>;
/** Every CreateUserPoolClient request the local pool accepted, as asked. */
let clientRequests: CreateUserPoolClientRequest[];

beforeEach(async () => {
  ({ table, runtime } = await createTestRuntime('referrals'));
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  url = `http://127.0.0.1:${address.port}`;
  issuer = createLocalIssuer({ issuerUrl: url, log: () => {} });
  clientRequests = [];
  const cognitoEndpoint = createLocalCognito({
    issuer,
    userPoolId: POOL,
    scopes: SCOPES,
    reportError: () => {},
    onCreateClient: (request) => clientRequests.push(request),
  });
  server.on('request', (req, res) => {
    if (req.headers['x-amz-target']) cognitoEndpoint(req, res);
    else if (!issuer.handle(req, res)) res.writeHead(404).end();
  });
  cognito = new CognitoIdentityProviderClient({
    endpoint: url,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  // No cache, so that revocation is seen at once (the delay in production is AGENCY_CACHE_SECONDS).
  const identityProvider = createCognitoIdentityProvider({ userPoolId: POOL, client: cognito });
  api = createHttpHandler(
    [...partnerApiRoutes(runtime, { agencies: { cacheSeconds: 0 } }), ...adminAgencyRoutes(runtime, identityProvider)],
    {
      logger: runtime.logger,
    },
  );
});
afterEach(async () => {
  cognito.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await table.drop();
});

const admin = async (method: string, path: string, body?: object, claims = administrator) => {
  const response = await api(apiGatewayEvent({ method, path, claims, ...(body ? { body } : {}) }));
  return { status: response.statusCode, headers: response.headers ?? {}, body: response.body ? JSON.parse(response.body) : undefined };
};

async function tokenFor(clientId: string, clientSecret: string): Promise<{ status: number; token?: string }> {
  const response = await fetch(`${url}/oauth2/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
    },
    body: 'grant_type=client_credentials',
  });
  const body = (await response.json()) as { access_token?: string };
  return { status: response.status, ...(body.access_token ? { token: body.access_token } : {}) };
}

/** The claims API Gateway would pass for a verified token: its payload, as signed. */
const claimsOf = (token: string) => decodeJwt(token)!.payload as JwtClaims;

const submitWith = (claims: JwtClaims) =>
  api(
    apiGatewayEvent({
      method: 'POST',
      path: '/v1/referrals',
      body: schoolReferral() as object,
      claims,
      headers: { 'idempotency-key': randomUUID() },
    }),
  );

async function outbox() {
  return (await allItems(table))
    .filter((item) => item.kind === 'outbox')
    .map((item) => ({ detailType: item.detailType as string, detail: JSON.parse(item.detail as string) }));
}

describe('onboarding an agency', () => {
  it('asks Cognito for a client with only the client-credentials flow, its scopes, hour-long access tokens and no user sign-in', async () => {
    const created = await admin('POST', '/api/admin/agencies', { ...oakfield, agencyId: 'agency-oakfield-primary' });
    expect(created.status).toBe(201);
    expect(clientRequests).toHaveLength(1);
    const [request] = clientRequests;
    expect(request).toEqual({
      UserPoolId: POOL,
      ClientName: expect.any(String),
      GenerateSecret: true,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthScopes: expect.arrayContaining(SCOPES),
      AllowedOAuthFlowsUserPoolClient: true,
      // Cognito insists on the refresh flow in any list; the client-credentials grant never issues a refresh token.
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      // PARTNER-API.md: a revoked client's tokens stop working within an hour at most.
      AccessTokenValidity: 60,
      IdTokenValidity: 5,
      RefreshTokenValidity: 60,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' },
      AuthSessionValidity: 3,
      ReadAttributes: [],
      WriteAttributes: [],
      EnableTokenRevocation: true,
      PreventUserExistenceErrors: 'ENABLED',
    });
    expect(request?.AllowedOAuthScopes).toHaveLength(SCOPES.length);
    expect(request).not.toHaveProperty('CallbackURLs');
    expect(request).not.toHaveProperty('SupportedIdentityProviders');
  });

  it('creates the client, shows its secret once, and the agency can get a token and submit a referral', async () => {
    const created = await admin('POST', '/api/admin/agencies', { ...oakfield, agencyId: 'agency-oakfield-primary' });
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe('/api/admin/agencies/agency-oakfield-primary');
    expect(created.headers['cache-control']).toBe('no-store');
    expect(created.body).toMatchObject({
      agencyId: 'agency-oakfield-primary',
      clientId: expect.any(String),
      clientSecret: expect.any(String),
      status: 'active',
      ...oakfield,
      onboardedBy: 'admin-user',
    });
    const { clientId, clientSecret } = created.body;

    // Never stored: not in any item of the table.
    expect(JSON.stringify(await allItems(table))).not.toContain(clientSecret);
    // Never shown again.
    const read = await admin('GET', '/api/admin/agencies/agency-oakfield-primary');
    expect(read.status).toBe(200);
    expect(read.body).not.toHaveProperty('clientSecret');
    expect(JSON.stringify(read.body)).not.toContain(clientSecret);
    const listed = await admin('GET', '/api/admin/agencies');
    expect(listed.body.agencies.map((a: { agencyId: string }) => a.agencyId)).toEqual(['agency-oakfield-primary']);
    expect(JSON.stringify(listed.body)).not.toContain(clientSecret);

    const { status, token } = await tokenFor(clientId, clientSecret);
    expect(status).toBe(200);
    const submitted = await submitWith(claimsOf(token!));
    expect(submitted.statusCode).toBe(201);

    const events = await outbox();
    const onboarded = events.find((event) => event.detailType === 'AgencyOnboarded');
    expect(onboarded?.detail.data).toEqual({
      agencyId: 'agency-oakfield-primary',
      clientId,
      ...oakfield,
      onboardedAt: expect.any(String),
    });
    const referral = events.find((event) => event.detailType === 'ReferralSubmitted');
    expect(referral?.detail.data.agencyId).toBe('agency-oakfield-primary');
  });

  it('makes up an id from the name, and answers 409 for an id already taken', async () => {
    const created = await admin('POST', '/api/admin/agencies', oakfield);
    expect(created.body.agencyId).toMatch(/^agency-oakfield-primary-school-[0-9a-f]{6}$/);
    const again = await admin('POST', '/api/admin/agencies', { ...oakfield, agencyId: created.body.agencyId });
    expect(again.status).toBe(409);
  });

  it('answers 400 naming every failing field, and creates nothing', async () => {
    const response = await admin('POST', '/api/admin/agencies', {
      name: '',
      type: 'church',
      referralSource: 'school',
      contactEmail: 'not-an-email',
      agencyId: 'has spaces',
    });
    expect(response.status).toBe(400);
    expect(problemOf({ body: JSON.stringify(response.body) }).errors?.map((error) => error.path)).toEqual(
      expect.arrayContaining(['$.name', '$.type', '$.referralSource', '$.contactEmail', '$.agencyId']),
    );
    expect(await allItems(table)).toHaveLength(0);
  });

  it('is for administrators only (403 for other workers, and for partners)', async () => {
    for (const [method, path] of [
      ['POST', '/api/admin/agencies'],
      ['GET', '/api/admin/agencies'],
      ['GET', '/api/admin/agencies/x'],
      ['POST', '/api/admin/agencies/x/credentials'],
      ['DELETE', '/api/admin/agencies/x/credentials/y'],
      ['POST', '/api/admin/agencies/x/revoke'],
    ] as const) {
      const body = method === 'POST' && path === '/api/admin/agencies' ? oakfield : undefined;
      expect({ path, status: (await admin(method, path, body, frontDoor)).status }).toEqual({ path, status: 403 });
      expect({ path, status: (await admin(method, path, body, partnerClaims())).status }).toEqual({ path, status: 403 });
    }
    expect(await allItems(table)).toHaveLength(0);
  });

  it('answers 404 for an agency that does not exist', async () => {
    expect((await admin('GET', '/api/admin/agencies/agency-nobody')).status).toBe(404);
    expect((await admin('POST', '/api/admin/agencies/agency-nobody/credentials')).status).toBe(404);
    expect((await admin('POST', '/api/admin/agencies/agency-nobody/revoke')).status).toBe(404);
  });
});

describe('rotating credentials', () => {
  it('adds a second secret while the first keeps working, until the first is retired', async () => {
    const { body: agency } = await admin('POST', '/api/admin/agencies', oakfield);
    const firstSecretId = agency.secrets[0].secretId;
    const rotated = await admin('POST', `/api/admin/agencies/${agency.agencyId}/credentials`);
    expect(rotated.status).toBe(201);
    expect(rotated.headers['cache-control']).toBe('no-store');
    expect(rotated.body).toMatchObject({ clientId: agency.clientId, clientSecret: expect.any(String), retiredSecretIds: [] });
    expect(rotated.body.clientSecret).not.toBe(agency.clientSecret);
    expect((await tokenFor(agency.clientId, agency.clientSecret)).status).toBe(200);
    expect((await tokenFor(agency.clientId, rotated.body.clientSecret)).status).toBe(200);

    const retired = await admin('DELETE', `/api/admin/agencies/${agency.agencyId}/credentials/${firstSecretId}`);
    expect(retired.status).toBe(204);
    expect((await tokenFor(agency.clientId, agency.clientSecret)).status).toBe(401);
    expect((await tokenFor(agency.clientId, rotated.body.clientSecret)).status).toBe(200);
    const read = await admin('GET', `/api/admin/agencies/${agency.agencyId}`);
    expect(read.body.secrets.map((s: { secretId: string }) => s.secretId)).toEqual([rotated.body.secretId]);

    // The last secret cannot be retired; an unknown one is 404.
    expect((await admin('DELETE', `/api/admin/agencies/${agency.agencyId}/credentials/${rotated.body.secretId}`)).status).toBe(409);
    expect((await admin('DELETE', `/api/admin/agencies/${agency.agencyId}/credentials/${firstSecretId}`)).status).toBe(404);
  });

  it('retires the oldest secret when a third would exceed the limit of two', async () => {
    const { body: agency } = await admin('POST', '/api/admin/agencies', oakfield);
    const second = await admin('POST', `/api/admin/agencies/${agency.agencyId}/credentials`);
    const third = await admin('POST', `/api/admin/agencies/${agency.agencyId}/credentials`);
    expect(third.status).toBe(201);
    expect(third.body.retiredSecretIds).toEqual([agency.secrets[0].secretId]);
    expect((await tokenFor(agency.clientId, agency.clientSecret)).status).toBe(401);
    expect((await tokenFor(agency.clientId, second.body.clientSecret)).status).toBe(200);
    expect((await tokenFor(agency.clientId, third.body.clientSecret)).status).toBe(200);
    expect(JSON.stringify(await allItems(table))).not.toContain(third.body.clientSecret);
  });
});

describe('revoking an agency', () => {
  it('deletes the client, refuses new tokens and already-issued ones, and publishes AgencyRevoked', async () => {
    const { body: agency } = await admin('POST', '/api/admin/agencies', oakfield);
    const { token } = await tokenFor(agency.clientId, agency.clientSecret);
    expect((await submitWith(claimsOf(token!))).statusCode).toBe(201);

    const revoked = await admin('POST', `/api/admin/agencies/${agency.agencyId}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ status: 'revoked', revokedBy: 'admin-user', secrets: [] });

    expect((await tokenFor(agency.clientId, agency.clientSecret)).status).toBe(401);
    // The token issued before revocation is still a validly signed JWT: the API (the resolver) refuses it.
    const refused = await submitWith(claimsOf(token!));
    expect(refused.statusCode).toBe(401);
    expect(problemOf(refused).detail).toContain('revoked');

    const events = await outbox();
    expect(events.find((event) => event.detailType === 'AgencyRevoked')?.detail.data).toEqual({
      agencyId: agency.agencyId,
      clientId: agency.clientId,
      revokedAt: expect.any(String),
    });
    // Revoking again finishes a half-done revocation and changes nothing else.
    const again = await admin('POST', `/api/admin/agencies/${agency.agencyId}/revoke`);
    expect(again.status).toBe(200);
    expect((await outbox()).filter((event) => event.detailType === 'AgencyRevoked')).toHaveLength(1);
    expect((await admin('POST', `/api/admin/agencies/${agency.agencyId}/credentials`)).status).toBe(409);
  });
});

describe('the agency resolver', () => {
  it('answers 401 for a client that is not an onboarded agency, whatever agency claim the token carries', async () => {
    const response = await submitWith(partnerClaims({ agency_id: 'agency-oakfield' }));
    expect(response.statusCode).toBe(401);
    expect(await allItems(table)).toHaveLength(0);
  });

  it('caches what it read for at most a minute per execution environment', async () => {
    const { body: agency } = await admin('POST', '/api/admin/agencies', oakfield);
    let now = new Date('2026-01-05T09:00:00Z');
    const resolve = createAgencyResolver({ ...runtime, clock: () => now });
    const claims = { kind: 'partner' as const, clientId: agency.clientId, scopes: SCOPES };
    expect(await resolve(claims)).toEqual({ agencyId: agency.agencyId });
    await admin('POST', `/api/admin/agencies/${agency.agencyId}/revoke`);
    now = new Date('2026-01-05T09:00:59Z');
    expect(await resolve(claims)).toEqual({ agencyId: agency.agencyId });
    now = new Date('2026-01-05T09:01:00Z');
    await expect(resolve(claims)).rejects.toMatchObject({ status: 401 });
  });
});
