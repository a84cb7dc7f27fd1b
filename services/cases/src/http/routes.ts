/**
 * The cases routes, declared once: the manifest (service.ts) lists them and src/http/workers.ts
 * implements these very objects. Data only, so that CDK and the local cloud load no handler code.
 */
import type { FunctionEntry, HttpRoute } from '@fsp/shared/manifest';
import { CASE_WORKING_ROLES, type Role } from '@fsp/shared/people';
import { INBOX_COUNT_READ, OUTBOX_TABLE_KEYS, tableKeys } from '@fsp/shared/table-keys';

/**
 * Who may ask for a case at all: the roles that work with families, and the front door, which
 * follows the referrals it handles to their cases. Which case a caller sees is decided per record
 * in the route code (domain/access.ts caseAccess, through http/case-access.ts).
 */
const caseReaders = [...CASE_WORKING_ROLES, 'front-door'] as const satisfies readonly Role[];

/**
 * The cases pages: a function of their own, so that the templates, the nunjucks runtime and the
 * session code stay out of the JSON API's bundle (ADR 0011, 0012), as in notifications. It reads
 * the directory for the allocation form's choice of the team's workers.
 */
/** What the case file's JSON API and pages do: cases and their partitions, referral links, team and worker indexes (gsi1), timers, read audit. */
export const CASE_WORK = {
  read: ['CASE#*', 'REFERRAL#*', 'TEAM#*', 'WORKER#*', 'TIMER'],
  write: ['CASE#*', 'TIMER', 'AUDIT#CASE#*'],
  delete: ['CASE#*', 'TIMER'],
};

const pages: FunctionEntry = {
  name: 'pages',
  entry: 'src/entries/pages.ts',
  permissions: { readDirectory: true, tableKeys: tableKeys(OUTBOX_TABLE_KEYS, INBOX_COUNT_READ, CASE_WORK) },
};

export const routes = {
  showCase: { method: 'GET', path: '/api/cases/{caseId}', auth: { kind: 'worker', roles: caseReaders } },
  findCaseOfReferral: { method: 'GET', path: '/api/cases', auth: { kind: 'worker', roles: caseReaders } },
  // The family network and the case summary (issue 12 Deliver 1 and 5): read by whoever may read the case, changed by case workers.
  caseNetwork: { method: 'GET', path: '/api/cases/{caseId}/network', auth: { kind: 'worker', roles: caseReaders } },
  changeCaseNetwork: { method: 'POST', path: '/api/cases/{caseId}/network/changes', auth: { kind: 'worker', roles: CASE_WORKING_ROLES } },
  caseSummary: { method: 'GET', path: '/api/cases/{caseId}/summary', auth: { kind: 'worker', roles: caseReaders } },
  writeCaseSummary: { method: 'PUT', path: '/api/cases/{caseId}/summary', auth: { kind: 'worker', roles: CASE_WORKING_ROLES } },
  // Allocation (issue 12 Deliver 2): read by whoever may read the case, changed by a team manager (of the holding team, checked per case).
  caseAllocation: { method: 'GET', path: '/api/cases/{caseId}/allocation', auth: { kind: 'worker', roles: caseReaders } },
  changeCaseAllocation: { method: 'PUT', path: '/api/cases/{caseId}/allocation', auth: { kind: 'worker', roles: ['team-manager'] } },
  // The worker's own caseload and their team's cases (literal paths: more specific than /api/cases/{caseId}).
  myCaseload: { method: 'GET', path: '/api/cases/caseload', auth: { kind: 'worker', roles: CASE_WORKING_ROLES } },
  teamCases: { method: 'GET', path: '/api/cases/team', auth: { kind: 'worker', roles: CASE_WORKING_ROLES } },
  // Shared recording (issue 12 Deliver 3, http/notes-api.ts): the case-working roles; the front door reads no notes.
  caseNotes: { method: 'GET', path: '/api/cases/{caseId}/notes', auth: { kind: 'worker', roles: CASE_WORKING_ROLES } },
  startNote: { method: 'POST', path: '/api/cases/{caseId}/notes', auth: { kind: 'worker', roles: CASE_WORKING_ROLES } },
  caseNote: { method: 'GET', path: '/api/cases/{caseId}/notes/{noteId}', auth: { kind: 'worker', roles: CASE_WORKING_ROLES } },
  editNote: { method: 'PUT', path: '/api/cases/{caseId}/notes/{noteId}', auth: { kind: 'worker', roles: CASE_WORKING_ROLES } },
  completeNote: {
    method: 'POST',
    path: '/api/cases/{caseId}/notes/{noteId}/complete',
    auth: { kind: 'worker', roles: CASE_WORKING_ROLES },
  },
  amendNote: { method: 'POST', path: '/api/cases/{caseId}/notes/{noteId}/amendments', auth: { kind: 'worker', roles: CASE_WORKING_ROLES } },

  // Pages (WEB.md): admitted by the session cookie, never a bearer token; the same records and access rule as the JSON routes.
  // A team's list is for the team: the front door holds no cases, and reads one only through its referral.
  teamCasesPage: { method: 'GET', path: '/cases', auth: { kind: 'page', roles: CASE_WORKING_ROLES }, function: pages },
  casePage: { method: 'GET', path: '/cases/{caseId}', auth: { kind: 'page', roles: caseReaders }, function: pages },
  // The family network's page and its add, correct and remove forms; {group} is children, adults, wider-family or professionals.
  familyPage: { method: 'GET', path: '/cases/{caseId}/family', auth: { kind: 'page', roles: caseReaders }, function: pages },
  familyAddForm: {
    method: 'GET',
    path: '/cases/{caseId}/family/{group}/new',
    auth: { kind: 'page', roles: CASE_WORKING_ROLES },
    function: pages,
  },
  familyAdd: {
    method: 'POST',
    path: '/cases/{caseId}/family/{group}/new',
    auth: { kind: 'page', roles: CASE_WORKING_ROLES },
    function: pages,
  },
  familyCorrectForm: {
    method: 'GET',
    path: '/cases/{caseId}/family/{group}/{personId}/edit',
    auth: { kind: 'page', roles: CASE_WORKING_ROLES },
    function: pages,
  },
  familyCorrect: {
    method: 'POST',
    path: '/cases/{caseId}/family/{group}/{personId}/edit',
    auth: { kind: 'page', roles: CASE_WORKING_ROLES },
    function: pages,
  },
  familyRemoveForm: {
    method: 'GET',
    path: '/cases/{caseId}/family/{group}/{personId}/remove',
    auth: { kind: 'page', roles: CASE_WORKING_ROLES },
    function: pages,
  },
  familyRemove: {
    method: 'POST',
    path: '/cases/{caseId}/family/{group}/{personId}/remove',
    auth: { kind: 'page', roles: CASE_WORKING_ROLES },
    function: pages,
  },
  summaryForm: { method: 'GET', path: '/cases/{caseId}/summary', auth: { kind: 'page', roles: CASE_WORKING_ROLES }, function: pages },
  writeSummary: { method: 'POST', path: '/cases/{caseId}/summary', auth: { kind: 'page', roles: CASE_WORKING_ROLES }, function: pages },
  // The worker's caseload, and the team manager's allocation form (of the holding team, checked per case).
  caseloadPage: { method: 'GET', path: '/cases/caseload', auth: { kind: 'page', roles: CASE_WORKING_ROLES }, function: pages },
  allocationForm: { method: 'GET', path: '/cases/{caseId}/allocation', auth: { kind: 'page', roles: ['team-manager'] }, function: pages },
  allocate: { method: 'POST', path: '/cases/{caseId}/allocation', auth: { kind: 'page', roles: ['team-manager'] }, function: pages },
  // Shared recording's pages (http/notes-pages.ts) and the chronology: the case-working roles.
  notesPage: { method: 'GET', path: '/cases/{caseId}/notes', auth: { kind: 'page', roles: CASE_WORKING_ROLES }, function: pages },
  newNoteForm: { method: 'GET', path: '/cases/{caseId}/notes/new', auth: { kind: 'page', roles: CASE_WORKING_ROLES }, function: pages },
  startNotePage: { method: 'POST', path: '/cases/{caseId}/notes/new', auth: { kind: 'page', roles: CASE_WORKING_ROLES }, function: pages },
  notePage: { method: 'GET', path: '/cases/{caseId}/notes/{noteId}', auth: { kind: 'page', roles: CASE_WORKING_ROLES }, function: pages },
  saveNotePage: {
    method: 'POST',
    path: '/cases/{caseId}/notes/{noteId}',
    auth: { kind: 'page', roles: CASE_WORKING_ROLES },
    function: pages,
  },
  amendNoteForm: {
    method: 'GET',
    path: '/cases/{caseId}/notes/{noteId}/amend',
    auth: { kind: 'page', roles: CASE_WORKING_ROLES },
    function: pages,
  },
  amendNotePage: {
    method: 'POST',
    path: '/cases/{caseId}/notes/{noteId}/amend',
    auth: { kind: 'page', roles: CASE_WORKING_ROLES },
    function: pages,
  },
  chronologyPage: { method: 'GET', path: '/cases/{caseId}/chronology', auth: { kind: 'page', roles: CASE_WORKING_ROLES }, function: pages },
  // The statutory path (issue 14, ADR 0016, http/path-work.ts): read by whoever may read the case; each step is
  // recorded by a case worker of the holding team, the assessment's completion and closure by its team manager.
  casePath: { method: 'GET', path: '/api/cases/{caseId}/path', auth: { kind: 'worker', roles: caseReaders } },
  recordPathStep: { method: 'POST', path: '/api/cases/{caseId}/path/{step}', auth: { kind: 'worker', roles: CASE_WORKING_ROLES } },
  pathPage: { method: 'GET', path: '/cases/{caseId}/path', auth: { kind: 'page', roles: caseReaders }, function: pages },
  pathStepForm: { method: 'GET', path: '/cases/{caseId}/path/{step}', auth: { kind: 'page', roles: CASE_WORKING_ROLES }, function: pages },
  pathStep: { method: 'POST', path: '/cases/{caseId}/path/{step}', auth: { kind: 'page', roles: CASE_WORKING_ROLES }, function: pages },
  // The plan agreed with the family (issue 14 Deliver 4, http/plan-*.ts): goals in the family's words, who does what by when, reviews.
  casePlan: { method: 'GET', path: '/api/cases/{caseId}/plan', auth: { kind: 'worker', roles: caseReaders } },
  writeCasePlan: { method: 'PUT', path: '/api/cases/{caseId}/plan', auth: { kind: 'worker', roles: CASE_WORKING_ROLES } },
  reviewCasePlan: { method: 'POST', path: '/api/cases/{caseId}/plan/reviews', auth: { kind: 'worker', roles: CASE_WORKING_ROLES } },
  planPage: { method: 'GET', path: '/cases/{caseId}/plan', auth: { kind: 'page', roles: caseReaders }, function: pages },
  planForm: { method: 'GET', path: '/cases/{caseId}/plan/edit', auth: { kind: 'page', roles: CASE_WORKING_ROLES }, function: pages },
  writePlan: { method: 'POST', path: '/cases/{caseId}/plan/edit', auth: { kind: 'page', roles: CASE_WORKING_ROLES }, function: pages },
  planReviewForm: {
    method: 'GET',
    path: '/cases/{caseId}/plan/review',
    auth: { kind: 'page', roles: CASE_WORKING_ROLES },
    function: pages,
  },
  reviewPlan: { method: 'POST', path: '/cases/{caseId}/plan/review', auth: { kind: 'page', roles: CASE_WORKING_ROLES }, function: pages },
  // The essentials check (issue 14 Deliver 8): the team's cases with a stale or missing essential, for the team manager.
  teamEssentials: { method: 'GET', path: '/api/cases/team/essentials', auth: { kind: 'worker', roles: CASE_WORKING_ROLES } },
  teamEssentialsPage: { method: 'GET', path: '/cases/essentials', auth: { kind: 'page', roles: CASE_WORKING_ROLES }, function: pages },
  // Motivational interviewing (issue 14 Deliver 6, http/motivation-*.ts): each adult's stage of change per concern, over time.
  caseMotivation: { method: 'GET', path: '/api/cases/{caseId}/motivation', auth: { kind: 'worker', roles: CASE_WORKING_ROLES } },
  recordMotivation: { method: 'POST', path: '/api/cases/{caseId}/motivation', auth: { kind: 'worker', roles: CASE_WORKING_ROLES } },
  motivationPage: { method: 'GET', path: '/cases/{caseId}/motivation', auth: { kind: 'page', roles: CASE_WORKING_ROLES }, function: pages },
  motivationForm: {
    method: 'GET',
    path: '/cases/{caseId}/motivation/new',
    auth: { kind: 'page', roles: CASE_WORKING_ROLES },
    function: pages,
  },
  recordMotivationPage: {
    method: 'POST',
    path: '/cases/{caseId}/motivation/new',
    auth: { kind: 'page', roles: CASE_WORKING_ROLES },
    function: pages,
  },
  // Family group decision making (issue 14 Deliver 7, http/fgdm-*.ts): offered, held, the family's own plan.
  caseFgdm: {
    method: 'GET',
    path: '/api/cases/{caseId}/family-group-decision-making',
    auth: { kind: 'worker', roles: CASE_WORKING_ROLES },
  },
  recordFgdm: {
    method: 'POST',
    path: '/api/cases/{caseId}/family-group-decision-making/{fgdmStep}',
    auth: { kind: 'worker', roles: CASE_WORKING_ROLES },
  },
  fgdmPage: {
    method: 'GET',
    path: '/cases/{caseId}/family-group-decision-making',
    auth: { kind: 'page', roles: CASE_WORKING_ROLES },
    function: pages,
  },
  fgdmForm: {
    method: 'GET',
    path: '/cases/{caseId}/family-group-decision-making/{fgdmStep}',
    auth: { kind: 'page', roles: CASE_WORKING_ROLES },
    function: pages,
  },
  fgdmStepPage: {
    method: 'POST',
    path: '/cases/{caseId}/family-group-decision-making/{fgdmStep}',
    auth: { kind: 'page', roles: CASE_WORKING_ROLES },
    function: pages,
  },
  // The Family Safeguarding workbook (issue 14 Deliver 5, http/workbook-*.ts): chapters and monthly summaries by role, the programme per adult.
  caseWorkbook: { method: 'GET', path: '/api/cases/{caseId}/workbook', auth: { kind: 'worker', roles: CASE_WORKING_ROLES } },
  contributeToWorkbook: {
    method: 'POST',
    path: '/api/cases/{caseId}/workbook/contributions',
    auth: { kind: 'worker', roles: CASE_WORKING_ROLES },
  },
  recordProgrammeModule: {
    method: 'POST',
    path: '/api/cases/{caseId}/workbook/programme',
    auth: { kind: 'worker', roles: CASE_WORKING_ROLES },
  },
  workbookPage: { method: 'GET', path: '/cases/{caseId}/workbook', auth: { kind: 'page', roles: CASE_WORKING_ROLES }, function: pages },
  workbookPrintPage: {
    method: 'GET',
    path: '/cases/{caseId}/workbook/print',
    auth: { kind: 'page', roles: CASE_WORKING_ROLES },
    function: pages,
  },
  contributionForm: {
    method: 'GET',
    path: '/cases/{caseId}/workbook/contribute',
    auth: { kind: 'page', roles: CASE_WORKING_ROLES },
    function: pages,
  },
  contributePage: {
    method: 'POST',
    path: '/cases/{caseId}/workbook/contribute',
    auth: { kind: 'page', roles: CASE_WORKING_ROLES },
    function: pages,
  },
  programmeForm: {
    method: 'GET',
    path: '/cases/{caseId}/workbook/programme',
    auth: { kind: 'page', roles: CASE_WORKING_ROLES },
    function: pages,
  },
  programmePage: {
    method: 'POST',
    path: '/cases/{caseId}/workbook/programme',
    auth: { kind: 'page', roles: CASE_WORKING_ROLES },
    function: pages,
  },
  // What the Children in Need census still needs of a case (issue 14 Deliver 10, http/census-*.ts).
  caseCensus: { method: 'GET', path: '/api/cases/{caseId}/census', auth: { kind: 'worker', roles: caseReaders } },
  censusPage: { method: 'GET', path: '/cases/{caseId}/census', auth: { kind: 'page', roles: caseReaders }, function: pages },
  // Break-glass (issue 12 Deliver 6, ADR 0014 §6): a case worker without a relationship asks to see a case, giving the reason.
  breakGlassApi: { method: 'POST', path: '/api/cases/{caseId}/break-glass', auth: { kind: 'worker', roles: CASE_WORKING_ROLES } },
  breakGlassForm: {
    method: 'GET',
    path: '/cases/{caseId}/break-glass',
    auth: { kind: 'page', roles: CASE_WORKING_ROLES },
    function: pages,
  },
  breakGlass: { method: 'POST', path: '/cases/{caseId}/break-glass', auth: { kind: 'page', roles: CASE_WORKING_ROLES }, function: pages },
} as const satisfies Record<string, HttpRoute>;
