/**
 * A Cognito user pool's API, speaking the AWS JSON 1.1 protocol (`POST /`,
 * `X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>`), so that the real
 * `@aws-sdk/client-cognito-identity-provider` and `aws cognito-idp ... --endpoint-url` work against
 * the local cloud. It serves exactly what onboarding partner agencies and the directory port
 * (shared/src/directory-cognito.ts) need:
 *
 * | operation                   | does here                                                        |
 * |-----------------------------|------------------------------------------------------------------|
 * | CreateUserPoolClient        | registers a client-credentials client with the local issuer     |
 * | AddUserPoolClientSecret     | a second secret (Cognito's limit: two per client)                |
 * | ListUserPoolClientSecrets   | the secrets' ids and creation dates, never their values          |
 * | DeleteUserPoolClientSecret  | removes one secret (never the last)                              |
 * | DeleteUserPoolClient        | removes the client: no new tokens, and the local gateway refuses its tokens |
 * | ListUsers                   | the issuer's workers, with Cognito's one-attribute `Filter` (`=`, `^=`) |
 * | ListUsersInGroup            | the workers holding one role (the roles are the pool's groups)  |
 * | AdminGetUser                | one worker by username                                           |
 * | AdminListGroupsForUser      | one worker's roles, as groups                                    |
 *
 * Users are the local issuer's registered workers: `sub`, `email`, `name` and `custom:team` as
 * attributes, roles as groups, every account enabled and confirmed, created when this started.
 * Listings are in username order (Cognito promises none), and a pagination token carries the
 * last username given.
 *
 * Differences from Cognito, deliberate: only `client_credentials` app clients can be created (the
 * local issuer signs workers in with its own form), there is one user pool, `userPoolId`, and its
 * users are read-only here (workers are registered with the issuer when the local cloud starts).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ROLES } from '@fsp/shared/people';
import * as z from 'zod/mini';
import {
  AwsApiError,
  AWS_JSON_CONTENT_TYPE as CONTENT_TYPE,
  headerValue,
  parseBody,
  parseRequest,
  readRequestBody,
  send,
  sendError,
} from '../aws-json';
import { ClientRegistryError, type DirectoryEntry, type LocalIssuer } from '../oidc/issuer';

export const COGNITO_TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
const MAX_REQUEST_BODY_BYTES = 64 * 1024;

export interface LocalCognitoOptions {
  issuer: LocalIssuer;
  /** The one user pool, e.g. `eu-west-2_fsplocal`. */
  userPoolId: string;
  /** The resource servers' scopes app clients may be given (`referrals/submit`). */
  scopes: readonly string[];
  now?: () => Date;
  reportError?: (report: { message: string; error: unknown; requestId: string }) => void;
  /** Told each CreateUserPoolClient request the pool accepts, as it was asked: what tests check an app client's settings against. */
  onCreateClient?: (request: CreateUserPoolClientRequest) => void;
}

// AWS JSON treats an explicit null member as absent.
const optionalString = z.nullish(z.string());
const optionalBoolean = z.nullish(z.boolean());
const optionalStrings = z.nullish(z.array(z.string()));
const optionalNumber = z.nullish(z.number());

const createClientSchema = z.object({
  UserPoolId: optionalString,
  ClientName: optionalString,
  GenerateSecret: optionalBoolean,
  ClientSecret: optionalString,
  AllowedOAuthFlows: optionalStrings,
  AllowedOAuthScopes: optionalStrings,
  AllowedOAuthFlowsUserPoolClient: optionalBoolean,
  ExplicitAuthFlows: optionalStrings,
  AccessTokenValidity: optionalNumber,
  IdTokenValidity: optionalNumber,
  RefreshTokenValidity: optionalNumber,
  TokenValidityUnits: z.nullish(z.object({ AccessToken: optionalString, IdToken: optionalString, RefreshToken: optionalString })),
  AuthSessionValidity: optionalNumber,
  ReadAttributes: optionalStrings,
  WriteAttributes: optionalStrings,
  CallbackURLs: optionalStrings,
  SupportedIdentityProviders: optionalStrings,
  EnableTokenRevocation: optionalBoolean,
  PreventUserExistenceErrors: optionalString,
});
/** A CreateUserPoolClient request as the local pool read it (`LocalCognitoOptions.onCreateClient`). */
export type CreateUserPoolClientRequest = z.infer<typeof createClientSchema>;
const clientSchema = z.object({ UserPoolId: optionalString, ClientId: optionalString });
const addSecretSchema = z.object({ UserPoolId: optionalString, ClientId: optionalString, ClientSecret: optionalString });
const deleteSecretSchema = z.object({ UserPoolId: optionalString, ClientId: optionalString, ClientSecretId: optionalString });
const listUsersSchema = z.object({
  UserPoolId: optionalString,
  AttributesToGet: optionalStrings,
  Limit: optionalNumber,
  PaginationToken: optionalString,
  Filter: optionalString,
});
const listUsersInGroupSchema = z.object({
  UserPoolId: optionalString,
  GroupName: optionalString,
  Limit: optionalNumber,
  NextToken: optionalString,
});
const userSchema = z.object({ UserPoolId: optionalString, Username: optionalString });
const groupsForUserSchema = z.object({
  UserPoolId: optionalString,
  Username: optionalString,
  Limit: optionalNumber,
  NextToken: optionalString,
});

/** Cognito's page size limit for the user and group listings; 0 or none asks for the most. */
const MAX_PAGE_SIZE = 60;

/** `AttributeName Filter-Type "AttributeValue"`, a backslash escaping a character inside the quotes. */
const FILTER = /^\s*([\w:]+)\s*(=|\^=)\s*"((?:[^"\\]|\\.)*)"\s*$/;
/** The attributes ListUsers can search (its documentation); custom attributes are not searchable. */
const SEARCHABLE_ATTRIBUTES = [
  'username',
  'email',
  'phone_number',
  'name',
  'given_name',
  'family_name',
  'preferred_username',
  'cognito:user_status',
  'status',
  'sub',
] as const;
type SearchableAttribute = (typeof SEARCHABLE_ATTRIBUTES)[number];
const isSearchable = (name: string): name is SearchableAttribute => (SEARCHABLE_ATTRIBUTES as readonly string[]).includes(name);

/** A local worker's value for a searchable attribute; undefined for those local workers never have (phone numbers, given names…). */
function searchableValue(worker: DirectoryEntry, attribute: SearchableAttribute): string | undefined {
  switch (attribute) {
    case 'username':
      return worker.username;
    case 'email':
      return worker.email;
    case 'name':
      return worker.name;
    case 'sub':
      return worker.sub;
    case 'status':
      return 'Enabled';
    case 'cognito:user_status':
      return 'CONFIRMED';
    default:
      return undefined;
  }
}

/** ListUsers' `Filter` as a predicate; an empty or absent filter lists everyone, as in Cognito. */
export function parseUserFilter(filter: string | null | undefined): (worker: DirectoryEntry) => boolean {
  if (filter === undefined || filter === null || filter.trim() === '') return () => true;
  const match = FILTER.exec(filter);
  if (match === null) throw new AwsApiError('InvalidParameterException', 'Error while parsing filter.');
  const [, attribute = '', operator, quoted = ''] = match;
  if (!isSearchable(attribute)) {
    throw new AwsApiError(
      'InvalidParameterException',
      `Attribute ${attribute} cannot be searched: ListUsers filters on ${SEARCHABLE_ATTRIBUTES.join(', ')}.`,
    );
  }
  const value = quoted.replace(/\\(.)/g, '$1');
  // Cognito documents cognito:user_status as case-insensitive; every other attribute matches exactly.
  const fold = attribute === 'cognito:user_status' ? (text: string) => text.toLowerCase() : (text: string) => text;
  return (worker) => {
    const actual = searchableValue(worker, attribute);
    if (actual === undefined) return false;
    return operator === '=' ? fold(actual) === fold(value) : fold(actual).startsWith(fold(value));
  };
}

const CLIENT_NAME = /^[\w\s+=,.@-]{1,128}$/;
const CLIENT_SECRET = /^[\w+]{24,64}$/;
const OAUTH_FLOWS = ['code', 'implicit', 'client_credentials'];

/** Epoch seconds, as AWS JSON 1.1 carries timestamps. */
const epochSeconds = (date: Date): number => date.getTime() / 1000;

export function createLocalCognito(options: LocalCognitoOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { issuer, userPoolId } = options;
  const now = options.now ?? (() => new Date());
  // The local pool, its groups and its users are as old as this start.
  const createdAt = epochSeconds(now());
  const knownScopes = new Set(options.scopes);
  const reportError =
    options.reportError ??
    ((report) => {
      const cause = report.error instanceof Error ? (report.error.stack ?? report.error.message) : String(report.error);
      process.stderr.write(`${JSON.stringify({ level: 'error', component: 'local-cognito', ...report, error: cause })}\n`);
    });

  function requireMember<T>(value: T | null | undefined, member: string): T {
    if (value === undefined || value === null) {
      throw new AwsApiError(
        'InvalidParameterException',
        `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
      );
    }
    return value;
  }

  function requirePool(id: string | null | undefined): void {
    const pool = requireMember(id, 'userPoolId');
    if (pool !== userPoolId) throw new AwsApiError('ResourceNotFoundException', `User pool ${pool} does not exist.`);
  }

  function requireClient(id: string | null | undefined): string {
    const clientId = requireMember(id, 'clientId');
    if (!issuer.hasClient(clientId)) throw new AwsApiError('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
    return clientId;
  }

  function createUserPoolClient(body: unknown): unknown {
    const request = parseRequest(createClientSchema, body);
    requirePool(request.UserPoolId);
    const name = requireMember(request.ClientName, 'clientName');
    if (!CLIENT_NAME.test(name)) {
      throw new AwsApiError(
        'InvalidParameterException',
        `1 validation error detected: Value '${name}' at 'clientName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w\\s+=,.@-]+`,
      );
    }
    if (request.GenerateSecret && request.ClientSecret) {
      throw new AwsApiError(
        'InvalidParameterException',
        'You cannot specify both GenerateSecret as true and provide a ClientSecret value.',
      );
    }
    if (request.ClientSecret && !CLIENT_SECRET.test(request.ClientSecret)) {
      throw new AwsApiError('InvalidParameterException', 'ClientSecret must be 24 to 64 characters of letters, digits, _ and +.');
    }
    const hasSecret = Boolean(request.GenerateSecret || request.ClientSecret);
    const flows = request.AllowedOAuthFlows ?? [];
    const unknownFlow = flows.find((flow) => !OAUTH_FLOWS.includes(flow));
    if (unknownFlow !== undefined) {
      throw new AwsApiError(
        'InvalidParameterException',
        `1 validation error detected: Value '[${flows.join(', ')}]' at 'allowedOAuthFlows' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [implicit, client_credentials, code]]`,
      );
    }
    if (flows.includes('client_credentials') && !hasSecret) {
      throw new AwsApiError(
        'InvalidOAuthFlowException',
        'client_credentials flow can not be selected if client does not have a client secret.',
      );
    }
    if (flows.includes('client_credentials') && flows.length > 1) {
      throw new AwsApiError('InvalidOAuthFlowException', 'client_credentials flow can not be selected with either implicit or code flow.');
    }
    if (flows.length > 0 && request.AllowedOAuthFlowsUserPoolClient !== true) {
      throw new AwsApiError('InvalidOAuthFlowException', 'AllowedOAuthFlowsUserPoolClient must be true to use OAuth flows.');
    }
    if (!flows.includes('client_credentials')) {
      throw new AwsApiError(
        'InvalidParameterException',
        'The local user pool creates client_credentials app clients only (workers sign in through the local sign-in page).',
      );
    }
    const scopes = request.AllowedOAuthScopes ?? [];
    const unknownScope = scopes.find((scope) => !knownScopes.has(scope));
    if (unknownScope !== undefined) throw new AwsApiError('ScopeDoesNotExistException', `Invalid scope requested: ${unknownScope}`);
    if (scopes.length === 0) {
      throw new AwsApiError('InvalidOAuthFlowException', 'AllowedOAuthScopes are required for the client_credentials flow.');
    }

    const client = issuer.registerClient({ name, scopes, ...(request.ClientSecret ? { clientSecret: request.ClientSecret } : {}) });
    options.onCreateClient?.(request);
    const at = now();
    return {
      UserPoolClient: {
        UserPoolId: userPoolId,
        ClientName: name,
        ClientId: client.clientId,
        ...(request.GenerateSecret ? { ClientSecret: client.clientSecret } : {}),
        CreationDate: epochSeconds(at),
        LastModifiedDate: epochSeconds(at),
        RefreshTokenValidity: 30,
        TokenValidityUnits: {},
        AllowedOAuthFlows: flows,
        AllowedOAuthScopes: scopes,
        AllowedOAuthFlowsUserPoolClient: true,
        EnableTokenRevocation: true,
        EnablePropagateAdditionalUserContextData: false,
        AuthSessionValidity: 3,
      },
    };
  }

  function addUserPoolClientSecret(body: unknown): unknown {
    const request = parseRequest(addSecretSchema, body);
    requirePool(request.UserPoolId);
    const clientId = requireClient(request.ClientId);
    if (request.ClientSecret && !CLIENT_SECRET.test(request.ClientSecret)) {
      throw new AwsApiError('InvalidParameterException', 'ClientSecret must be 24 to 64 characters of letters, digits, _ and +.');
    }
    const secret = withRegistryErrors(() => issuer.addClientSecret(clientId, request.ClientSecret ?? undefined));
    return {
      ClientSecretDescriptor: {
        ClientSecretId: secret.secretId,
        // Only a secret Cognito generated is returned; a custom one the caller already knows.
        ...(request.ClientSecret ? {} : { ClientSecretValue: secret.value }),
        ClientSecretCreateDate: epochSeconds(secret.createdAt),
      },
    };
  }

  function listUserPoolClientSecrets(body: unknown): unknown {
    const request = parseRequest(clientSchema, body);
    requirePool(request.UserPoolId);
    const clientId = requireClient(request.ClientId);
    return {
      ClientSecrets: issuer
        .listClientSecrets(clientId)
        .map((secret) => ({ ClientSecretId: secret.secretId, ClientSecretCreateDate: epochSeconds(secret.createdAt) })),
    };
  }

  function deleteUserPoolClientSecret(body: unknown): unknown {
    const request = parseRequest(deleteSecretSchema, body);
    requirePool(request.UserPoolId);
    const clientId = requireClient(request.ClientId);
    const secretId = requireMember(request.ClientSecretId, 'clientSecretId');
    withRegistryErrors(() => issuer.deleteClientSecret(clientId, secretId));
    return {};
  }

  function deleteUserPoolClient(body: unknown): unknown {
    const request = parseRequest(clientSchema, body);
    requirePool(request.UserPoolId);
    const clientId = requireClient(request.ClientId);
    withRegistryErrors(() => issuer.deleteClient(clientId));
    return {};
  }

  function pageSize(limit: number | null | undefined): number {
    if (limit === undefined || limit === null || limit === 0) return MAX_PAGE_SIZE;
    if (!Number.isInteger(limit) || limit < 0 || limit > MAX_PAGE_SIZE) {
      throw new AwsApiError(
        'InvalidParameterException',
        `1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value between 0 and ${MAX_PAGE_SIZE}`,
      );
    }
    return limit;
  }

  /** The page of `items` after the token's key (in key order), and the token for the next page if there is one. */
  function page<T>(
    operation: string,
    items: readonly T[],
    key: (item: T) => string,
    request: { token: string | null | undefined; limit: number | null | undefined },
  ): { items: T[]; next: string | undefined } {
    const size = pageSize(request.limit);
    const sorted = [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    let start = 0;
    if (request.token !== undefined && request.token !== null) {
      // The operation's name inside the token: a token from another listing, or made up, is refused rather than misread.
      const decoded = Buffer.from(request.token, 'base64url').toString('utf8');
      const prefix = `${operation}:`;
      if (!decoded.startsWith(prefix)) throw new AwsApiError('InvalidParameterException', 'Invalid pagination token.');
      const after = decoded.slice(prefix.length);
      start = sorted.findIndex((item) => key(item) > after);
      if (start === -1) start = sorted.length;
    }
    const pageItems = sorted.slice(start, start + size);
    const last = pageItems.at(-1);
    const next =
      start + size < sorted.length && last !== undefined ? Buffer.from(`${operation}:${key(last)}`).toString('base64url') : undefined;
    return { items: pageItems, next };
  }

  const attributesOf = (worker: DirectoryEntry): { Name: string; Value: string }[] => [
    { Name: 'sub', Value: worker.sub },
    { Name: 'email', Value: worker.email },
    { Name: 'email_verified', Value: 'true' },
    { Name: 'name', Value: worker.name },
    { Name: 'custom:team', Value: worker.teamId },
  ];

  const accountState = { UserCreateDate: createdAt, UserLastModifiedDate: createdAt, Enabled: true, UserStatus: 'CONFIRMED' };

  function userType(worker: DirectoryEntry, attributesToGet?: readonly string[] | null): unknown {
    const attributes = attributesOf(worker);
    return {
      Username: worker.username,
      Attributes: attributesToGet ? attributes.filter((attribute) => attributesToGet.includes(attribute.Name)) : attributes,
      ...accountState,
    };
  }

  function requireUser(username: string | null | undefined): DirectoryEntry {
    const name = requireMember(username, 'username');
    const worker = issuer.directoryEntries().find((entry) => entry.username === name);
    if (worker === undefined) throw new AwsApiError('UserNotFoundException', 'User does not exist.');
    return worker;
  }

  function listUsers(body: unknown): unknown {
    const request = parseRequest(listUsersSchema, body);
    requirePool(request.UserPoolId);
    const matches = parseUserFilter(request.Filter);
    const { items, next } = page('ListUsers', issuer.directoryEntries().filter(matches), (worker) => worker.username, {
      token: request.PaginationToken,
      limit: request.Limit,
    });
    return {
      Users: items.map((worker) => userType(worker, request.AttributesToGet)),
      ...(next === undefined ? {} : { PaginationToken: next }),
    };
  }

  function listUsersInGroup(body: unknown): unknown {
    const request = parseRequest(listUsersInGroupSchema, body);
    requirePool(request.UserPoolId);
    const group = requireMember(request.GroupName, 'groupName');
    // The local pool's groups are the platform roles, as CDK creates them (infra/cdk/platform-stack.ts).
    if (!(ROLES as readonly string[]).includes(group)) throw new AwsApiError('ResourceNotFoundException', 'Group not found.');
    const members = issuer.directoryEntries().filter((worker) => (worker.roles as readonly string[]).includes(group));
    const { items, next } = page('ListUsersInGroup', members, (worker) => worker.username, {
      token: request.NextToken,
      limit: request.Limit,
    });
    return { Users: items.map((worker) => userType(worker)), ...(next === undefined ? {} : { NextToken: next }) };
  }

  function adminGetUser(body: unknown): unknown {
    const request = parseRequest(userSchema, body);
    requirePool(request.UserPoolId);
    const worker = requireUser(request.Username);
    return { Username: worker.username, UserAttributes: attributesOf(worker), ...accountState };
  }

  function adminListGroupsForUser(body: unknown): unknown {
    const request = parseRequest(groupsForUserSchema, body);
    requirePool(request.UserPoolId);
    const worker = requireUser(request.Username);
    const { items, next } = page('AdminListGroupsForUser', worker.roles, (role) => role, {
      token: request.NextToken,
      limit: request.Limit,
    });
    return {
      Groups: items.map((role) => ({ GroupName: role, UserPoolId: userPoolId, CreationDate: createdAt, LastModifiedDate: createdAt })),
      ...(next === undefined ? {} : { NextToken: next }),
    };
  }

  async function handle(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    if (req.method !== 'POST')
      throw new AwsApiError('UnknownOperationException', `The Cognito API is served by POST /, not ${req.method}.`);
    const target = headerValue(req, 'x-amz-target') ?? '';
    if (!target.startsWith(COGNITO_TARGET_PREFIX)) throw new AwsApiError('UnknownOperationException', `Unknown operation: ${target}`);
    const contentType = headerValue(req, 'content-type') ?? '';
    if (!contentType.toLowerCase().startsWith(CONTENT_TYPE)) {
      throw new AwsApiError('SerializationException', `Expected Content-Type ${CONTENT_TYPE}, got ${contentType || 'none'}.`);
    }
    const body = parseBody(await readRequestBody(req, MAX_REQUEST_BODY_BYTES, 'SerializationException'));
    const operations: Record<string, (body: unknown) => unknown> = {
      CreateUserPoolClient: createUserPoolClient,
      AddUserPoolClientSecret: addUserPoolClientSecret,
      ListUserPoolClientSecrets: listUserPoolClientSecrets,
      DeleteUserPoolClientSecret: deleteUserPoolClientSecret,
      DeleteUserPoolClient: deleteUserPoolClient,
      ListUsers: listUsers,
      ListUsersInGroup: listUsersInGroup,
      AdminGetUser: adminGetUser,
      AdminListGroupsForUser: adminListGroupsForUser,
    };
    const operation = operations[target.slice(COGNITO_TARGET_PREFIX.length)];
    if (operation === undefined) throw new AwsApiError('UnknownOperationException', `Unknown operation: ${target}`);
    send(res, requestId, 200, operation(body));
  }

  return (req, res) => {
    const requestId = randomUUID();
    handle(req, res, requestId).catch((error: unknown) => {
      if (error instanceof AwsApiError) {
        sendError(res, requestId, error);
        return;
      }
      reportError({ message: 'local Cognito failed to handle a request', error, requestId });
      sendError(res, requestId, new AwsApiError('InternalErrorException', 'Internal error.', 500));
    });
  };
}

function withRegistryErrors<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof ClientRegistryError) {
      const type =
        error.reason === 'not-found'
          ? 'ResourceNotFoundException'
          : error.reason === 'limit-exceeded'
            ? 'LimitExceededException'
            : 'InvalidParameterException';
      throw new AwsApiError(type, error.message);
    }
    throw error;
  }
}
