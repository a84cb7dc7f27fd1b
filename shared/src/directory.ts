/**
 * The directory port (WEB.md, Signing in; ARCHITECTURE.md, People): how a service reads people —
 * a worker's name and email, the members of a team — from the one place they are kept, the
 * platform's user pool. No service keeps its own staff list; a service that needs people asks
 * this port, and its manifest entry asks for `permissions.readDirectory`.
 *
 * The port is two questions. Answers are cached per environment (a warm Lambda environment, or
 * the local cloud's worker for that function) for `DIRECTORY_TTL_MS`, so that a page listing a
 * team does not ask Cognito on every request: a change made in the user pool (a new starter, a
 * leaver disabled, someone moving team) reaches every service within five minutes. The Cognito
 * implementation is in directory-cognito.ts; this module is data and caching only (no AWS), so
 * that CDK can read the operations it must grant without loading the SDK.
 */
import { onFirstUse } from './first-use';
import type { Role } from './people';
import { type Clock, systemClock } from './time/clock';

/** One person in the directory, as the user pool holds them. */
export interface DirectoryWorker {
  /** Cognito `sub`, the same as `WorkerClaims.userId`: stable for the person, unlike the username. */
  readonly userId: string;
  readonly username: string;
  readonly name: string;
  readonly email: string;
  /** The platform roles among the user's groups, in `ROLES` order; other groups (a federation's, say) carry none. */
  readonly roles: readonly Role[];
  /**
   * `custom:team`. Undefined for an account not given a team yet: such an account cannot use the
   * platform (shared/http/claims.ts refuses a worker token without one), but records may still name it.
   */
  readonly teamId: string | undefined;
  /** False once an administrator disables the account (a leaver): records that name them still read. */
  readonly enabled: boolean;
}

export interface TeamMembersOptions {
  /** Only members who hold this role. */
  role?: Role;
  /** Disabled accounts are left out unless asked for: nobody should allocate work to a leaver. */
  includeDisabled?: boolean;
}

export interface Directory {
  /** The person with this `sub` (whatever their roles, enabled or not); undefined when the user pool has nobody with it. */
  worker(userId: string): Promise<DirectoryWorker | undefined>;
  /**
   * The people of one team who hold at least one platform role, sorted by name. A person without
   * a platform role is nobody's colleague here: they cannot use the platform.
   */
  teamMembers(teamId: string, options?: TeamMembersOptions): Promise<DirectoryWorker[]>;
}

/**
 * The directory with one more question, for what crosses teams: everyone who holds a role (the
 * service managers an escalation goes to). The cached and Cognito directories answer it.
 */
export interface RoleDirectory extends Directory {
  /** The enabled people who hold `role`, whatever their team, sorted by name (disabled ones too when asked). */
  holdersOf(role: Role, options?: { includeDisabled?: boolean }): Promise<DirectoryWorker[]>;
}

/** Where a directory reads from, uncached: the user pool (directory-cognito.ts), or a list in tests. */
export interface DirectorySource {
  /** One person by `sub`, as `Directory.worker`. */
  worker(userId: string): Promise<DirectoryWorker | undefined>;
  /** Everyone who holds at least one platform role, each once, with all their roles. */
  workersWithRoles(): Promise<DirectoryWorker[]>;
}

/** The directory answered something that is not a person as the platform's user pool defines one. */
export class DirectoryError extends Error {
  override readonly name = 'DirectoryError';
}

/** How long an answer is reused: five minutes from the moment it was asked for. */
export const DIRECTORY_TTL_MS = 5 * 60 * 1000;

/**
 * The Cognito operations directory-cognito.ts calls, and so exactly what `permissions.readDirectory`
 * grants on the platform's user pool (infra/cdk/service-stack.ts). AdminGetUser is not among
 * them: it looks a user up by username, and the platform's records name people by `sub`.
 */
export const COGNITO_DIRECTORY_OPERATIONS = ['ListUsers', 'ListUsersInGroup', 'AdminListGroupsForUser'] as const;

interface Cached<T> {
  expiresAt: number;
  promise: Promise<T>;
  /** Set once the promise has resolved, so a settled answer can be read without waiting. */
  settled?: { value: T };
}

// Built on first use: constructing a collator loads ICU's collation data (about 7 ms measured), which a
// function that never lists a team should not pay at its cold start.
const byName = onFirstUse(() => new Intl.Collator('en-GB', { sensitivity: 'base' }));

/**
 * A directory that reads `source` at most once per question per `ttlMs`. Keep one per environment
 * (build it where the entry builds its other adapters, at module scope), so the cache outlives a
 * request. Callers asking at the same moment share one read; a failed read is not kept, so the
 * next caller asks again. Once the team listing has been read, `worker` answers anyone in it from
 * there rather than asking again.
 */
export function cachedDirectory(source: DirectorySource, options: { clock?: Clock; ttlMs?: number } = {}): RoleDirectory {
  const clock = options.clock ?? systemClock;
  const ttlMs = options.ttlMs ?? DIRECTORY_TTL_MS;
  const workers = new Map<string, Cached<DirectoryWorker | undefined>>();
  let everyone: Cached<DirectoryWorker[]> | undefined;

  const isFresh = <T>(entry: Cached<T> | undefined, at: number): entry is Cached<T> => entry !== undefined && at < entry.expiresAt;

  function remember<T>(load: () => Promise<T>, at: number, forget: (entry: Cached<T>) => void): Cached<T> {
    const entry: Cached<T> = { expiresAt: at + ttlMs, promise: Promise.resolve().then(load) };
    entry.promise = entry.promise.then(
      (value) => {
        entry.settled = { value };
        return value;
      },
      (error: unknown) => {
        forget(entry);
        throw error;
      },
    );
    return entry;
  }

  /** Expired answers go when a new one is kept, so a long-lived environment holds no more than the people it asked about lately. */
  function dropExpired(at: number): void {
    for (const [userId, entry] of workers) if (!isFresh(entry, at)) workers.delete(userId);
  }

  function everyoneWithRoles(at: number): Promise<DirectoryWorker[]> {
    if (!isFresh(everyone, at)) {
      everyone = remember(
        () => source.workersWithRoles(),
        at,
        (failed) => {
          if (everyone === failed) everyone = undefined;
        },
      );
    }
    return everyone.promise;
  }

  const byNameThenUsername = (a: DirectoryWorker, b: DirectoryWorker): number =>
    byName().compare(a.name, b.name) || (a.username < b.username ? -1 : a.username > b.username ? 1 : 0);

  return {
    async worker(userId) {
      const at = clock().getTime();
      if (isFresh(everyone, at) && everyone.settled) {
        const listed = everyone.settled.value.find((worker) => worker.userId === userId);
        if (listed) return listed;
      }
      let entry = workers.get(userId);
      if (!isFresh(entry, at)) {
        dropExpired(at);
        entry = remember(
          () => source.worker(userId),
          at,
          (failed) => {
            if (workers.get(userId) === failed) workers.delete(userId);
          },
        );
        workers.set(userId, entry);
      }
      return entry.promise;
    },

    async teamMembers(teamId, { role, includeDisabled = false } = {}) {
      const all = await everyoneWithRoles(clock().getTime());
      return all
        .filter(
          (worker) =>
            worker.teamId === teamId && (role === undefined || worker.roles.includes(role)) && (includeDisabled || worker.enabled),
        )
        .sort(byNameThenUsername);
    },

    async holdersOf(role, { includeDisabled = false } = {}) {
      const all = await everyoneWithRoles(clock().getTime());
      return all.filter((worker) => worker.roles.includes(role) && (includeDisabled || worker.enabled)).sort(byNameThenUsername);
    },
  };
}
