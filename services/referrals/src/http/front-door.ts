/**
 * The front door (routes.ts: the `front-door` role, checked before this code runs): its queue of
 * referrals awaiting a decision (soonest due first, each with its known-family matches and Family
 * Safeguarding flag), each referral, screening, and the decision.
 * `knownFamilyCheck` says whether the check that follows intake has run yet ('pending' for the
 * moment after a referral arrives, then 'done'), so that no matches never reads as "not known"
 * before the check has looked.
 * A request makes a bounded number of round trips: the queue or the referral, then one BatchGet
 * per 100 earlier referrals its matches name (for their current status, outcome and case). Reading
 * one referral records the read (the access log), sent with the read. Screening and the decision
 * are front-door-work.ts's, shared with the pages.
 */
import { idSchema } from '@fsp/shared/events/definitions/common';
import { Conflict, NotFound } from '@fsp/shared/http/errors';
import { defineRoute, json, type Route } from '@fsp/shared/http/handler';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import * as z from 'zod/mini';
import { frontDoorAccess } from '../domain/access-log';
import { decisionInputSchema } from '../domain/decision';
import type { KnownFamilyMatch } from '../domain/known-family';
import type { Referral } from '../domain/referral';
import { createAccessLogStore } from '../store/access-log-store';
import { createReferralsStore, type StoredReferral } from '../store/referrals-store';
import { requestEventContext } from './event-context';
import { createFrontDoorWork, type Refusal } from './front-door-work';
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

export function frontDoorRoutes(runtime: ServiceRuntime): Route[] {
  const store = createReferralsStore(runtime.documents, runtime.tableName);
  const accessLog = createAccessLogStore(runtime.documents, runtime.tableName);
  const work = createFrontDoorWork(runtime);

  /** The JSON answer to a refusal: 404, or 409 saying what stands in the way. */
  function refused(
    referralId: string,
    refusal: Refusal | { kind: 'screened-by-another'; referral: StoredReferral },
    whileYouWere: string,
  ): never {
    switch (refusal.kind) {
      case 'not-found':
        throw new NotFound(`There is no referral ${referralId}.`);
      case 'already-decided':
        throw new Conflict(`Referral ${refusal.referral.reference} was already decided.`, {
          extensions: { referralId: refusal.referral.referralId },
        });
      case 'screened-by-another':
        throw new Conflict(`Referral ${refusal.referral.reference} is already being screened.`, {
          extensions: { referralId: refusal.referral.referralId, screening: refusal.referral.screening },
        });
      case 'kept-changing':
        throw new Conflict(`Referral ${refusal.referral.reference} changed while you were ${whileYouWere}; reload it and try again.`, {
          extensions: { referralId: refusal.referral.referralId },
        });
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
        const { referralId } = request.params;
        // Recorded with the read, in the same round trip: every read of a referral is audited (domain/access-log.ts).
        const access = frontDoorAccess(referralId, request.claims, 'api', runtime.clock(), request.requestId);
        const [, referral] = await Promise.all([accessLog.record(access), store.get(referralId)]);
        if (!referral) throw new NotFound(`There is no referral ${referralId}.`);
        const { version: _version, familyMatches, decisionDueNotifiedAt: _due, decisionOverdueNotifiedAt: _overdue, ...visible } = referral;
        const knownFamily = (await store.familyIndex.withCurrentState(familyMatches ?? [])).map(matchView);
        return json(200, { ...visible, id: referral.referralId, knownFamilyCheck: familyMatches ? 'done' : 'pending', knownFamily });
      },
    }),

    defineRoute(routes.startScreening, {
      params: referralIdParams,
      acceptForm: true,
      handle: async (request) => {
        const { claims } = request;
        const result = await work.screen(request.params.referralId, {
          userId: claims.userId,
          name: claims.name ?? claims.username,
          now: runtime.clock(),
        });
        if (result.kind !== 'screening') refused(request.params.referralId, result, 'picking it up');
        return json(200, screeningView(result.referral));
      },
    }),

    defineRoute(routes.decideReferral, {
      params: referralIdParams,
      body: decisionInputSchema,
      acceptForm: true,
      handle: async (request) => {
        const { claims } = request;
        const now = runtime.clock();
        const result = await work.decide(
          request.params.referralId,
          request.body,
          { userId: claims.userId, name: claims.name ?? claims.username, now },
          requestEventContext(request, now),
        );
        if (result.kind !== 'decided') refused(request.params.referralId, result, 'deciding it');
        return json(200, {
          id: result.referral.referralId,
          reference: result.referral.reference,
          status: result.referral.status,
          decision: result.decision,
        });
      },
    }),
  ];
}
