/** What the manifest promises that can be checked without running anything: who each route admits, which function serves it, its environment. */
import { httpFunctionsOf } from '@fsp/shared/manifest';
import { rateLimitConfig } from '@fsp/shared/rate-limit';
import { manifest } from '../../service';
import { caseHoldingTeamsConfig } from '../../src/config';
import { routes } from '../../src/http/routes';

describe('the referrals manifest', () => {
  it('serves exactly the declared routes', () => {
    expect(manifest.http?.routes).toEqual(Object.values(routes));
  });

  it('admits the front door to its routes, administrators to the agencies, partners by scope and anyone to the form and the contract', () => {
    const who = Object.fromEntries(
      (manifest.http?.routes ?? []).map((route) => [`${route.method} ${route.path}`, JSON.stringify(route.auth)]),
    );
    expect(who).toEqual({
      'GET /v1/openapi.json': '{"kind":"public"}',
      'POST /v1/referrals': '{"kind":"partner","scopes":["referrals/submit"]}',
      'GET /v1/referrals/{id}': '{"kind":"partner","scopes":["referrals/read"]}',
      'GET /v1/referrals': '{"kind":"partner","scopes":["referrals/read"]}',
      'GET /api/front-door/referrals': '{"kind":"worker","roles":["front-door"]}',
      'GET /api/front-door/referrals/{referralId}': '{"kind":"worker","roles":["front-door"]}',
      'POST /api/front-door/referrals/{referralId}/screening': '{"kind":"worker","roles":["front-door"]}',
      'POST /api/front-door/referrals/{referralId}/decision': '{"kind":"worker","roles":["front-door"]}',
      'GET /front-door': '{"kind":"page","roles":["front-door"]}',
      'GET /front-door/referrals/{referralId}': '{"kind":"page","roles":["front-door"]}',
      'GET /front-door/referrals/{referralId}/screening': '{"kind":"page","roles":["front-door"]}',
      'POST /front-door/referrals/{referralId}/screening': '{"kind":"page","roles":["front-door"]}',
      'GET /front-door/referrals/{referralId}/decision': '{"kind":"page","roles":["front-door"]}',
      'POST /front-door/referrals/{referralId}/decision': '{"kind":"page","roles":["front-door"]}',
      'POST /api/admin/agencies': '{"kind":"worker","roles":["administrator"]}',
      'GET /api/admin/agencies': '{"kind":"worker","roles":["administrator"]}',
      'GET /api/admin/agencies/{agencyId}': '{"kind":"worker","roles":["administrator"]}',
      'POST /api/admin/agencies/{agencyId}/credentials': '{"kind":"worker","roles":["administrator"]}',
      'DELETE /api/admin/agencies/{agencyId}/credentials/{secretId}': '{"kind":"worker","roles":["administrator"]}',
      'POST /api/admin/agencies/{agencyId}/revoke': '{"kind":"worker","roles":["administrator"]}',
      'GET /admin': '{"kind":"page","roles":["administrator"]}',
      'GET /admin/agencies': '{"kind":"page","roles":["administrator"]}',
      'GET /admin/agencies/new': '{"kind":"page","roles":["administrator"]}',
      'POST /admin/agencies/new': '{"kind":"page","roles":["administrator"]}',
      'GET /admin/agencies/{agencyId}': '{"kind":"page","roles":["administrator"]}',
      'POST /admin/agencies/{agencyId}/credentials': '{"kind":"page","roles":["administrator"]}',
      'GET /admin/agencies/{agencyId}/credentials/{secretId}/retire': '{"kind":"page","roles":["administrator"]}',
      'POST /admin/agencies/{agencyId}/credentials/{secretId}/retire': '{"kind":"page","roles":["administrator"]}',
      'GET /admin/agencies/{agencyId}/revoke': '{"kind":"page","roles":["administrator"]}',
      'POST /admin/agencies/{agencyId}/revoke': '{"kind":"page","roles":["administrator"]}',
      'GET /refer': '{"kind":"public"}',
      'GET /refer/confirmation': '{"kind":"public"}',
      'GET /refer/{step}': '{"kind":"public"}',
      'POST /refer/{step}': '{"kind":"public"}',
    });
  });

  it('gives each audience its own function, and only the admin function the user pool', () => {
    const served = Object.fromEntries(
      httpFunctionsOf(manifest).map(({ function: fn, routes: own }) => [fn.name, own.map((route) => `${route.method} ${route.path}`)]),
    );
    expect(Object.keys(served)).toEqual(['http', 'public', 'partner-api', 'pages', 'admin']);
    expect(served.http).toEqual(expect.arrayContaining(['GET /api/front-door/referrals']));
    expect(served.http!.every((route) => route.includes(' /api/front-door/'))).toBe(true);
    expect(served['partner-api']!.every((route) => route.includes(' /v1/referrals'))).toBe(true);
    expect(served.pages!.every((route) => /^(GET|POST) \/front-door(\/|$)/.test(route))).toBe(true);
    // The administrators' JSON API and their pages: the one function that may change app clients.
    expect(served.admin!.every((route) => / \/(api\/)?admin(\/agencies|$)/.test(route))).toBe(true);
    const withPool = httpFunctionsOf(manifest).filter(({ function: fn }) => fn.permissions?.cognitoUserPoolClients);
    expect(withPool.map(({ function: fn }) => fn.name)).toEqual(['admin']);
  });

  it('names each entry after its function', () => {
    const functions = [
      ...httpFunctionsOf(manifest).map(({ function: fn }) => fn),
      ...manifest.subscriptions.map((subscription) => subscription.function),
      ...manifest.schedules.map((schedule) => schedule.function),
    ];
    for (const fn of functions) expect(fn.entry).toBe(`src/entries/${fn.name}.ts`);
  });

  it('gives the front door two case-holding teams to hand families to', () => {
    expect(caseHoldingTeamsConfig({ ...manifest.environment }).teams).toEqual([
      { id: 'north', name: 'North team' },
      { id: 'south', name: 'South team' },
    ]);
  });

  it('limits each partner agency to 1,200 requests a minute', () => {
    expect(rateLimitConfig({ ...manifest.environment })).toEqual({ perMinute: 1200 });
  });
});
