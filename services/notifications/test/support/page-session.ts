/**
 * A worker at the notifications pages: a session sealed as the sign-in would seal it, sent as the
 * browser sends the cookie, with the Origin a browser sends on a form POST.
 */
import type { HttpHandler } from '@fsp/shared/http/handler';
import { generateSessionKey, serializeSessionKeys } from '@fsp/shared/http/session';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { pageVisitor } from '@fsp/shared/testing/pages';
import { notificationsPagesHandler } from './pages';

export type { PageWorker } from '@fsp/shared/testing/pages';

export const ORIGIN = 'http://127.0.0.1:3000';

export function pagesUnderTest(runtime: ServiceRuntime) {
  const keys = [generateSessionKey(1)];
  const handler: HttpHandler = notificationsPagesHandler(runtime, {
    environment: { SESSION_KEYS: serializeSessionKeys(keys), PUBLIC_ORIGIN: ORIGIN },
    now: runtime.clock,
  });
  const { get, post, cookieOf } = pageVisitor({ handler, keys, origin: ORIGIN, clock: runtime.clock });
  return { handler, get, post, cookieOf };
}
