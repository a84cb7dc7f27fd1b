/**
 * The `admin` function as src/entries/admin.ts composes it (the JSON API and the pages), around a
 * test runtime and an identity provider, on the local stage; and an administrator (or another
 * worker) at its pages through shared/testing/pages.ts: a session sealed as sign-in seals it, forms
 * posted with the Origin a browser sends.
 */
import { createHttpHandler, type HttpHandler } from '@fsp/shared/http/handler';
import { pageSessions } from '@fsp/shared/http/page-session';
import { generateSessionKey, serializeSessionKeys } from '@fsp/shared/http/session';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { type PageWorker, pageVisitor } from '@fsp/shared/testing/pages';
import { createPageRenderer } from '@fsp/shared/web/page';
import type { IdentityProvider } from '../../src/adapters/identity-provider';
import { adminAgencyRoutes } from '../../src/http/admin-agencies';
import { adminPageRoutes } from '../../src/http/admin-pages';
import { PRECOMPILED_TEMPLATES } from '../../src/web/precompiled/admin';

export const ORIGIN = 'http://127.0.0.1:3000';

export const ADMINISTRATOR: PageWorker = { userId: 'admin-user', name: 'Alex Admin', roles: ['administrator'], teamId: 'platform' };
export const FRONT_DOOR: PageWorker = { userId: 'fd-user', name: 'Fran Door', roles: ['front-door'], teamId: 'front-door' };

export function adminPagesUnderTest(runtime: ServiceRuntime, identity: IdentityProvider) {
  const keys = [generateSessionKey(1)];
  const renderer = createPageRenderer(PRECOMPILED_TEMPLATES, { stage: 'local' });
  const handler: HttpHandler = createHttpHandler(
    [...adminAgencyRoutes(runtime, identity), ...adminPageRoutes(runtime, identity, renderer)],
    {
      logger: runtime.logger,
      pages: pageSessions({
        environment: { SESSION_KEYS: serializeSessionKeys(keys), PUBLIC_ORIGIN: ORIGIN },
        now: runtime.clock,
        errorPages: renderer,
      }),
    },
  );
  const visitor = pageVisitor({ handler, keys, origin: ORIGIN, clock: runtime.clock });
  return {
    handler,
    /** A page as the worker's browser asks for it (the administrator's unless said). */
    get: (path: string, worker: PageWorker = ADMINISTRATOR) => visitor.get(worker, path),
    /** A form as the worker's browser posts it (urlencoded, from this origin unless `headers` say otherwise). */
    post: (path: string, fields: Record<string, string>, options: { worker?: PageWorker; headers?: Record<string, string> } = {}) =>
      visitor.post(options.worker ?? ADMINISTRATOR, path, fields, options.headers),
  };
}

/** The read-only field that shows a new secret. */
export const shownSecretOf = (html: string): string | undefined => /<input[^>]*\bid="clientSecret"[^>]*\bvalue="([^"]*)"/.exec(html)?.[1];
