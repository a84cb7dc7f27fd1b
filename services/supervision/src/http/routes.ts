/**
 * The supervision routes, declared once: the manifest (service.ts) lists these objects, and
 * src/http/workers.ts (JSON) and src/http/worker-pages.ts (pages) implement them with
 * `defineRoute(routes.x, …)`. Data only, so that CDK and the
 * local cloud read them without loading handler code. The `http` function serves the JSON routes,
 * `pages` the pages.
 *
 * Roles admit; the record rule decides (domain/access.ts): a case's supervision is seen by the
 * workers allocated to it and the case-working members of the team holding it (anyone else gets
 * the 404 of an unknown case, audited DENIED); the record, its amendments and its date are the
 * chair's, the team manager of the holding team; an action is completed by its owner or that team
 * manager.
 */
import type { FunctionEntry, HttpRoute } from '@fsp/shared/manifest';
import { CASE_WORKING_ROLES, type Role } from '@fsp/shared/people';
import { INBOX_COUNT_READ, OUTBOX_TABLE_KEYS, tableKeys } from '@fsp/shared/table-keys';

/**
 * The roles that work with families. Not the front door: it follows a referral to its case, but a
 * case's group supervision is the team's own business (and it holds no team's cases).
 */
const SUPERVISION_READERS = CASE_WORKING_ROLES satisfies readonly Role[];
/** The chair of group supervision: the team manager (which team's: in the route code). */
const CHAIRS = ['team-manager'] as const satisfies readonly Role[];

/**
 * The pages: a function of their own, so that templates and session code stay out of the JSON
 * API's bundle (ADR 0011, 0012). It reads the directory for the names of the case's workers.
 */
/** What supervision's JSON API and pages do: a case's supervisions and actions, the team agenda and actions (gsi1 TEAM#), timers, read audit. */
export const SUPERVISION_WORK = {
  read: ['CASE#*', 'TEAM#*', 'TIMER'],
  write: ['CASE#*', 'TIMER', 'AUDIT#SUPERVISION#*', 'AUDIT#SUPERVISION-TEAM#*'],
  delete: ['CASE#*', 'TIMER'],
};

const pages: FunctionEntry = {
  name: 'pages',
  entry: 'src/entries/pages.ts',
  permissions: { readDirectory: true, tableKeys: tableKeys(OUTBOX_TABLE_KEYS, INBOX_COUNT_READ, SUPERVISION_WORK) },
};

const RECORD = '/api/supervision/cases/{caseId}/supervisions/{sequence}';
const RECORD_PAGE = '/supervision/cases/{caseId}/supervisions/{sequence}';

export const routes = {
  caseSupervisions: { method: 'GET', path: '/api/supervision/cases/{caseId}', auth: { kind: 'worker', roles: SUPERVISION_READERS } },
  teamAgenda: { method: 'GET', path: '/api/supervision/teams/{teamId}/agenda', auth: { kind: 'worker', roles: SUPERVISION_READERS } },
  saveRecord: { method: 'PUT', path: `${RECORD}/record`, auth: { kind: 'worker', roles: CHAIRS } },
  completeRecord: { method: 'POST', path: `${RECORD}/record/complete`, auth: { kind: 'worker', roles: CHAIRS } },
  amendRecord: { method: 'POST', path: `${RECORD}/record/amendments`, auth: { kind: 'worker', roles: CHAIRS } },
  reschedule: { method: 'POST', path: `${RECORD}/reschedule`, auth: { kind: 'worker', roles: CHAIRS } },
  myActions: { method: 'GET', path: '/api/supervision/actions', auth: { kind: 'worker', roles: SUPERVISION_READERS } },
  completeAction: {
    method: 'POST',
    path: '/api/supervision/actions/{caseId}/{actionId}/complete',
    auth: { kind: 'worker', roles: SUPERVISION_READERS },
  },
  teamOverdue: { method: 'GET', path: '/api/supervision/teams/{teamId}/overdue', auth: { kind: 'worker', roles: SUPERVISION_READERS } },
  recordConsultation: {
    method: 'POST',
    path: '/api/supervision/cases/{caseId}/consultations',
    auth: { kind: 'worker', roles: SUPERVISION_READERS },
  },

  // Pages (WEB.md): admitted by the session cookie, never a bearer token; the same records and rules as the JSON routes above.
  agendaPage: { method: 'GET', path: '/supervision', auth: { kind: 'page', roles: SUPERVISION_READERS }, function: pages },
  casePage: { method: 'GET', path: '/supervision/cases/{caseId}', auth: { kind: 'page', roles: SUPERVISION_READERS }, function: pages },
  recordPage: { method: 'GET', path: RECORD_PAGE, auth: { kind: 'page', roles: SUPERVISION_READERS }, function: pages },
  saveRecordPage: { method: 'POST', path: RECORD_PAGE, auth: { kind: 'page', roles: CHAIRS }, function: pages },
  amendRecordForm: { method: 'GET', path: `${RECORD_PAGE}/amend`, auth: { kind: 'page', roles: CHAIRS }, function: pages },
  amendRecordPage: { method: 'POST', path: `${RECORD_PAGE}/amend`, auth: { kind: 'page', roles: CHAIRS }, function: pages },
  rescheduleForm: { method: 'GET', path: `${RECORD_PAGE}/reschedule`, auth: { kind: 'page', roles: CHAIRS }, function: pages },
  reschedulePage: { method: 'POST', path: `${RECORD_PAGE}/reschedule`, auth: { kind: 'page', roles: CHAIRS }, function: pages },
  actionsPage: { method: 'GET', path: '/supervision/actions', auth: { kind: 'page', roles: SUPERVISION_READERS }, function: pages },
  completeActionPage: {
    method: 'POST',
    path: '/supervision/actions/{caseId}/{actionId}/complete',
    auth: { kind: 'page', roles: SUPERVISION_READERS },
    function: pages,
  },
  overduePage: { method: 'GET', path: '/supervision/overdue', auth: { kind: 'page', roles: SUPERVISION_READERS }, function: pages },
  consultationForm: {
    method: 'GET',
    path: '/supervision/cases/{caseId}/consultations/new',
    auth: { kind: 'page', roles: SUPERVISION_READERS },
    function: pages,
  },
  consultationPage: {
    method: 'POST',
    path: '/supervision/cases/{caseId}/consultations/new',
    auth: { kind: 'page', roles: SUPERVISION_READERS },
    function: pages,
  },
} as const satisfies Record<string, HttpRoute>;
