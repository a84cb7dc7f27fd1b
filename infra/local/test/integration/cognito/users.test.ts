/**
 * The local Cognito endpoint's user operations (ListUsers, ListUsersInGroup, AdminGetUser,
 * AdminListGroupsForUser), driven by the real SDK client: the local issuer's workers as a user
 * pool's users, with Cognito's filters, pages and errors.
 */
import { randomUUID } from 'node:crypto';
import {
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
  ListUsersInGroupCommand,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { createLocalCognito } from '../../../src/cognito';
import { createLocalIssuer, type DirectoryEntry, type LocalIssuer } from '../../../src/oidc/issuer';
import { startServer, type TestServer } from '../gateway/support';
import { errorOf } from './support';

const POOL = 'eu-west-2_fsplocal';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const WORKERS = [
  { username: 'socialworker', name: 'Sam Okafor', email: 'sam.okafor@example.gov.uk', roles: ['social-worker'], teamId: 'north' },
  { username: 'specialist', name: 'Dana Lewis', email: 'dana.lewis@example.gov.uk', roles: ['adult-specialist'], teamId: 'north' },
  {
    username: 'manager',
    name: 'Jo Patel',
    email: 'jo.patel@example.gov.uk',
    roles: ['team-manager', 'social-worker'],
    teamId: 'north',
  },
  { username: 'quoted', name: 'Dara "DJ" Byrne', email: 'dara.byrne@example.gov.uk', roles: ['social-worker'], teamId: 'south' },
  { username: 'frontdoor', name: 'Priya Shah', email: 'priya.shah@example.gov.uk', roles: ['front-door'], teamId: 'front-door' },
] as const;

let server: TestServer;
let issuer: LocalIssuer;
let cognito: CognitoIdentityProviderClient;
const startedAt = new Date('2026-03-02T09:00:00Z');

beforeEach(async () => {
  server = await startServer();
  issuer = createLocalIssuer({ issuerUrl: server.url, log: () => {} });
  for (const worker of WORKERS) issuer.registerWorker({ ...worker, roles: [...worker.roles] });
  const handler = createLocalCognito({ issuer, userPoolId: POOL, scopes: [], now: () => startedAt, reportError: () => {} });
  server.use((req, res) => {
    handler(req, res);
    return true;
  });
  cognito = new CognitoIdentityProviderClient({ endpoint: server.url, region: 'eu-west-2', credentials, maxAttempts: 1 });
});
afterEach(async () => {
  cognito.destroy();
  await server.close();
});

const entry = (username: string): DirectoryEntry => issuer.directoryEntries().find((worker) => worker.username === username)!;
const attributes = (user: UserType | undefined) => Object.fromEntries((user?.Attributes ?? []).map((a) => [a.Name, a.Value]));
const usernames = (users: UserType[] | undefined) => (users ?? []).map((user) => user.Username);
const listUsers = (filter?: string, more: { Limit?: number; PaginationToken?: string } = {}) =>
  cognito.send(new ListUsersCommand({ UserPoolId: POOL, ...(filter === undefined ? {} : { Filter: filter }), ...more }));

describe('ListUsers', () => {
  it("lists every worker as a user: sub, email, name and team as attributes, enabled and confirmed since the pool's start", async () => {
    const { Users, PaginationToken } = await listUsers();
    expect(usernames(Users)).toEqual(['frontdoor', 'manager', 'quoted', 'socialworker', 'specialist']);
    expect(PaginationToken).toBeUndefined();
    const sam = Users!.find((user) => user.Username === 'socialworker');
    expect(attributes(sam)).toEqual({
      sub: entry('socialworker').sub,
      email: 'sam.okafor@example.gov.uk',
      email_verified: 'true',
      name: 'Sam Okafor',
      'custom:team': 'north',
    });
    expect(sam).toMatchObject({ Enabled: true, UserStatus: 'CONFIRMED', UserCreateDate: startedAt, UserLastModifiedDate: startedAt });
  });

  it('finds one user by sub, username, email or name with =, and by the start of a value with ^=', async () => {
    const sam = entry('socialworker');
    expect(usernames((await listUsers(`sub = "${sam.sub}"`)).Users)).toEqual(['socialworker']);
    expect(usernames((await listUsers('username = "manager"')).Users)).toEqual(['manager']);
    expect(usernames((await listUsers('email="dana.lewis@example.gov.uk"')).Users)).toEqual(['specialist']);
    expect(usernames((await listUsers('name ^= "Jo"')).Users)).toEqual(['manager']);
    expect(usernames((await listUsers('email ^= "s"')).Users)).toEqual(['socialworker']);
    // A quotation mark inside the value is escaped with a backslash, as Cognito's documentation shows.
    expect(usernames((await listUsers('name = "Dara \\"DJ\\" Byrne"')).Users)).toEqual(['quoted']);
    expect(usernames((await listUsers('status = "Enabled"')).Users)).toHaveLength(WORKERS.length);
    expect(usernames((await listUsers('cognito:user_status = "confirmed"')).Users)).toHaveLength(WORKERS.length);
  });

  it('finds nobody for a value nobody has, matching case exactly', async () => {
    expect((await listUsers(`sub = "${randomUUID()}"`)).Users).toEqual([]);
    expect((await listUsers('username = "Manager"')).Users).toEqual([]);
    expect((await listUsers('given_name = "Sam"')).Users).toEqual([]);
  });

  it('returns only the attributes asked for', async () => {
    const { Users } = await listUsers('username = "manager"');
    expect(Object.keys(attributes(Users?.[0]))).toContain('custom:team');
    const only = await cognito.send(
      new ListUsersCommand({ UserPoolId: POOL, Filter: 'username = "manager"', AttributesToGet: ['email', 'sub'] }),
    );
    expect(attributes(only.Users?.[0])).toEqual({ email: 'jo.patel@example.gov.uk', sub: entry('manager').sub });
  });

  it('refuses a custom attribute and a filter it cannot parse with InvalidParameterException, as Cognito does', async () => {
    expect(await errorOf(listUsers('custom:team = "north"'))).toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringContaining('custom:team cannot be searched'),
    });
    for (const filter of ['sub = north', 'name = "Sam" and email = "x"', 'name == "Sam"', 'name = "unterminated']) {
      expect({ filter, error: await errorOf(listUsers(filter)) }).toEqual({
        filter,
        error: { name: 'InvalidParameterException', message: 'Error while parsing filter.' },
      });
    }
  });

  it('pages through everyone with Limit, each user once and in order, and refuses a limit above 60 or a token it did not give', async () => {
    const seen: (string | undefined)[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await listUsers(undefined, { Limit: 2, ...(token ? { PaginationToken: token } : {}) });
      expect(page.Users!.length).toBeLessThanOrEqual(2);
      seen.push(...usernames(page.Users));
      token = page.PaginationToken;
      pages++;
    } while (token !== undefined);
    expect(pages).toBe(3);
    expect(seen).toEqual(['frontdoor', 'manager', 'quoted', 'socialworker', 'specialist']);

    expect(await errorOf(listUsers(undefined, { Limit: 61 }))).toMatchObject({ name: 'InvalidParameterException' });
    const groupsToken = Buffer.from('ListUsersInGroup:manager').toString('base64url');
    expect(await errorOf(listUsers(undefined, { PaginationToken: groupsToken }))).toMatchObject({
      name: 'InvalidParameterException',
      message: 'Invalid pagination token.',
    });
  });

  it('knows one user pool only', async () => {
    expect(await errorOf(cognito.send(new ListUsersCommand({ UserPoolId: 'eu-west-2_other' })))).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'User pool eu-west-2_other does not exist.',
    });
  });
});

describe('ListUsersInGroup', () => {
  it("lists a role's holders, including those who hold it among others, a page at a time", async () => {
    const first = await cognito.send(new ListUsersInGroupCommand({ UserPoolId: POOL, GroupName: 'social-worker', Limit: 2 }));
    expect(usernames(first.Users)).toEqual(['manager', 'quoted']);
    expect(attributes(first.Users?.[0])['custom:team']).toBe('north');
    const second = await cognito.send(
      new ListUsersInGroupCommand({ UserPoolId: POOL, GroupName: 'social-worker', Limit: 2, NextToken: first.NextToken! }),
    );
    expect(usernames(second.Users)).toEqual(['socialworker']);
    expect(second.NextToken).toBeUndefined();
    const none = await cognito.send(new ListUsersInGroupCommand({ UserPoolId: POOL, GroupName: 'service-manager' }));
    expect(none.Users).toEqual([]);
  });

  it('answers ResourceNotFoundException for a group the pool does not have', async () => {
    expect(await errorOf(cognito.send(new ListUsersInGroupCommand({ UserPoolId: POOL, GroupName: 'north' })))).toEqual({
      name: 'ResourceNotFoundException',
      message: 'Group not found.',
    });
  });
});

describe('AdminGetUser and AdminListGroupsForUser', () => {
  it("give one worker's attributes and roles (as groups) by username", async () => {
    const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: POOL, Username: 'manager' }));
    expect(user).toMatchObject({ Username: 'manager', Enabled: true, UserStatus: 'CONFIRMED' });
    expect(Object.fromEntries(user.UserAttributes!.map((a) => [a.Name, a.Value]))).toMatchObject({
      sub: entry('manager').sub,
      name: 'Jo Patel',
      'custom:team': 'north',
    });
    const { Groups } = await cognito.send(new AdminListGroupsForUserCommand({ UserPoolId: POOL, Username: 'manager' }));
    expect(Groups?.map((group) => group.GroupName).sort()).toEqual(['social-worker', 'team-manager']);
    expect(Groups?.[0]).toMatchObject({ UserPoolId: POOL, CreationDate: startedAt });
  });

  it('answer UserNotFoundException for a username nobody has', async () => {
    const notFound = { name: 'UserNotFoundException', message: 'User does not exist.' };
    expect(await errorOf(cognito.send(new AdminGetUserCommand({ UserPoolId: POOL, Username: 'nobody' })))).toEqual(notFound);
    expect(await errorOf(cognito.send(new AdminListGroupsForUserCommand({ UserPoolId: POOL, Username: 'nobody' })))).toEqual(notFound);
  });
});
