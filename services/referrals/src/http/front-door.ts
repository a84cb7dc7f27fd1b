/**
 * The front door (routes.ts: the `front-door` role, checked before this code runs): its queue of
 * referrals awaiting a decision (soonest due first, each with its known-family matches and Family
 * Safeguarding flag), each referral, screening, and the decision.
 * `knownFamilyCheck` says whether the check that follows intake has run yet ('pending' for the
 * moment after a referral arrives, then 'done'), so that no matches never reads as "not known"
 * before the check has looked.
 * A request makes a bounded number of round trips: the queue or the referral, then one BatchGet
 * per 100 earlier referrals its matches name (for their current status, outcome and case).
 */
import { buildEvent } from '@fsp/shared/events/build';
import { idSchema } from '@fsp/shared/events/definitions/common';
import { referralAcceptedV1, referralDecidedV1 } from '@fsp/shared/events/definitions/referrals';
import { Conflict, NotFound } from '@fsp/shared/http/errors';
import { defineRoute, json, type Route } from '@fsp/shared/http/handler';
import type { OutboundEvent } from '@fsp/shared/outbox';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import * as z from 'zod/mini';
import { AlreadyDecided, decideReferral, decisionInputSchema, ScreenedByAnother, startScreening } from '../domain/decision';
import { referralAcceptedData, referralDecidedData } from '../domain/events';
import type { KnownFamilyMatch } from '../domain/known-family';
import type { Referral } from '../domain/referral';
import { createReferralsStore, ReferralChanged, type StoredReferral } from '../store/referrals-store';
import { requestEventContext } from './event-context';
import { routes } from './routes';

const QUEUE_PAGE = 100;

const referralIdParams = z.object({ referralId: idSchema });

/** What a match shows: how strong, which earlier referral (reference, received), where it stands, and its case if one is open. */
const matchView = (match: KnownFamilyMatch) => ({
  childId: match.childId,
  strength: match.strength,
  referralId: match.referralId,
  reference: match.reference,
  receivedAt: match.receivedAt,
  matchedChildId: match.matchedChildId,
  ...(match.status ? { status: match.status } : {}),
  ...(match.outcome ? { outcome: match.outcome } : {}),
  ...(match.caseId ? { caseId: match.caseId } : {}),
});

const screeningView = (referral: Referral) => ({
  id: referral.referralId,
  reference: referral.reference,
  status: referral.status,
  ...(referral.screening ? { screening: referral.screening } : {}),
});

/** How many times a change is worked out again on a fresh read after losing to a concurrent write. */
const FRESH_READ_ATTEMPTS = 3;

export function frontDoorRoutes(runtime: ServiceRuntime): Route[] {
  const store = createReferralsStore(runtime.documents, runtime.tableName);

  /**
   * Reads the referral and makes one change to it, saved against the version read. A worker's
   * request names no version, so a save that lost to another write (most often the known-family
   * check recording its matches just after intake) is worked out again from a fresh read: the
   * domain rules then see whatever won, a decision or another worker's screening included. Only
   * a referral that keeps changing answers 409.
   */
  async function changeLatest<T>(referralId: string, whileYouWere: string, change: (referral: StoredReferral) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      const referral = await store.get(referralId);
      if (!referral) throw new NotFound(`There is no referral ${referralId}.`);
      try {
        return await change(referral);
      } catch (error) {
        if (!(error instanceof ReferralChanged)) throw error;
        if (attempt < FRESH_READ_ATTEMPTS) continue;
        throw new Conflict(`Referral ${referral.reference} changed while you were ${whileYouWere}; reload it and try again.`, {
          extensions: { referralId: referral.referralId },
        });
      }
    }
  }

  return [
    defineRoute(routes.frontDoorQueue, {
      handle: async () => {
        const queue = await store.awaitingDecision(QUEUE_PAGE);
        const matches = await store.familyIndex.withCurrentState(queue.flatMap((entry) => entry.familyMatches ?? []));
        const matchesOf = new Map<string, KnownFamilyMatch[]>();
        let next = 0;
        for (const entry of queue) {
          const count = entry.familyMatches?.length ?? 0;
          matchesOf.set(entry.referralId, matches.slice(next, next + count));
          next += count;
        }
        return json(200, {
          referrals: queue.map(({ familyMatches, ...entry }) => ({
            ...entry,
            knownFamilyCheck: familyMatches ? 'done' : 'pending',
            knownFamily: (matchesOf.get(entry.referralId) ?? []).map(matchView),
          })),
        });
      },
    }),

    defineRoute(routes.frontDoorReferral, {
      params: referralIdParams,
      handle: async (request) => {
        const referral = await store.get(request.params.referralId);
        if (!referral) throw new NotFound(`There is no referral ${request.params.referralId}.`);
        const { version: _version, familyMatches, decisionDueNotifiedAt: _due, decisionOverdueNotifiedAt: _overdue, ...visible } = referral;
        const knownFamily = (await store.familyIndex.withCurrentState(familyMatches ?? [])).map(matchView);
        return json(200, { ...visible, id: referral.referralId, knownFamilyCheck: familyMatches ? 'done' : 'pending', knownFamily });
      },
    }),

    defineRoute(routes.startScreening, {
      params: referralIdParams,
      acceptForm: true,
      handle: async (request) => {
        const now = runtime.clock();
        return changeLatest(request.params.referralId, 'picking it up', async (referral) => {
          let screened: ReturnType<typeof startScreening>;
          try {
            screened = startScreening(referral, { userId: request.claims.userId, now });
          } catch (error) {
            if (error instanceof AlreadyDecided) {
              throw new Conflict(`Referral ${referral.reference} was already decided.`, {
                extensions: { referralId: referral.referralId },
              });
            }
            if (error instanceof ScreenedByAnother) {
              throw new Conflict(`Referral ${referral.reference} is already being screened.`, {
                extensions: { referralId: referral.referralId, screening: referral.screening },
              });
            }
            throw error;
          }
          if (!screened.changed) return json(200, screeningView(referral));
          await store.saveChanged(screened.referral, referral.version, [], now);
          runtime.logger.info('referral in screening', { referralId: referral.referralId });
          return json(200, screeningView(screened.referral));
        });
      },
    }),

    defineRoute(routes.decideReferral, {
      params: referralIdParams,
      body: decisionInputSchema,
      acceptForm: true,
      handle: async (request) => {
        const now = runtime.clock();
        return changeLatest(request.params.referralId, 'deciding it', async (referral) => {
          let decided: ReturnType<typeof decideReferral>;
          try {
            decided = decideReferral(referral, request.body, { userId: request.claims.userId, now });
          } catch (error) {
            if (error instanceof AlreadyDecided) {
              throw new Conflict(`Referral ${referral.reference} was already decided.`, {
                extensions: { referralId: referral.referralId },
              });
            }
            throw error;
          }
          const context = requestEventContext(request, now);
          const events: OutboundEvent[] = [buildEvent(referralDecidedV1, referralDecidedData(referral, decided.decision), context)];
          if (decided.handover) {
            events.push(buildEvent(referralAcceptedV1, referralAcceptedData(referral, decided.decision, decided.handover), context));
          }
          await store.saveChanged(decided.referral, referral.version, events, now);
          runtime.logger.info('referral decided', { referralId: referral.referralId, outcome: decided.decision.outcome });
          return json(200, {
            id: referral.referralId,
            reference: referral.reference,
            status: decided.referral.status,
            decision: decided.decision,
          });
        });
      },
    }),
  ];
}
