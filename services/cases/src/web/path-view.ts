/**
 * What the statutory path's pages show (templates/path.njk and path-step.njk), in words (WEB.md):
 * the case's status, the timescales the path waits on with their due days and where each stands,
 * what has been recorded (the assessment with its census codes and their words, strategy
 * discussions and their conferences, plans, looked after, closure, status changes), and the steps
 * this worker can record now. Which steps the case's state allows is asked of domain/path.ts
 * itself, never restated here. Pure: the clock is passed in.
 */

import type { WorkerClaims } from '@fsp/shared/http/claims';
import { deadlineInWords } from '@fsp/shared/time/deadline-words';
import { londonDateOf } from '@fsp/shared/time/london';
import { localDayText } from '@fsp/shared/time/words';
import { dueStatus } from '@fsp/shared/time/working-days';
import { rolesInWords } from '@fsp/shared/web/navigation';
import type { CaseAccess } from '../domain/access';
import type { CaseRecord } from '../domain/case';
import {
  ASSESSMENT_OUTCOME_WORDS,
  activeCinPlan,
  becomeLookedAfter,
  type CasePath,
  closeCase,
  completeAssessment,
  type PathResult,
  type Recorder,
  recordChildProtectionReview,
  recordConferenceNotRequired,
  recordInitialConference,
  recordStrategyDiscussion,
  type StepContext,
  startChildInNeedPlan,
} from '../domain/path';
import { openTimescales, TIMESCALE_WORDS } from '../domain/path-timescales';
import { MANAGER_STEPS, mayRecord, PATH_STEP_NAMES, type PathStepName } from '../http/path-work';
import type { CaseFile } from '../store/case-store';
import { caseHeaderView, statusInWords } from './case-view';
import { categoryText, closureReasonText, factorText, primaryNeedText } from './path-codes';

export const pathHref = (caseId: string): string => `/cases/${caseId}/path`;
export const stepHref = (caseId: string, step: PathStepName): string => `${pathHref(caseId)}/${step}`;

/** Each step as its link, its form's heading and its button say it. */
export const STEP_WORDS: Readonly<Record<PathStepName, { link: string; heading: string; button: string; managerStep: string }>> = {
  'complete-assessment': {
    link: 'Complete the Child and Family assessment',
    heading: 'Complete the Child and Family assessment',
    button: 'Complete the assessment',
    managerStep: 'complete the assessment',
  },
  'strategy-discussion': {
    link: 'Record a strategy discussion',
    heading: 'Record a strategy discussion',
    button: 'Record the strategy discussion',
    managerStep: 'record a strategy discussion',
  },
  'conference-not-required': {
    link: 'Record that an initial conference is not required',
    heading: 'Record that an initial child protection conference is not required',
    button: 'Record the decision',
    managerStep: 'record that a conference is not required',
  },
  'initial-conference': {
    link: 'Record the initial child protection conference',
    heading: 'Record the initial child protection conference',
    button: 'Record the conference',
    managerStep: 'record the initial conference',
  },
  'cp-review': {
    link: 'Record a child protection review',
    heading: 'Record a child protection review',
    button: 'Record the review',
    managerStep: 'record a child protection review',
  },
  'start-cin-plan': {
    link: 'Start a child in need plan',
    heading: 'Start a child in need plan',
    button: 'Start the plan',
    managerStep: 'start a child in need plan',
  },
  'looked-after': {
    link: 'Record that the child became looked after',
    heading: 'Record that the child became looked after',
    button: 'Record it',
    managerStep: 'record that the child became looked after',
  },
  close: { link: 'Close the case', heading: 'Close the case', button: 'Close the case', managerStep: 'close the case' },
};

/**
 * Whether the case's state lets `step` be recorded now, as domain/path.ts decides it: the step is
 * tried on a plausible answer dated today, and a refusal about the case (field 'case') is the
 * reason it cannot be. Refusals about a field are the form's to show, so they do not hide the link.
 * Trying rather than restating keeps the links and the domain's rules from drifting apart.
 */
export function whyNotNow(path: CasePath, step: PathStepName, now: Date): string | undefined {
  const today = londonDateOf(now);
  const context: StepContext = { now, by: 'availability-check' };
  const tried: Record<PathStepName, () => PathResult> = {
    'complete-assessment': () =>
      completeAssessment(
        path,
        {
          completedOn: today,
          factors: ['21'],
          primaryNeed: 'N0',
          outcome: 'no-further-action',
          familySafeguardingEligible: false,
          summary: '-',
        },
        context,
      ),
    'strategy-discussion': () => recordStrategyDiscussion(path, { heldOn: today, section47: false, reason: '-' }, context),
    'conference-not-required': () => recordConferenceNotRequired(path, { decidedOn: today, reason: '-' }, context),
    'initial-conference': () => recordInitialConference(path, { heldOn: today, outcome: 'no-plan' }, context),
    'cp-review': () => recordChildProtectionReview(path, { heldOn: today, outcome: 'continue', category: 'NEG' }, context),
    'start-cin-plan': () => startChildInNeedPlan(path, { startedOn: today }, context),
    'looked-after': () => becomeLookedAfter(path, { from: today, reason: '-' }, context),
    close: () =>
      closeCase(
        path,
        {
          closedOn: today,
          reasonCode: 'RC7',
          sustainabilityPlan: { people: [{ name: '-', relationship: '-', helps: '-' }], summary: '-' },
          stepDownToEarlyHelp: false,
        },
        context,
      ),
  };
  const result = tried[step]();
  return result.refused && result.field === 'case' ? result.reason : undefined;
}

/** "a, b or c". */
const inWords = (parts: readonly string[]): string =>
  parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} or ${parts.at(-1)}`;

/** "Tuesday 3 December 2026" for a London calendar day. */

const capitalised = (words: string): string => words.charAt(0).toUpperCase() + words.slice(1);

const TIMESCALE_TAGS = {
  overdue: { text: 'Overdue', classes: 'govuk-tag--red' },
  'due-soon': { text: 'Due soon', classes: 'govuk-tag--orange' },
  'on-track': { text: 'On track', classes: 'govuk-tag--green' },
} as const;

export interface TimescaleView {
  title: string;
  tag: { text: string; classes: string };
  /** "Due in 12 working days", "Overdue by 1 working day". */
  text: string;
  /** "Friday 5 February 2027". */
  date: string;
}

/** The timescales the path waits on, as the case overview shows the assessment's: where each stands, in working days, and its day. */
export function timescalesView(path: CasePath, now: Date): TimescaleView[] {
  return openTimescales(path).map((open) => {
    const dueBy = new Date(open.dueBy);
    const state = dueStatus(now, dueBy, { dueSoonWithinMs: Math.max(0, dueBy.getTime() - new Date(open.dueSoonFrom).getTime()) });
    const name = capitalised(TIMESCALE_WORDS[open.timescale]);
    return {
      title: open.sequence !== undefined ? `${name} ${open.sequence}` : name,
      tag: TIMESCALE_TAGS[state],
      text: capitalised(deadlineInWords(now, dueBy).text),
      date: localDayText(open.dueDate),
    };
  });
}

/** What a `?done=` may say of the path as it now is: said only when the path shows that step, so a copied address never claims what did not happen. */
export function doneText(step: string | undefined, path: CasePath, userId: string): string | undefined {
  const lastDiscussion = path.strategyDiscussions.at(-1);
  const lastPlan = path.childProtectionPlans.at(-1);
  switch (step) {
    case 'complete-assessment':
      return path.assessment?.by === userId ? 'The assessment is completed.' : undefined;
    case 'strategy-discussion':
      if (lastDiscussion?.by !== userId) return undefined;
      return lastDiscussion.conferenceDueDate
        ? `The strategy discussion is recorded. The initial child protection conference is due by ${localDayText(lastDiscussion.conferenceDueDate)}.`
        : 'The strategy discussion is recorded.';
    case 'conference-not-required':
      return lastDiscussion?.conference && 'notRequiredOn' in lastDiscussion.conference
        ? 'The section 47 enquiry is concluded without an initial child protection conference.'
        : undefined;
    case 'initial-conference':
      return lastDiscussion?.conference && 'heldOn' in lastDiscussion.conference
        ? 'The initial child protection conference is recorded.'
        : undefined;
    case 'cp-review':
      return lastPlan?.reviews.at(-1)?.by === userId ? 'The child protection review is recorded.' : undefined;
    case 'start-cin-plan':
      return activeCinPlan(path) ? 'The child in need plan has started.' : undefined;
    case 'looked-after':
      return path.status === 'looked-after' ? 'The child is recorded as looked after.' : undefined;
    case 'close':
      return path.closure?.by === userId ? 'The case is closed.' : undefined;
    default:
      return undefined;
  }
}

/** Plain text as paragraphs: blank lines separate them. */
const paragraphsOf = (text: string): string[] =>
  text
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter(Boolean);

/**
 * "Tara Mensah (team manager)": who recorded a step, as the notes name their authors; undefined for a
 * step recorded before names were kept on the path (its chronology entry names them).
 */
export const recorderText = (recorder: Recorder | undefined): string | undefined =>
  recorder === undefined
    ? undefined
    : recorder.roles.length > 0
      ? `${recorder.name} (${rolesInWords(recorder.roles).toLowerCase()})`
      : recorder.name;

/** A sentence's tail naming who recorded it: ". Recorded by Tara Mensah (team manager)", or nothing. */
const recordedBy = (recorder: Recorder | undefined): string => {
  const who = recorderText(recorder);
  return who ? `. Recorded by ${who}` : '';
};

function conferenceText(discussion: CasePath['strategyDiscussions'][number]): string {
  const { conference } = discussion;
  if (!discussion.section47) return 'Not needed: no section 47 enquiry';
  if (!conference) return `Not held yet: due by ${localDayText(discussion.conferenceDueDate ?? discussion.heldOn)}`;
  if ('notRequiredOn' in conference)
    return `Not required (decided on ${localDayText(conference.notRequiredOn)}): ${conference.reason}${recordedBy(conference.recorder)}`;
  return `Held on ${localDayText(conference.heldOn)}: ${conference.outcome === 'cp-plan' ? 'a child protection plan' : 'no child protection plan'}${recordedBy(conference.recorder)}`;
}

/** `{ [key]: recorderText }` when the step names who recorded it, else nothing: a row shown only when there is someone to name. */
const whoRow = <K extends string>(key: K, recorder: Recorder | undefined): Partial<Record<K, string>> => {
  const who = recorderText(recorder);
  return who ? ({ [key]: who } as Record<K, string>) : {};
};

/** The statutory path's page (templates/path.njk), for `claims`'s worker with `access` to the case. */
export function pathPageView(
  file: Pick<CaseFile, 'record'>,
  path: CasePath,
  worker: Pick<WorkerClaims, 'roles' | 'teamId'>,
  access: CaseAccess,
  now: Date,
) {
  const record: CaseRecord = { ...file.record, status: path.status };
  const caseId = record.caseId;
  const header = caseHeaderView(record, 'path');
  const possible = PATH_STEP_NAMES.filter((step) => whyNotNow(path, step, now) === undefined);
  const mayWork = access === 'allocated' || access === 'team-member';
  const managerSteps = mayWork
    ? possible
        .filter((step) => MANAGER_STEPS.has(step) && !mayRecord(step, worker, file, access))
        .map((step) => STEP_WORDS[step].managerStep)
    : [];
  return {
    caseHeader: header,
    overviewHref: `/cases/${caseId}`,
    chronologyHref: `/cases/${caseId}/chronology`,
    status: { text: statusInWords(path.status), classes: header.statusClasses },
    referralDate: localDayText(path.referralDate),
    ...(path.familySafeguardingFlag !== undefined
      ? { familySafeguardingFlag: path.familySafeguardingFlag ? 'Flagged as eligible at the front door' : 'Not flagged at the front door' }
      : {}),
    timescales: timescalesView(path, now),
    actions: possible
      .filter((step) => mayRecord(step, worker, file, access))
      .map((step) => ({ href: stepHref(caseId, step), text: STEP_WORDS[step].link })),
    // Steps the case is ready for that only its team manager records: said, so a social worker knows who to ask.
    ...(managerSteps.length > 0 ? { managerSteps: `Only the team manager can ${inWords(managerSteps)}.` } : {}),
    ...(path.assessment
      ? {
          assessment: {
            completedOn: localDayText(path.assessment.completedOn),
            factors: path.assessment.factors.map(factorText),
            primaryNeed: primaryNeedText(path.assessment.primaryNeed),
            outcome: capitalised(ASSESSMENT_OUTCOME_WORDS[path.assessment.outcome]),
            familySafeguarding: path.assessment.familySafeguardingEligible ? 'Eligible' : 'Not eligible',
            summary: paragraphsOf(path.assessment.summary),
            ...whoRow('authorisedBy', path.assessment.recorder),
          },
        }
      : {}),
    strategyDiscussions: path.strategyDiscussions.map((discussion) => ({
      title: `Strategy discussion ${discussion.sequence}`,
      heldOn: localDayText(discussion.heldOn),
      section47: discussion.section47 ? 'Yes: a section 47 enquiry started' : 'No',
      reason: paragraphsOf(discussion.reason),
      conference: conferenceText(discussion),
      ...whoRow('recordedBy', discussion.recorder),
    })),
    childProtectionPlans: path.childProtectionPlans.map((plan) => ({
      title: `Child protection plan ${plan.sequence}`,
      startedOn: localDayText(plan.startedOn),
      initialCategory: categoryText(plan.initialCategory),
      latestCategory: categoryText(plan.latestCategory),
      reviews: plan.reviews.map(
        (review) =>
          `Review ${review.sequence}, ${localDayText(review.heldOn)}: ${review.outcome === 'continue' ? 'the plan continues' : 'stepped down to a child in need plan'} (${categoryText(review.category)})${recordedBy(review.recorder)}`,
      ),
      ...(plan.nextReviewDueDate && !plan.endedOn ? { nextReviewDue: localDayText(plan.nextReviewDueDate) } : {}),
      ...(plan.endedOn ? { ended: `${localDayText(plan.endedOn)}${plan.endReason ? `: ${plan.endReason}` : ''}` } : {}),
    })),
    childInNeedPlans: path.childInNeedPlans.map((plan) => ({
      title: `Child in need plan ${plan.sequence}`,
      text: `Started ${localDayText(plan.startedOn)}${plan.endedOn ? `, ended ${localDayText(plan.endedOn)}` : ''}`,
    })),
    ...(path.lookedAfterFrom ? { lookedAfterFrom: localDayText(path.lookedAfterFrom) } : {}),
    ...(path.closure
      ? {
          closure: {
            closedOn: localDayText(path.closure.closedOn),
            reason: closureReasonText(path.closure.reasonCode),
            people: path.closure.sustainabilityPlan.people,
            summary: paragraphsOf(path.closure.sustainabilityPlan.summary),
            stepDownToEarlyHelp: path.closure.stepDownToEarlyHelp ? 'Yes' : 'No',
            ...whoRow('closedBy', path.closure.recorder),
          },
        }
      : {}),
    statusChanges: [...path.statusChanges].reverse().map((change) => ({
      change: `${statusInWords(change.from)} to ${statusInWords(change.to)}`,
      on: localDayText(change.on),
      reason: change.reason,
      ...whoRow('by', change.recorder),
    })),
  };
}

export type PathPageView = ReturnType<typeof pathPageView>;
