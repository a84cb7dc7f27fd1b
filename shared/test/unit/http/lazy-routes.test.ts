/**
 * Route groups loaded on first use (shared/src/http/handler.ts lazyRoutes, ADR 0038): the router
 * matches them by their declarations, loads a group only when one of its routes is asked for, and
 * then treats its routes exactly as routes defined up front.
 */
import { createHttpHandler, defineRoute, json, lazyRoutes, type Route } from '@fsp/shared/http/handler';
import type { HttpRoute } from '@fsp/shared/manifest';
import { apiGatewayEvent, capturingLogger, partnerClaims, problemOf } from '@fsp/shared/testing/api-gateway-event';
import { z } from 'zod';

const submit = { method: 'POST', path: '/v1/things', auth: { kind: 'partner', scopes: ['referrals/submit'] } } as const satisfies HttpRoute;
const show = { method: 'GET', path: '/v1/things/{id}', auth: { kind: 'partner', scopes: ['referrals/read'] } } as const satisfies HttpRoute;
const other = { method: 'GET', path: '/v1/others', auth: { kind: 'public' } } as const satisfies HttpRoute;

const partner = { claims: partnerClaims({ scope: 'referrals/submit referrals/read' }) };

function thingRoutes(): Route[] {
  return [
    defineRoute(submit, {
      body: z.object({ name: z.string().min(1) }),
      handle: async (request) => json(201, { name: request.body.name }),
    }),
    defineRoute(show, {
      params: z.object({ id: z.string().regex(/^t-[0-9]+$/, 'must be a thing id such as t-1') }),
      handle: async (request) => json(200, { id: request.params.id }),
    }),
  ];
}

function setup(loadThings: () => Promise<readonly Route[]> = async () => thingRoutes()) {
  const loads = { things: 0, others: 0 };
  const { logger, lines } = capturingLogger();
  const routes = [
    ...lazyRoutes([submit, show], () => {
      loads.things += 1;
      return loadThings();
    }),
    ...lazyRoutes([other], async () => {
      loads.others += 1;
      return [defineRoute(other, { handle: async () => json(200, { other: true }) })];
    }),
  ];
  return { handler: createHttpHandler(routes, { logger }), loads, lines };
}

describe('lazy route groups', () => {
  it('loads a group on the first request one of its routes matches, once, and no other group', async () => {
    const { handler, loads } = setup();
    expect(loads).toEqual({ things: 0, others: 0 });
    const first = await handler(apiGatewayEvent({ path: '/v1/things/t-1', ...partner }));
    expect(first.statusCode).toBe(200);
    expect(JSON.parse(first.body ?? '')).toEqual({ id: 't-1' });
    const second = await handler(apiGatewayEvent({ method: 'POST', path: '/v1/things', body: { name: 'kettle' }, ...partner }));
    expect(second.statusCode).toBe(201);
    expect(loads).toEqual({ things: 1, others: 0 });
  });

  it('loads a group once when its first requests arrive together', async () => {
    const { handler, loads } = setup();
    const answers = await Promise.all([1, 2, 3].map((n) => handler(apiGatewayEvent({ path: `/v1/things/t-${n}`, ...partner }))));
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200, 200]);
    expect(loads.things).toBe(1);
  });

  it("validates with the loaded route's schemas, naming the field", async () => {
    const { handler } = setup();
    const badId = await handler(apiGatewayEvent({ path: '/v1/things/kettle', ...partner }));
    expect(badId.statusCode).toBe(400);
    expect(problemOf(badId).errors).toEqual([
      expect.objectContaining({ in: 'path', path: '$.id', message: 'must be a thing id such as t-1' }),
    ]);
    const noName = await handler(apiGatewayEvent({ method: 'POST', path: '/v1/things', body: { name: '' }, ...partner }));
    expect(noName.statusCode).toBe(400);
    expect(problemOf(noName).errors).toEqual([expect.objectContaining({ in: 'body', path: '$.name' })]);
  });

  it('loads nothing for a request no route of the group may answer', async () => {
    const { handler, loads } = setup();
    expect((await handler(apiGatewayEvent({ path: '/v1/things/t-1' }))).statusCode).toBe(401);
    const readOnly = { claims: partnerClaims({ scope: 'referrals/read' }) };
    expect((await handler(apiGatewayEvent({ method: 'POST', path: '/v1/things', body: { name: 'kettle' }, ...readOnly }))).statusCode).toBe(
      403,
    );
    expect((await handler(apiGatewayEvent({ method: 'PUT', path: '/v1/things/t-1', ...partner }))).statusCode).toBe(405);
    expect((await handler(apiGatewayEvent({ path: '/v1/nothing', ...partner }))).statusCode).toBe(404);
    expect(loads).toEqual({ things: 0, others: 0 });
  });

  it('fails the request, naming the difference, when a group does not define what it declares', async () => {
    const { handler, lines } = setup(async () => thingRoutes().slice(0, 1));
    const answer = await handler(apiGatewayEvent({ path: '/v1/things/t-1', ...partner }));
    expect(answer.statusCode).toBe(500);
    expect(JSON.stringify(lines)).toContain('missing GET /v1/things/{id}; not declared none');
  });

  it('tries a failed load again on the next request', async () => {
    let attempts = 0;
    const { handler, loads } = setup(async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('the chunk could not be read');
      return thingRoutes();
    });
    expect((await handler(apiGatewayEvent({ path: '/v1/things/t-1', ...partner }))).statusCode).toBe(500);
    expect((await handler(apiGatewayEvent({ path: '/v1/things/t-1', ...partner }))).statusCode).toBe(200);
    expect(loads.things).toBe(2);
  });
});
