import {
  authorizationUrl,
  clearedSessionCookieHeader,
  clearedSignInStateCookieHeader,
  createPkcePair,
  createSignInState,
  csrfTokenFor,
  generateSessionKey,
  isExpectedState,
  isPkceVerifier,
  isSafeReturnTo,
  isSameOrigin,
  isValidCsrfToken,
  newSession,
  openSession,
  openSignInState,
  parseSessionKeys,
  pkceChallengeOf,
  SESSION_COOKIE,
  SESSION_IDLE_SECONDS,
  SESSION_MAX_AGE_SECONDS,
  SESSION_REFRESH_AFTER_SECONDS,
  type SessionKey,
  safeReturnTo,
  sealSession,
  sealSignInState,
  serializeSessionKeys,
  sessionCookieHeader,
  sessionCookieMaxAge,
  signInStateCookieHeader,
} from '@fsp/shared/http/session';

const signedIn = new Date('2026-11-23T09:00:00Z');
const at = (seconds: number) => new Date(signedIn.getTime() + seconds * 1000);
const worker = {
  userId: '5f0c2a8e-3b7d-4f61-9a2e-8c1d4b6e7f90',
  username: 'sam.patel',
  name: 'Sam Patel',
  email: 'sam.patel@council.example.org',
  roles: ['social-worker', 'team-manager'] as const,
  teamId: 'team-north-1',
};
const person = { ...worker, roles: [...worker.roles] };

describe('the session cookie', () => {
  const key = generateSessionKey(1);

  it('opens what it sealed, with who signed in, and needs no refresh straight away', () => {
    const session = newSession(person, signedIn);
    const opened = openSession(sealSession(session, key, signedIn), key, at(60));
    expect(opened).toEqual({ ok: true, session, refresh: false });
    expect(session).toMatchObject({ ...person, issuedAt: signedIn.getTime(), lastSeenAt: signedIn.getTime() });
  });

  it('is not readable: neither the name nor the e-mail address appears in the cookie, even decoded', () => {
    const sealed = sealSession(newSession(person, signedIn), key, signedIn);
    const bytes = Buffer.from(sealed, 'base64url').toString('latin1');
    for (const secret of ['Sam Patel', 'sam.patel', 'team-north-1']) {
      expect(sealed).not.toContain(secret);
      expect(bytes).not.toContain(secret);
    }
  });

  it('seals the same session differently each time (a fresh IV), and both open', () => {
    const session = newSession(person, signedIn);
    const first = sealSession(session, key, signedIn);
    const second = sealSession(session, key, signedIn);
    expect(first).not.toBe(second);
    expect(openSession(first, key, signedIn)).toMatchObject({ ok: true });
    expect(openSession(second, key, signedIn)).toMatchObject({ ok: true });
  });

  it('asks for a refresh once lastSeenAt is more than five minutes old, and re-sealing moves lastSeenAt but not issuedAt', () => {
    const session = newSession(person, signedIn);
    const sealed = sealSession(session, key, signedIn);
    expect(openSession(sealed, key, at(SESSION_REFRESH_AFTER_SECONDS))).toMatchObject({ ok: true, refresh: false });
    const later = at(SESSION_REFRESH_AFTER_SECONDS + 1);
    const stale = openSession(sealed, key, later);
    expect(stale).toMatchObject({ ok: true, refresh: true });
    if (!stale.ok) throw new Error('expected an open session');
    const resealed = openSession(sealSession(stale.session, key, later), key, later);
    expect(resealed).toMatchObject({ ok: true, refresh: false, session: { issuedAt: signedIn.getTime(), lastSeenAt: later.getTime() } });
  });

  it('ends after 30 minutes idle, but a worker who keeps working stays signed in until the 8-hour limit', () => {
    const session = newSession(person, signedIn);
    let sealed = sealSession(session, key, signedIn);
    expect(openSession(sealed, key, at(SESSION_IDLE_SECONDS + 1))).toEqual({ ok: false, reason: 'idle' });

    // A request every 20 minutes, re-sealing whenever asked.
    for (let seconds = 20 * 60; seconds <= SESSION_MAX_AGE_SECONDS; seconds += 20 * 60) {
      const opened = openSession(sealed, key, at(seconds));
      expect(opened).toMatchObject({ ok: true });
      if (opened.ok && opened.refresh) sealed = sealSession(opened.session, key, at(seconds));
    }
    expect(openSession(sealed, key, at(SESSION_MAX_AGE_SECONDS + 1))).toEqual({ ok: false, reason: 'expired' });
  });

  it('says expired rather than idle when both are true', () => {
    const sealed = sealSession(newSession(person, signedIn), key, signedIn);
    expect(openSession(sealed, key, at(SESSION_MAX_AGE_SECONDS + 3600))).toEqual({ ok: false, reason: 'expired' });
  });

  it('opens a cookie sealed with the previous key after a rotation, and seals new ones with the newest', () => {
    const previous = generateSessionKey(1);
    const current = generateSessionKey(2);
    const session = newSession(person, signedIn);
    const old = sealSession(session, previous, signedIn);
    expect(openSession(old, [current, previous], signedIn)).toMatchObject({ ok: true });
    const fresh = sealSession(session, [current, previous], signedIn);
    expect(Buffer.from(fresh, 'base64url')[0]).toBe(2);
    expect(openSession(fresh, [current], signedIn)).toMatchObject({ ok: true });
    // Once the previous key is retired, its cookies no longer open.
    expect(openSession(old, [current], signedIn)).toEqual({ ok: false, reason: 'tampered' });
  });

  it.each([
    ['an empty value', ''],
    ['not base64url', 'not a cookie!'],
    ['too short to hold a sealed value', 'AAAA'],
    ['longer than any cookie', 'A'.repeat(5000)],
  ])('calls %s malformed', (_, value) => {
    expect(openSession(value, key, signedIn)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('does not open a sign-in state as a session, even under the same key', () => {
    const state = sealSignInState(createSignInState('/cases', signedIn), key);
    expect(openSession(state, key, signedIn)).toEqual({ ok: false, reason: 'tampered' });
  });

  it('refuses to seal a session that is not well-formed', () => {
    const session = newSession(person, signedIn);
    expect(() => sealSession({ ...session, roles: ['wizard' as never] }, key, signedIn)).toThrow(/roles/);
    expect(() => sealSession({ ...session, email: 'not an address' }, key, signedIn)).toThrow(/email/);
    expect(() => sealSession(session, key, new Date(signedIn.getTime() - 1))).toThrow(/not valid/);
  });

  it('refuses keys that are not 32 bytes, ids outside 0–255, or an id used twice', () => {
    const session = newSession(person, signedIn);
    expect(() => sealSession(session, { id: 1, secret: new Uint8Array(16) }, signedIn)).toThrow(/16 bytes/);
    expect(() => sealSession(session, { id: 256, secret: new Uint8Array(32) }, signedIn)).toThrow(/0–255/);
    expect(() => sealSession(session, [key, { id: 1, secret: new Uint8Array(32) }], signedIn)).toThrow(/used twice/);
    expect(() => sealSession(session, [], signedIn)).toThrow(/at least one key/);
  });

  it('gives the cookie a Max-Age of what is left of the 8 hours', () => {
    const session = newSession(person, signedIn);
    expect(sessionCookieMaxAge(session, signedIn)).toBe(SESSION_MAX_AGE_SECONDS);
    expect(sessionCookieMaxAge(session, at(3600.5))).toBe(SESSION_MAX_AGE_SECONDS - 3601);
    expect(sessionCookieMaxAge(session, at(SESSION_MAX_AGE_SECONDS + 10))).toBe(0);
  });
});

describe('session keys as stored', () => {
  it('round-trips through the stored form, newest first', () => {
    const keys: SessionKey[] = [generateSessionKey(7), generateSessionKey(6)];
    const parsed = parseSessionKeys(serializeSessionKeys(keys));
    expect(parsed.map((k) => k.id)).toEqual([7, 6]);
    expect(parsed.map((k) => Buffer.from(k.secret).toString('hex'))).toEqual(keys.map((k) => Buffer.from(k.secret).toString('hex')));
  });

  it('names what is wrong without repeating the secret', () => {
    expect(() => parseSessionKeys('nope')).toThrow('session keys: the value is not JSON');
    expect(() => parseSessionKeys('{"keys":[]}')).toThrow(/keys: must hold at least one key/);
    expect(() => parseSessionKeys('{"keys":[{"id":1,"secret":"c2hvcnQ"}]}')).toThrow(/keys\.0\.secret: must be 32 bytes/);
    expect(() => parseSessionKeys('{"keys":[{"id":1,"secret":"c2hvcnQ"}]}')).not.toThrow(/c2hvcnQ/);
    expect(() => parseSessionKeys(`{"keys":[{"id":300,"secret":"${'A'.repeat(43)}"}]}`)).toThrow(/keys\.0\.id/);
  });
});

describe('cookie headers', () => {
  it('sets the session cookie HttpOnly, Secure, SameSite=Lax, Path=/ and without Domain, as __Host- requires', () => {
    const header = sessionCookieHeader('abc_DEF-123', 28800);
    expect(header).toBe('__Host-fsp-session=abc_DEF-123; Max-Age=28800; Path=/; Secure; HttpOnly; SameSite=Lax');
    expect(header.startsWith(`${SESSION_COOKIE}=`)).toBe(true);
    expect(header).not.toMatch(/domain/i);
  });

  it('clears it with an empty value and Max-Age=0, keeping the attributes the browser needs to match it', () => {
    expect(clearedSessionCookieHeader()).toBe('__Host-fsp-session=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Lax');
    expect(clearedSignInStateCookieHeader()).toBe('__Host-fsp-signin=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Lax');
  });

  it('keeps the sign-in state for ten minutes', () => {
    expect(signInStateCookieHeader('xyz')).toBe('__Host-fsp-signin=xyz; Max-Age=600; Path=/; Secure; HttpOnly; SameSite=Lax');
  });

  it('refuses a value that could end the cookie or add attributes, and a Max-Age that is not whole seconds', () => {
    expect(() => sessionCookieHeader('a; Domain=evil.example', 10)).toThrow(/base64url/);
    expect(() => sessionCookieHeader('abc', -1)).toThrow(/Max-Age/);
    expect(() => sessionCookieHeader('abc', 1.5)).toThrow(/Max-Age/);
  });
});

describe('CSRF tokens and the Origin check', () => {
  const session = newSession(person, signedIn);

  it('accepts the token made for the session, and nothing else', () => {
    const token = csrfTokenFor(session);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(isValidCsrfToken(session, token)).toBe(true);
    expect(isValidCsrfToken(session, `${token}x`)).toBe(false);
    expect(isValidCsrfToken(session, '')).toBe(false);
    expect(isValidCsrfToken(session, undefined)).toBe(false);
    expect(isValidCsrfToken(newSession(person, signedIn), token)).toBe(false);
  });

  it('binds a token to its form when made for one', () => {
    const token = csrfTokenFor(session, '/cases/42/notes');
    expect(isValidCsrfToken(session, token, '/cases/42/notes')).toBe(true);
    expect(isValidCsrfToken(session, token, '/cases/42/close')).toBe(false);
    expect(isValidCsrfToken(session, token)).toBe(false);
  });

  it('survives the session being re-sealed (the secret travels in the cookie)', () => {
    const key = generateSessionKey(1);
    const opened = openSession(sealSession(session, key, at(600)), key, at(600));
    if (!opened.ok) throw new Error('expected an open session');
    expect(isValidCsrfToken(opened.session, csrfTokenFor(session))).toBe(true);
  });

  it.each([
    ['the same origin', 'https://fsp.council.example', true],
    ['no Origin header', undefined, false],
    ['an empty Origin header', '', false],
    ['"null" (a sandboxed frame or a privacy redirect)', 'null', false],
    ['another origin', 'https://evil.example', false],
    ['a sibling subdomain', 'https://evil.fsp.council.example', false],
    ['http instead of https', 'http://fsp.council.example', false],
    ['another port', 'https://fsp.council.example:8443', false],
    ['an origin with a path (not what a browser sends)', 'https://fsp.council.example/cases', false],
    ['upper case (not what a browser sends)', 'https://FSP.council.example', false],
    ['not a URL', 'fsp.council.example', false],
  ])('Origin check: %s', (_, origin, expected) => {
    expect(isSameOrigin(origin, 'https://fsp.council.example')).toBe(expected);
  });

  it('compares against the origin of the expected URL, default port and trailing slash included', () => {
    expect(isSameOrigin('https://fsp.council.example', 'https://fsp.council.example:443/')).toBe(true);
    expect(isSameOrigin('http://127.0.0.1:3000', 'http://127.0.0.1:3000')).toBe(true);
  });
});

describe('PKCE', () => {
  it('matches the RFC 7636 appendix B example', () => {
    expect(pkceChallengeOf('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('makes a 43-character verifier of unreserved characters and its S256 challenge', () => {
    const { verifier, challenge } = createPkcePair();
    expect(verifier).toMatch(/^[A-Za-z0-9._~-]{43}$/);
    expect(challenge).toBe(pkceChallengeOf(verifier));
    expect(challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(createPkcePair().verifier).not.toBe(verifier);
  });

  it('refuses a verifier that RFC 7636 does not allow', () => {
    expect(isPkceVerifier('a'.repeat(42))).toBe(false);
    expect(isPkceVerifier('a'.repeat(129))).toBe(false);
    expect(isPkceVerifier(`${'a'.repeat(42)}+`)).toBe(false);
    expect(isPkceVerifier(`${'a'.repeat(40)}-._~`)).toBe(true);
    expect(() => pkceChallengeOf('short')).toThrow(RangeError);
  });
});

describe('the sign-in round trip', () => {
  const key = generateSessionKey(3);

  it('seals the state, nonce, verifier and return path for ten minutes', () => {
    const signIn = createSignInState('/cases/42?tab=notes', signedIn);
    expect(signIn.state).not.toBe(signIn.nonce);
    expect(isPkceVerifier(signIn.verifier)).toBe(true);
    const sealed = sealSignInState(signIn, key);
    expect(sealed).not.toContain(signIn.verifier);
    expect(openSignInState(sealed, key, at(600))).toEqual({ ok: true, signIn });
    expect(openSignInState(sealed, key, at(600.001))).toEqual({ ok: false, reason: 'expired' });
    expect(openSignInState(sealed, generateSessionKey(3), at(1))).toEqual({ ok: false, reason: 'tampered' });
  });

  it('does not open a session cookie as a sign-in state', () => {
    const session = sealSession(newSession(person, signedIn), key, signedIn);
    expect(openSignInState(session, key, signedIn)).toEqual({ ok: false, reason: 'tampered' });
  });

  it('refuses to start a sign-in that would return somewhere else', () => {
    expect(() => createSignInState('//evil.example', signedIn)).toThrow(RangeError);
    expect(() => sealSignInState({ ...createSignInState('/', signedIn), returnTo: 'https://evil.example' }, key)).toThrow(/returnTo/);
  });

  it('checks the state the identity provider sends back', () => {
    const signIn = createSignInState('/', signedIn);
    expect(isExpectedState(signIn, signIn.state)).toBe(true);
    expect(isExpectedState(signIn, createSignInState('/', signedIn).state)).toBe(false);
    expect(isExpectedState(signIn, '')).toBe(false);
    expect(isExpectedState(signIn, null)).toBe(false);
  });

  it('builds the authorization request with S256 PKCE, state and nonce', () => {
    const signIn = createSignInState('/', signedIn);
    const url = new URL(
      authorizationUrl(
        {
          authorizeEndpoint: 'https://fsp-dev.auth.eu-west-2.amazoncognito.com/oauth2/authorize',
          clientId: 'web',
          redirectUri: 'https://fsp.example/signin/callback',
        },
        signIn,
      ),
    );
    expect(url.origin + url.pathname).toBe('https://fsp-dev.auth.eu-west-2.amazoncognito.com/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'web',
      redirect_uri: 'https://fsp.example/signin/callback',
      scope: 'openid profile email',
      state: signIn.state,
      nonce: signIn.nonce,
      code_challenge: pkceChallengeOf(signIn.verifier),
      code_challenge_method: 'S256',
    });
  });
});

describe('where to go after sign-in', () => {
  it.each(['/', '/cases', '/cases/42?tab=notes#chronology', '/search?q=100%25', '/people/Ren%C3%A9e', '/a/./b', '/cases?q=a%20b'])(
    'accepts %s',
    (path) => {
      expect(isSafeReturnTo(path)).toBe(true);
      expect(safeReturnTo(path)).toBe(path);
    },
  );

  it.each([
    '',
    'cases',
    '//evil.example',
    '///evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    'https://evil.example/',
    'javascript:alert(1)',
    '/%2F%2Fevil.example',
    '/%2f/evil.example',
    '/%5Cevil.example',
    '/%252F%252Fevil.example',
    '/%09/evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    '/cases\r\nSet-Cookie: x=y',
    '/cases\u0000',
    '/cases\u0085',
    '/..//evil.example',
    `/${'a'.repeat(2048)}`,
  ])('refuses %j', (path) => {
    expect(isSafeReturnTo(path)).toBe(false);
    expect(safeReturnTo(path)).toBe('/');
  });

  it('falls back to the given home when there is nothing to return to', () => {
    expect(safeReturnTo(undefined, '/home')).toBe('/home');
    expect(safeReturnTo(null)).toBe('/');
  });
});
