/**
 * The directory port's cache (directory.ts) over a source held in memory, and the Cognito
 * adapter's reading of a user (directory-cognito.ts) without calling Cognito. The adapter against
 * a user pool is tested in infra/local/test/integration/cognito/directory.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { cachedDirectory, DIRECTORY_TTL_MS, DirectoryError, type DirectorySource, type DirectoryWorker } from '@fsp/shared/directory';
import { directoryFromEnvironment, isCognitoSub, parseCognitoUser } from '@fsp/shared/directory-cognito';
import { ConfigurationError } from '@fsp/shared/environment';
import fc from 'fast-check';

const person = (overrides: Partial<DirectoryWorker> & Pick<DirectoryWorker, 'username' | 'name'>): DirectoryWorker => ({
  userId: randomUUID(),
  email: `${overrides.username}@example.gov.uk`,
  roles: ['social-worker'],
  teamId: 'north',
  enabled: true,
  ...overrides,
});

const sam = person({ username: 'socialworker', name: 'Sam Okafor' });
const dana = person({ username: 'specialist', name: 'Dana Lewis', roles: ['adult-specialist'] });
const jo = person({ username: 'manager', name: 'Jo Patel', roles: ['team-manager', 'social-worker'] });
const leaver = person({ username: 'leaver', name: 'Lee Former', enabled: false });
const priya = person({ username: 'frontdoor', name: 'Priya Shah', roles: ['front-door'], teamId: 'front-door' });
/** In the user pool, but holding no platform role: only `worker` finds them. */
const newStarter = person({ username: 'newstarter', name: 'Nia Starter', roles: [], teamId: undefined });

/** A user pool in memory that counts the reads it answers, so the cache's effect can be seen. */
function memorySource(initial: DirectoryWorker[]) {
  let people = [...initial];
  const reads = { worker: 0, workersWithRoles: 0 };
  let failNext = false;
  const source: DirectorySource = {
    async worker(userId) {
      reads.worker++;
      return people.find((candidate) => candidate.userId === userId);
    },
    async workersWithRoles() {
      reads.workersWithRoles++;
      if (failNext) {
        failNext = false;
        throw new Error('Rate exceeded');
      }
      return people.filter((candidate) => candidate.roles.length > 0);
    },
  };
  return {
    source,
    reads,
    replace: (next: DirectoryWorker[]) => {
      people = next;
    },
    failNextListing: () => {
      failNext = true;
    },
  };
}

/** A clock the test moves by hand. */
function handClock(start = Date.parse('2026-03-02T09:00:00Z')) {
  let now = start;
  return { clock: () => new Date(now), advance: (ms: number) => (now += ms) };
}

describe('cachedDirectory', () => {
  it("gives a team's members with a platform role, sorted by name, leaving out other teams and disabled accounts", async () => {
    const { source } = memorySource([sam, dana, jo, leaver, priya, newStarter]);
    const directory = cachedDirectory(source);
    expect((await directory.teamMembers('north')).map((worker) => worker.name)).toEqual(['Dana Lewis', 'Jo Patel', 'Sam Okafor']);
    expect((await directory.teamMembers('north', { includeDisabled: true })).map((worker) => worker.name)).toEqual([
      'Dana Lewis',
      'Jo Patel',
      'Lee Former',
      'Sam Okafor',
    ]);
    expect(await directory.teamMembers('south')).toEqual([]);
  });

  it('picks out the holders of one role, whatever other roles they hold', async () => {
    const { source } = memorySource([sam, dana, jo, leaver, priya]);
    const directory = cachedDirectory(source);
    expect(await directory.teamMembers('north', { role: 'social-worker' })).toEqual([jo, sam]);
    expect(await directory.teamMembers('north', { role: 'team-manager' })).toEqual([jo]);
    expect(await directory.teamMembers('north', { role: 'front-door' })).toEqual([]);
  });

  it('finds anyone by sub, with or without a role, and nobody for an unknown one', async () => {
    const { source } = memorySource([sam, newStarter]);
    const directory = cachedDirectory(source);
    expect(await directory.worker(sam.userId)).toEqual(sam);
    expect(await directory.worker(newStarter.userId)).toEqual(newStarter);
    expect(await directory.worker(randomUUID())).toBeUndefined();
  });

  it('reuses answers for five minutes, then reads the user pool again and sees its changes', async () => {
    const pool = memorySource([sam, dana]);
    const { clock, advance } = handClock();
    const directory = cachedDirectory(pool.source, { clock });
    expect(await directory.teamMembers('north')).toEqual([dana, sam]);
    expect(await directory.worker(priya.userId)).toBeUndefined();

    const movedTeam = { ...sam, teamId: 'south' };
    pool.replace([movedTeam, dana, priya]);
    advance(DIRECTORY_TTL_MS - 1);
    expect(await directory.teamMembers('north')).toEqual([dana, sam]);
    expect(await directory.worker(priya.userId)).toBeUndefined();
    expect(pool.reads).toEqual({ worker: 1, workersWithRoles: 1 });

    advance(1);
    expect(await directory.teamMembers('north')).toEqual([dana]);
    expect(await directory.teamMembers('south')).toEqual([movedTeam]);
    // Priya now holds a role, so the fresh team listing answers for her; the stale "nobody" is not kept.
    expect(await directory.worker(priya.userId)).toEqual(priya);
    expect(pool.reads).toEqual({ worker: 1, workersWithRoles: 2 });
  });

  it("answers a person from a team listing it already holds, without another read, and asks about anyone who isn't in it", async () => {
    const pool = memorySource([sam, dana, newStarter]);
    const directory = cachedDirectory(pool.source);
    await directory.teamMembers('north');
    expect(await directory.worker(dana.userId)).toEqual(dana);
    expect(await directory.worker(sam.userId)).toEqual(sam);
    expect(pool.reads.worker).toBe(0);
    expect(await directory.worker(newStarter.userId)).toEqual(newStarter);
    expect(pool.reads.worker).toBe(1);
  });

  it('shares one read between callers asking at the same moment', async () => {
    const pool = memorySource([sam, dana]);
    const directory = cachedDirectory(pool.source);
    const answers = await Promise.all([
      directory.teamMembers('north'),
      directory.teamMembers('north', { role: 'adult-specialist' }),
      directory.worker(sam.userId),
      directory.worker(sam.userId),
    ]);
    expect(answers).toEqual([[dana, sam], [dana], sam, sam]);
    expect(pool.reads).toEqual({ worker: 1, workersWithRoles: 1 });
  });

  it('does not keep a failed read: the caller sees the failure, and the next caller reads again', async () => {
    const pool = memorySource([sam]);
    const directory = cachedDirectory(pool.source);
    pool.failNextListing();
    await expect(directory.teamMembers('north')).rejects.toThrow('Rate exceeded');
    expect(await directory.teamMembers('north')).toEqual([sam]);
    expect(pool.reads.workersWithRoles).toBe(2);
  });

  it('takes a cache lifetime of its own', async () => {
    const pool = memorySource([sam]);
    const { clock, advance } = handClock();
    const directory = cachedDirectory(pool.source, { clock, ttlMs: 1000 });
    await directory.worker(sam.userId);
    advance(1000);
    await directory.worker(sam.userId);
    expect(pool.reads.worker).toBe(2);
  });
});

const SUB = '7d3c1f0e-2b4a-4c1d-9e8f-0a1b2c3d4e5f';
const cognitoUser = (attributes: Record<string, string | undefined>, overrides: Record<string, unknown> = {}) => ({
  Username: 'socialworker',
  Enabled: true,
  UserStatus: 'CONFIRMED',
  UserCreateDate: new Date('2026-01-05T09:00:00Z'),
  Attributes: Object.entries(attributes).map(([Name, Value]) => (Value === undefined ? { Name } : { Name, Value })),
  ...overrides,
});
const valid = { sub: SUB, email: 'sam.okafor@example.gov.uk', email_verified: 'true', name: 'Sam Okafor', 'custom:team': 'north' };

describe('parseCognitoUser', () => {
  it("reads a user pool's user: the sub as userId, name, email, team and whether the account is enabled", () => {
    expect(parseCognitoUser(cognitoUser(valid))).toEqual({
      userId: SUB,
      username: 'socialworker',
      name: 'Sam Okafor',
      email: 'sam.okafor@example.gov.uk',
      teamId: 'north',
      enabled: true,
    });
    expect(parseCognitoUser(cognitoUser({ ...valid, 'custom:team': undefined }, { Enabled: false }))).toMatchObject({
      teamId: undefined,
      enabled: false,
    });
  });

  it('refuses a user without a sub, name or valid email, naming the attribute and the user but never the value', () => {
    const cases: [Record<string, string | undefined>, string][] = [
      [{ ...valid, email: 'not-an-email' }, 'email'],
      [{ ...valid, name: '   ' }, 'name'],
      [{ ...valid, sub: undefined }, 'sub'],
      [{ ...valid, email: undefined, name: undefined }, 'email, name'],
    ];
    for (const [attributes, named] of cases) {
      const read = () => parseCognitoUser(cognitoUser(attributes));
      expect(read).toThrow(DirectoryError);
      expect(read).toThrow(`The user pool's user socialworker lacks a valid ${named}`);
      expect(read).not.toThrow(/not-an-email/);
    }
    expect(() => parseCognitoUser(cognitoUser({ ...valid, sub: 'not-a-uuid' }))).toThrow(
      "The user pool's user socialworker has a sub that is not a UUID",
    );
    expect(() => parseCognitoUser(cognitoUser(valid, { Enabled: undefined }))).toThrow(
      'The user pool answered a user that is not readable: Enabled',
    );
  });

  it('(property) any user is either read whole or refused with a DirectoryError, never half-read', () => {
    const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
    fc.assert(
      fc.property(
        fc.record({
          sub: maybe(fc.oneof(fc.uuid(), fc.string())),
          email: maybe(fc.oneof(fc.emailAddress(), fc.string())),
          name: maybe(fc.string()),
          'custom:team': maybe(fc.string()),
        }),
        fc.oneof(fc.boolean(), fc.constant(undefined)),
        (attributes, enabled) => {
          let read: ReturnType<typeof parseCognitoUser> | undefined;
          try {
            read = parseCognitoUser(cognitoUser(attributes, { Enabled: enabled }));
          } catch (error) {
            expect(error).toBeInstanceOf(DirectoryError);
            return;
          }
          expect(read.userId).toBe(attributes.sub);
          expect(isCognitoSub(read.userId)).toBe(true);
          expect(read.name.trim()).toBe(read.name);
          expect(read.name.length).toBeGreaterThan(0);
          expect(read.email).toMatch(/^[^@\s]+@[^@\s]+$/);
          expect(read.enabled).toBe(enabled);
        },
      ),
    );
  });
});

describe('isCognitoSub', () => {
  it('(property) accepts every UUID and nothing that could break out of a ListUsers filter', () => {
    fc.assert(fc.property(fc.uuid(), (uuid) => expect(isCognitoSub(uuid)).toBe(true)));
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.constantFrom('"', '\\', ' '), (before, after, breaking) =>
        expect(isCognitoSub(`${before}${breaking}${after}`)).toBe(false),
      ),
    );
  });
});

describe('directoryFromEnvironment', () => {
  it('fails at start-up, naming USER_POOL_ID and who sets it, when the function was not given the user pool', () => {
    const read = (env: NodeJS.ProcessEnv) => () => directoryFromEnvironment({ env });
    expect(read({})).toThrow(ConfigurationError);
    expect(read({})).toThrow(/USER_POOL_ID must be the platform user pool's id .*permissions\.readDirectory/);
    expect(read({ USER_POOL_ID: 'not a pool' })).toThrow(/USER_POOL_ID/);
    expect(read({ USER_POOL_ID: 'eu-west-2_fsplocal' })).not.toThrow();
  });
});

describe('everyone who holds a role, whatever their team (holdersOf)', () => {
  const southManager = person({ username: 'southmanager', name: 'Hannah Brooks', roles: ['team-manager'], teamId: 'south' });
  const serviceManager = person({ username: 'servicemanager', name: 'Ade Ola', roles: ['service-manager'], teamId: undefined });
  const formerServiceManager = person({
    username: 'formersm',
    name: 'Bo Former',
    roles: ['service-manager'],
    teamId: 'oversight',
    enabled: false,
  });

  it('lists the enabled holders across teams, sorted by name, from the one cached listing', async () => {
    const memory = memorySource([sam, jo, southManager, serviceManager, formerServiceManager, newStarter]);
    const directory = cachedDirectory(memory.source);
    expect((await directory.holdersOf('team-manager')).map((worker) => worker.username)).toEqual(['southmanager', 'manager']);
    expect((await directory.holdersOf('service-manager')).map((worker) => worker.username)).toEqual(['servicemanager']);
    expect((await directory.holdersOf('service-manager', { includeDisabled: true })).map((worker) => worker.username)).toEqual([
      'servicemanager',
      'formersm',
    ]);
    expect(await directory.holdersOf('administrator')).toEqual([]);
    await directory.teamMembers('north');
    expect(memory.reads.workersWithRoles).toBe(1);
  });
});
