import {
  createSignInState,
  csrfTokenFor,
  generateSessionKey,
  isSafeReturnTo,
  isValidCsrfToken,
  newSession,
  openSession,
  openSignInState,
  SESSION_IDLE_SECONDS,
  SESSION_MAX_AGE_SECONDS,
  SESSION_REFRESH_AFTER_SECONDS,
  SIGN_IN_STATE_MAX_AGE_SECONDS,
  type SignedInWorker,
  sealSession,
  sealSignInState,
} from '@fsp/shared/http/session';
import { ROLES } from '@fsp/shared/people';
import fc from 'fast-check';

const key = generateSessionKey(9);
const signedIn = new Date('2026-11-23T09:00:00Z');

const text = fc.string({ minLength: 1, maxLength: 60 });
const worker: fc.Arbitrary<SignedInWorker> = fc.record(
  {
    userId: fc.uuid(),
    username: text,
    name: text,
    // Addresses as a directory holds them (zod's e-mail check, like the claims' own, refuses RFC 5322's rarer forms).
    email: fc
      .tuple(fc.stringMatching(/^[a-z][a-z0-9._-]{0,15}[a-z0-9]$/), fc.domain())
      .map(([local, domain]) => `${local.replace(/\.{2,}/g, '.')}@${domain}`),
    roles: fc.subarray([...ROLES]),
    teamId: text,
  },
  { requiredKeys: ['userId', 'username', 'name', 'roles', 'teamId'] },
);

/** The base64url alphabet: a replacement that is still the right shape, so only the cryptography can tell. */
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe('session properties', () => {
  it('seal then open gives back the same session', () => {
    fc.assert(
      fc.property(worker, fc.integer({ min: 0, max: SESSION_REFRESH_AFTER_SECONDS * 1000 }), (who, elapsedMs) => {
        const session = newSession(who, signedIn);
        const opened = openSession(sealSession(session, key, signedIn), key, new Date(signedIn.getTime() + elapsedMs));
        expect(opened).toEqual({ ok: true, session, refresh: false });
      }),
      { numRuns: 300 },
    );
  });

  it('any change to one byte of the sealed value is tampering', () => {
    const sealed = Buffer.from(
      sealSession(newSession({ userId: 'u', username: 'u', name: 'U', roles: [], teamId: 't' }, signedIn), key, signedIn),
      'base64url',
    );
    fc.assert(
      fc.property(fc.nat({ max: sealed.length - 1 }), fc.integer({ min: 1, max: 255 }), (index, flip) => {
        const changed = Buffer.from(sealed);
        changed[index] = changed[index]! ^ flip;
        expect(openSession(changed.toString('base64url'), key, signedIn)).toEqual({ ok: false, reason: 'tampered' });
      }),
      { numRuns: 1000 },
    );
  });

  it('any change to one character of the cookie value is tampering', () => {
    const sealed = sealSession(newSession({ userId: 'u', username: 'u', name: 'U', roles: [], teamId: 't' }, signedIn), key, signedIn);
    fc.assert(
      fc.property(fc.nat({ max: sealed.length - 1 }), fc.constantFrom(...BASE64URL), (index, replacement) => {
        fc.pre(sealed[index] !== replacement);
        const changed = sealed.slice(0, index) + replacement + sealed.slice(index + 1);
        expect(openSession(changed, key, signedIn)).toEqual({ ok: false, reason: 'tampered' });
      }),
      { numRuns: 1000 },
    );
  });

  it('a value sealed under another key is tampering, whatever the key ids', () => {
    fc.assert(
      fc.property(worker, fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), (who, sealingId, openingId) => {
        const sealed = sealSession(newSession(who, signedIn), generateSessionKey(sealingId), signedIn);
        expect(openSession(sealed, generateSessionKey(openingId), signedIn)).toEqual({ ok: false, reason: 'tampered' });
      }),
      { numRuns: 200 },
    );
  });

  it('timing: valid up to and including the limits, refused one millisecond after, expiry before idleness', () => {
    const IDLE = SESSION_IDLE_SECONDS * 1000;
    const MAX = SESSION_MAX_AGE_SECONDS * 1000;
    const REFRESH = SESSION_REFRESH_AFTER_SECONDS * 1000;
    const session = newSession({ userId: 'u', username: 'u', name: 'U', roles: ['front-door'], teamId: 't' }, signedIn);
    const start = signedIn.getTime();
    fc.assert(
      fc.property(
        // When the cookie was last re-sealed, and how long after that the request comes; the exact boundaries are always tried.
        fc.oneof(fc.constantFrom(0, MAX - IDLE, MAX - 1, MAX), fc.integer({ min: 0, max: MAX })),
        fc.oneof(fc.constantFrom(0, REFRESH, REFRESH + 1, IDLE, IDLE + 1), fc.integer({ min: 0, max: 2 * IDLE })),
        (sealedAfter, idleFor) => {
          const sealed = sealSession(session, key, new Date(start + sealedAfter));
          const now = start + sealedAfter + idleFor;
          const opened = openSession(sealed, key, new Date(now));
          if (now - start > MAX) expect(opened).toEqual({ ok: false, reason: 'expired' });
          else if (idleFor > IDLE) expect(opened).toEqual({ ok: false, reason: 'idle' });
          else expect(opened).toMatchObject({ ok: true, refresh: idleFor > REFRESH, session: { lastSeenAt: start + sealedAfter } });
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('the sign-in state opens for exactly ten minutes', () => {
    const signIn = createSignInState('/cases', signedIn);
    const sealed = sealSignInState(signIn, key);
    const LIMIT = SIGN_IN_STATE_MAX_AGE_SECONDS * 1000;
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(0, LIMIT, LIMIT + 1), fc.integer({ min: 0, max: 2 * LIMIT })), (elapsed) => {
        const opened = openSignInState(sealed, key, new Date(signedIn.getTime() + elapsed));
        expect(opened).toEqual(elapsed > LIMIT ? { ok: false, reason: 'expired' } : { ok: true, signIn });
      }),
      { numRuns: 300 },
    );
  });

  it('a CSRF token verifies only for the session it was made for', () => {
    fc.assert(
      fc.property(worker, worker, fc.option(fc.webPath(), { nil: undefined }), (a, b, action) => {
        const mine = newSession(a, signedIn);
        const theirs = newSession(b, signedIn);
        expect(isValidCsrfToken(mine, csrfTokenFor(mine, action), action)).toBe(true);
        expect(isValidCsrfToken(theirs, csrfTokenFor(mine, action), action)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});

describe('return path properties', () => {
  const site = 'https://fsp.council.example';

  /** What a browser, or a layer that percent-decodes once or twice more, would make of the path. */
  const readings = (path: string): string[] => {
    const once = path.replace(/%([0-7][0-9A-Fa-f])/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    const twice = once.replace(/%([0-7][0-9A-Fa-f])/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    // Browsers drop tabs and newlines anywhere in a URL before parsing it.
    return [path, once, twice].map((reading) => reading.replace(/[\t\n\r]/g, ''));
  };

  const hostile = fc.oneof(
    fc.constantFrom('//', '/\\', '\\', '/%2F', '/%2f', '/%5C', '/%5c', '/%252F', '/%09/', '/\t/', '/\n/', 'https:', 'javascript:', '/..//'),
    fc.string({ maxLength: 3 }),
  );
  const candidate = fc.oneof(
    fc.webPath(),
    fc.webUrl(),
    fc.string(),
    fc.tuple(hostile, fc.domain(), fc.webPath()).map(([prefix, host, path]) => `${prefix}${host}${path}`),
    fc.tuple(fc.webPath(), hostile, fc.domain()).map(([path, inner, host]) => `/${path.replace(/^\/+/, '')}${inner}${host}`),
  );

  it('an accepted return path stays on the site however many times it is decoded', () => {
    fc.assert(
      fc.property(candidate, (path) => {
        if (!isSafeReturnTo(path)) return;
        for (const reading of readings(path)) {
          expect(new URL(reading, site).origin).toBe(site);
          expect(reading.startsWith('//') || reading.includes('\\')).toBe(false);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('every path that starts with one slash, made of path characters, is accepted', () => {
    fc.assert(
      fc.property(fc.webPath(), (path) => {
        fc.pre(path.startsWith('/') && !path.startsWith('//') && !/%[0-7][0-9A-Fa-f]/.test(path) && !/(^|\/)\.\.?(\/|$)/.test(path));
        expect(isSafeReturnTo(path)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
