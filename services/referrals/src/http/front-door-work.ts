/**
 * Screening and the decision as the front door makes them, whether through its JSON API
 * (front-door.ts) or its pages (front-door-pages.ts): the referral read, the domain rule applied
 * (domain/decision.ts), the change saved against the version read with its events, in one
 * transaction. Each answers what happened as a value; the JSON API turns refusals into 404 and 409,
 * the pages into a page saying what changed.
 *
 * A request names no version, so a save that lost to another write (most often the known-family
 * check recording its matches just after intake) is worked out again from a fresh read: the domain
 * rules then see whatever won, a decision or another worker's screening included. Only a referral
 * that keeps changing is `kept-changing`.
 */
import type { BuildEventContext } from '@fsp/shared/events/build';
import { buildEvent } from '@fsp/shared/events/build';
import { referralAcceptedV1, referralDecidedV1 } from '@fsp/shared/events/definitions/referrals';
import { recordMetric } from '@fsp/shared/metrics';
import type { OutboundEvent } from '@fsp/shared/outbox';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { type Actor, AlreadyDecided, type DecisionInput, decideReferral, ScreenedByAnother, startScreening } from '../domain/decision';
import { referralAcceptedData, referralDecidedData } from '../domain/events';
import { caseReferencesOf } from '../domain/known-family';
import type { Decision, Referral } from '../domain/referral';
import { createReferralsStore, ReferralChanged, type StoredReferral } from '../store/referrals-store';

/** How many times a change is worked out again on a fresh read after losing to a concurrent write. */
const FRESH_READ_ATTEMPTS = 3;

/** Refusals both kinds of change can meet; `referral` is the referral as it stands. */
export type Refusal =
  | { kind: 'not-found' }
  | { kind: 'already-decided'; referral: StoredReferral }
  | { kind: 'kept-changing'; referral: StoredReferral };

export type ScreeningResult =
  /** `changed` is false when the same worker was already screening it. */
  { kind: 'screening'; referral: Referral; changed: boolean } | { kind: 'screened-by-another'; referral: StoredReferral } | Refusal;

export type DecisionResult = { kind: 'decided'; referral: Referral; decision: Decision } | Refusal;

export function createFrontDoorWork(runtime: ServiceRuntime) {
  const store = createReferralsStore(runtime.documents, runtime.tableName);

  /**
   * Reads the referral (the first time, `alreadyRead` when the caller has just read it) and makes
   * one change to it, saved against the version read; a save that lost to a concurrent write is
   * worked out again from a fresh read.
   */
  async function changeLatest<T>(
    referralId: string,
    alreadyRead: StoredReferral | undefined,
    change: (referral: StoredReferral) => Promise<T>,
  ): Promise<T | Refusal> {
    let read = alreadyRead;
    for (let attempt = 1; ; attempt += 1) {
      const referral = read ?? (await store.get(referralId));
      read = undefined;
      if (!referral) return { kind: 'not-found' };
      try {
        return await change(referral);
      } catch (error) {
        if (error instanceof AlreadyDecided) return { kind: 'already-decided', referral };
        if (!(error instanceof ReferralChanged)) throw error;
        if (attempt < FRESH_READ_ATTEMPTS) continue;
        return { kind: 'kept-changing', referral: (await store.get(referralId)) ?? referral };
      }
    }
  }

  /**
   * The reference of the open case a referral is added to, found as the decision form offered the
   * case: among its known-family matches' cases, as they stand now. Read only for that outcome.
   */
  async function existingCaseReference(referral: Referral, input: DecisionInput): Promise<string | undefined> {
    if (!input.existingCaseId || referral.status === 'decided') return undefined;
    const matches = await store.familyIndex.withCurrentState(referral.familyMatches ?? []);
    return caseReferencesOf(referral, matches).get(input.existingCaseId);
  }

  return {
    /** received → in-screening by `by`; the same worker again changes nothing. */
    screen(referralId: string, by: Actor, alreadyRead?: StoredReferral): Promise<ScreeningResult> {
      return changeLatest(referralId, alreadyRead, async (referral): Promise<ScreeningResult> => {
        let screened: ReturnType<typeof startScreening>;
        try {
          screened = startScreening(referral, by);
        } catch (error) {
          if (error instanceof ScreenedByAnother) return { kind: 'screened-by-another', referral };
          throw error;
        }
        if (!screened.changed) return { kind: 'screening', referral, changed: false };
        await store.saveChanged(screened.referral, referral.version, [], by.now);
        runtime.logger.info('referral in screening', { referralId: referral.referralId });
        return { kind: 'screening', referral: screened.referral, changed: true };
      });
    },

    /** The decision, with ReferralDecided and, when the family goes to a team, ReferralAccepted, in the same transaction. */
    decide(
      referralId: string,
      input: DecisionInput,
      by: Actor,
      context: BuildEventContext,
      alreadyRead?: StoredReferral,
    ): Promise<DecisionResult> {
      return changeLatest(referralId, alreadyRead, async (referral): Promise<DecisionResult> => {
        const reference = await existingCaseReference(referral, input);
        const decided = decideReferral(referral, input, by, reference ? { existingCaseReference: reference } : {});
        const events: OutboundEvent[] = [buildEvent(referralDecidedV1, referralDecidedData(referral, decided.decision), context)];
        if (decided.handover) {
          events.push(buildEvent(referralAcceptedV1, referralAcceptedData(referral, decided.decision, decided.handover), context));
        }
        await store.saveChanged(decided.referral, referral.version, events, by.now);
        runtime.logger.info('referral decided', { referralId: referral.referralId, outcome: decided.decision.outcome });
        // On time: decided by the deadline set at intake (one working day, DOMAIN.md Referrals 4).
        const onTime = Date.parse(decided.decision.decidedAt) <= Date.parse(referral.decisionDueBy);
        recordMetric('ReferralsDecided', { outcome: decided.decision.outcome, timeliness: onTime ? 'on-time' : 'late' });
        return { kind: 'decided', referral: decided.referral, decision: decided.decision };
      });
    },
  };
}

export type FrontDoorWork = ReturnType<typeof createFrontDoorWork>;
