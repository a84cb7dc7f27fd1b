import { verifiedClaims } from '@fsp/shared/http/claims';
import { HttpError } from '@fsp/shared/http/errors';
import { apiGatewayEvent, partnerClaims, workerClaims } from '@fsp/shared/testing/api-gateway-event';

const claimsOf = (claims: Parameters<typeof workerClaims>[0] | undefined, scopes: string[] | null = null) =>
  verifiedClaims(apiGatewayEvent({ path: '/', ...(claims ? { claims } : {}), scopes }));

function statusOf(run: () => unknown): number {
  try {
    run();
  } catch (error) {
    if (error instanceof HttpError) return error.status;
    throw error;
  }
  return 200;
}

describe('verifiedClaims', () => {
  it('reads a worker from a Cognito ID token as API Gateway passes it (groups flattened to "[a b]")', () => {
    expect(claimsOf(workerClaims())).toEqual({
      kind: 'worker',
      userId: '5f0c2a8e-3b7d-4f61-9a2e-8c1d4b6e7f90',
      username: 'sam.patel',
      roles: ['front-door', 'team-manager'],
      teamId: 'team-north-1',
      name: 'Sam Patel',
      email: 'sam.patel@council.example.org',
    });
  });

  it('reads groups passed as a real array or a single value, and ignores groups that are not platform roles', () => {
    expect(claimsOf(workerClaims({ 'cognito:groups': ['social-worker', 'eu-west-2_example_Google'] }))).toMatchObject({
      roles: ['social-worker'],
    });
    expect(claimsOf(workerClaims({ 'cognito:groups': 'adult-specialist' }))).toMatchObject({ roles: ['adult-specialist'] });
  });

  it('gives a worker without groups no roles rather than refusing them', () => {
    const { 'cognito:groups': _groups, name: _name, email: _email, ...claims } = workerClaims();
    expect(claimsOf(claims)).toEqual({ kind: 'worker', userId: claims.sub, username: 'sam.patel', roles: [], teamId: 'team-north-1' });
  });

  it('reads a worker from an access token, which names the user as "username"', () => {
    const { 'cognito:username': _u, ...claims } = workerClaims({ token_use: 'access', username: 'sam.patel' });
    expect(claimsOf(claims)).toMatchObject({ kind: 'worker', username: 'sam.patel' });
  });

  it('reads a partner agency from a client-credentials access token', () => {
    expect(claimsOf(partnerClaims())).toEqual({
      kind: 'partner',
      clientId: '7k2j9d0agency0client0id',
      scopes: ['referrals/submit', 'referrals/read'],
    });
    expect(claimsOf(partnerClaims({ 'custom:agency': 'agency-oakfield-primary', scope: 'referrals/read' }))).toEqual({
      kind: 'partner',
      clientId: '7k2j9d0agency0client0id',
      agencyId: 'agency-oakfield-primary',
      scopes: ['referrals/read'],
    });
  });

  it("merges the gateway's scope list with the token's scope claim", () => {
    const { scope: _scope, ...claims } = partnerClaims();
    expect(claimsOf(claims, ['referrals/read'])).toMatchObject({ scopes: ['referrals/read'] });
  });

  it.each([
    ['no authorizer at all', undefined],
    ['a worker token without a team', workerClaims({ 'custom:team': '' })],
    ['a worker token with a malformed email', workerClaims({ email: 'sam' })],
    ['a client token that is an ID token', partnerClaims({ token_use: 'id' })],
    ['a client token without a client id', partnerClaims({ client_id: '' })],
    ['claims of neither kind', { sub: 'x', iss: 'https://elsewhere.example' }],
  ])('answers 401 for %s', (_case, claims) => {
    expect(statusOf(() => claimsOf(claims))).toBe(401);
  });

  describe("from the partner authorizer's context (requestContext.authorizer.lambda)", () => {
    const viaLambda = (context: Record<string, string>) => {
      const event = apiGatewayEvent({ path: '/v1/referrals' });
      event.requestContext.authorizer = { lambda: context };
      return verifiedClaims(event);
    };

    it('reads the partner agency the authorizer verified', () => {
      expect(
        viaLambda({
          client_id: 'agency-client',
          token_use: 'access',
          scope: 'referrals/submit',
          sub: 'agency-client',
          agency_id: 'agency-oakfield',
        }),
      ).toEqual({ kind: 'partner', clientId: 'agency-client', agencyId: 'agency-oakfield', scopes: ['referrals/submit'] });
    });

    it('never reads a worker from it', () => {
      const worker = workerClaims() as Record<string, string>;
      expect(statusOf(() => viaLambda(worker))).toBe(401);
    });
  });
});
