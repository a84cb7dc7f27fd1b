/**
 * Workers' sign-in as the CDK app builds it (WEB.md "Signing in", ADR 0012): the user pool's
 * Cognito domain, the public web client registered at the public origin (CloudFront's, or the
 * `publicOrigin` context value), the identity providers it offers, and the settings the functions
 * serving the sign-in routes get. Every real manifest plus the notes fixture (which has a page
 * route), synthesised without bundling; a second fixture serves the sign-in routes alone.
 */

import type { ServiceManifest } from '@fsp/shared/manifest';
import { loadServiceManifests } from '@fsp/shared/manifest-loader';
import { type ResolvedManifest, resolveManifest } from '@fsp/shared/manifest-resolve';
import { manifest as notesManifest } from '@fsp/shared/testing/fixtures/notes-service/service';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildFspApp, FSP_APP_CONTEXT, type FspAppOptions, type FspStacks } from '../../fsp-app';
import { functionNameOf } from '../../naming';
import { type Resource, resourcesOf, synthesiseWithoutBundling } from './support';

const fixture = resolveManifest({ ...notesManifest, name: 'fixture' });

/** A service whose only HTTP function serves the sign-in routes, all public, and nothing else (its consumer serves no route). */
const signInOnly: ServiceManifest = {
  ...notesManifest,
  name: 'desk',
  http: {
    function: { name: 'sign-in', entry: 'src/handlers/http.ts' },
    routes: [
      { method: 'GET', path: '/signin', auth: { kind: 'public' } },
      { method: 'GET', path: '/signin/callback', auth: { kind: 'public' } },
      { method: 'POST', path: '/signout', auth: { kind: 'public' } },
      { method: 'GET', path: '/signed-out', auth: { kind: 'public' } },
    ],
  },
};

let manifests: ResolvedManifest[];
let stacks: FspStacks;
let signIn: Template;
let platform: Template;

beforeAll(async () => {
  manifests = [fixture, ...(await loadServiceManifests())];
  stacks = synthesiseWithoutBundling(manifests).stacks;
  signIn = Template.fromStack(stacks.signIn);
  platform = Template.fromStack(stacks.platform);
});

const build = (options: Partial<Omit<FspAppOptions, 'stage' | 'manifests'>>, manifestsToBuild: ResolvedManifest[] = [fixture]) => {
  const app = new App({ context: { ...FSP_APP_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
  return buildFspApp(app, { stage: 'dev', manifests: manifestsToBuild, ...options });
};
const onlyOf = (template: Template, type: string): [logicalId: string, resource: Resource] => {
  const found = resourcesOf(template, type);
  expect(found).toHaveLength(1);
  return found[0]!;
};
const onlyResource = (template: Template, type: string): Resource => onlyOf(template, type)[1];
const webClientOf = (template: Template) => onlyResource(template, 'AWS::Cognito::UserPoolClient').Properties;
/** `https://<the distribution's domain><path>`, as the sign-in stack imports the domain from the edge stack. */
const atCloudFront = (path: string) => ({
  'Fn::Join': [
    '',
    ['https://', { 'Fn::ImportValue': expect.stringMatching(/^fsp-dev-edge:ExportsOutputFnGetAttDistribution.*DomainName/) }, path],
  ],
});

describe('the web client', () => {
  test('is public, with the authorisation code grant only, openid/email/profile, and no API sign-in', () => {
    const client = webClientOf(signIn);
    expect(client).toEqual({
      ClientName: 'fsp-dev-worker-web',
      UserPoolId: { 'Fn::ImportValue': expect.stringMatching(/^fsp-dev-platform:ExportsOutputRefWorkers/) },
      // No secret: a public client (ADR 0012 §2); PKCE S256 protects the code.
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      CallbackURLs: [atCloudFront('/signin/callback')],
      LogoutURLs: [atCloudFront('/signed-out')],
      SupportedIdentityProviders: ['COGNITO'],
      // Only the hosted pages sign anyone in: no password, SRP or custom flow through the user pools API.
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
      IdTokenValidity: 15,
      AccessTokenValidity: 15,
      RefreshTokenValidity: 60,
      TokenValidityUnits: { IdToken: 'minutes', AccessToken: 'minutes', RefreshToken: 'minutes' },
      ReadAttributes: expect.arrayContaining(['name', 'email', 'email_verified', 'custom:team']),
      WriteAttributes: [],
    });
    expect((client.ReadAttributes as string[]).length).toBe(4);
  });

  test('with a publicOrigin, its callback and logout URLs are exactly on that origin', () => {
    const client = webClientOf(Template.fromStack(build({ publicOrigin: 'https://fsp.council.example' }).signIn));
    expect(client.CallbackURLs).toEqual(['https://fsp.council.example/signin/callback']);
    expect(client.LogoutURLs).toEqual(['https://fsp.council.example/signed-out']);
  });

  test("no template registers or mentions the old /auth/callback, nor the HTTP API's own endpoint as a callback", () => {
    for (const stack of [stacks.platform, stacks.edgeSecurity, stacks.edge, stacks.signIn, ...stacks.services]) {
      const template = JSON.stringify(Template.fromStack(stack).toJSON());
      expect({ stack: stack.stackName, mentions: template.includes('/auth/callback') }).toEqual({
        stack: stack.stackName,
        mentions: false,
      });
    }
    expect(JSON.stringify(webClientOf(signIn))).not.toContain('execute-api');
  });

  test('offers the identity providers named by context (federation), the pool’s own accounts by default', () => {
    const offered = (workerIdentityProviders: unknown) =>
      webClientOf(Template.fromStack(build({ workerIdentityProviders }).signIn)).SupportedIdentityProviders;
    expect(offered(undefined)).toEqual(['COGNITO']);
    expect(offered('EntraID')).toEqual(['EntraID']);
    expect(offered('COGNITO, EntraID')).toEqual(['COGNITO', 'EntraID']);
    expect(offered(['EntraID'])).toEqual(['EntraID']);
    expect(() => offered('EntraID,EntraID')).toThrow('workerIdentityProviders names EntraID twice');
    expect(() => offered('Entra ID')).toThrow('workerIdentityProviders: "Entra ID" is not a provider name');
    expect(() => offered(',')).toThrow('workerIdentityProviders: "" is not a provider name');
  });

  test('its tokens are what the worker JWT authorizer admits, and nothing else', () => {
    const [clientId] = onlyOf(signIn, 'AWS::Cognito::UserPoolClient');
    const authorizer = onlyResource(signIn, 'AWS::ApiGatewayV2::Authorizer').Properties;
    expect(authorizer.JwtConfiguration).toEqual({
      Audience: [{ Ref: clientId }],
      Issuer: { 'Fn::ImportValue': expect.stringMatching(/^fsp-dev-platform:ExportsOutputFnGetAttWorkers.*ProviderURL/) },
    });
  });
});

describe('the Cognito domain', () => {
  const domainOf = (template: Template) => onlyResource(template, 'AWS::Cognito::UserPoolDomain').Properties;

  test('the pool has one prefix domain with the classic hosted UI, fsp-<stage>-<the stack id’s first 8 hex digits> by default', () => {
    const [poolId] = onlyOf(platform, 'AWS::Cognito::UserPool');
    expect(domainOf(platform)).toEqual({
      UserPoolId: { Ref: poolId },
      Domain: {
        'Fn::Join': [
          '',
          [
            'fsp-dev-',
            {
              'Fn::Select': [0, { 'Fn::Split': ['-', { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] }] }],
            },
          ],
        ],
      },
      ManagedLoginVersion: 1,
    });
    // No account id in a public URL.
    expect(JSON.stringify(domainOf(platform))).not.toContain('AWS::AccountId');
  });

  test('a userPoolDomainPrefix replaces it, and one Cognito would refuse is refused at synth', () => {
    expect(domainOf(Template.fromStack(build({ userPoolDomainPrefix: 'fsp-council-dev' }).platform)).Domain).toBe('fsp-council-dev');
    for (const wrong of ['FSP-dev', '-fsp', 'fsp-', 'fsp_dev', 'x'.repeat(64), '']) {
      expect(() => build({ userPoolDomainPrefix: wrong })).toThrow('userPoolDomainPrefix must be 1 to 63 lower-case letters');
    }
    for (const [wrong, word] of [
      ['fsp-aws-dev', 'aws'],
      ['amazon-fsp', 'amazon'],
      ['fsp-cognito', 'cognito'],
    ]) {
      expect(() => build({ userPoolDomainPrefix: wrong })).toThrow(`userPoolDomainPrefix may not contain "${word}"`);
    }
  });
});

describe('the functions that sign workers in', () => {
  const variablesOf = (template: Template, functionName: string) => {
    const [, fn] = resourcesOf(template, 'AWS::Lambda::Function').find(([, f]) => f.Properties.FunctionName === functionName)!;
    return (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
  };
  const signInSettings = (variables: Record<string, unknown>) => ({
    OIDC_ISSUER: variables.OIDC_ISSUER,
    OIDC_DOMAIN: variables.OIDC_DOMAIN,
    WEB_CLIENT_ID: variables.WEB_CLIENT_ID,
    PUBLIC_ORIGIN: variables.PUBLIC_ORIGIN,
    SESSION_KEYS_SECRET_ARN: variables.SESSION_KEYS_SECRET_ARN,
  });
  const expectedSettings = (publicOrigin: unknown) => ({
    OIDC_ISSUER: { 'Fn::ImportValue': expect.stringMatching(/^fsp-dev-platform:ExportsOutputFnGetAttWorkers.*ProviderURL/) },
    OIDC_DOMAIN: {
      'Fn::Join': [
        '',
        [
          'https://',
          { 'Fn::ImportValue': expect.stringMatching(/^fsp-dev-platform:ExportsOutputRefWorkersDomain/) },
          '.auth.',
          { Ref: 'AWS::Region' },
          '.amazoncognito.com',
        ],
      ],
    },
    WEB_CLIENT_ID: { 'Fn::ImportValue': expect.stringMatching(/^fsp-dev-sign-in:ExportsOutputRefWorkerWebClient/) },
    PUBLIC_ORIGIN: publicOrigin,
    SESSION_KEYS_SECRET_ARN: { 'Fn::ImportValue': expect.stringMatching(/^fsp-dev-platform:ExportsOutputRefSessionKeys/) },
  });

  test('a function serving the sign-in routes alone (all public) gets the issuer, the hosted domain, the client id, the origin and the keys', () => {
    const desk = resolveManifest(signInOnly);
    const { services } = build({ publicOrigin: 'https://fsp.council.example' }, [desk]);
    const template = Template.fromStack(services[0]!);
    expect(signInSettings(variablesOf(template, functionNameOf('dev', 'desk', 'sign-in')))).toEqual(
      expectedSettings('https://fsp.council.example'),
    );
    // The desk's consumer serves no route: none of it.
    expect(signInSettings(variablesOf(template, functionNameOf('dev', 'desk', 'on-note-written')))).toEqual({
      OIDC_ISSUER: undefined,
      OIDC_DOMAIN: undefined,
      WEB_CLIENT_ID: undefined,
      PUBLIC_ORIGIN: undefined,
      SESSION_KEYS_SECRET_ARN: undefined,
    });
  });

  test('the routes the web client sends workers back to exist: one function serves /signin, the callback, /signout and the signed-out page, with the settings', () => {
    const servedBy = (method: string, path: string) =>
      manifests.flatMap((manifest) =>
        manifest.functions
          .filter((fn) => fn.routes.some((r) => r.method === method && r.path === path))
          .map((fn) => ({ service: manifest.name, fn: fn.name })),
      );
    const [signInRoute, ...others] = [
      servedBy('GET', '/signin'),
      servedBy('GET', '/signin/callback'),
      servedBy('POST', '/signout'),
      servedBy('GET', '/signed-out'),
    ];
    expect(signInRoute).toHaveLength(1);
    for (const served of others) expect(served).toEqual(signInRoute);
    const [{ service, fn }] = signInRoute as [{ service: string; fn: string }];
    const stack = stacks.services.find((candidate) => candidate.manifest.name === service)!;
    expect(signInSettings(variablesOf(Template.fromStack(stack), functionNameOf('dev', service, fn)))).toEqual(
      expectedSettings({
        'Fn::Join': [
          '',
          ['https://', { 'Fn::ImportValue': expect.stringMatching(/^fsp-dev-edge:ExportsOutputFnGetAttDistribution.*DomainName/) }],
        ],
      }),
    );
  });

  test('a function serving page routes gets the same; one serving only JSON or public routes gets none of it', () => {
    const [fixtureStack] = stacks.services;
    const template = Template.fromStack(fixtureStack!);
    expect(signInSettings(variablesOf(template, functionNameOf('dev', 'fixture', 'http')))).toEqual(
      expectedSettings({
        'Fn::Join': [
          '',
          ['https://', { 'Fn::ImportValue': expect.stringMatching(/^fsp-dev-edge:ExportsOutputFnGetAttDistribution.*DomainName/) }],
        ],
      }),
    );
    const referrals = stacks.services.find((stack) => stack.manifest.name === 'referrals')!;
    const jsonOnly = referrals.manifest.functions.find((fn) => fn.name === 'partner-api')!;
    expect(signInSettings(variablesOf(Template.fromStack(referrals), functionNameOf('dev', 'referrals', jsonOnly.name)))).toEqual({
      OIDC_ISSUER: undefined,
      OIDC_DOMAIN: undefined,
      WEB_CLIENT_ID: undefined,
      PUBLIC_ORIGIN: undefined,
      SESSION_KEYS_SECRET_ARN: undefined,
    });
  });
});

describe('stacks', () => {
  const dependenciesOf = (stack: { dependencies: Array<{ stackName: string }> }) => stack.dependencies.map((d) => d.stackName).sort();

  test('platform and edge security, then edge, then sign-in, then the services: no stack depends on one built after it', () => {
    expect(stacks.signIn.stackName).toBe('fsp-dev-sign-in');
    expect(dependenciesOf(stacks.platform)).toEqual([]);
    expect(dependenciesOf(stacks.edgeSecurity)).toEqual([]);
    // The distribution names the web ACL (in us-east-1).
    expect(dependenciesOf(stacks.edge)).toEqual(['fsp-dev-edge-security', 'fsp-dev-platform']);
    // The client's URLs are on the distribution's domain.
    expect(dependenciesOf(stacks.signIn)).toEqual(['fsp-dev-edge', 'fsp-dev-platform']);
    for (const service of stacks.services) {
      const context = { service: service.stackName, dependencies: dependenciesOf(service) };
      expect(context).toEqual({ ...context, dependencies: expect.arrayContaining([]) });
      for (const dependency of context.dependencies) expect(['fsp-dev-platform', 'fsp-dev-edge', 'fsp-dev-sign-in']).toContain(dependency);
    }
    // Serving the web app and worker routes, the fixture needs all three.
    expect(dependenciesOf(stacks.services[0]!)).toEqual(['fsp-dev-edge', 'fsp-dev-platform', 'fsp-dev-sign-in']);
  });

  test('with a custom domain, the web client no longer needs the distribution', () => {
    const { signIn: withDomain } = build({ publicOrigin: 'https://fsp.council.example' });
    Template.fromStack(withDomain);
    expect(dependenciesOf(withDomain)).toEqual(['fsp-dev-platform']);
  });
});
