/**
 * What the plan's page shows (templates/plan.njk), in words (WEB.md): the goals in the family's own
 * words, who does what by when, the latest progress against each goal, when the plan is next
 * reviewed (a red tag once that day has passed), and its reviews, latest first. Pure: the clock is
 * passed in.
 */
import { deadlineInWords } from '@fsp/shared/time/deadline-words';
import type { LocalDate } from '@fsp/shared/time/local-date';
import { endOfLondonDay } from '@fsp/shared/time/london';
import { londonDateText } from '@fsp/shared/time/london-words';
import { localDayText } from '@fsp/shared/time/words';
import type { CaseAccess } from '../domain/access';
import { type CasePlan, type GoalProgress, PROGRESS_WORDS, type ProgressRating } from '../domain/plan';
import { mayWritePlan } from '../http/plan-work';
import type { CaseFile } from '../store/case-store';
import { caseHeaderView } from './case-view';

export const planHref = (caseId: string): string => `/cases/${caseId}/plan`;
export const planEditHref = (caseId: string): string => `${planHref(caseId)}/edit`;
export const planReviewHref = (caseId: string): string => `${planHref(caseId)}/review`;

export const PROGRESS_TAG_CLASSES: Readonly<Record<ProgressRating, string>> = {
  'not-started': 'govuk-tag--grey',
  'some-progress': 'govuk-tag--yellow',
  'good-progress': 'govuk-tag--blue',
  achieved: 'govuk-tag--green',
};

const progressView = (progress: GoalProgress) => ({
  tag: { text: PROGRESS_WORDS[progress.rating], classes: PROGRESS_TAG_CLASSES[progress.rating] },
  ...(progress.note.trim() ? { note: progress.note } : {}),
});

/** A text as paragraphs: blank lines separate them. */
const paragraphsOf = (text: string): string[] =>
  text
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter(Boolean);

/** When the plan is next reviewed: its day and, in words, "due in 5 working days" or "overdue by 1 working day" (a red tag). */
export function nextReviewView(nextReviewDate: LocalDate, now: Date) {
  const words = deadlineInWords(now, endOfLondonDay(nextReviewDate));
  return {
    date: localDayText(nextReviewDate),
    /** "due in 5 working days", "overdue by 8 working days". */
    text: words.text,
    overdue: words.state === 'overdue',
  };
}

/** The header every page of the plan shows: the case's, with the plan as the current page of its sub-navigation. */
export function planHeaderView(record: CaseFile['record']) {
  return caseHeaderView(record, 'plan');
}

/** The plan's page for a worker with `access` to the case. */
export function planPageView(file: Pick<CaseFile, 'record' | 'plan'>, access: CaseAccess, now: Date) {
  const { record, plan } = file;
  const caseId = record.caseId;
  const mayWrite = mayWritePlan(access);
  return {
    caseHeader: planHeaderView(record),
    overviewHref: `/cases/${caseId}`,
    chronologyHref: `/cases/${caseId}/chronology`,
    ...(mayWrite ? { editHref: planEditHref(caseId) } : {}),
    ...(mayWrite && plan ? { reviewHref: planReviewHref(caseId) } : {}),
    ...(plan ? { plan: planView(plan, now) } : {}),
  };
}

function planView(plan: CasePlan, now: Date) {
  const latest = plan.reviews.at(-1);
  const goalNumber = new Map(plan.goals.map((goal, index) => [goal.goalId, index + 1]));
  return {
    agreedOn: localDayText(plan.agreedOn),
    lastChanged: `Last changed ${londonDateText(new Date(plan.updatedAt))} by ${plan.updatedBy.name}`,
    nextReview: nextReviewView(plan.nextReviewDate, now),
    goals: plan.goals.map((goal, index) => {
      const progress = latest?.progress.find((each) => each.goalId === goal.goalId);
      return {
        title: `Goal ${index + 1}`,
        words: paragraphsOf(goal.inFamilysWords),
        actions: goal.actions.map((action) => ({ what: action.what, who: action.who, byWhen: localDayText(action.byWhen) })),
        ...(progress && latest ? { progress: { ...progressView(progress), reviewedOn: localDayText(latest.reviewedOn) } } : {}),
      };
    }),
    reviews: [...plan.reviews].reverse().map((review) => ({
      title: `Review ${review.sequence}: ${localDayText(review.reviewedOn)}`,
      by: review.by.name,
      summary: paragraphsOf(review.summary),
      progress: review.progress.map((progress) => ({
        goal: goalNumber.has(progress.goalId) ? `Goal ${goalNumber.get(progress.goalId)}` : 'A goal no longer in the plan',
        ...progressView(progress),
      })),
      nextReviewDate: localDayText(review.nextReviewDate),
    })),
  };
}

/** The banner after a write, said only when it is so: the plan's last change is this worker's, of that kind. */
export function planDoneText(done: string | undefined, plan: CasePlan | undefined, userId: string): string | undefined {
  if (!plan || plan.updatedBy.userId !== userId) return undefined;
  if (done === 'agreed') return 'The plan is saved. The chronology records it.';
  if (done === 'reviewed' && plan.reviews.at(-1)?.by.userId === userId)
    return `The review is recorded. The next review is due by ${localDayText(plan.nextReviewDate)}.`;
  return undefined;
}
