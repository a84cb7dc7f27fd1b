/**
 * Workers' sign-in (WEB.md "Signing in", ADR 0012): the worker web app client, registered at the
 * public origin, and the API Gateway JWT authorizer that admits its tokens on the worker JSON API.
 *
 * Its own stack because of what it depends on. The client's callback and logout URLs are on the
 * public origin, which is the CloudFront distribution's own domain until there is a custom one;
 * the distribution (edge stack) fronts the platform's HTTP API, so the client cannot sit in the
 * platform stack without a cycle. The order is platform → edge → sign-in → services: the services
 * import the client id (their sign-in routes need it) and the authorizer id from here.
 */
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { HttpApi, HttpAuthorizer, HttpAuthorizerType } from 'aws-cdk-lib/aws-apigatewayv2';
import { ClientAttributes, OAuthScope, UserPool, UserPoolClient, UserPoolClientIdentityProvider } from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';
import { prefixOf, type Stage } from './naming';
import { COGNITO_PROVIDER, callbackUrlOf, signedOutUrlOf } from './worker-web';

export const signInStackNameOf = (stage: Stage): string => `${prefixOf(stage)}-sign-in`;

/**
 * How long the web client's ID and access tokens last. The app reads the ID token once, in the
 * callback, to start its own session (8 hours, 30 minutes idle); the tokens are never stored, so
 * they only need to outlive the exchange. Short bounds a token that leaks into a log or a script.
 */
export const WEB_CLIENT_TOKEN_VALIDITY = Duration.minutes(15);

export interface SignInStackProps extends StackProps {
  stage: Stage;
  /** The platform's worker user pool (a token from the platform stack). */
  userPoolId: string;
  /** The pool's issuer, `https://cognito-idp.<region>.amazonaws.com/<poolId>`: the JWT authorizer's issuer. */
  userPoolIssuer: string;
  /** The platform's HTTP API, where the JWT authorizer is attached. */
  httpApiId: string;
  /** The https origin browsers reach the pages at: the `publicOrigin` context value, else CloudFront's. */
  publicOrigin: string;
  /** The providers the client offers, by their names in the pool (worker-web.ts parseIdentityProviders). */
  identityProviders: readonly string[];
}

export class SignInStack extends Stack {
  /** The worker web app's client: public, authorisation code with PKCE, at the public origin only. */
  readonly webClient: UserPoolClient;
  /** Admits the web client's tokens on worker JSON routes (`{ kind: 'worker' }`), bearer only. */
  readonly workerAuthorizer: HttpAuthorizer;

  constructor(scope: Construct, id: string, props: SignInStackProps) {
    super(scope, id, props);
    const prefix = prefixOf(props.stage);

    this.webClient = new UserPoolClient(this, 'WorkerWebClient', {
      userPool: UserPool.fromUserPoolId(this, 'Workers', props.userPoolId),
      userPoolClientName: `${prefix}-worker-web`,
      // Public (ADR 0012 §2): no secret to store, rotate or leak. PKCE protects the code: the
      // sign-in route always sends an S256 code_challenge (shared/src/http/session.ts), and
      // Cognito then issues tokens only to the token request that presents the matching
      // code_verifier. Cognito cannot be told to refuse an authorisation request without a
      // challenge; the app never sends one.
      generateSecret: false,
      // No user pools API sign-in (InitiateAuth with a password or SRP) with this public client id:
      // the hosted pages are the only way in. Refresh is listed because Cognito always allows it.
      authFlows: { userSrp: false, userPassword: false, custom: false, adminUserPassword: false, user: false },
      oAuth: {
        // The authorisation code grant only: no implicit grant, no client credentials.
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [callbackUrlOf(props.publicOrigin)],
        logoutUrls: [signedOutUrlOf(props.publicOrigin)],
      },
      supportedIdentityProviders: props.identityProviders.map((name) =>
        name === COGNITO_PROVIDER ? UserPoolClientIdentityProvider.COGNITO : UserPoolClientIdentityProvider.custom(name),
      ),
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: WEB_CLIENT_TOKEN_VALIDITY,
      accessTokenValidity: WEB_CLIENT_TOKEN_VALIDITY,
      // The app never uses the refresh token Cognito issues with the code grant: the shortest Cognito allows.
      refreshTokenValidity: Duration.minutes(60),
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes('team'),
      // Workers may read their team but never change it (nor their name or email): administrators manage people.
      writeAttributes: new ClientAttributes(),
    });

    // The API Gateway JWT authorizer checks the issuer and the audience: `aud` of the web client's
    // ID tokens, `client_id` of its access tokens (ADR 0005).
    this.workerAuthorizer = new HttpAuthorizer(this, 'WorkerAuthorizer', {
      httpApi: HttpApi.fromHttpApiAttributes(this, 'HttpApi', { httpApiId: props.httpApiId }),
      authorizerName: 'workers',
      type: HttpAuthorizerType.JWT,
      identitySource: ['$request.header.Authorization'],
      jwtIssuer: props.userPoolIssuer,
      jwtAudience: [this.webClient.userPoolClientId],
    });
  }
}
