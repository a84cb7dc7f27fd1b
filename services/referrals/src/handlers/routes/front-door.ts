/** The front door: its queue of referrals awaiting a decision, each referral, and the decision. */
import { buildEvent } from '@fsp/shared/events/build';
import { idSchema } from '@fsp/shared/events/definitions/common';
import { referralAcceptedV1, referralDecidedV1 } from '@fsp/shared/events/definitions/referrals';
import type { WorkerClaims } from '@fsp/shared/http/claims';
import { Conflict, Forbidden, NotFound } from '@fsp/shared/http/errors';
import { defineRoute, json, type Route } from '@fsp/shared/http/handler';
import type { OutboundEvent } from '@fsp/shared/outbox';
import * as z from 'zod/mini';
import { AlreadyDecided, decideReferral, decisionInputSchema } from '../../domain/decision';
import { ReferralChanged } from '../../store/referrals-store';
import type { RouteContext } from './context';

const QUEUE_PAGE = 100;

const referralIdParams = z.object({ referralId: idSchema });

function requireFrontDoor(claims: WorkerClaims): void {
  if (!claims.roles.includes('front-door')) throw new Forbidden('Only the front door screens and decides referrals.');
}

export function frontDoorRoutes({ runtime, store, eventContext }: RouteContext): Route[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/front-door/referrals',
      auth: { kind: 'worker' },
      handle: async (request) => {
        requireFrontDoor(request.claims);
        return json(200, { referrals: await store.awaitingDecision(QUEUE_PAGE) });
      },
    }),

    defineRoute({
      method: 'GET',
      path: '/front-door/referrals/{referralId}',
      auth: { kind: 'worker' },
      params: referralIdParams,
      handle: async (request) => {
        requireFrontDoor(request.claims);
        const referral = await store.get(request.params.referralId);
        if (!referral) throw new NotFound(`There is no referral ${request.params.referralId}.`);
        const { version: _version, ...visible } = referral;
        return json(200, { ...visible, id: referral.referralId });
      },
    }),

    defineRoute({
      method: 'POST',
      path: '/front-door/referrals/{referralId}/decision',
      auth: { kind: 'worker' },
      params: referralIdParams,
      body: decisionInputSchema,
      acceptForm: true,
      handle: async (request) => {
        requireFrontDoor(request.claims);
        const now = runtime.clock();
        const referral = await store.get(request.params.referralId);
        if (!referral) throw new NotFound(`There is no referral ${request.params.referralId}.`);
        let decided: ReturnType<typeof decideReferral>;
        try {
          decided = decideReferral(referral, request.body, { userId: request.claims.userId, now });
        } catch (error) {
          if (error instanceof AlreadyDecided) {
            throw new Conflict(`Referral ${referral.reference} was already decided.`, { extensions: { referralId: referral.referralId } });
          }
          throw error;
        }
        const context = eventContext(request, now);
        const events: OutboundEvent[] = [
          buildEvent(
            referralDecidedV1,
            {
              referralId: referral.referralId,
              reference: referral.reference,
              outcome: decided.decision.outcome,
              reason: decided.decision.reason,
              decidedAt: decided.decision.decidedAt,
              decidedBy: decided.decision.decidedBy,
              ...(referral.agencyId ? { agencyId: referral.agencyId } : {}),
              ...(decided.decision.existingCaseId ? { caseId: decided.decision.existingCaseId } : {}),
            },
            context,
          ),
        ];
        if (decided.handover) {
          events.push(
            buildEvent(
              referralAcceptedV1,
              {
                referralId: referral.referralId,
                reference: referral.reference,
                outcome: decided.handover.outcome,
                urgent: decided.handover.urgent,
                teamId: decided.handover.teamId,
                receivedAt: referral.receivedAt,
                acceptedAt: decided.decision.decidedAt,
                ...(decided.handover.existingCaseId ? { existingCaseId: decided.handover.existingCaseId } : {}),
                children: referral.children.map((child) => ({
                  childId: child.childId,
                  unborn: child.unborn,
                  ...(child.dateOfBirth ? { dateOfBirth: child.dateOfBirth } : {}),
                })),
              },
              context,
            ),
          );
        }
        try {
          await store.saveChanged(decided.referral, referral.version, events, now);
        } catch (error) {
          if (error instanceof ReferralChanged) {
            throw new Conflict(`Referral ${referral.reference} changed while you were deciding it; reload it and decide again.`, {
              extensions: { referralId: referral.referralId },
            });
          }
          throw error;
        }
        runtime.logger.info('referral decided', { referralId: referral.referralId, outcome: decided.decision.outcome });
        return json(200, {
          id: referral.referralId,
          reference: referral.reference,
          status: decided.referral.status,
          decision: decided.decision,
        });
      },
    }),
  ];
}
