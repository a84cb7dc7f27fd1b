/**
 * A worker at a service's pages, in tests: a session sealed as sign-in seals it (ADR 0012), sent as
 * a browser sends the cookie, and forms posted with the Origin a browser sends.
 */
import type { HttpHandler } from '../src/http/handler';
import { newSession, SESSION_COOKIE, type SessionKey, sealSession, type WorkerSession } from '../src/http/session';
import type { Role } from '../src/people';
import { apiGatewayEvent } from './api-gateway-event';

export interface PageWorker {
  userId: string;
  /** The sign-in name; the user id when not given. */
  username?: string;
  name: string;
  roles: readonly Role[];
  teamId: string;
}

/** `__Host-fsp-session=<sealed>` for `worker`, as the cookie header carries it; `session` keeps one session across calls. */
export function sealedSessionCookie(keys: readonly SessionKey[], worker: PageWorker, at = new Date(), session?: WorkerSession): string {
  const opened =
    session ??
    newSession(
      {
        userId: worker.userId,
        username: worker.username ?? worker.userId,
        name: worker.name,
        roles: [...worker.roles],
        teamId: worker.teamId,
      },
      at,
    );
  return `${SESSION_COOKIE}=${sealSession(opened, keys, at)}`;
}

/**
 * A demo worker of the local cloud (`cloud.demoWorkers`) as the local issuer signs them in: with the
 * `sub` sign-in gives them (so "allocated to me" and their own inbox are theirs), `local-<username>`
 * for a worker listed without one.
 */
export const demoPageWorker = (worker: {
  username: string;
  name: string;
  roles: readonly Role[];
  teamId: string;
  sub?: string;
}): PageWorker => ({
  userId: worker.sub ?? `local-${worker.username}`,
  username: worker.username,
  name: worker.name,
  roles: worker.roles,
  teamId: worker.teamId,
});

export interface PageVisitorOptions {
  handler: HttpHandler;
  keys: readonly SessionKey[];
  /** PUBLIC_ORIGIN as the handler knows it: the Origin a form post from its own pages carries. */
  origin: string;
  clock?: () => Date;
}

/** Pages as each worker's browser asks for them: one session per worker, kept across requests. */
export function pageVisitor({ handler, keys, origin, clock = () => new Date() }: PageVisitorOptions) {
  const sessions = new Map<string, WorkerSession>();
  const sessionOf = (worker: PageWorker): WorkerSession => {
    const known = sessions.get(worker.userId);
    if (known) return known;
    const session = newSession(
      {
        userId: worker.userId,
        username: worker.username ?? worker.userId,
        name: worker.name,
        roles: [...worker.roles],
        teamId: worker.teamId,
      },
      clock(),
    );
    sessions.set(worker.userId, session);
    return session;
  };
  const cookieOf = (worker: PageWorker) => {
    // The session first: sealed at a clock reading taken before it was opened, it would be seen before it was issued.
    const session = sessionOf(worker);
    return sealedSessionCookie(keys, worker, clock(), session);
  };
  return {
    sessionOf,
    cookieOf,
    /** A page as the worker's browser asks for it. */
    get: (worker: PageWorker, path: string) => handler(apiGatewayEvent({ path, cookies: [cookieOf(worker)] })),
    /** A form as the worker's browser posts it (urlencoded, from `origin` unless `headers` say otherwise). */
    post: (
      worker: PageWorker,
      path: string,
      fields: Record<string, string | readonly string[]>,
      headers: Record<string, string> = { origin },
    ) =>
      handler(
        apiGatewayEvent({
          method: 'POST',
          path,
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
          body: new URLSearchParams(
            Object.entries(fields).flatMap(([name, value]): [string, string][] =>
              typeof value === 'string' ? [[name, value]] : value.map((each) => [name, each]),
            ),
          ).toString(),
          cookies: [cookieOf(worker)],
        }),
      ),
  };
}
