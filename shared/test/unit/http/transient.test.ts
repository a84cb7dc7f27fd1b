/**
 * QUALITY.md, reliability 8: what a retry can fix answers 503 with Retry-After (a problem document,
 * or the GOV.UK problem page on a page), and nothing else does: anything else is a 500 logged as an
 * error. The classification (transient.ts) and its use by every service's handler (createHttpHandler).
 */
import { bareErrorPages } from '@fsp/shared/http/error-pages';
import { Conflict, HttpError, NotFound, TooManyRequests } from '@fsp/shared/http/errors';
import { createHttpHandler, defineRoute, noContent } from '@fsp/shared/http/handler';
import {
  DeadlineReached,
  NETWORK_ERROR_CODES,
  THROTTLING_ERROR_NAMES,
  TIMEOUT_ERROR_NAMES,
  transientFailureOf,
  UNAVAILABLE_ERROR_NAMES,
} from '@fsp/shared/http/transient';
import { apiGatewayEvent, capturingLogger, problemOf } from '@fsp/shared/testing/api-gateway-event';
import fc from 'fast-check';

const named = (name: string, message: string, extra: Record<string, unknown> = {}): Error =>
  Object.assign(new Error(message), { name }, extra);

const RETRYABLE_REASONS = ['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded', 'RequestLimitExceeded'];
const KNOWN_NAMES = new Set([
  ...THROTTLING_ERROR_NAMES,
  ...UNAVAILABLE_ERROR_NAMES,
  ...TIMEOUT_ERROR_NAMES,
  'TransactionCanceledException',
  'DeadlineReached',
]);

/** Every shape of a failure a retry can fix, as the AWS SDK, Node and middy throw them. */
const retryable: fc.Arbitrary<unknown> = fc.oneof(
  fc
    .tuple(fc.constantFrom(...THROTTLING_ERROR_NAMES, ...UNAVAILABLE_ERROR_NAMES, ...TIMEOUT_ERROR_NAMES), fc.string())
    .map(([name, m]) => named(name, m)),
  fc
    .tuple(fc.constantFrom(...NETWORK_ERROR_CODES), fc.constantFrom('Error', 'FetchError', 'SystemError'), fc.string())
    .map(([code, name, m]) => named(name, m, { code, errno: -1 })),
  // A cancelled transaction whose items only collided or were throttled (at least one such reason).
  fc
    .tuple(fc.array(fc.constantFrom('None', ...RETRYABLE_REASONS), { maxLength: 10 }), fc.constantFrom(...RETRYABLE_REASONS))
    .chain(([others, one]) => fc.shuffledSubarray([...others, one], { minLength: others.length + 1, maxLength: others.length + 1 }))
    .map((codes) =>
      named('TransactionCanceledException', 'Transaction cancelled', { CancellationReasons: codes.map((Code) => ({ Code })) }),
    ),
  // Any AWS answer whose status says "not now", whatever the service calls it.
  fc
    .tuple(
      fc.string().filter((name) => name !== 'TransactionCanceledException' && name !== 'DeadlineReached'),
      fc.constantFrom(429, 500, 502, 503, 504),
    )
    .map(([name, httpStatusCode]) => named(name, 'failed', { $metadata: { httpStatusCode, attempts: 3 } })),
  fc.boolean().map((throttling) => named('SomethingNew', 'retryable', { $retryable: { throttling } })),
  fc.nat({ max: 1_000 }).map((ms) => new DeadlineReached(ms)),
  // The SDK's wrapper for what it could not recognise as an Error (Node's socket errors seen from jest's sandbox).
  fc
    .tuple(fc.constantFrom(...TIMEOUT_ERROR_NAMES, 'Error'), fc.constantFrom(...NETWORK_ERROR_CODES))
    .map(([name, code]) => named('Error', `AWS SDK error wrapper for ${name}: read ${code}`, { $metadata: { attempts: 4 } })),
  // middy's early timeout, just before Lambda's deadline.
  fc.constant(
    Object.assign(new Error('[AbortError]: The operation was aborted.', { cause: { package: '@middy/core' } }), { name: 'TimeoutError' }),
  ),
);

/** Wrapped by our own code in an Error with a cause, it is still what it was. */
const retryableOrWrapped = fc.oneof(
  retryable,
  retryable.map((cause) => new Error('storing the referral failed', { cause })),
);

/** Everything a retry would not fix: a programming error, a refused condition, validation, access, a non-Error thrown. */
const notRetryable: fc.Arbitrary<unknown> = fc.oneof(
  fc
    .tuple(
      fc.string().filter((name) => !KNOWN_NAMES.has(name)),
      fc.string(),
    )
    .map(([name, message]) => named(name, message)),
  fc
    .tuple(
      fc.constantFrom(
        'ValidationException',
        'ResourceNotFoundException',
        'AccessDeniedException',
        'ConditionalCheckFailedException',
        'SerializationException',
      ),
      fc.integer({ min: 400, max: 428 }),
    )
    .map(([name, httpStatusCode]) => named(name, 'refused', { $metadata: { httpStatusCode } })),
  fc
    .array(fc.constantFrom('None', 'TransactionConflict', 'ThrottlingError'), { maxLength: 5 })
    .chain((others) =>
      fc.constantFrom('ConditionalCheckFailed', 'ValidationError', 'ItemCollectionSizeLimitExceeded').map((bad) => [...others, bad]),
    )
    .map((codes) =>
      named('TransactionCanceledException', 'Transaction cancelled', { CancellationReasons: codes.map((Code) => ({ Code })) }),
    ),
  fc
    .string()
    .filter((code) => !NETWORK_ERROR_CODES.includes(code))
    .map((code) => named('Error', `failed ${code}`, { code })),
  fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.constant(undefined)),
  fc.constant(new TypeError("Cannot read properties of undefined (reading 'pk')")),
  fc.constant(named('TransactionCanceledException', 'Transaction cancelled')),
  fc.constant(named('Error', 'AWS SDK error wrapper for undefined', { $metadata: { attempts: 1 } })),
);

function handlerThrowing() {
  let thrown: unknown;
  const { logger, lines } = capturingLogger();
  const routes = [
    defineRoute(
      { method: 'POST', path: '/v1/things', auth: { kind: 'public' } },
      {
        handle: async () => {
          throw thrown;
        },
      },
    ),
    defineRoute(
      { method: 'POST', path: '/things', auth: { kind: 'public' } },
      {
        errorsAsPages: true,
        handle: async () => {
          throw thrown;
        },
      },
    ),
  ];
  const handler = createHttpHandler(routes, { logger, errorPages: bareErrorPages });
  return {
    lines,
    answer: (error: unknown, path = '/v1/things') => {
      thrown = error;
      lines.length = 0;
      return handler(apiGatewayEvent({ method: 'POST', path, requestId: 'req-7' }));
    },
  };
}

describe('which failures a retry can fix', () => {
  it('calls every retryable shape transient, with a Retry-After of at least a second', () => {
    fc.assert(
      fc.property(retryableOrWrapped, (error) => {
        const transient = transientFailureOf(error);
        expect(transient).toBeDefined();
        expect(Number.isInteger(transient?.retryAfterSeconds)).toBe(true);
        expect(transient?.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      }),
    );
  });

  it('calls nothing else transient, and never an HttpError', () => {
    fc.assert(fc.property(notRetryable, (error) => expect(transientFailureOf(error)).toBeUndefined()));
    for (const answer of [new NotFound(), new Conflict('moved'), new TooManyRequests(3), new HttpError(503, 'x')]) {
      expect(transientFailureOf(answer)).toBeUndefined();
      expect(transientFailureOf(new Error('wrapped', { cause: answer }))).toBeUndefined();
    }
  });

  it('says what it was in words safe to log: the name or code, never the message', () => {
    expect(transientFailureOf(named('Error', 'connect ECONNREFUSED for Ava Smith', { code: 'ECONNREFUSED' }))).toEqual({
      kind: 'unavailable',
      reason: 'ECONNREFUSED',
      retryAfterSeconds: 5,
    });
    expect(transientFailureOf(named('ProvisionedThroughputExceededException', 'Ava Smith'))).toEqual({
      kind: 'throttled',
      reason: 'ProvisionedThroughputExceededException',
      retryAfterSeconds: 2,
    });
    expect(
      transientFailureOf(
        named('TransactionCanceledException', 'x', { CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }] }),
      ),
    ).toEqual({ kind: 'conflict', reason: 'TransactionConflict', retryAfterSeconds: 1 });
  });
});

describe('what every handler answers for them', () => {
  it('answers a program 503 with Retry-After and a problem document, logged as a warning, for every retryable failure', async () => {
    const { answer, lines } = handlerThrowing();
    await fc.assert(
      fc.asyncProperty(retryableOrWrapped, async (error) => {
        const result = await answer(error);
        expect(result.statusCode).toBe(503);
        expect(Number(result.headers?.['retry-after'])).toBeGreaterThanOrEqual(1);
        expect(result.headers?.['content-type']).toBe('application/problem+json');
        expect(problemOf(result)).toMatchObject({ type: 'about:blank', title: 'Service Unavailable', status: 503, requestId: 'req-7' });
        expect(lines.map((line) => line.level)).toEqual(['WARN']);
        expect(lines[0]).toMatchObject({ message: 'Request failed for a moment', status: 503 });
      }),
      { numRuns: 200 },
    );
  });

  it('answers a browser on a page the GOV.UK problem page, 503 with Retry-After', async () => {
    const { answer } = handlerThrowing();
    await fc.assert(
      fc.asyncProperty(retryable, async (error) => {
        const result = await answer(error, '/things');
        expect(result.statusCode).toBe(503);
        expect(Number(result.headers?.['retry-after'])).toBeGreaterThanOrEqual(1);
        expect(result.headers?.['content-type']).toBe('text/html; charset=utf-8');
        expect(result.body).toContain('<h1>Sorry, there is a problem with the service</h1>');
        expect(result.body).toContain('Reference: req-7');
      }),
      { numRuns: 50 },
    );
  });

  it('answers anything else 500, without Retry-After, logged as an error', async () => {
    const { answer, lines } = handlerThrowing();
    await fc.assert(
      fc.asyncProperty(notRetryable, fc.boolean(), async (error, page) => {
        const result = await answer(error, page ? '/things' : '/v1/things');
        expect(result.statusCode).toBe(500);
        expect(result.headers?.['retry-after']).toBeUndefined();
        expect(lines.map((line) => line.level)).toContain('ERROR');
      }),
      { numRuns: 200 },
    );
  });

  it('answers 503 with Retry-After, before its function’s deadline, a request whose work has not finished', async () => {
    const { logger, lines } = capturingLogger();
    const handler = createHttpHandler(
      [
        defineRoute(
          { method: 'GET', path: '/slow', auth: { kind: 'public' } },
          // Never finishes: only the deadline can answer it.
          { handle: () => new Promise(() => {}) },
        ),
        defineRoute({ method: 'GET', path: '/quick', auth: { kind: 'public' } }, { handle: async () => noContent() }),
      ],
      { logger },
    );
    const context = { getRemainingTimeInMillis: () => 40 };
    const result = await handler(apiGatewayEvent({ path: '/slow' }), context);
    expect(result.statusCode).toBe(503);
    expect(result.headers?.['retry-after']).toBe('5');
    expect(problemOf(result).detail).toContain('did not finish this request in time');
    expect(lines).toEqual([expect.objectContaining({ level: 'WARN', kind: 'timeout', reason: 'DeadlineReached' })]);
    // A request that finishes in time is untouched by it.
    expect((await handler(apiGatewayEvent({ path: '/quick' }), context)).statusCode).toBe(204);
  });
});
