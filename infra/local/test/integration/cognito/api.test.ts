/**
 * The local Cognito endpoint, driven by the real SDK client and the AWS CLI: app clients for
 * partner agencies, their two secrets, and the tokens the local issuer gives them.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AddUserPoolClientSecretCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  DeleteUserPoolClientCommand,
  DeleteUserPoolClientSecretCommand,
  ListUserPoolClientSecretsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { createLocalCognito } from '../../../src/cognito';
import { createLocalIssuer, type LocalIssuer } from '../../../src/oidc/issuer';
import { startServer, type TestServer } from '../gateway/support';
import { errorOf } from './support';

const POOL = 'eu-west-2_fsplocal';
const SCOPES = ['referrals/submit', 'referrals/read'];
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

let server: TestServer;
let issuer: LocalIssuer;
let cognito: CognitoIdentityProviderClient;
let dataDirectory: string;

beforeEach(async () => {
  dataDirectory = mkdtempSync(join(tmpdir(), 'fsp-cognito-'));
  server = await startServer();
  issuer = createLocalIssuer({ issuerUrl: server.url, clientsFile: join(dataDirectory, 'clients.json'), log: () => {} });
  const handler = createLocalCognito({ issuer, userPoolId: POOL, scopes: SCOPES, reportError: () => {} });
  server.use((req, res) => {
    if (String(req.headers['x-amz-target'] ?? '').startsWith('AWSCognitoIdentityProviderService.')) {
      handler(req, res);
      return true;
    }
    return issuer.handle(req, res);
  });
  cognito = new CognitoIdentityProviderClient({ endpoint: server.url, region: 'eu-west-2', credentials, maxAttempts: 1 });
});
afterEach(async () => {
  cognito.destroy();
  await server.close();
  rmSync(dataDirectory, { recursive: true, force: true });
});

const createClient = (overrides: Record<string, unknown> = {}) =>
  cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: POOL,
      ClientName: 'fsp-agency-oakfield',
      GenerateSecret: true,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthScopes: SCOPES,
      AllowedOAuthFlowsUserPoolClient: true,
      ...overrides,
    }),
  );

async function tokenStatus(clientId: string, clientSecret: string): Promise<number> {
  const response = await fetch(`${server.url}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString(),
  });
  return response.status;
}

describe('the local Cognito endpoint (SDK)', () => {
  it('creates a client-credentials app client whose secret gets tokens with its scopes', async () => {
    const { UserPoolClient: client } = await createClient();
    expect(client).toMatchObject({
      UserPoolId: POOL,
      ClientName: 'fsp-agency-oakfield',
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthScopes: SCOPES,
      AllowedOAuthFlowsUserPoolClient: true,
    });
    expect(client?.CreationDate).toBeInstanceOf(Date);
    expect(await tokenStatus(client!.ClientId!, client!.ClientSecret!)).toBe(200);
    expect(await tokenStatus(client!.ClientId!, 'not-the-secret')).toBe(401);
  });

  it('keeps two secrets at most, both working, and deletes one by id', async () => {
    const { UserPoolClient: client } = await createClient();
    const clientId = client!.ClientId!;
    const [first] = (await cognito.send(new ListUserPoolClientSecretsCommand({ UserPoolId: POOL, ClientId: clientId }))).ClientSecrets!;
    expect(first?.ClientSecretId).toMatch(new RegExp(`^${clientId}--\\d+$`));
    expect(first).not.toHaveProperty('ClientSecretValue');

    const { ClientSecretDescriptor: second } = await cognito.send(
      new AddUserPoolClientSecretCommand({ UserPoolId: POOL, ClientId: clientId }),
    );
    expect(second?.ClientSecretValue).toEqual(expect.any(String));
    expect(second?.ClientSecretCreateDate).toBeInstanceOf(Date);
    expect(await tokenStatus(clientId, client!.ClientSecret!)).toBe(200);
    expect(await tokenStatus(clientId, second!.ClientSecretValue!)).toBe(200);

    expect(await errorOf(cognito.send(new AddUserPoolClientSecretCommand({ UserPoolId: POOL, ClientId: clientId })))).toMatchObject({
      name: 'LimitExceededException',
    });

    await cognito.send(
      new DeleteUserPoolClientSecretCommand({ UserPoolId: POOL, ClientId: clientId, ClientSecretId: first!.ClientSecretId! }),
    );
    expect(await tokenStatus(clientId, client!.ClientSecret!)).toBe(401);
    expect(await tokenStatus(clientId, second!.ClientSecretValue!)).toBe(200);
    // The last secret stays.
    expect(
      await errorOf(
        cognito.send(
          new DeleteUserPoolClientSecretCommand({ UserPoolId: POOL, ClientId: clientId, ClientSecretId: second!.ClientSecretId! }),
        ),
      ),
    ).toMatchObject({ name: 'InvalidParameterException' });
  });

  it('deletes a client: no more tokens, its issued tokens no longer verify, and it is gone for every operation', async () => {
    const { UserPoolClient: client } = await createClient();
    const clientId = client!.ClientId!;
    const issued = issuer.issueClientToken(clientId).access_token;
    await cognito.send(new DeleteUserPoolClientCommand({ UserPoolId: POOL, ClientId: clientId }));
    expect(await tokenStatus(clientId, client!.ClientSecret!)).toBe(401);
    expect(issuer.verifyAccessToken(issued)).toEqual({ error: 'unknown-client' });
    expect(await errorOf(cognito.send(new DeleteUserPoolClientCommand({ UserPoolId: POOL, ClientId: clientId })))).toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it("answers AWS's errors for a wrong pool, a secretless client-credentials client and an unknown scope", async () => {
    expect(await errorOf(createClient({ UserPoolId: 'eu-west-2_other' }))).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'User pool eu-west-2_other does not exist.',
    });
    expect(await errorOf(createClient({ GenerateSecret: false }))).toMatchObject({ name: 'InvalidOAuthFlowException' });
    expect(await errorOf(createClient({ AllowedOAuthScopes: ['referrals/everything'] }))).toMatchObject({
      name: 'ScopeDoesNotExistException',
      message: 'Invalid scope requested: referrals/everything',
    });
    expect(await errorOf(createClient({ ClientName: "St Mary's" }))).toMatchObject({ name: 'InvalidParameterException' });
  });

  it('answers the AWS JSON error shape, and keeps clients (never secrets) across a restart', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.DeleteUserPoolClient' },
      body: JSON.stringify({ UserPoolId: POOL, ClientId: 'nope' }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(await response.json()).toEqual({ __type: 'ResourceNotFoundException', message: 'User pool client nope does not exist.' });

    const { UserPoolClient: client } = await createClient();
    const stored = readFileSync(join(dataDirectory, 'clients.json'), 'utf8');
    expect(stored).toContain(client!.ClientId!);
    expect(stored).not.toContain(client!.ClientSecret!);
    const restarted = createLocalIssuer({ issuerUrl: server.url, clientsFile: join(dataDirectory, 'clients.json') });
    expect(restarted.hasClient(client!.ClientId!)).toBe(true);
    expect(restarted.listClientSecrets(client!.ClientId!)).toHaveLength(1);
  });
});

describe('the local Cognito endpoint (AWS CLI)', () => {
  const aws = (args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        'aws',
        ['cognito-idp', ...args, '--endpoint-url', server.url, '--region', 'eu-west-2', '--output', 'json'],
        { env: { ...process.env, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_MAX_ATTEMPTS: '1' }, timeout: 30_000 },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });
  let cliAvailable = true;
  beforeAll(async () => {
    cliAvailable = await new Promise((resolve) => execFile('aws', ['--version'], (error) => resolve(!error)));
    if (!cliAvailable)
      process.stderr.write('WARNING: the AWS CLI is not installed; the CLI test of the local Cognito endpoint is skipped\n');
  });

  it('creates a client, adds and lists secrets and deletes the client', async () => {
    if (!cliAvailable) return;
    const created = await aws([
      'create-user-pool-client',
      '--user-pool-id',
      POOL,
      '--client-name',
      'fsp-agency-cli',
      '--generate-secret',
      '--allowed-o-auth-flows',
      'client_credentials',
      '--allowed-o-auth-scopes',
      ...SCOPES,
      '--allowed-o-auth-flows-user-pool-client',
    ]);
    expect(created).toMatchObject({ code: 0 });
    const clientId = JSON.parse(created.stdout).UserPoolClient.ClientId as string;
    expect((await aws(['add-user-pool-client-secret', '--user-pool-id', POOL, '--client-id', clientId])).code).toBe(0);
    const listed = await aws(['list-user-pool-client-secrets', '--user-pool-id', POOL, '--client-id', clientId]);
    expect(JSON.parse(listed.stdout).ClientSecrets).toHaveLength(2);
    expect((await aws(['delete-user-pool-client', '--user-pool-id', POOL, '--client-id', clientId])).code).toBe(0);
    const again = await aws(['delete-user-pool-client', '--user-pool-id', POOL, '--client-id', clientId]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('ResourceNotFoundException');
  });
});
