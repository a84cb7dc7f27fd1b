/**
 * The front door's decision (DOMAIN.md, Referrals 4). Every outcome needs a reason the referrer
 * can be told; the outcomes that hand the family to a case-holding team name the team, and adding
 * to an open case names the case.
 */

import { ACCEPTED_OUTCOMES, type AcceptedOutcome, REFERRAL_OUTCOMES } from '@fsp/shared/events/codes';
import { idSchema } from '@fsp/shared/events/definitions/common';
import { londonDateOf, londonWallClockInstant } from '@fsp/shared/time/london';
import * as z from 'zod/mini';
import type { Decision, Referral } from './referral';

const acceptedOutcomes: ReadonlySet<string> = new Set(ACCEPTED_OUTCOMES);
export const isAcceptedOutcome = (outcome: string): outcome is AcceptedOutcome => acceptedOutcomes.has(outcome);

export const decisionInputSchema = z.lazy(() =>
  z
    .object({
      outcome: z.enum(REFERRAL_OUTCOMES, `must be one of ${REFERRAL_OUTCOMES.join(', ')}`),
      reason: z.string().check(z.trim(), z.minLength(1, 'give the reason; the referrer is told it'), z.maxLength(2000)),
      teamId: z.optional(idSchema),
      existingCaseId: z.optional(idSchema),
    })
    .check(
      z.refine((input) => !isAcceptedOutcome(input.outcome) || input.teamId !== undefined, {
        message: 'name the team that will hold the case',
        path: ['teamId'],
      }),
      z.refine((input) => input.outcome !== 'added-to-open-case' || input.existingCaseId !== undefined, {
        message: 'name the open case the referral is added to',
        path: ['existingCaseId'],
      }),
      z.refine((input) => input.outcome === 'added-to-open-case' || input.existingCaseId === undefined, {
        message: 'only a referral added to an open case names one',
        path: ['existingCaseId'],
      }),
    ),
);

export type DecisionInput = z.output<typeof decisionInputSchema>;

export class AlreadyDecided extends Error {
  override readonly name = 'AlreadyDecided';
  constructor(readonly referral: Referral) {
    super(`referral ${referral.reference} was already decided (${referral.decision?.outcome})`);
  }
}

export interface Handover {
  outcome: AcceptedOutcome;
  /** Section 47 strategy discussions are urgent. */
  urgent: boolean;
  teamId: string;
  existingCaseId?: string;
}

export interface DecidedReferral {
  referral: Referral;
  decision: Decision;
  /** Present when the outcome needs a case-holding team. */
  handover?: Handover;
}

/** Who acts, and when: the user id is what records are keyed by, the name what colleagues read. */
export interface Actor {
  userId: string;
  name?: string;
  now: Date;
}

/**
 * `known.existingCaseReference`: the reference of the open case the referral is added to, when the
 * caller knows it (the known-family matches that offered the case), kept so that pages name the case by it.
 */
export function decideReferral(
  referral: Referral,
  input: DecisionInput,
  by: Actor,
  known: { existingCaseReference?: string } = {},
): DecidedReferral {
  if (referral.status === 'decided') throw new AlreadyDecided(referral);
  const decision: Decision = {
    outcome: input.outcome,
    reason: input.reason,
    decidedAt: by.now.toISOString(),
    decidedBy: by.userId,
    ...(by.name ? { decidedByName: by.name } : {}),
    ...(input.teamId && isAcceptedOutcome(input.outcome) ? { teamId: input.teamId } : {}),
    ...(input.existingCaseId ? { existingCaseId: input.existingCaseId } : {}),
    ...(input.existingCaseId && known.existingCaseReference ? { existingCaseReference: known.existingCaseReference } : {}),
  };
  const decided: Referral = { ...referral, status: 'decided', decision, version: referral.version + 1 };
  if (!isAcceptedOutcome(input.outcome)) return { referral: decided, decision };
  // The schema guarantees a team for every accepted outcome; a caller that skipped it is a bug.
  if (!input.teamId) throw new Error(`decision ${input.outcome} needs a team`);
  return {
    referral: decided,
    decision,
    handover: {
      outcome: input.outcome,
      urgent: input.outcome === 'strategy-discussion',
      teamId: input.teamId,
      ...(input.existingCaseId ? { existingCaseId: input.existingCaseId } : {}),
    },
  };
}

export class ScreenedByAnother extends Error {
  override readonly name = 'ScreenedByAnother';
  constructor(readonly referral: Referral) {
    super(`referral ${referral.reference} is being screened by ${referral.screening?.startedBy}`);
  }
}

/**
 * A front-door worker picks a referral up: received → in-screening, recording who and when. Asking
 * again as the same worker changes nothing (`changed: false`); another worker is refused (they see
 * who holds it), and so is a decided referral.
 */
export function startScreening(referral: Referral, by: Actor): { referral: Referral; changed: boolean } {
  if (referral.status === 'decided') throw new AlreadyDecided(referral);
  if (referral.status === 'in-screening') {
    if (referral.screening?.startedBy === by.userId) return { referral, changed: false };
    throw new ScreenedByAnother(referral);
  }
  return {
    referral: {
      ...referral,
      status: 'in-screening',
      screening: { startedBy: by.userId, ...(by.name ? { startedByName: by.name } : {}), startedAt: by.now.toISOString() },
      version: referral.version + 1,
    },
    changed: true,
  };
}

/**
 * The reminders of the decision deadline (DOMAIN.md, Time; ADR in docs/adr):
 * - ReferralDecisionDue from 12:00 London time on the due day (the working day by whose end the
 *   decision is due) until the deadline: the front door has the afternoon to decide;
 * - ReferralDecisionOverdue once the deadline has passed.
 * Each at most once per referral; an undecided referral whose due window was missed (the schedule
 * did not run) gets only the overdue one. The due day is always a working day (workingDayDeadline),
 * so the reminder never falls on a weekend or bank holiday.
 */
export const DECISION_DUE_REMINDER_HOUR = 12;

/** The instant ReferralDecisionDue becomes due: 12:00 London on the London day of `decisionDueBy`. */
export function decisionReminderFrom(decisionDueBy: Date): Date {
  return londonWallClockInstant(londonDateOf(decisionDueBy), DECISION_DUE_REMINDER_HOUR, 0);
}

/**
 * The longest time between a reminder and its deadline (12:00 to the end of the day, 12 hours on
 * every London day, the clock changes being at 01:00): the schedule reads the queue up to now plus this.
 */
export const DECISION_REMINDER_LEAD_MS = 12 * 60 * 60 * 1000;

export type DecisionReminder = 'due' | 'overdue';

export function decisionReminderFor(referral: Referral, now: Date): DecisionReminder | undefined {
  if (referral.status === 'decided') return undefined;
  const dueBy = new Date(referral.decisionDueBy);
  if (now.getTime() > dueBy.getTime()) return referral.decisionOverdueNotifiedAt ? undefined : 'overdue';
  if (now.getTime() >= decisionReminderFrom(dueBy).getTime()) return referral.decisionDueNotifiedAt ? undefined : 'due';
  return undefined;
}
