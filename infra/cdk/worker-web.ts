/**
 * The worker web app as the CDK app wires it (WEB.md "Signing in", ADR 0012): where the identity
 * provider sends a worker back to, which functions serve the web app (and so get the session keys
 * and the sign-in settings), and the context values an operator may set for sign-in. Pure: no
 * construct is built here, so the rules are tested on their own.
 */
import { SIGN_IN_CALLBACK_PATH, SIGNED_OUT_PATH } from '@fsp/shared/http/oidc-client';
import { SIGN_IN_PATH, SIGN_OUT_PATH } from '@fsp/shared/http/page-session';
import type { ResolvedFunction } from '@fsp/shared/manifest-resolve';

/**
 * The paths the web app's sign-in code uses (shared/src/http/oidc-client.ts), so that the
 * registered URLs and the redirect URIs the app sends can never drift apart: the callback (the
 * code and state come back there, and nowhere else) and the public signed-out page (Cognito's
 * /logout returns there, the only logout URL the client accepts).
 */
export { SIGN_IN_CALLBACK_PATH, SIGNED_OUT_PATH };
/**
 * The routes that start, finish and end a sign-in (sign-out is a POST from the layout's form, and
 * then sends the browser to /logout): public routes, yet they seal and clear the session cookie.
 */
export const SIGN_IN_PATHS: readonly string[] = [SIGN_IN_PATH, SIGN_IN_CALLBACK_PATH, SIGN_OUT_PATH];

export const callbackUrlOf = (publicOrigin: string): string => `${publicOrigin}${SIGN_IN_CALLBACK_PATH}`;
export const signedOutUrlOf = (publicOrigin: string): string => `${publicOrigin}${SIGNED_OUT_PATH}`;

/**
 * A function that serves the worker web app: any page route (admitted by the session cookie), a
 * sign-in route (which seals the cookie and talks to the identity provider), or the `$default`
 * route (its "Page not found" shows a signed-in worker their navigation, ADR 0013). These, and no
 * other, get the session keys, the public origin and the sign-in settings.
 */
export const servesWorkerWeb = (fn: Pick<ResolvedFunction, 'routes'> & Partial<Pick<ResolvedFunction, 'servesDefaultRoute'>>): boolean =>
  fn.servesDefaultRoute === true || fn.routes.some((route) => route.auth.kind === 'page' || SIGN_IN_PATHS.includes(route.path));

/**
 * An origin as browsers send it, over https: scheme, host and port, nothing else. Cognito accepts
 * only https callback URLs (http for localhost alone), and `__Host-` cookies need a secure origin.
 */
export function checkedPublicOrigin(value: string): string {
  if (!URL.canParse(value) || new URL(value).origin !== value || new URL(value).protocol !== 'https:') {
    throw new Error(`publicOrigin must be an https origin such as https://fsp.council.example (no path, no trailing slash): ${value}`);
  }
  return value;
}

/**
 * The Cognito prefix domain's prefix (`-c userPoolDomainPrefix=…`): what Cognito accepts, checked
 * at synth rather than found out at deploy. Prefixes are global per region, hence worth choosing.
 */
export function checkedUserPoolDomainPrefix(value: string): string {
  if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(value)) {
    throw new Error(
      `userPoolDomainPrefix must be 1 to 63 lower-case letters, digits and hyphens, not starting or ending with a hyphen: ${JSON.stringify(value)}`,
    );
  }
  const reserved = ['aws', 'amazon', 'cognito'].find((word) => value.includes(word));
  if (reserved !== undefined) throw new Error(`userPoolDomainPrefix may not contain "${reserved}" (Cognito reserves it): ${value}`);
  return value;
}

/** The pool's own accounts (created by administrators, MFA required). */
export const COGNITO_PROVIDER = 'COGNITO';

/**
 * `-c workerIdentityProviders=EntraID` (or `COGNITO,EntraID`, or a JSON array in cdk.json): the
 * identity providers the web client offers, by the names they have in the user pool. The pool's
 * own accounts (`COGNITO`) by default. A federated provider is added to the pool first (see the
 * federation note in platform-stack.ts); naming one that the pool does not have fails the deploy.
 */
export function parseIdentityProviders(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [COGNITO_PROVIDER];
  const names = typeof value === 'string' ? value.split(',').map((name) => name.trim()) : value;
  if (!Array.isArray(names) || names.length === 0) {
    throw new Error(`workerIdentityProviders must be a comma-separated list of provider names; got ${JSON.stringify(value)}`);
  }
  const seen = new Set<string>();
  for (const name of names) {
    // Cognito's provider names: 1 to 32 characters; these are the ones a console or an operator would type.
    if (typeof name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/.test(name)) {
      throw new Error(
        `workerIdentityProviders: ${JSON.stringify(name)} is not a provider name (1 to 32 letters, digits, ., _ or -, starting with a letter or digit)`,
      );
    }
    if (seen.has(name)) throw new Error(`workerIdentityProviders names ${name} twice`);
    seen.add(name);
  }
  return [...seen];
}
