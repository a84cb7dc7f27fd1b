/**
 * A Cognito user pool's app-client API, speaking the AWS JSON 1.1 protocol (`POST /`,
 * `X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>`), so that the real
 * `@aws-sdk/client-cognito-identity-provider` and `aws cognito-idp ... --endpoint-url` work against
 * the local cloud. It serves exactly what onboarding partner agencies needs:
 *
 * | operation                   | does here                                                        |
 * |-----------------------------|------------------------------------------------------------------|
 * | CreateUserPoolClient        | registers a client-credentials client with the local issuer     |
 * | AddUserPoolClientSecret     | a second secret (Cognito's limit: two per client)                |
 * | ListUserPoolClientSecrets   | the secrets' ids and creation dates, never their values          |
 * | DeleteUserPoolClientSecret  | removes one secret (never the last)                              |
 * | DeleteUserPoolClient        | removes the client: no new tokens, and the local gateway refuses its tokens |
 *
 * Differences from Cognito, deliberate: only `client_credentials` app clients can be created (the
 * local issuer signs workers in with its own form), and there is one user pool, `userPoolId`.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
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
import { ClientRegistryError, type LocalIssuer } from '../oidc/issuer';

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
}

// AWS JSON treats an explicit null member as absent.
const optionalString = z.nullish(z.string());
const optionalBoolean = z.nullish(z.boolean());
const optionalStrings = z.nullish(z.array(z.string()));

const createClientSchema = z.object({
  UserPoolId: optionalString,
  ClientName: optionalString,
  GenerateSecret: optionalBoolean,
  ClientSecret: optionalString,
  AllowedOAuthFlows: optionalStrings,
  AllowedOAuthScopes: optionalStrings,
  AllowedOAuthFlowsUserPoolClient: optionalBoolean,
});
const clientSchema = z.object({ UserPoolId: optionalString, ClientId: optionalString });
const addSecretSchema = z.object({ UserPoolId: optionalString, ClientId: optionalString, ClientSecret: optionalString });
const deleteSecretSchema = z.object({ UserPoolId: optionalString, ClientId: optionalString, ClientSecretId: optionalString });

const CLIENT_NAME = /^[\w\s+=,.@-]{1,128}$/;
const CLIENT_SECRET = /^[\w+]{24,64}$/;
const OAUTH_FLOWS = ['code', 'implicit', 'client_credentials'];

/** Epoch seconds, as AWS JSON 1.1 carries timestamps. */
const epochSeconds = (date: Date): number => date.getTime() / 1000;

export function createLocalCognito(options: LocalCognitoOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { issuer, userPoolId } = options;
  const now = options.now ?? (() => new Date());
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
