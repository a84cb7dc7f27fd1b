/**
 * The directory port's Cognito implementation (shared/src/directory-cognito.ts) against the local
 * Cognito endpoint, built as a function in the local cloud builds it: from its environment, the
 * SDK finding the endpoint through AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER. The local cloud's
 * own demo workers are its people, and every Cognito operation it calls is one CDK grants.
 */
import { randomUUID } from 'node:crypto';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { COGNITO_DIRECTORY_OPERATIONS, type Directory } from '@fsp/shared/directory';
import { COGNITO_PAGE_SIZE, directoryFromEnvironment } from '@fsp/shared/directory-cognito';
import { COGNITO_TARGET_PREFIX, createLocalCognito } from '../../../src/cognito';
import { DEMO_WORKERS, LOCAL_USER_POOL_ID } from '../../../src/local-cloud';
import { createLocalIssuer, type LocalIssuer } from '../../../src/oidc/issuer';
import { startServer, type TestServer } from '../gateway/support';

/** More social workers in one team than Cognito gives on a page, one of them a team manager too. */
const SOUTH = Array.from({ length: COGNITO_PAGE_SIZE + 5 }, (_, index) => ({
  username: `south${String(index).padStart(3, '0')}`,
  name: `South Worker ${String(index).padStart(3, '0')}`,
  email: `south${index}@example.gov.uk`,
  roles: index === 0 ? ['team-manager', 'social-worker'] : ['social-worker'],
  teamId: 'south',
})) satisfies { roles: string[] }[];

let server: TestServer;
let issuer: LocalIssuer;
let operations: string[];
const savedEnvironment = { ...process.env };

beforeEach(async () => {
  server = await startServer();
  issuer = createLocalIssuer({ issuerUrl: server.url, log: () => {} });
  for (const worker of DEMO_WORKERS) issuer.registerWorker({ ...worker, roles: [...worker.roles] });
  const cognito = createLocalCognito({ issuer, userPoolId: LOCAL_USER_POOL_ID, scopes: [], reportError: () => {} });
  operations = [];
  server.use((req, res) => {
    operations.push(String(req.headers['x-amz-target']).slice(COGNITO_TARGET_PREFIX.length));
    cognito(req, res);
    return true;
  });
  // What the local cloud gives a function whose manifest entry asks for permissions.readDirectory.
  Object.assign(process.env, {
    USER_POOL_ID: LOCAL_USER_POOL_ID,
    AWS_REGION: 'eu-west-2',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: server.url,
    AWS_MAX_ATTEMPTS: '1',
  });
});
afterEach(async () => {
  for (const name of Object.keys(process.env)) if (!(name in savedEnvironment)) delete process.env[name];
  Object.assign(process.env, savedEnvironment);
  await server.close();
});

const subOf = (username: string): string => issuer.directoryEntries().find((worker) => worker.username === username)!.sub;
const namesOf = async (members: ReturnType<Directory['teamMembers']>) => (await members).map((worker) => worker.name);

describe('the Cognito directory against the local user pool', () => {
  it('gives a demo worker by sub: name, email, roles from the groups, team, enabled', async () => {
    const directory = directoryFromEnvironment();
    expect(await directory.worker(subOf('socialworker'))).toEqual({
      userId: subOf('socialworker'),
      username: 'socialworker',
      name: 'Sam Okafor',
      email: 'sam.okafor@example.gov.uk',
      roles: ['social-worker'],
      teamId: 'north',
      enabled: true,
    });
    expect(await directory.worker(subOf('admin'))).toMatchObject({ name: 'Alex Green', roles: ['administrator'], teamId: 'platform' });
  });

  it('gives nobody for a sub no worker has, and does not ask Cognito about a value that cannot be a sub', async () => {
    const directory = directoryFromEnvironment();
    expect(await directory.worker(randomUUID())).toBeUndefined();
    expect(operations).toEqual(['ListUsers']);
    expect(await directory.worker('" or username ^= "')).toBeUndefined();
    expect(operations).toEqual(['ListUsers']);
  });

  it("gives a team's demo workers, sorted by name, and those of one role", async () => {
    const directory = directoryFromEnvironment();
    expect(await namesOf(directory.teamMembers('north'))).toEqual(['Dana Lewis', 'Jo Patel', 'Sam Okafor']);
    expect(await namesOf(directory.teamMembers('north', { role: 'team-manager' }))).toEqual(['Jo Patel']);
    expect(await namesOf(directory.teamMembers('front-door'))).toEqual(['Priya Shah']);
    expect(await directory.teamMembers('no-such-team')).toEqual([]);
  });

  it('reads every page of a large team, each person once with all their roles', async () => {
    for (const worker of SOUTH) issuer.registerWorker(worker as Parameters<LocalIssuer['registerWorker']>[0]);
    const directory = directoryFromEnvironment();
    const south = await directory.teamMembers('south');
    expect(south.map((worker) => worker.username)).toEqual(SOUTH.map((worker) => worker.username));
    expect(south[0]?.roles).toEqual(['social-worker', 'team-manager']);
    expect((await directory.teamMembers('south', { role: 'team-manager' })).map((worker) => worker.username)).toEqual(['south000']);
    expect(operations.filter((operation) => operation === 'ListUsersInGroup').length).toBeGreaterThan(6);
  });

  it('asks the user pool once per question within five minutes, and only with operations CDK grants for readDirectory', async () => {
    const directory = directoryFromEnvironment();
    await directory.worker(subOf('manager'));
    await directory.worker(subOf('manager'));
    await directory.teamMembers('north');
    await directory.teamMembers('north', { role: 'social-worker' });
    await directory.worker(subOf('specialist'));
    expect(operations).toEqual(['ListUsers', 'AdminListGroupsForUser', ...Array.from({ length: 6 }, () => 'ListUsersInGroup')]);
    expect(new Set(operations)).toEqual(new Set(COGNITO_DIRECTORY_OPERATIONS));
  });

  it("passes the user pool's refusal on to the caller", async () => {
    const directory = directoryFromEnvironment({
      env: { USER_POOL_ID: 'eu-west-2_other' },
      client: new CognitoIdentityProviderClient({ endpoint: server.url, maxAttempts: 1 }),
    });
    await expect(directory.teamMembers('north')).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(directory.worker(subOf('manager'))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
