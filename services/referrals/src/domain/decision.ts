/**
 * The front door's decision (DOMAIN.md, Referrals 4). Every outcome needs a reason the referrer
 * can be told; the outcomes that hand the family to a case-holding team name the team, and adding
 * to an open case names the case.
 */

import { ACCEPTED_OUTCOMES, type AcceptedOutcome, REFERRAL_OUTCOMES } from '@fsp/shared/events/codes';
import { idSchema } from '@fsp/shared/events/definitions/common';
import * as z from 'zod/mini';
import type { Decision, Referral } from './referral';

const acceptedOutcomes: ReadonlySet<string> = new Set(ACCEPTED_OUTCOMES);
export const isAcceptedOutcome = (outcome: string): outcome is AcceptedOutcome => acceptedOutcomes.has(outcome);

export const decisionInputSchema = z
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

export function decideReferral(referral: Referral, input: DecisionInput, by: { userId: string; now: Date }): DecidedReferral {
  if (referral.status === 'decided') throw new AlreadyDecided(referral);
  const decision: Decision = {
    outcome: input.outcome,
    reason: input.reason,
    decidedAt: by.now.toISOString(),
    decidedBy: by.userId,
    ...(input.teamId && isAcceptedOutcome(input.outcome) ? { teamId: input.teamId } : {}),
    ...(input.existingCaseId ? { existingCaseId: input.existingCaseId } : {}),
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
