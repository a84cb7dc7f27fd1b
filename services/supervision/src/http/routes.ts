/**
 * The supervision routes, declared once: the manifest (service.ts) lists these objects and
 * src/http/workers.ts implements them with `defineRoute(routes.x, …)`. Data only, so that CDK and
 * the local cloud read them without loading handler code.
 */
import type { HttpRoute } from '@fsp/shared/manifest';
import { CASE_WORKING_ROLES, type Role } from '@fsp/shared/people';

/**
 * As for cases: the roles that work with families, and the front door, which may read cases. The
 * record-level rule (only the team holding the case sees its supervisions) is in the route code.
 */
const SUPERVISION_READERS = [...CASE_WORKING_ROLES, 'front-door'] as const satisfies readonly Role[];

export const routes = {
  caseSupervisions: { method: 'GET', path: '/api/supervision/cases/{caseId}', auth: { kind: 'worker', roles: SUPERVISION_READERS } },
  teamAgenda: { method: 'GET', path: '/api/supervision/teams/{teamId}/agenda', auth: { kind: 'worker', roles: SUPERVISION_READERS } },
} as const satisfies Record<string, HttpRoute>;
