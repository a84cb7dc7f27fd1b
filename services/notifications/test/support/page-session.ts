/**
 * A worker at the notifications pages: a session sealed as the sign-in would seal it, sent as the
 * browser sends the cookie, with the Origin a browser sends on a form POST.
 */
import type { HttpHandler } from '@fsp/shared/http/handler';
import {
  generateSessionKey,
  newSession,
  SESSION_COOKIE,
  sealSession,
  serializeSessionKeys,
  type WorkerSession,
} from '@fsp/shared/http/session';
import type { Role } from '@fsp/shared/people';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { apiGatewayEvent } from '@fsp/shared/testing/api-gateway-event';
import { notificationsPagesHandler } from './pages';

export const ORIGIN = 'http://127.0.0.1:3000';

export interface PageWorker {
  userId: string;
  name: string;
  roles: Role[];
  teamId: string;
}

export function pagesUnderTest(runtime: ServiceRuntime) {
  const keys = [generateSessionKey(1)];
  const handler: HttpHandler = notificationsPagesHandler(runtime, {
    environment: { SESSION_KEYS: serializeSessionKeys(keys), PUBLIC_ORIGIN: ORIGIN },
    now: runtime.clock,
  });
  const sessions = new Map<string, WorkerSession>();
  const sessionOf = (worker: PageWorker): WorkerSession => {
    const known = sessions.get(worker.userId);
    if (known) return known;
    const session = newSession(
      { userId: worker.userId, username: worker.userId, name: worker.name, roles: worker.roles, teamId: worker.teamId },
      runtime.clock(),
    );
    sessions.set(worker.userId, session);
    return session;
  };
  const cookieOf = (worker: PageWorker) => `${SESSION_COOKIE}=${sealSession(sessionOf(worker), keys, runtime.clock())}`;

  return {
    handler,
    /** A page as the worker's browser asks for it. */
    get: (worker: PageWorker, path: string) => handler(apiGatewayEvent({ path, cookies: [cookieOf(worker)] })),
    /** A form as the worker's browser posts it (urlencoded, from this origin). */
    post: (worker: PageWorker, path: string, fields: Record<string, string>, headers: Record<string, string> = { origin: ORIGIN }) =>
      handler(
        apiGatewayEvent({
          method: 'POST',
          path,
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
          body: new URLSearchParams(fields).toString(),
          cookies: [cookieOf(worker)],
        }),
      ),
  };
}
