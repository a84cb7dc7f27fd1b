/**
 * The timescales a case's path implies (DOMAIN.md, Time; ADR 0016): the assessment, 45 working
 * days from the referral date; each initial child protection conference, 15 working days from its
 * strategy discussion; each CP review, 3 months after the conference, then 6 months after the last
 * review. Each has a due-soon moment (the morning of the fifth working day before its due day) and
 * an overdue moment (the end of its due day): a timer for each that the state still waits on, fired
 * once by the case-timescales schedule. Pure.
 */

import { byCodeUnits } from '@fsp/shared/order';
import { compareLocalDates, type LocalDate } from '@fsp/shared/time/local-date';
import { endOfLondonDay, startOfLondonDay } from '@fsp/shared/time/london';
import { addWorkingDays } from '@fsp/shared/time/working-days';
import { activeCpPlan, type CasePath, isOpen, pendingConference } from './path';

export const TIMESCALES = ['assessment', 'initial-conference', 'cp-review'] as const;
export type Timescale = (typeof TIMESCALES)[number];

export const TIMESCALE_WORDS: Readonly<Record<Timescale, string>> = {
  assessment: 'Child and Family assessment',
  'initial-conference': 'initial child protection conference',
  'cp-review': 'child protection review',
};

/** How many working days before its due day a timescale is "due soon". */
export const DUE_SOON_WORKING_DAYS = 5;

export const TIMESCALE_MOMENTS = ['due-soon', 'overdue'] as const;
export type TimescaleMoment = (typeof TIMESCALE_MOMENTS)[number];

/** One timescale the path is waiting on now. */
export interface OpenTimescale {
  timescale: Timescale;
  /** Which one: 'assessment', 'conference-<n>' (the strategy discussion's), 'review-<plan>-<n>'. */
  targetId: string;
  dueDate: LocalDate;
  /** The last instant that meets it. */
  dueBy: string;
  /** From when it is due soon. */
  dueSoonFrom: string;
  /** The review's number within its plan (1 is the first review). */
  sequence?: number;
}

export interface TimescaleTimer {
  moment: TimescaleMoment;
  fireAt: string;
  caseId: string;
  timescale: Timescale;
  targetId: string;
}

function openTimescale(timescale: Timescale, targetId: string, dueDate: LocalDate, sequence?: number): OpenTimescale {
  return {
    timescale,
    targetId,
    dueDate,
    dueBy: endOfLondonDay(dueDate).toISOString(),
    dueSoonFrom: startOfLondonDay(addWorkingDays(dueDate, -DUE_SOON_WORKING_DAYS)).toISOString(),
    ...(sequence !== undefined ? { sequence } : {}),
  };
}

/** The timescales the path waits on: none once the case is closed. */
export function openTimescales(path: CasePath): OpenTimescale[] {
  if (!isOpen(path)) return [];
  const open: OpenTimescale[] = [];
  if (!path.assessment) open.push(openTimescale('assessment', 'assessment', path.assessmentDueDate));
  const pending = pendingConference(path);
  if (pending?.conferenceDueDate)
    open.push(openTimescale('initial-conference', `conference-${pending.sequence}`, pending.conferenceDueDate));
  const plan = activeCpPlan(path);
  if (plan?.nextReviewDueDate) {
    const sequence = plan.reviews.length + 1;
    open.push(openTimescale('cp-review', `review-${plan.sequence}-${sequence}`, plan.nextReviewDueDate, sequence));
  }
  return open;
}

/**
 * The soonest deadline a case has: the open timescale due first (the caseload's order and its
 * "Next deadline"), or null when the path waits on none.
 */
export interface NextDeadline {
  timescale: Timescale;
  /** The London calendar day it is due (YYYY-MM-DD), and the last instant that meets it. */
  dueDate: string;
  dueBy: string;
}

export function nextDeadlineOf(path: CasePath): NextDeadline | null {
  const soonest = openTimescales(path).sort((a, b) => byCodeUnits(a.dueBy, b.dueBy))[0];
  return soonest ? { timescale: soonest.timescale, dueDate: soonest.dueDate, dueBy: soonest.dueBy } : null;
}

export const sameDeadline = (a: NextDeadline | null, b: NextDeadline | null): boolean =>
  a === b || (a !== null && b !== null && a.timescale === b.timescale && a.dueBy === b.dueBy);

/** The timers of the open timescales: due soon and overdue for each. */
export function timersOfPath(path: CasePath): TimescaleTimer[] {
  return openTimescales(path).flatMap((open) => [
    { moment: 'due-soon' as const, fireAt: open.dueSoonFrom, caseId: path.caseId, timescale: open.timescale, targetId: open.targetId },
    { moment: 'overdue' as const, fireAt: open.dueBy, caseId: path.caseId, timescale: open.timescale, targetId: open.targetId },
  ]);
}

/** The timer's moment has come: due soon while `now` is within the due-soon window, overdue after the due instant. */
export function momentReached(open: OpenTimescale, moment: TimescaleMoment, now: Date): boolean {
  const at = moment === 'due-soon' ? open.dueSoonFrom : open.dueBy;
  return moment === 'due-soon' ? now.getTime() >= new Date(at).getTime() : now.getTime() > new Date(at).getTime();
}

/** A stored timer is keyed by its instant too (store/items/path.ts): one whose instant moved is another timer. */
const timerId = (timer: Pick<TimescaleTimer, 'caseId' | 'targetId' | 'moment' | 'fireAt'>): string =>
  `${timer.fireAt}#${timer.caseId}#${timer.targetId}#${timer.moment}`;

/** What moves between two states of a path: the timers to remove and the ones to add. */
export function timerChanges(before: CasePath | undefined, after: CasePath): { remove: TimescaleTimer[]; add: TimescaleTimer[] } {
  const previous = before ? timersOfPath(before) : [];
  const next = timersOfPath(after);
  const nextIds = new Set(next.map(timerId));
  const previousIds = new Set(previous.map(timerId));
  return {
    remove: previous.filter((timer) => !nextIds.has(timerId(timer))),
    add: next.filter((timer) => !previousIds.has(timerId(timer))),
  };
}

/** A timescale the path stopped waiting on at a step: met (the step it waited for was recorded) or withdrawn. */
export interface EndedTimescale {
  open: OpenTimescale;
  outcome: 'met' | 'withdrawn';
  /** When met: whether by the end of its due day. */
  onTime?: boolean;
  /** The day the step it waited for took effect (met), or the step's day that ended the wait (withdrawn). */
  on: LocalDate;
}

/** The day the step a timescale waited for was recorded on `path`, if it was. */
function metOn(path: CasePath, open: OpenTimescale): LocalDate | undefined {
  if (open.timescale === 'assessment') return path.assessment?.completedOn;
  if (open.timescale === 'initial-conference') {
    const sequence = Number(/^conference-(\d+)$/.exec(open.targetId)?.[1]);
    const conference = path.strategyDiscussions.find((each) => each.sequence === sequence)?.conference;
    return conference && 'heldOn' in conference ? conference.heldOn : undefined;
  }
  const [, plan, review] = /^review-(\d+)-(\d+)$/.exec(open.targetId) ?? [];
  return path.childProtectionPlans.find((each) => each.sequence === Number(plan))?.reviews[Number(review) - 1]?.heldOn;
}

/**
 * The timescales open before a step and not after it (CaseTimescaleMet, ADR 0016): met when the
 * path now records the step each waited for (on its day, on time if by its due day), otherwise
 * withdrawn on the step's day `on` (conference not required, plan ended, case closed). A target
 * never opens again once ended, so each is told once.
 */
export function timescalesNoLongerOpen(before: CasePath, after: CasePath, on: LocalDate): EndedTimescale[] {
  const still = new Set(openTimescales(after).map((open) => `${open.timescale}#${open.targetId}`));
  return openTimescales(before)
    .filter((open) => !still.has(`${open.timescale}#${open.targetId}`))
    .map((open): EndedTimescale => {
      const met = metOn(after, open);
      return met === undefined
        ? { open, outcome: 'withdrawn', on }
        : { open, outcome: 'met', onTime: compareLocalDates(met, open.dueDate) <= 0, on: met };
    });
}
