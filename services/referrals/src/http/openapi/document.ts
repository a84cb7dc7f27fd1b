/**
 * The partner API v1 as OpenAPI 3.1, generated from the zod schemas the handlers use
 * (schemas.ts), with a complete valid example of every request body (examples.ts). Served at
 * `GET /v1/openapi.json` and written to docs/api/openapi.json by `npm run api:openapi`; a test fails
 * when the committed file differs from what this builds.
 */
import { MAX_BODY_BYTES } from '@fsp/shared/http/handler';
import * as z from 'zod/mini';
import type * as core from 'zod/v4/core';
import { IDEMPOTENCY_RETENTION_SECONDS } from '../../store/idempotency-store';
import { registerWebhookExample, submitReferralExample, tokenRequestExample } from './examples';
import {
  problemSchema,
  referralChangesSchema,
  referralDecidedWebhookSchema,
  referralReceiptSchema,
  referralSubmissionSchema,
  referralViewSchema,
  tokenRequestSchema,
  tokenResponseSchema,
  webhookRegisteredSchema,
  webhookRegistrationSchema,
} from './schemas';

type Json = Record<string, unknown>;

function schemaOf(schema: core.$ZodType, io: 'input' | 'output'): Json {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Json;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const PROBLEM = 'application/problem+json';

const problem = (description: string, example: Json, headers?: Json): Json => ({
  description,
  ...(headers ? { headers } : {}),
  content: { [PROBLEM]: { schema: ref('Problem'), example } },
});

/** What the gateway itself answers for a missing or bad token (before any handler runs), or the handler for an unknown or revoked client. */
const unauthorized = {
  description: 'No access token, or an expired, tampered or revoked one. Get a new token from /oauth2/token.',
  headers: { 'WWW-Authenticate': { description: 'Bearer challenge (RFC 6750)', schema: { type: 'string' } } },
  content: {
    'application/json': { schema: { type: 'object', properties: { message: { type: 'string' } } }, example: { message: 'Unauthorized' } },
    [PROBLEM]: { schema: ref('Problem') },
  },
};

const forbidden = {
  description: 'The token lacks the scope this operation needs.',
  headers: { 'WWW-Authenticate': { description: 'Bearer challenge naming the scope needed', schema: { type: 'string' } } },
  content: {
    'application/json': { schema: { type: 'object', properties: { message: { type: 'string' } } }, example: { message: 'Forbidden' } },
    [PROBLEM]: { schema: ref('Problem') },
  },
};

const badRequest = (example: Json) => problem('The request is not valid: `errors` names every failing field by JSON path.', example);

const tooManyRequests = problem(
  "Over the agency's rate limit (per agency, per minute; other agencies are unaffected).",
  {
    type: 'urn:fsp:problem:rate-limited',
    title: 'Too Many Requests',
    status: 429,
    detail: 'Your agency has made too many requests this minute; wait for Retry-After seconds and try again.',
  },
  { 'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'integer', minimum: 1 } } },
);

const tooLarge = problem(`The body is larger than ${MAX_BODY_BYTES / 1024} KB.`, {
  type: 'about:blank',
  title: 'Content Too Large',
  status: 413,
  detail: 'The request body must be 256 KB or smaller.',
});

const unsupported = problem('The body is not `application/json` (UTF-8).', {
  type: 'about:blank',
  title: 'Unsupported Media Type',
  status: 415,
  detail: 'Send the body as application/json (UTF-8) with a matching Content-Type header.',
});

const correlationHeader = {
  name: 'x-correlation-id',
  in: 'header',
  required: false,
  description: 'Your own id for this request, echoed on the response and carried into the events it causes.',
  schema: { type: 'string', maxLength: 128 },
};

function build(): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Family Safeguarding Platform — partner API',
      version: '1.0.0',
      summary: 'Partner agencies submit referrals to the children’s services front door and follow their progress.',
      description: [
        'Partner agencies (schools, GP practices, police forces, health trusts) submit safeguarding referrals and read their status.',
        '',
        '- Authenticate with OAuth 2.0 client credentials (`POST /oauth2/token`); send the token as `Authorization: Bearer …`.',
        '- Scopes: `referrals/submit` to submit, `referrals/read` to read and to register a webhook.',
        '- An agency sees only its own referrals; any other id answers 404.',
        '- Errors are RFC 9457 `application/problem+json`; a 400 lists every failing field by JSON path in `errors`.',
        '- Each agency is rate limited per minute; over the limit answers 429 with `Retry-After`.',
        `- Submitting needs an \`Idempotency-Key\`; keys are remembered for ${IDEMPOTENCY_RETENTION_SECONDS / 3600} hours (at least 24).`,
        '- When a referral is decided, the agency’s webhook receives a signed `referral.decided` (see `webhooks`).',
      ].join('\n'),
    },
    servers: [{ url: '/', description: 'The origin this document was fetched from' }],
    security: [{ partnerOAuth: [] }],
    tags: [
      { name: 'Referrals', description: 'Submit referrals and follow their progress.' },
      { name: 'Webhooks', description: 'Be told when a referral is decided.' },
      { name: 'Authentication', description: 'Client-credentials tokens.' },
    ],
    paths: {
      '/oauth2/token': {
        post: {
          tags: ['Authentication'],
          operationId: 'getToken',
          summary: 'Get an access token (OAuth 2.0 client credentials)',
          description:
            'Authenticate with HTTP Basic (client id and secret) or with `client_id` and `client_secret` form fields. Tokens last an hour.',
          security: [{ clientBasic: [] }, {}],
          requestBody: {
            required: true,
            content: { 'application/x-www-form-urlencoded': { schema: ref('TokenRequest'), example: tokenRequestExample } },
          },
          responses: {
            '200': { description: 'An access token.', content: { 'application/json': { schema: ref('TokenResponse') } } },
            '400': {
              description: 'OAuth error (RFC 6749 §5.2), for example `unsupported_grant_type` or `invalid_scope`.',
              content: { 'application/json': { schema: ref('OAuthError') } },
            },
            '401': {
              description: 'Unknown client or wrong secret (`invalid_client`).',
              content: { 'application/json': { schema: ref('OAuthError') } },
            },
          },
        },
      },
      '/v1/openapi.json': {
        get: {
          tags: ['Referrals'],
          operationId: 'getOpenApiDocument',
          summary: 'This document',
          security: [],
          responses: {
            '200': { description: 'The OpenAPI 3.1 document.', content: { 'application/json': { schema: { type: 'object' } } } },
          },
        },
      },
      '/v1/referrals': {
        post: {
          tags: ['Referrals'],
          operationId: 'submitReferral',
          summary: 'Submit a referral',
          description:
            'Stores the referral and answers its id, reference and the time its decision is due (one working day). Retrying with the same `Idempotency-Key` and the same body answers the original result; the same key with another body answers 422. Nothing is stored for a rejected request.',
          security: [{ partnerOAuth: ['referrals/submit'] }],
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: true,
              description: `A unique value per referral (a UUID is ideal): 1–255 printable ASCII characters, scoped to your agency, remembered for ${IDEMPOTENCY_RETENTION_SECONDS / 3600} hours.`,
              schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x20-\\x7E]{1,255}$' },
              example: '3f2b8c1e-5d4a-4e7b-9c1d-2a6f8e0b7c35',
            },
            correlationHeader,
          ],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: ref('ReferralSubmission'), example: submitReferralExample } },
          },
          responses: {
            '201': {
              description: 'Received (or, for a retry with the same key and body, the original answer).',
              headers: {
                Location: { description: 'The referral: `/v1/referrals/{id}`.', schema: { type: 'string' }, required: true },
                'Idempotent-Replayed': { description: '`true` when this answers a retry.', schema: { type: 'string', enum: ['true'] } },
              },
              content: {
                'application/json': {
                  schema: ref('ReferralReceipt'),
                  example: {
                    id: '6c0a3b8e-2f44-4d1a-9b7e-0f5e1c2d3a4b',
                    reference: 'FSP-2026-7K3M9Q',
                    status: 'received',
                    receivedAt: '2026-11-23T09:15:00.000Z',
                    decisionDueBy: '2026-11-24T23:59:59.999Z',
                  },
                },
              },
            },
            '400': badRequest({
              type: 'urn:fsp:problem:validation-failed',
              title: 'Bad Request',
              status: 400,
              detail: '2 fields are not valid; see errors for what to change.',
              errors: [
                {
                  in: 'header',
                  path: '$["Idempotency-Key"]',
                  message: 'Idempotency-Key is required: a unique value per referral, such as a UUID',
                },
                { in: 'body', path: '$.children[0].dateOfBirth', message: 'must be a date written as YYYY-MM-DD' },
              ],
            }),
            '401': unauthorized,
            '403': forbidden,
            '413': tooLarge,
            '415': unsupported,
            '422': problem('This Idempotency-Key was already used with a different body.', {
              type: 'urn:fsp:problem:idempotency-key-reused',
              title: 'Unprocessable Content',
              status: 422,
              detail: 'This Idempotency-Key was already used with a different request body.',
            }),
            '429': tooManyRequests,
          },
        },
        get: {
          tags: ['Referrals'],
          operationId: 'listChangedReferrals',
          summary: "Your agency's referrals changed since a time, oldest change first",
          description:
            'Pages through the referrals whose status changed at or after `updatedSince`. While `nextCursor` is present, call again with it and the same `updatedSince`. A referral that changes again moves to the end.',
          security: [{ partnerOAuth: ['referrals/read'] }],
          parameters: [
            {
              name: 'updatedSince',
              in: 'query',
              required: true,
              schema: { type: 'string', format: 'date-time' },
              example: '2026-11-23T00:00:00Z',
            },
            {
              name: 'cursor',
              in: 'query',
              required: false,
              description: 'From `nextCursor` of the previous page.',
              schema: { type: 'string' },
            },
            { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, default: 50 } },
            correlationHeader,
          ],
          responses: {
            '200': { description: 'A page of changes.', content: { 'application/json': { schema: ref('ReferralChanges') } } },
            '400': badRequest({
              type: 'urn:fsp:problem:validation-failed',
              title: 'Bad Request',
              status: 400,
              detail: '1 field is not valid; see errors for what to change.',
              errors: [
                {
                  in: 'query',
                  path: '$.cursor',
                  message: 'cursor is not one this API gave for this updatedSince; start again without a cursor',
                },
              ],
            }),
            '401': unauthorized,
            '403': forbidden,
            '429': tooManyRequests,
          },
        },
      },
      '/v1/referrals/{id}': {
        get: {
          tags: ['Referrals'],
          operationId: 'getReferral',
          summary: 'A referral: what you submitted, its status and, once decided, its outcome',
          security: [{ partnerOAuth: ['referrals/read'] }],
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }, correlationHeader],
          responses: {
            '200': { description: 'The referral.', content: { 'application/json': { schema: ref('Referral') } } },
            '401': unauthorized,
            '403': forbidden,
            '404': problem('No referral with this id from your agency (another agency’s id answers the same).', {
              type: 'about:blank',
              title: 'Not Found',
              status: 404,
              detail: 'There is no referral with this id from your agency.',
            }),
            '429': tooManyRequests,
          },
        },
      },
      '/v1/agencies/me/webhook': {
        put: {
          tags: ['Webhooks'],
          operationId: 'registerWebhook',
          summary: "Register or replace your agency's webhook",
          description:
            'Decisions on your referrals are POSTed to this https URL, signed per Standard Webhooks. The response carries the signing secret once; registering again replaces the URL and the secret.',
          security: [{ partnerOAuth: ['referrals/read'] }],
          parameters: [correlationHeader],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: ref('WebhookRegistration'), example: registerWebhookExample } },
          },
          responses: {
            '200': { description: 'Registered.', content: { 'application/json': { schema: ref('WebhookRegistered') } } },
            '400': badRequest({
              type: 'urn:fsp:problem:validation-failed',
              title: 'Bad Request',
              status: 400,
              detail: '1 field is not valid; see errors for what to change.',
              errors: [{ in: 'body', path: '$.url', message: 'must be an https URL, for example https://example.org/hooks' }],
            }),
            '401': unauthorized,
            '403': forbidden,
            '413': tooLarge,
            '415': unsupported,
            '429': tooManyRequests,
          },
        },
      },
    },
    webhooks: {
      referralDecided: {
        post: {
          summary: 'A referral from your agency was decided',
          description:
            'Signed per Standard Webhooks: verify `webhook-signature` (HMAC-SHA256 with your signing secret over `webhook-id.webhook-timestamp.body`). Answer 2xx; anything else, or no answer in 10 s, is retried with exponential backoff for at least 24 hours. Every retry of one delivery carries the same `webhook-id`: use it to ignore duplicates.',
          parameters: [
            { name: 'webhook-id', in: 'header', required: true, schema: { type: 'string' } },
            { name: 'webhook-timestamp', in: 'header', required: true, schema: { type: 'string' }, description: 'Unix seconds.' },
            { name: 'webhook-signature', in: 'header', required: true, schema: { type: 'string' }, description: '`v1,<base64 HMAC>`' },
          ],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: ref('ReferralDecidedWebhook'),
                example: {
                  type: 'referral.decided',
                  timestamp: '2026-11-23T15:10:00.000Z',
                  data: {
                    referralId: '6c0a3b8e-2f44-4d1a-9b7e-0f5e1c2d3a4b',
                    reference: 'FSP-2026-7K3M9Q',
                    outcome: 'assessment',
                    decidedAt: '2026-11-23T15:10:00.000Z',
                  },
                },
              },
            },
          },
          responses: { '200': { description: 'Received; any 2xx will do.' } },
        },
      },
    },
    components: {
      securitySchemes: {
        partnerOAuth: {
          type: 'oauth2',
          description: 'One client per agency, created by the local authority’s administrators.',
          flows: {
            clientCredentials: {
              tokenUrl: '/oauth2/token',
              scopes: { 'referrals/submit': 'Submit referrals', 'referrals/read': 'Read your referrals and register a webhook' },
            },
          },
        },
        clientBasic: { type: 'http', scheme: 'basic', description: 'Client id and secret, for the token endpoint only.' },
      },
      schemas: {
        ReferralSubmission: schemaOf(referralSubmissionSchema, 'input'),
        ReferralReceipt: schemaOf(referralReceiptSchema, 'output'),
        Referral: schemaOf(referralViewSchema, 'output'),
        ReferralChanges: schemaOf(referralChangesSchema, 'output'),
        WebhookRegistration: schemaOf(webhookRegistrationSchema, 'input'),
        WebhookRegistered: schemaOf(webhookRegisteredSchema, 'output'),
        ReferralDecidedWebhook: schemaOf(referralDecidedWebhookSchema, 'output'),
        TokenRequest: schemaOf(tokenRequestSchema, 'input'),
        TokenResponse: schemaOf(tokenResponseSchema, 'output'),
        OAuthError: {
          type: 'object',
          properties: { error: { type: 'string' }, error_description: { type: 'string' } },
          required: ['error'],
        },
        Problem: schemaOf(problemSchema, 'output'),
      },
    },
  };
}

let built: Json | undefined;

/** Built once per execution environment, on first use. */
export function openApiDocument(): Json {
  built ??= build();
  return built;
}
