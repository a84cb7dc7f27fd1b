/** The partner API v1 (PARTNER-API.md): what onboarded agencies call with client-credentials tokens. */
import { defineRoute, json, type Route } from '@fsp/shared/http/handler';
import type { Referral } from '../../domain/referral';
import { referralSubmissionSchema } from '../../domain/submission';
import { receiveAndStore } from '../intake';
import type { RouteContext } from './context';

export const SUBMIT_SCOPE = 'referrals/submit';

const receiptOf = (referral: Referral) => ({
  id: referral.referralId,
  reference: referral.reference,
  status: referral.status,
  receivedAt: referral.receivedAt,
  decisionDueBy: referral.decisionDueBy,
});

export function partnerApiRoutes({ runtime, store, agencyOf, eventContext }: RouteContext): Route[] {
  return [
    defineRoute({
      method: 'POST',
      path: '/v1/referrals',
      auth: { kind: 'partner', scopes: [SUBMIT_SCOPE] },
      body: referralSubmissionSchema,
      handle: async (request) => {
        const now = runtime.clock();
        const { agencyId } = await agencyOf(request.claims);
        const referral = await receiveAndStore(store, {
          submission: request.body,
          channel: 'partner-api',
          agencyId,
          now,
          events: eventContext(request, now),
          logger: request.logger,
        });
        return json(201, receiptOf(referral), { location: `/v1/referrals/${referral.referralId}` });
      },
    }),
  ];
}
