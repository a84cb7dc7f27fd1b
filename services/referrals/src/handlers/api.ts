/**
 * The referrals service's HTTP API: partner agencies submit referrals; the front door sees its
 * queue and records decisions. The Lambda entry point (`http.ts`) builds this from the
 * environment's runtime; tests build it with their own table and clock.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { buildEvent } from '@fsp/shared/events/build';
import { idSchema } from '@fsp/shared/events/definitions/common';
import { referralAcceptedV1, referralDecidedV1, referralSubmittedV1 } from '@fsp/shared/events/definitions/referrals';
import type { WorkerClaims } from '@fsp/shared/http/claims';
import { Conflict, Forbidden, NotFound } from '@fsp/shared/http/errors';
import { createHttpHandler, defineRoute, type HttpRequest, json, type Route } from '@fsp/shared/http/handler';
import type { OutboundEvent } from '@fsp/shared/outbox';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import * as z from 'zod/mini';
import { AlreadyDecided, decideReferral, decisionInputSchema } from '../domain/decision';
import { newReference } from '../domain/reference';
import { type Referral, receiveReferral } from '../domain/referral';
import { referralSubmissionSchema } from '../domain/submission';
import { createReferralsStore, ReferenceTaken, ReferralChanged } from '../store/referrals-store';

export const SUBMIT_SCOPE = 'referrals/submit';
/** A reference collision is about one in a billion; three tries make a failure practically impossible. */
const REFERENCE_ATTEMPTS = 3;
const QUEUE_PAGE = 100;

const referralIdParams = z.object({ referralId: idSchema });

function requireFrontDoor(claims: WorkerClaims): void {
  if (!claims.roles.includes('front-door')) throw new Forbidden('Only the front door screens and decides referrals.');
}

const receiptOf = (referral: Referral) => ({
  id: referral.referralId,
  reference: referral.reference,
  status: referral.status,
  receivedAt: referral.receivedAt,
  decisionDueBy: referral.decisionDueBy,
});

/** Exported so a test can hold the manifest (service.ts) to exactly these routes. */
export function referralsRoutes({ documents, tableName, clock, logger }: ServiceRuntime): Route[] {
  const store = createReferralsStore(documents, tableName);

  const eventContext = (request: HttpRequest<unknown, unknown, unknown, unknown>, now: Date) => ({
    clock: () => now,
    correlationId: request.correlationId,
    causationId: request.requestId,
  });

  return [
    defineRoute({
      method: 'POST',
      path: '/v1/referrals',
      auth: { kind: 'partner', scopes: [SUBMIT_SCOPE] },
      body: referralSubmissionSchema,
      handle: async (request) => {
        const now = clock();
        // Until agencies are onboarded as data, an agency is known by its client id.
        const agencyId = request.claims.agencyId ?? request.claims.clientId;
        for (let attempt = 1; ; attempt += 1) {
          const referral = receiveReferral(request.body, {
            referralId: randomUUID(),
            reference: newReference(Number(now.toISOString().slice(0, 4)), randomBytes),
            receivedAt: now,
            channel: 'partner-api',
            agencyId,
            newChildId: () => `child-${randomUUID()}`,
          });
          const submitted = buildEvent(
            referralSubmittedV1,
            {
              referralId: referral.referralId,
              reference: referral.reference,
              receivedAt: referral.receivedAt,
              decisionDueBy: referral.decisionDueBy,
              channel: referral.channel,
              agencyId,
              referralSource: referral.referralSource,
              childCount: referral.children.length,
              familySafeguardingFlag: referral.familySafeguardingFlag,
            },
            eventContext(request, now),
          );
          try {
            await store.saveNew(referral, [submitted], now);
          } catch (error) {
            if (error instanceof ReferenceTaken && attempt < REFERENCE_ATTEMPTS) {
              request.logger.warn('reference already taken; drawing another', { reference: referral.reference });
              continue;
            }
            throw error;
          }
          return json(201, receiptOf(referral), { location: `/v1/referrals/${referral.referralId}` });
        }
      },
    }),

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
        const now = clock();
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
        logger.info('referral decided', { referralId: referral.referralId, outcome: decided.decision.outcome });
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

export function createReferralsApi(runtime: ServiceRuntime) {
  return createHttpHandler(referralsRoutes(runtime), { logger: runtime.logger });
}
