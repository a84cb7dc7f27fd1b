/**
 * The supervision routes, declared once: the manifest (service.ts) lists these objects, and
 * src/http/workers.ts (JSON) and worker-pages.ts (pages) implement them with `defineRoute(routes.x, …)`.
 * Data only, so that CDK and the local cloud read them without loading handler code. The `http`
 * function serves the JSON routes, `pages` the pages.
 */
import type { FunctionEntry, HttpRoute } from '@fsp/shared/manifest';
import { CASE_WORKING_ROLES, type Role } from '@fsp/shared/people';

/**
 * The roles that work with families. Not the front door: it follows a referral to its case, but a
 * case's group supervision is the team's own business (and it holds no team's cases). The
 * record-level rule (only the team holding the case sees its supervisions) is in the route code.
 */
const SUPERVISION_READERS = CASE_WORKING_ROLES satisfies readonly Role[];

/** The pages: a function of their own, so that templates and session code stay out of the JSON API's bundle (ADR 0011, 0012). */
const pages: FunctionEntry = { name: 'pages', entry: 'src/entries/pages.ts' };

export const routes = {
  caseSupervisions: { method: 'GET', path: '/api/supervision/cases/{caseId}', auth: { kind: 'worker', roles: SUPERVISION_READERS } },
  teamAgenda: { method: 'GET', path: '/api/supervision/teams/{teamId}/agenda', auth: { kind: 'worker', roles: SUPERVISION_READERS } },

  // Pages (WEB.md): admitted by the session cookie, never a bearer token; the same records and rules as the JSON routes above.
  agendaPage: { method: 'GET', path: '/supervision', auth: { kind: 'page', roles: SUPERVISION_READERS }, function: pages },
  casePage: { method: 'GET', path: '/supervision/cases/{caseId}', auth: { kind: 'page', roles: SUPERVISION_READERS }, function: pages },
} as const satisfies Record<string, HttpRoute>;
