/**
 * Signing workers in and out (ADR 0012 §1): notifications keeps the worker's desk, so it serves the
 * round trip to the identity provider (Cognito's hosted UI in AWS, the local issuer locally).
 *
 * - `GET /signin?returnTo=`: a fresh sign-in (PKCE verifier, state, nonce, where to go after) sealed
 *   in `__Host-fsp-signin`, and a 303 to the provider's authorize endpoint.
 * - `GET /signin/callback`: the state checked against that cookie, the code exchanged with the
 *   verifier, the ID token verified (oidc-client.ts), a new session sealed in `__Host-fsp-session`,
 *   and a 303 to where the worker was going. Anything wrong: "Sign-in did not work", never JSON.
 * - `POST /signout`: the header's form (Origin and the session's CSRF token checked); the session
 *   cookie cleared and the browser sent on to the provider's logout, which ends its own session (else
 *   the hosted UI would sign the worker straight back in) and returns to `GET /signed-out`. Sent on
 *   by a page that refreshes at once, not a 303: browsers apply the page's CSP `form-action 'self'`
 *   to a form post's redirects, and the provider is another origin in AWS.
 *
 * Public routes: nobody is signed in yet, or any more. Their errors are pages (errorsAsPages).
 */
import { defineRoute, type HttpResult, html, type RawQuery, type Route } from '@fsp/shared/http/handler';
import type { OidcClient } from '@fsp/shared/http/oidc-client';
import type { PageSessions } from '@fsp/shared/http/page-session';
import {
  clearedSessionCookieHeader,
  clearedSignInStateCookieHeader,
  createSignInState,
  isExpectedState,
  newSession,
  openSignInState,
  SESSION_MAX_AGE_SECONDS,
  SIGN_IN_STATE_COOKIE,
  type SignInState,
  safeReturnTo,
  sealSession,
  sealSignInState,
  sessionCookieHeader,
  signInStateCookieHeader,
} from '@fsp/shared/http/session';
import type { Clock } from '@fsp/shared/time/clock';
import type { PageRenderer } from '@fsp/shared/web/page';
import { routes } from './routes';

export interface SignInDependencies {
  /** The same page support the handler has: the keys, the public origin, the session and form checks. */
  pages: PageSessions;
  oidc: OidcClient;
  renderer: PageRenderer;
  clock: Clock;
}

/** Paths that would start another sign-in or sign out again if a worker were sent back to them. */
const SIGN_IN_PATHS = ['/signin', '/signout', '/signed-out'];

/** Where to go after signing in: a safe path on this site that is not sign-in itself (that would loop through the provider), else home. */
export function returnPathOf(value: string | string[] | undefined): string {
  const path = safeReturnTo(typeof value === 'string' ? value : undefined);
  const bare = path.split(/[?#]/, 1)[0] ?? path;
  return SIGN_IN_PATHS.some((loop) => bare === loop || bare.startsWith(`${loop}/`)) ? '/' : path;
}

/** One value of a query parameter; a repeated one is no value (the provider sends each once). */
const single = (query: RawQuery, name: string): string | undefined => {
  const value = query[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

function cookieValue(cookies: readonly string[], name: string): string | undefined {
  for (const cookie of cookies) {
    const at = cookie.indexOf('=');
    if (at > 0 && cookie.slice(0, at).trim() === name) return cookie.slice(at + 1).trim();
  }
  return undefined;
}

/** The provider's `error` is an RFC 6749 code; anything else is not logged as it came. */
const errorCodeOf = (value: string): string => (/^[a-z_]{1,64}$/.test(value) ? value : 'an unrecognised error');

const signInHref = (returnTo: string | undefined): string =>
  returnTo === undefined || returnTo === '/' ? '/signin' : `/signin?returnTo=${encodeURIComponent(returnTo)}`;

export function signInRoutes({ pages, oidc, renderer, clock }: SignInDependencies): Route[] {
  /** "Sign-in did not work": the state cookie is spent either way, so it is cleared. */
  const didNotWork = (status: number, signIn: SignInState | undefined): HttpResult => ({
    status,
    html: renderer.renderPage('sign-in/failed.njk', { title: 'Sign-in did not work' }, { signInHref: signInHref(signIn?.returnTo) }),
    headers: { ...renderer.headers },
    cookies: [clearedSignInStateCookieHeader()],
  });

  return [
    defineRoute(routes.signIn, {
      errorsAsPages: true,
      handle: async ({ query }) => {
        const { keys } = await pages.config();
        const signIn = createSignInState(returnPathOf(query.returnTo), clock());
        return {
          status: 303,
          headers: { location: oidc.signInUrl(signIn), 'cache-control': 'no-store' },
          cookies: [signInStateCookieHeader(sealSignInState(signIn, keys))],
        };
      },
    }),

    defineRoute(routes.signInCallback, {
      errorsAsPages: true,
      handle: async ({ query, cookies, logger }) => {
        const { keys } = await pages.config();
        const now = clock();
        const sealed = cookieValue(cookies, SIGN_IN_STATE_COOKIE);
        const opened = sealed ? openSignInState(sealed, keys, now) : undefined;
        if (opened === undefined || !opened.ok) {
          // Most often a sign-in page left open for more than 10 minutes, or a callback opened twice.
          logger.info('Sign-in did not work', { reason: `sign-in state ${opened?.reason ?? 'missing'}` });
          return didNotWork(400, undefined);
        }
        const { signIn } = opened;
        const refused = (reason: string, fields?: string[]) => {
          logger.info('Sign-in did not work', { reason, ...(fields ? { fields } : {}) });
          return didNotWork(400, signIn);
        };
        if (!isExpectedState(signIn, single(query, 'state'))) return refused('state is not this sign-in’s');
        const error = single(query, 'error');
        if (error !== undefined) return refused(`the identity provider answered ${errorCodeOf(error)}`);
        const code = single(query, 'code');
        if (code === undefined) return refused('no code');

        let completion: Awaited<ReturnType<OidcClient['completeSignIn']>>;
        try {
          completion = await oidc.completeSignIn(code, signIn);
        } catch (failure) {
          // The provider could not be reached or answered nonsense: the worker is told and can try again.
          logger.error(
            'Sign-in could not complete with the identity provider',
            failure instanceof Error ? failure : new Error(String(failure)),
          );
          return didNotWork(502, signIn);
        }
        if (!completion.ok)
          return refused(`${completion.stage}: ${completion.reason}`, 'fields' in completion ? completion.fields : undefined);

        const session = newSession(completion.worker, now);
        logger.info('Signed in', { sessionId: session.sessionId });
        return {
          status: 303,
          headers: { location: signIn.returnTo, 'cache-control': 'no-store' },
          cookies: [sessionCookieHeader(sealSession(session, keys, now), SESSION_MAX_AGE_SECONDS), clearedSignInStateCookieHeader()],
        };
      },
    }),

    defineRoute(routes.signOut, {
      errorsAsPages: true,
      handle: async ({ event, logger }) => {
        const session = await pages.currentSession(event);
        // A forged form (another origin, no or another session's token) is a 403 page, and the session stays.
        await pages.checkForm(event, session);
        logger.info('Signed out', session ? { sessionId: session.sessionId } : { reason: 'no session open' });
        return {
          status: 200,
          html: renderer.renderPage('sign-in/signing-out.njk', { title: 'Signing you out' }, { signOutUrl: oidc.signOutUrl() }),
          headers: { ...renderer.headers },
          cookies: [clearedSessionCookieHeader()],
        };
      },
    }),

    defineRoute(routes.signedOut, {
      errorsAsPages: true,
      handle: async () =>
        html(200, renderer.renderPage('sign-in/signed-out.njk', { title: 'You have signed out' }, { signInHref: '/signin' }), {
          ...renderer.headers,
        }),
    }),
  ];
}
