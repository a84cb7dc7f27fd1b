/**
 * Never a stale notification (issue 15, Bad input): each timed thing a worker is reminded of — a
 * case's statutory timescale, a group supervision, a supervision action, a referral's decision — has
 * a lifecycle keyed by its natural key, and a reminder is told only while it moves the thing forward.
 * Pure: the store keeps the state (src/store/progress-store.ts) and asks these rules.
 *
 * - Stages only move on: due soon < overdue < escalated. A fact of a stage below the one reached
 *   (a due-soon arriving after the overdue) tells nobody; a fact of the stage reached tells again,
 *   so that a retried delivery after a crash still completes (the inbox's fact keys make the repeat
 *   a no-op).
 * - Done is final: once its "done" fact arrives (met, held, completed, decided, the case closed),
 *   nothing more is told about the thing, whichever order the facts came in.
 * - A breach (overdue to the team managers) still open `escalationWorkingDays` working days later is
 *   escalated to the service manager(s), once; done first, it never is.
 */
import { londonDateOf, londonWallClockInstant, londonWallClockOf } from '@fsp/shared/time/london';
import { addWorkingDays } from '@fsp/shared/time/working-days';

export const STAGES = ['due-soon', 'overdue', 'escalated'] as const;
export type Stage = (typeof STAGES)[number];

/** The order stages move in (1, 2, 3): what the store compares. */
export const stageRank = (stage: Stage): number => STAGES.indexOf(stage) + 1;

/** Where a thing's lifecycle stands: the highest stage told so far (0: none), and whether it is done. */
export interface Progress {
  rank: number;
  done: boolean;
}

export const NOT_STARTED: Progress = { rank: 0, done: false };

/** Whether a fact of `stage` still tells anybody: the thing is not done and has not moved past it. */
export const mayTell = (progress: Progress, stage: Stage): boolean => !progress.done && stageRank(stage) >= progress.rank;

/** The lifecycle after a fact of `stage` (unchanged when it tells nobody). */
export const advanced = (progress: Progress, stage: Stage): Progress =>
  mayTell(progress, stage) ? { rank: Math.max(progress.rank, stageRank(stage)), done: false } : progress;

/** The lifecycle once its done fact arrived: final. */
export const finished = (progress: Progress): Progress => ({ rank: progress.rank, done: true });

/**
 * A timed thing by its natural key. Things of a case share the case's partition, so that the case's
 * closure closes all of them; a referral's decision is a thing of its own.
 */
export interface TimedThing {
  /** `CASE#<caseId>` or `REFERRAL#<referralId>`. */
  scope: string;
  /** Unique within the scope: `timescale#<targetId>`, `supervision#<id>`, `action#<id>`, `decision`. */
  name: string;
  /** Present for a thing of a case: the case whose closure ends it. */
  caseId?: string;
}

export const caseTimescaleThing = (caseId: string, targetId: string): TimedThing => ({
  scope: `CASE#${caseId}`,
  name: `timescale#${targetId}`,
  caseId,
});
export const supervisionThing = (caseId: string, supervisionId: string): TimedThing => ({
  scope: `CASE#${caseId}`,
  name: `supervision#${supervisionId}`,
  caseId,
});
export const actionThing = (caseId: string, actionId: string): TimedThing => ({
  scope: `CASE#${caseId}`,
  name: `action#${actionId}`,
  caseId,
});
export const referralDecisionThing = (referralId: string): TimedThing => ({ scope: `REFERRAL#${referralId}`, name: 'decision' });

/** The assessment is the case timescale whose targetId is 'assessment' (CaseTimescaleDueSoon's contract). */
export const ASSESSMENT_TARGET_ID = 'assessment';

/**
 * When a breach still open goes to the service manager: `workingDays` working days after the London
 * day it was breached, at the same London time (a breach found at 00:15 on a Thursday, 5 working
 * days: 00:15 the next Thursday; on a Saturday: 00:15 on the Friday after). A time the clocks skip
 * that day is taken an hour later.
 */
export function escalateAtOf(breachedAt: Date, workingDays: number): Date {
  const day = addWorkingDays(londonDateOf(breachedAt), workingDays);
  const wall = londonWallClockOf(breachedAt);
  try {
    return londonWallClockInstant(day, wall.hour, wall.minute);
  } catch {
    return londonWallClockInstant(day, (wall.hour + 1) % 24, wall.minute);
  }
}

/** What the service manager is told of a breach: recorded with it, so the sweep needs nothing else. */
export interface BreachNotice {
  /** The team that holds the case (or the front door). */
  teamId: string;
  reference: string;
  /** What is overdue, by reference only: "the assessment of case FSP-2026-000123", "the decision on referral FSP-…". */
  what: string;
  /** When it was due, in words: "Tuesday 17 February 2026", "the end of Tuesday 6 January 2026". */
  dueText: string;
  link: string;
  /** The fact that breached it: the escalation's correlation. */
  correlationId: string;
  breachedAt: string;
}
