/**
 * The partner API v1's bodies as zod schemas: the request bodies the handlers validate with, and
 * the responses they give. The OpenAPI document (document.ts) is generated from exactly these, and
 * the contract tests hold real responses to them.
 */
import { FACTOR_CODES, REFERRAL_OUTCOMES, REFERRAL_SOURCE_CODES } from '@fsp/shared/events/codes';
import * as z from 'zod/mini';
import { GENDERS, referralSubmissionSchema } from '../../domain/submission';

export { referralSubmissionSchema };

export const REFERRAL_STATUSES = ['received', 'in-screening', 'decided'] as const;

const instant = z.iso.datetime({ offset: true });
const id = z.string().check(z.minLength(1), z.maxLength(64));

/** 201 to `POST /v1/referrals`. */
export const referralReceiptSchema = z.object({
  id,
  reference: z.string().check(z.regex(/^FSP-\d{4}-[0-9A-Z]{6}$/)),
  status: z.enum(REFERRAL_STATUSES),
  receivedAt: instant,
  decisionDueBy: instant,
});

const progress = {
  id,
  reference: z.string(),
  status: z.enum(REFERRAL_STATUSES),
  receivedAt: instant,
  decisionDueBy: instant,
  updatedAt: instant,
  /** Once decided. */
  outcome: z.optional(z.enum(REFERRAL_OUTCOMES)),
  /** Once decided. */
  decidedAt: z.optional(instant),
};

const text = z.string();
const date = z.iso.date();

/** What the agency submitted, as it submitted it (no ids or findings of ours). */
const submittedSchema = z.object({
  referrer: z.object({
    name: text,
    role: z.optional(text),
    organisation: z.optional(text),
    email: text,
    phone: z.optional(text),
  }),
  referralSource: z.enum(REFERRAL_SOURCE_CODES),
  children: z.array(
    z.object({
      firstName: text,
      lastName: text,
      dateOfBirth: z.optional(date),
      expectedDateOfBirth: z.optional(date),
      gender: z.optional(z.enum(GENDERS)),
      address: z.optional(z.object({ line1: text, line2: z.optional(text), town: text, postcode: text })),
      school: z.optional(text),
    }),
  ),
  adults: z.array(z.object({ firstName: text, lastName: text, dateOfBirth: z.optional(date), relationship: text })),
  concerns: z.object({ whatHappened: text, whyNow: text }),
  factors: z.array(z.enum(FACTOR_CODES)),
  consent: z.object({ familyKnows: z.boolean(), consentGiven: z.boolean(), withoutConsentReason: z.optional(text) }),
});

/** 200 to `GET /v1/referrals/{id}`. */
export const referralViewSchema = z.object({ ...progress, submitted: submittedSchema });

/** 200 to `GET /v1/referrals?updatedSince=…`. */
export const referralChangesSchema = z.object({
  referrals: z.array(z.object(progress)),
  /** Present when there may be more: pass it as `cursor` with the same `updatedSince`. */
  nextCursor: z.optional(z.string()),
});

/** `PUT /v1/agencies/me/webhook` (served by the notifications service). */
export const webhookRegistrationSchema = z.object({
  url: z.url({ protocol: /^https$/, error: 'must be an https URL, for example https://example.org/hooks' }),
});

export const webhookRegisteredSchema = z.object({
  url: z.string(),
  /** Standard Webhooks secret (`whsec_` + base64): shown in this response only, so store it now. */
  signingSecret: z.string().check(z.regex(/^whsec_[A-Za-z0-9+/]{43}=$/)),
});

/** The POST a decided referral sends to the agency's webhook. */
export const referralDecidedWebhookSchema = z.object({
  type: z.literal('referral.decided'),
  timestamp: instant,
  data: z.object({ referralId: id, reference: z.string(), outcome: z.enum(REFERRAL_OUTCOMES), decidedAt: instant }),
});

/** `POST /oauth2/token`, form-encoded. */
export const tokenRequestSchema = z.object({
  grant_type: z.literal('client_credentials'),
  /** Or HTTP Basic authentication with the client id and secret. */
  client_id: z.optional(z.string()),
  client_secret: z.optional(z.string()),
  /** Space-separated; defaults to every scope the client has. */
  scope: z.optional(z.string()),
});

export const tokenResponseSchema = z.object({
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.int(),
});

/** RFC 9457 problem details, as every error answers. */
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.optional(z.string()),
  instance: z.optional(z.string()),
  requestId: z.optional(z.string()),
  /** 400 only: every failing field. */
  errors: z.optional(
    z.array(
      z.object({
        in: z.enum(['body', 'query', 'path', 'header']),
        /** JSON path within that part of the request, for example `$.children[0].dateOfBirth`. */
        path: z.string(),
        message: z.string(),
      }),
    ),
  ),
});
