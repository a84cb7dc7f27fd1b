/**
 * The directory port (directory.ts) read from the platform's Cognito user pool. In AWS that is
 * the pool CDK builds; on a laptop the local cloud serves the same operations at its origin
 * (infra/local/src/cognito/api.ts), reached through the SDK's standard
 * `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`, so this code is the same in both.
 *
 * What Cognito can answer decides the calls (ListUsers' documentation: the server-side `Filter`
 * matches one standard attribute — username, email, phone_number, name, given_name, family_name,
 * preferred_username, cognito:user_status, status or sub — and custom attributes are not
 * searchable; no user listing says which groups a user is in):
 * - a person by `sub`: ListUsers with `Filter: sub = "<sub>"`, then AdminListGroupsForUser for
 *   their roles (AdminGetUser would need the username, which records do not keep);
 * - a team: `custom:team` cannot be filtered on, so ListUsersInGroup for each platform role (the
 *   roles are the groups), every page, merged by username into everyone with a role and their
 *   roles; the team is then picked out here. Six listings of a few pages each, cached for five
 *   minutes per environment, rather than a listing of every user in the pool, most of whom may
 *   have no platform role at all.
 *
 * Every answer is validated: a user without a valid email or name, or a `sub`, is a DirectoryError
 * naming the user and the attribute, never a half-filled person.
 */
import {
  AdminListGroupsForUserCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
  ListUsersInGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import * as z from 'zod/mini';
import type * as core from 'zod/v4/core';
import { cachedDirectory, DirectoryError, type DirectorySource, type DirectoryWorker, type RoleDirectory } from './directory';
import { readEnvironment, variable } from './environment';
import { onFirstUse } from './first-use';
import { ROLES } from './people';
import { withoutSdkLogging } from './sdk-client';
import type { Clock } from './time/clock';

/** Cognito's most per page, for ListUsers, ListUsersInGroup and AdminListGroupsForUser alike. */
export const COGNITO_PAGE_SIZE = 60;
/** 30,000 people per role: far beyond a council's staff, so a pagination token that never ends fails loudly instead of looping. */
const MAX_PAGES = 500;

/**
 * Cognito's `sub` is a UUID. Anything else cannot be anyone's, and is never put into a filter:
 * checking the shape first is what keeps a quote in a caller's value out of the filter string.
 */
const COGNITO_SUB = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isCognitoSub = (value: string): boolean => COGNITO_SUB.test(value);

const schemas = onFirstUse(() => {
  const text = z.string().check(z.trim(), z.minLength(1));
  const user = z.object({
    Username: text,
    Enabled: z.boolean(),
    Attributes: z.array(z.object({ Name: z.string(), Value: z.optional(z.string()) })),
  });
  return {
    user,
    // The user pool requires email and name (infra/cdk/platform-stack.ts); `custom:team` is optional there.
    attributes: z.object({ sub: text, email: z.email(), name: text, 'custom:team': z.optional(text) }),
    listUsers: z.object({ Users: z.optional(z.array(z.unknown())), PaginationToken: z.optional(z.string()) }),
    usersInGroup: z.object({ Users: z.optional(z.array(z.unknown())), NextToken: z.optional(z.string()) }),
    groups: z.object({ Groups: z.optional(z.array(z.object({ GroupName: text }))), NextToken: z.optional(z.string()) }),
  };
});

/** Which fields failed, by path only: values are people's personal data and do not belong in an error or a log. */
const fieldsOf = (issues: readonly core.$ZodIssue[]): string => [...new Set(issues.map((issue) => issue.path.join('.')))].join(', ');

function parseAnswer<S extends core.$ZodType>(schema: S, answer: unknown, operation: string): core.output<S> {
  const parsed = z.safeParse(schema, answer);
  if (!parsed.success) throw new DirectoryError(`Cognito ${operation} answered an unexpected shape at ${fieldsOf(parsed.error.issues)}`);
  return parsed.data;
}

/**
 * A user as ListUsers and ListUsersInGroup return them (`UserType`), without roles: no listing
 * carries a user's groups. Throws a DirectoryError naming the user and every attribute that is
 * missing or wrong.
 */
export function parseCognitoUser(user: unknown): Omit<DirectoryWorker, 'roles'> {
  const { user: userSchema, attributes: attributesSchema } = schemas();
  const parsedUser = z.safeParse(userSchema, user);
  if (!parsedUser.success) {
    throw new DirectoryError(`The user pool answered a user that is not readable: ${fieldsOf(parsedUser.error.issues)}`);
  }
  const { Username: username, Enabled: enabled, Attributes } = parsedUser.data;
  const attributes = Object.fromEntries(Attributes.map((attribute) => [attribute.Name, attribute.Value]));
  const parsed = z.safeParse(attributesSchema, attributes);
  if (!parsed.success) {
    throw new DirectoryError(`The user pool's user ${username} lacks a valid ${fieldsOf(parsed.error.issues)}`);
  }
  if (!isCognitoSub(parsed.data.sub)) throw new DirectoryError(`The user pool's user ${username} has a sub that is not a UUID`);
  return {
    userId: parsed.data.sub,
    username,
    name: parsed.data.name,
    email: parsed.data.email,
    teamId: parsed.data['custom:team'],
    enabled,
  };
}

/** The platform roles among a user's groups, once each, in `ROLES` order. */
const rolesOf = (groups: Iterable<string>): DirectoryWorker['roles'] => {
  const held = new Set(groups);
  return ROLES.filter((role) => held.has(role));
};

/** Every page of a paginated operation, in order; `next` gives the token for the page after, undefined at the end. */
async function allPages<T>(operation: string, read: (token: string | undefined) => Promise<{ items: T[]; next: string | undefined }>) {
  const items: T[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await read(token);
    items.push(...answer.items);
    if (answer.next === undefined) return items;
    token = answer.next;
  }
  throw new DirectoryError(`Cognito ${operation} was still paginating after ${MAX_PAGES} pages`);
}

export interface CognitoDirectoryConfig {
  userPoolId: string;
  /** Made on first use otherwise, so a cold start that never reads people never builds it. */
  client?: CognitoIdentityProviderClient;
}

/** The uncached reads: see the module comment for which Cognito operations answer which question. */
export function cognitoDirectorySource(config: CognitoDirectoryConfig): DirectorySource {
  const { userPoolId } = config;
  let client = config.client;
  const cognito = (): CognitoIdentityProviderClient => {
    client ??= withoutSdkLogging(new CognitoIdentityProviderClient({}));
    return client;
  };

  const groupsOf = (username: string): Promise<string[]> =>
    allPages('AdminListGroupsForUser', async (token) => {
      const answer = await cognito().send(
        new AdminListGroupsForUserCommand({ UserPoolId: userPoolId, Username: username, Limit: COGNITO_PAGE_SIZE, NextToken: token }),
      );
      const { Groups = [], NextToken } = parseAnswer(schemas().groups, answer, 'AdminListGroupsForUser');
      return { items: Groups.map((group) => group.GroupName), next: NextToken };
    });

  const membersOf = (group: string): Promise<unknown[]> =>
    allPages('ListUsersInGroup', async (token) => {
      const answer = await cognito().send(
        new ListUsersInGroupCommand({ UserPoolId: userPoolId, GroupName: group, Limit: COGNITO_PAGE_SIZE, NextToken: token }),
      );
      const { Users = [], NextToken } = parseAnswer(schemas().usersInGroup, answer, 'ListUsersInGroup');
      return { items: Users, next: NextToken };
    });

  return {
    async worker(userId) {
      if (!isCognitoSub(userId)) return undefined;
      let token: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const answer = await cognito().send(
          new ListUsersCommand({ UserPoolId: userPoolId, Filter: `sub = "${userId}"`, Limit: 1, PaginationToken: token }),
        );
        const { Users = [], PaginationToken } = parseAnswer(schemas().listUsers, answer, 'ListUsers');
        const [found] = Users;
        if (found !== undefined) {
          const person = parseCognitoUser(found);
          // Cognito matched the filter; checking it here as well means a wrong answer is never taken for the person asked about.
          if (person.userId !== userId) throw new DirectoryError(`Cognito ListUsers answered another user for sub ${userId}`);
          return { ...person, roles: rolesOf(await groupsOf(person.username)) };
        }
        // The documentation allows empty pages that still carry a token; only the last page says nobody has this sub.
        if (PaginationToken === undefined) return undefined;
        token = PaginationToken;
      }
      throw new DirectoryError(`Cognito ListUsers was still paginating after ${MAX_PAGES} pages`);
    },

    async workersWithRoles() {
      const listings = await Promise.all(ROLES.map(async (role) => ({ role, members: await membersOf(role) })));
      const people = new Map<string, { person: Omit<DirectoryWorker, 'roles'>; groups: string[] }>();
      for (const { role, members } of listings) {
        for (const member of members) {
          const person = parseCognitoUser(member);
          const known = people.get(person.username);
          if (known) known.groups.push(role);
          else people.set(person.username, { person, groups: [role] });
        }
      }
      return [...people.values()].map(({ person, groups }) => ({ ...person, roles: rolesOf(groups) }));
    },
  };
}

/** The Cognito directory with its per-environment cache (directory.ts, `cachedDirectory`). */
export function cognitoDirectory(config: CognitoDirectoryConfig & { clock?: Clock; ttlMs?: number }): RoleDirectory {
  return cachedDirectory(cognitoDirectorySource(config), config);
}

const environment = {
  USER_POOL_ID: variable(
    z.string().check(z.regex(/^[\w-]+_[0-9a-zA-Z]+$/)),
    "the platform user pool's id (<region>_<id>), set by CDK and the local cloud for a function whose manifest entry asks for permissions.readDirectory",
  ),
};

/**
 * The directory of the platform's user pool named by `USER_POOL_ID`. Call it once per environment,
 * at module scope in the entry, so the cache lives as long as the environment and a function
 * whose manifest entry forgot `permissions.readDirectory` fails at start-up, naming the variable.
 */
export function directoryFromEnvironment(
  options: { env?: NodeJS.ProcessEnv; client?: CognitoIdentityProviderClient; clock?: Clock; ttlMs?: number } = {},
): RoleDirectory {
  const { USER_POOL_ID } = readEnvironment(environment, options.env);
  return cognitoDirectory({ ...options, userPoolId: USER_POOL_ID });
}
