/**
 * A partner agency's webhook registration (PARTNER-API.md, Webhooks; routes.ts: scope
 * `referrals/read`). The calling agency is found by the token's client id and counted against the
 * agency's rate limit, answering as referrals' partner routes do (401 for a client of no active
 * agency, 429 with Retry-After over the limit). The counters are this service's own
 * (shared/rate-limit, in this table): services never read one another's.
 */
import { randomBytes } from 'node:crypto';
import { Unauthorized } from '@fsp/shared/http/errors';
import { defineRoute, json, type Route } from '@fsp/shared/http/handler';
import { createRateLimitStore, type RateLimitConfig, RateLimited, rateLimitConfig, tooManyRequestsOf } from '@fsp/shared/rate-limit';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import * as z from 'zod/mini';
import type { WebhookConfig } from '../config';
import { normalisedWebhookUrl, WEBHOOK_SECRET_BYTES, webhookSecretOf, webhookUrlProblem } from '../domain/webhook';
import { type Agency, createAgencyStore } from '../store/agency-store';
import { routes } from './routes';

function webhookBody(config: WebhookConfig) {
  return z.object({
    // Only a missing url gets this message; any other type is named as it is ("must be text, not a number").
    url: z
      .string({ error: (issue) => (issue.input === undefined ? 'url is required: the https:// address to POST decisions to' : undefined) })
      .check(
        z.superRefine((url, context) => {
          const problem = webhookUrlProblem(url, { allowLocalHttp: config.allowLocalHttp });
          if (problem) context.addIssue({ code: 'custom', message: problem, input: url });
        }),
      ),
  });
}

/** Deployed stages accept only https webhooks; the entry passes the stage's own (src/config.ts `webhookConfig`). */
const HTTPS_ONLY: WebhookConfig = { allowLocalHttp: false };

/** RFC 6750: a token whose client we do not (or no longer) serve is an invalid token, as referrals answers it. */
const invalidToken = (detail: string) => new Unauthorized(detail, { headers: { 'www-authenticate': 'Bearer error="invalid_token"' } });

export function partnerApiRoutes(
  { documents, tableName, clock, logger }: Pick<ServiceRuntime, 'documents' | 'tableName' | 'clock' | 'logger'>,
  webhooks: WebhookConfig = HTTPS_ONLY,
  partnerRateLimit: RateLimitConfig = rateLimitConfig(),
): Route[] {
  const agencies = createAgencyStore(documents, tableName);
  const rateLimits = createRateLimitStore(documents, tableName, partnerRateLimit);

  /**
   * The agency a partner request comes from, counted against its rate limit; the same answers as
   * referrals' partner routes give for the same token.
   */
  async function callingAgency(clientId: string, now: Date): Promise<Agency> {
    const agency = await agencies.agencyOfClient(clientId);
    if (!agency) throw invalidToken('The access token was issued to a client that is not an onboarded partner agency.');
    if (agency.status !== 'active') throw invalidToken("This agency's API access has been revoked; contact the local authority.");
    try {
      await rateLimits.consume(agency.agencyId, now);
    } catch (error) {
      throw error instanceof RateLimited ? tooManyRequestsOf(error) : error;
    }
    return agency;
  }

  return [
    defineRoute(routes.registerWebhook, {
      body: webhookBody(webhooks),
      handle: async ({ claims, body }) => {
        const now = clock();
        const agency = await callingAgency(claims.clientId, now);
        const secret = webhookSecretOf(randomBytes(WEBHOOK_SECRET_BYTES));
        const registeredAt = now.toISOString();
        const url = normalisedWebhookUrl(body.url);
        const outcome = await agencies.registerWebhook({ agencyId: agency.agencyId, url, secret, registeredAt });
        // The secret is in the response once and in the (encrypted) table; never in a log line.
        logger.info(outcome === 'registered' ? 'Webhook registered' : 'Webhook replaced', {
          agencyId: agency.agencyId,
          host: new URL(url).host,
        });
        return json(
          outcome === 'registered' ? 201 : 200,
          { url, secret, registeredAt },
          { 'cache-control': 'no-store', ...(outcome === 'registered' ? { location: routes.registerWebhook.path } : {}) },
        );
      },
    }),
  ];
}
