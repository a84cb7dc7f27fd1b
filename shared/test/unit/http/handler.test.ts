import { createHttpHandler, defineRoute, MAX_BODY_BYTES, noContent } from '@fsp/shared/http/handler';
import { pageSessions } from '@fsp/shared/http/page-session';
import { apiGatewayEvent, capturingLogger, partnerClaims, problemOf, workerClaims } from '@fsp/shared/testing/api-gateway-event';
import { sampleRoutes, validReferral } from './sample-routes';

function setup() {
  const { routes, written } = sampleRoutes();
  const { logger, lines } = capturingLogger();
  return { handler: createHttpHandler(routes, { logger, pages: pageSessions() }), written, lines };
}

const partner = { claims: partnerClaims() };

describe('routing', () => {
  it('routes by method and path and passes decoded path parameters and the query', async () => {
    const { handler } = setup();
    const result = await handler(apiGatewayEvent({ path: '/v1/referrals/ref-42?include=outcome', ...partner }));
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['content-type']).toBe('application/json');
    expect(JSON.parse(result.body ?? '')).toEqual({ id: 'ref-42', include: 'outcome' });
  });

  it('prefers a literal segment over a parameter, as API Gateway does', async () => {
    const { handler } = setup();
    const result = await handler(apiGatewayEvent({ path: '/v1/referrals/latest' }));
    expect(JSON.parse(result.body ?? '')).toEqual({ latest: true });
  });

  it('matches {proxy+} against the rest of the path', async () => {
    const { handler } = setup();
    const result = await handler(apiGatewayEvent({ path: '/assets/govuk/images/crest.png' }));
    expect(result.statusCode).toBe(200);
    expect(result.body).toBe('asset:govuk/images/crest.png');
    expect((await handler(apiGatewayEvent({ path: '/assets' }))).statusCode).toBe(404);
  });

  it('ignores a trailing slash', async () => {
    const { handler } = setup();
    expect((await handler(apiGatewayEvent({ path: '/v1/referrals/ref-42/', ...partner }))).statusCode).toBe(200);
  });

  it('answers an unknown path with a 404 problem', async () => {
    const { handler } = setup();
    const result = await handler(apiGatewayEvent({ path: '/v1/nothing-here' }));
    expect(result.statusCode).toBe(404);
    expect(result.headers?.['content-type']).toBe('application/problem+json');
    expect(problemOf(result)).toMatchObject({ type: 'about:blank', title: 'Not Found', status: 404, instance: '/v1/nothing-here' });
  });

  it('answers a known path with the wrong method with 405 and an Allow header', async () => {
    const { handler } = setup();
    const result = await handler(apiGatewayEvent({ method: 'PUT', path: '/v1/referrals/ref-1', ...partner }));
    expect(result.statusCode).toBe(405);
    expect(result.headers?.allow).toBe('DELETE, GET');
    expect(problemOf(result)).toMatchObject({ status: 405, title: 'Method Not Allowed' });
  });

  it('answers a malformed %-escape with 400 rather than failing', async () => {
    const { handler } = setup();
    const result = await handler(apiGatewayEvent({ path: '/v1/referrals/%zz', ...partner }));
    expect(result.statusCode).toBe(400);
    expect(problemOf(result).errors).toEqual([{ in: 'path', path: '$', message: expect.stringContaining('%-escape') }]);
  });

  it('refuses to start with two routes for the same method and path', () => {
    const { routes } = sampleRoutes();
    const { logger } = capturingLogger();
    expect(() => createHttpHandler([...routes, routes[0]!], { logger, pages: pageSessions() })).toThrow(
      'POST /v1/referrals is defined twice',
    );
  });
});

describe('request bodies', () => {
  const post = (body: string | object, headers: Record<string, string> = {}, isBase64Encoded = false) =>
    apiGatewayEvent({ method: 'POST', path: '/v1/referrals', body, headers, isBase64Encoded, ...partner });

  it('accepts a valid JSON body and hands the handler the parsed value', async () => {
    const { handler, written } = setup();
    const result = await handler(post(validReferral, { 'content-type': 'application/json; charset=UTF-8' }));
    expect(result.statusCode).toBe(201);
    expect(result.headers?.location).toBe('/v1/referrals/ref-1');
    expect(written).toEqual([validReferral]);
  });

  it('decodes base64 bodies', async () => {
    const { handler } = setup();
    const encoded = Buffer.from(JSON.stringify(validReferral)).toString('base64');
    expect((await handler(post(encoded, { 'content-type': 'application/json' }, true))).statusCode).toBe(201);
  });

  it('answers 413 for a body over 256 KB, counting decoded bytes, and writes nothing', async () => {
    const { handler, written } = setup();
    const padded = (bytes: number) => {
      const base = JSON.stringify({ ...validReferral, padding: '' });
      return JSON.stringify({ ...validReferral, padding: 'x'.repeat(bytes - Buffer.byteLength(base)) });
    };
    expect(Buffer.byteLength(padded(MAX_BODY_BYTES))).toBe(MAX_BODY_BYTES);
    expect((await handler(post(padded(MAX_BODY_BYTES), { 'content-type': 'application/json' }))).statusCode).toBe(201);

    const over = await handler(post(padded(MAX_BODY_BYTES + 1), { 'content-type': 'application/json' }));
    expect(over.statusCode).toBe(413);
    expect(over.headers?.['content-type']).toBe('application/problem+json');

    // Base64 text is a third longer than its bytes: a body just under the limit must still pass.
    const justUnder = Buffer.from(padded(MAX_BODY_BYTES)).toString('base64');
    expect(justUnder.length).toBeGreaterThan(MAX_BODY_BYTES);
    expect((await handler(post(justUnder, { 'content-type': 'application/json' }, true))).statusCode).toBe(201);
    const justOver = Buffer.from(padded(MAX_BODY_BYTES + 1)).toString('base64');
    expect((await handler(post(justOver, { 'content-type': 'application/json' }, true))).statusCode).toBe(413);
    expect(written).toHaveLength(2);
  });

  it('answers 415 for a body that is not JSON, including a non-UTF-8 charset', async () => {
    const { handler, written } = setup();
    for (const contentType of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'application/json; charset=latin1']) {
      const result = await handler(post(JSON.stringify(validReferral), { 'content-type': contentType }));
      expect([contentType, result.statusCode]).toEqual([contentType, 415]);
      expect(problemOf(result).detail).toContain('application/json');
    }
    const missing = await handler(post(JSON.stringify(validReferral)));
    expect(missing.statusCode).toBe(415);
    expect(written).toEqual([]);
  });

  it('accepts form posts on a route that opts in', async () => {
    const { handler, written } = setup();
    const result = await handler(
      apiGatewayEvent({
        method: 'POST',
        path: '/refer',
        body: 'name=Jo+Bloggs&worry=Ava+was+upset',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
    );
    expect(result.statusCode).toBe(303);
    expect(result.headers?.location).toBe('/refer/done');
    expect(written).toEqual([{ name: 'Jo Bloggs', worry: 'Ava was upset' }]);
  });

  it('treats form and query names such as toString and __proto__ as fields like any other', async () => {
    const { handler, written } = setup();
    const result = await handler(
      apiGatewayEvent({
        method: 'POST',
        path: '/refer',
        body: 'name=Jo&worry=Upset&toString=x&constructor=y&__proto__=z&hasOwnProperty=1&name2=a&name2=b',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
    );
    expect(result.statusCode).toBe(303);
    expect(written).toEqual([{ name: 'Jo', worry: 'Upset' }]);
    const echoed = await handler(
      apiGatewayEvent({
        method: 'POST',
        path: '/echo-form',
        body: 'toString=x&constructor=y&__proto__=a&__proto__=b&valueOf=1&valueOf=2',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
    );
    expect(echoed.statusCode).toBe(200);
    // (zod's record leaves out a `__proto__` key of its own accord.)
    expect(Object.entries(JSON.parse(echoed.body ?? '{}'))).toEqual([
      ['toString', 'x'],
      ['constructor', 'y'],
      ['valueOf', ['1', '2']],
    ]);
    const read = await handler(apiGatewayEvent({ path: '/v1/referrals/ref-42?include=outcome&toString=1&__proto__=2', ...partner }));
    expect(read.statusCode).toBe(200);
    expect(JSON.parse(read.body ?? '')).toEqual({ id: 'ref-42', include: 'outcome' });
  });

  it('answers malformed JSON with a 400 problem naming the body', async () => {
    const { handler, written } = setup();
    const result = await handler(post('{"referrer": {"name": "Jo",}', { 'content-type': 'application/json' }));
    expect(result.statusCode).toBe(400);
    expect(result.headers?.['content-type']).toBe('application/problem+json');
    const problem = problemOf(result);
    expect(problem).toMatchObject({ type: 'urn:fsp:problem:malformed-body', status: 400 });
    expect(problem.errors).toEqual([{ in: 'body', path: '$', message: expect.stringMatching(/^The body is not valid JSON/) }]);
    expect(JSON.stringify(problem)).not.toContain('"Jo"');
    expect(written).toEqual([]);
  });

  it('requires a body where the route declares one', async () => {
    const { handler } = setup();
    const result = await handler(apiGatewayEvent({ method: 'POST', path: '/v1/referrals', ...partner }));
    expect(result.statusCode).toBe(400);
    expect(problemOf(result).errors).toEqual([{ in: 'body', path: '$', message: 'A request body is required' }]);
  });
});

describe('validation', () => {
  it('lists every failing field by JSON path with a message a person can act on, and writes nothing', async () => {
    const { handler, written } = setup();
    const body = {
      referrer: { name: '', email: 'not-an-email' },
      referralSource: '99',
      children: [
        { name: 'Ava', dateOfBirth: '2017-03-14' },
        { name: 'Ben', dateOfBirth: '14/03/2019' },
      ],
      unexpected: 'ignored',
    };
    const result = await handler(apiGatewayEvent({ method: 'POST', path: '/v1/referrals', body, ...partner }));
    expect(result.statusCode).toBe(400);
    expect(result.headers?.['content-type']).toBe('application/problem+json');
    const problem = problemOf(result);
    expect(problem).toMatchObject({
      type: 'urn:fsp:problem:validation-failed',
      title: 'Bad Request',
      status: 400,
      detail: '5 fields are not valid; see errors for what to change.',
      instance: '/v1/referrals',
    });
    expect(problem.errors).toEqual([
      { in: 'body', path: '$.referrer.name', message: 'name must not be empty' },
      { in: 'body', path: '$.referrer.email', message: 'email must be an email address, for example name@example.org' },
      {
        in: 'body',
        path: '$.referralSource',
        message: expect.stringMatching(/^referralSource must be one of (?=.*"2A")(?=.*"3A")(?=.*"6")/),
      },
      { in: 'body', path: '$.immediateDanger', message: 'immediateDanger is required' },
      {
        in: 'body',
        path: '$.children[1].dateOfBirth',
        message: 'dateOfBirth must be a date in the format YYYY-MM-DD, for example 2015-04-23',
      },
    ]);
    expect(written).toEqual([]);
  });

  it('validates path parameters and the query string together, saying where each error is', async () => {
    const { handler } = setup();
    const result = await handler(apiGatewayEvent({ path: '/v1/referrals/42?include=everything', ...partner }));
    expect(result.statusCode).toBe(400);
    expect(problemOf(result).errors).toEqual([
      { in: 'path', path: '$.id', message: 'must be a referral id such as ref-123' },
      { in: 'query', path: '$.include', message: 'include must be one of "outcome", "history"' },
    ]);
  });
});

describe('errors', () => {
  it.each([
    ['conflict', 409, 'Conflict', { currentVersion: 4, detail: 'The referral was changed by someone else; reload it.' }],
    ['unprocessable', 422, 'Unprocessable Content', { detail: 'This Idempotency-Key was used with a different body.' }],
    ['rate', 429, 'Too Many Requests', {}],
  ])('maps a thrown %s error to its problem document', async (kind, status, title, extra) => {
    const { handler } = setup();
    const result = await handler(apiGatewayEvent({ path: `/boom/${kind}`, requestId: 'abc123=' }));
    expect(result.statusCode).toBe(status);
    expect(result.headers?.['content-type']).toBe('application/problem+json');
    expect(result.headers?.['cache-control']).toBe('no-store');
    expect(problemOf(result)).toMatchObject({
      type: 'about:blank',
      title,
      status,
      instance: `/boom/${kind}`,
      requestId: 'abc123=',
      ...extra,
    });
  });

  it('sends Retry-After in whole seconds with a 429', async () => {
    const { handler } = setup();
    expect((await handler(apiGatewayEvent({ path: '/boom/rate' }))).headers?.['retry-after']).toBe('13');
    // A write that kept conflicting with concurrent ones changed nothing: busy, try again, not a 500.
    const busy = await handler(apiGatewayEvent({ path: '/boom/busy' }));
    expect(busy.statusCode).toBe(503);
    expect(busy.headers?.['retry-after']).toBe('1');
    expect(problemOf(busy)).toMatchObject({ status: 503, title: 'Service Unavailable' });
  });

  it('turns any other error into a 500 that leaks nothing but the request id, and logs the real error', async () => {
    const { handler, lines } = setup();
    const result = await handler(apiGatewayEvent({ path: '/boom/crash', requestId: 'Jq2sjNmjoEEMdQ=' }));
    expect(result.statusCode).toBe(500);
    expect(result.headers?.['content-type']).toBe('application/problem+json');
    const problem = problemOf(result);
    expect(problem).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: expect.stringContaining('request id'),
      instance: '/boom/crash',
      requestId: 'Jq2sjNmjoEEMdQ=',
    });
    for (const secret of ['ECONNREFUSED', '10.0.3.7', 'Ava', 'stack', 'at ']) expect(result.body).not.toContain(secret);

    const logged = lines.find((line) => line.level === 'ERROR');
    expect(logged).toMatchObject({ message: 'Unhandled error', correlation_id: 'Jq2sjNmjoEEMdQ=', requestId: 'Jq2sjNmjoEEMdQ=' });
    expect(JSON.stringify(logged)).toContain('ECONNREFUSED 10.0.3.7:8000');
  });
});

describe('authorisation', () => {
  it('answers 401 with WWW-Authenticate on a protected route without claims', async () => {
    const { handler } = setup();
    const result = await handler(apiGatewayEvent({ path: '/v1/referrals/ref-1' }));
    expect(result.statusCode).toBe(401);
    expect(result.headers?.['www-authenticate']).toBe('Bearer');
    expect(problemOf(result)).toMatchObject({ status: 401, title: 'Unauthorized' });
  });

  it('checks authorisation before reading the body, so an anonymous caller learns nothing from validation', async () => {
    const { handler } = setup();
    const result = await handler(
      apiGatewayEvent({ method: 'POST', path: '/v1/referrals', body: '{not json', headers: { 'content-type': 'application/json' } }),
    );
    expect(result.statusCode).toBe(401);
  });

  it('answers 403 to a partner token without the route scope', async () => {
    const { handler } = setup();
    const result = await handler(apiGatewayEvent({ path: '/v1/referrals/ref-1', claims: partnerClaims({ scope: 'referrals/submit' }) }));
    expect(result.statusCode).toBe(403);
    expect(problemOf(result).detail).toContain('referrals/read');
  });

  it('answers 403 to a worker on a partner route and to a partner on a worker route', async () => {
    const { handler } = setup();
    expect((await handler(apiGatewayEvent({ path: '/v1/referrals/ref-1', claims: workerClaims() }))).statusCode).toBe(403);
    expect((await handler(apiGatewayEvent({ path: '/cases/mine', claims: partnerClaims() }))).statusCode).toBe(403);
  });

  it('admits a worker only with one of the roles the route declares, before any route code runs', async () => {
    const { handler } = setup();
    const asFrontDoorOnly = await handler(
      apiGatewayEvent({ path: '/cases/mine', claims: workerClaims({ 'cognito:groups': '[front-door]' }) }),
    );
    expect(asFrontDoorOnly.statusCode).toBe(403);
    expect(problemOf(asFrontDoorOnly).detail).toBe('This is for social workers or team managers; your account does not have that role.');
    const withoutGroups = await handler(apiGatewayEvent({ path: '/cases/mine', claims: workerClaims({ 'cognito:groups': '[]' }) }));
    expect(withoutGroups.statusCode).toBe(403);
    const asSocialWorker = await handler(
      apiGatewayEvent({ path: '/cases/mine', claims: workerClaims({ 'cognito:groups': ['social-worker'] }) }),
    );
    expect(asSocialWorker.statusCode).toBe(200);
  });

  it('refuses to define a worker route that names no role', () => {
    expect(() =>
      defineRoute({ method: 'GET', path: '/nobody', auth: { kind: 'worker', roles: [] } }, { handle: async () => noContent() }),
    ).toThrow('Route GET /nobody admits workers but names no role');
  });

  it('gives a worker route the worker behind the token', async () => {
    const { handler } = setup();
    const result = await handler(apiGatewayEvent({ path: '/cases/mine', claims: workerClaims() }));
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body ?? '')).toEqual({
      kind: 'worker',
      userId: '5f0c2a8e-3b7d-4f61-9a2e-8c1d4b6e7f90',
      username: 'sam.patel',
      roles: ['front-door', 'team-manager'],
      teamId: 'team-north-1',
      name: 'Sam Patel',
      email: 'sam.patel@council.example.org',
    });
  });
});

describe('correlation', () => {
  it('uses a valid x-correlation-id header, hands it to the handler and echoes it', async () => {
    const { handler } = setup();
    const result = await handler(
      apiGatewayEvent({
        method: 'POST',
        path: '/v1/referrals',
        body: validReferral,
        headers: { 'X-Correlation-Id': 'journey-01JGZ8Q4V7' },
        ...partner,
      }),
    );
    expect(result.headers?.['x-correlation-id']).toBe('journey-01JGZ8Q4V7');
    expect(JSON.parse(result.body ?? '').correlationId).toBe('journey-01JGZ8Q4V7');
  });

  it('falls back to the gateway request id when the header is missing or unsafe, also on problems', async () => {
    const { handler } = setup();
    const unsafe = await handler(
      apiGatewayEvent({ path: '/nowhere', headers: { 'x-correlation-id': 'two words\r\nSet-Cookie: x' }, requestId: 'Jq2sjNmjoEEMdQ=' }),
    );
    expect(unsafe.statusCode).toBe(404);
    expect(unsafe.headers?.['x-correlation-id']).toBe('Jq2sjNmjoEEMdQ=');
    const none = await handler(apiGatewayEvent({ path: '/v1/referrals/latest', requestId: 'OtherReq1=' }));
    expect(none.headers?.['x-correlation-id']).toBe('OtherReq1=');
  });

  it('puts the correlation id on every log line of the request and clears it afterwards', async () => {
    const { routes } = sampleRoutes();
    const { logger, lines } = capturingLogger();
    const handler = createHttpHandler(routes, { logger, pages: pageSessions() });
    await handler(apiGatewayEvent({ path: '/v1/referrals/ref-1', headers: { 'x-correlation-id': 'journey-1' } }));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.correlation_id).toBe('journey-1');
    logger.info('between requests');
    expect(lines.at(-1)?.correlation_id).toBeUndefined();
  });
});
