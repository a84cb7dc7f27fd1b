/**
 * The identity provider partner agencies get their tokens from: a Cognito user pool, one app
 * client per agency (ARCHITECTURE.md, HTTP). In AWS this is the platform's user pool; on a laptop
 * the local cloud serves the same Cognito API at its origin (infra/local/src/cognito), reached
 * through the SDK's standard `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`, so this code is the
 * same in both. The admin entry builds it from the pool id in its environment (src/config.ts).
 * Tests that do not need Cognito's behaviour replace the whole interface.
 *
 * Secrets follow Cognito's AddUserPoolClientSecret / DeleteUserPoolClientSecret model: at most two
 * per client, each with an id, the value returned only when it is created.
 */
import {
  AddUserPoolClientSecretCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  DeleteUserPoolClientCommand,
  DeleteUserPoolClientSecretCommand,
  ListUserPoolClientSecretsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { PartnerScope } from '@fsp/shared/people';
import { withoutSdkLogging } from '@fsp/shared/sdk-client';

export interface IssuedSecret {
  secretId: string;
  /** Shown once to the administrator; never stored or logged by us. */
  value: string;
  createdAt: Date;
}

export interface IdentityProvider {
  /** A client-credentials app client with the partner scopes and one generated secret. */
  createClient(input: { name: string; scopes: readonly PartnerScope[] }): Promise<{ clientId: string; secret: IssuedSecret }>;
  /** A further secret; the caller keeps the count within the limit of two. */
  addSecret(clientId: string): Promise<IssuedSecret>;
  /** Idempotent: a secret that is already gone is not an error. */
  deleteSecret(clientId: string, secretId: string): Promise<void>;
  /** Idempotent: a client that is already gone is not an error. */
  deleteClient(clientId: string): Promise<void>;
}

/** The identity provider answered something we cannot carry on from (not "already gone"). */
export class IdentityProviderError extends Error {
  override readonly name = 'IdentityProviderError';
}

/** How long a partner's access token lives: PARTNER-API.md's "an hour" at most, within which a revoked client's tokens stop working. */
export const PARTNER_ACCESS_TOKEN_MINUTES = 60;

/**
 * A partner agency's app client, with only what a machine client needs (QUALITY.md, security 9):
 * the client-credentials flow and nothing else, only the agency's scopes, a generated secret,
 * access tokens for an hour. No user signs in through it: the only explicit auth flow is
 * ALLOW_REFRESH_TOKEN_AUTH, which Cognito insists on in any list and which never applies, as the
 * client-credentials grant issues no refresh token; ID and refresh token lifetimes are Cognito's
 * minimums (5 and 60 minutes) for the same reason. No user attributes readable or writable, no
 * identity provider, no callback URL, and user-existence errors masked.
 */
export function partnerClientRequest(userPoolId: string, name: string, scopes: readonly PartnerScope[]) {
  return {
    UserPoolId: userPoolId,
    ClientName: name,
    GenerateSecret: true,
    AllowedOAuthFlows: ['client_credentials'],
    AllowedOAuthScopes: [...scopes],
    AllowedOAuthFlowsUserPoolClient: true,
    ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
    AccessTokenValidity: PARTNER_ACCESS_TOKEN_MINUTES,
    IdTokenValidity: 5,
    RefreshTokenValidity: 60,
    TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' },
    AuthSessionValidity: 3,
    ReadAttributes: [],
    WriteAttributes: [],
    EnableTokenRevocation: true,
    PreventUserExistenceErrors: 'ENABLED',
  } satisfies ConstructorParameters<typeof CreateUserPoolClientCommand>[0];
}

const isNotFound = (error: unknown): boolean => error instanceof Error && error.name === 'ResourceNotFoundException';

export function createCognitoIdentityProvider(config: { userPoolId: string; client?: CognitoIdentityProviderClient }): IdentityProvider {
  const { userPoolId } = config;
  let client = config.client;
  // Created on first use, so a cold start that serves only partner routes never builds it.
  const cognito = (): CognitoIdentityProviderClient => {
    client ??= withoutSdkLogging(new CognitoIdentityProviderClient({}));
    return client;
  };

  return {
    async createClient({ name, scopes }) {
      const created = await cognito().send(new CreateUserPoolClientCommand(partnerClientRequest(userPoolId, name, scopes)));
      const clientId = created.UserPoolClient?.ClientId;
      const value = created.UserPoolClient?.ClientSecret;
      if (!clientId || !value) throw new IdentityProviderError('CreateUserPoolClient returned no client id or secret');
      // The generated secret's id is only in the list (the creation answer carries the value alone).
      const listed = await cognito().send(new ListUserPoolClientSecretsCommand({ UserPoolId: userPoolId, ClientId: clientId }));
      const [descriptor] = listed.ClientSecrets ?? [];
      if (!descriptor?.ClientSecretId) throw new IdentityProviderError(`ListUserPoolClientSecrets returned no secret for ${clientId}`);
      return {
        clientId,
        secret: { secretId: descriptor.ClientSecretId, value, createdAt: descriptor.ClientSecretCreateDate ?? new Date() },
      };
    },

    async addSecret(clientId) {
      const added = await cognito().send(new AddUserPoolClientSecretCommand({ UserPoolId: userPoolId, ClientId: clientId }));
      const descriptor = added.ClientSecretDescriptor;
      if (!descriptor?.ClientSecretId || !descriptor.ClientSecretValue) {
        throw new IdentityProviderError(`AddUserPoolClientSecret returned no secret for ${clientId}`);
      }
      return {
        secretId: descriptor.ClientSecretId,
        value: descriptor.ClientSecretValue,
        createdAt: descriptor.ClientSecretCreateDate ?? new Date(),
      };
    },

    async deleteSecret(clientId, secretId) {
      try {
        await cognito().send(
          new DeleteUserPoolClientSecretCommand({ UserPoolId: userPoolId, ClientId: clientId, ClientSecretId: secretId }),
        );
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    },

    async deleteClient(clientId) {
      try {
        await cognito().send(new DeleteUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: clientId }));
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    },
  };
}
