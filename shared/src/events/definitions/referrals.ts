/**
 * Events published by services/referrals. Data is what consumers act on (ids, references,
 * outcome codes, timescales, teams) and no more: names, addresses and the referral's narrative
 * stay in the referrals table, and a consumer that needs them asks the owner.
 */
import * as z from 'zod/mini';
import { ACCEPTED_OUTCOMES, REFERRAL_OUTCOMES, REFERRAL_SOURCE_CODES } from '../codes';
import { defineEvent } from '../define';
import { idSchema, instantSchema, referenceSchema } from './common';

const PRODUCER = 'fsp.referrals';

export const referralSubmittedV1 = /* @__PURE__ */ defineEvent({
  detailType: 'ReferralSubmitted',
  producer: PRODUCER,
  version: 1,
  description: 'A referral was received through the web form or the partner API; the decision clock has started.',
  data: () =>
    z.object({
      referralId: idSchema,
      reference: referenceSchema,
      receivedAt: instantSchema,
      /** One working day after receipt. */
      decisionDueBy: instantSchema,
      channel: z.enum(['form', 'partner-api']),
      /** Present when an onboarded agency submitted it through the API. */
      agencyId: z.optional(idSchema),
      referralSource: z.enum(REFERRAL_SOURCE_CODES),
      childCount: z.int().check(z.gte(1), z.lte(30)),
      /** Adults present domestic abuse, substance misuse or mental-health factors and a child is under 13. */
      familySafeguardingFlag: z.boolean(),
    }),
  fixtures: [
    {
      referralId: '01JGZ8Q4V7K3M2N5P6R8S9T0VW',
      reference: 'FSP-2026-000123',
      receivedAt: '2026-01-05T09:30:00.000Z',
      decisionDueBy: '2026-01-06T09:30:00.000Z',
      channel: 'partner-api',
      agencyId: 'agency-oakfield-primary',
      referralSource: '2A',
      childCount: 2,
      familySafeguardingFlag: true,
    },
    {
      referralId: '01JGZ9A1B2C3D4E5F6G7H8J9KM',
      reference: 'FSP-2026-000124',
      receivedAt: '2026-01-09T16:45:00.000Z',
      decisionDueBy: '2026-01-12T16:45:00.000Z',
      channel: 'form',
      referralSource: '1A',
      childCount: 1,
      familySafeguardingFlag: false,
    },
  ],
});

export const referralDecidedV1 = /* @__PURE__ */ defineEvent({
  detailType: 'ReferralDecided',
  producer: PRODUCER,
  version: 1,
  description: 'The front door recorded its decision on a referral; the referrer is to be told.',
  data: () =>
    z.object({
      referralId: idSchema,
      reference: referenceSchema,
      outcome: z.enum(REFERRAL_OUTCOMES),
      /** The reason as told to the referrer; written by the front door for that audience. */
      reason: z.string().check(z.minLength(1), z.maxLength(2000)),
      decidedAt: instantSchema,
      /** The front-door worker's user id. */
      decidedBy: idSchema,
      /** Present for partner-API referrals, so the agency's webhook can be called. */
      agencyId: z.optional(idSchema),
      /** Present when the outcome is added-to-open-case. */
      caseId: z.optional(idSchema),
      /**
       * Present for web-form referrals only: who to email the outcome to (DOMAIN.md, Referrals 5).
       * The least needed to tell them; partner agencies are told through the API and their webhook.
       */
      formReferrer: z.optional(z.object({ name: z.string().check(z.minLength(1), z.maxLength(200)), email: z.email() })),
    }),
  fixtures: [
    {
      referralId: '01JGZ8Q4V7K3M2N5P6R8S9T0VW',
      reference: 'FSP-2026-000123',
      outcome: 'assessment',
      reason: 'Concerns about domestic abuse in the household meet the threshold for a Child and Family assessment.',
      decidedAt: '2026-01-05T15:10:00.000Z',
      decidedBy: '5f0c2a8e-3b7d-4f61-9a2e-8c1d4b6e7f90',
      agencyId: 'agency-oakfield-primary',
    },
    {
      referralId: '01JGZ9A1B2C3D4E5F6G7H8J9KM',
      reference: 'FSP-2026-000124',
      outcome: 'early-help',
      reason: 'Stepped down to the early help team, who will contact the family this week.',
      decidedAt: '2026-01-12T10:00:00.000Z',
      decidedBy: '5f0c2a8e-3b7d-4f61-9a2e-8c1d4b6e7f90',
      formReferrer: { name: 'Jo Bloggs', email: 'jo.bloggs@example.com' },
    },
  ],
});

export const referralAcceptedV1 = /* @__PURE__ */ defineEvent({
  detailType: 'ReferralAccepted',
  producer: PRODUCER,
  version: 1,
  description: 'A decided referral needs a case-holding team: open a case, or add it to the open one.',
  data: () =>
    z.object({
      referralId: idSchema,
      reference: referenceSchema,
      outcome: z.enum(ACCEPTED_OUTCOMES),
      /** Strategy discussions (section 47) are urgent. */
      urgent: z.boolean(),
      teamId: idSchema,
      /**
       * The referral date: the Child and Family assessment is due 45 working days from it. Optional
       * only because v1 was published without it; the referrals service always sends it.
       */
      receivedAt: z.optional(instantSchema),
      acceptedAt: instantSchema,
      /** Present when the outcome is added-to-open-case. */
      existingCaseId: z.optional(idSchema),
      children: z
        .array(
          z.object({
            childId: idSchema,
            /** An unborn child's `dateOfBirth` is the expected date. */
            unborn: z.boolean(),
            dateOfBirth: z.optional(z.iso.date()),
          }),
        )
        .check(z.minLength(1)),
    }),
  fixtures: [
    {
      referralId: '01JGZ8Q4V7K3M2N5P6R8S9T0VW',
      reference: 'FSP-2026-000123',
      outcome: 'assessment',
      urgent: false,
      teamId: 'team-north-1',
      receivedAt: '2026-01-05T09:30:00.000Z',
      acceptedAt: '2026-01-05T15:10:00.000Z',
      children: [
        { childId: 'child-01JGZ8R1', unborn: false, dateOfBirth: '2017-03-14' },
        { childId: 'child-01JGZ8R2', unborn: true, dateOfBirth: '2026-04-02' },
      ],
    },
  ],
});

/** Built inside each definition's data function, so that an unused reminder definition builds nothing. */
const decisionClock = () => ({
  referralId: idSchema,
  reference: referenceSchema,
  receivedAt: instantSchema,
  /** The end of the working day after receipt. */
  decisionDueBy: instantSchema,
  familySafeguardingFlag: z.boolean(),
});

export const referralDecisionDueV1 = /* @__PURE__ */ defineEvent({
  detailType: 'ReferralDecisionDue',
  producer: PRODUCER,
  version: 1,
  description: 'A referral still awaiting a decision is nearly due: the front door is reminded, once per referral.',
  data: () => z.object(decisionClock()),
  fixtures: [
    {
      referralId: '01JGZ8Q4V7K3M2N5P6R8S9T0VW',
      reference: 'FSP-2026-000123',
      receivedAt: '2026-01-05T09:30:00.000Z',
      decisionDueBy: '2026-01-06T23:59:59.999Z',
      familySafeguardingFlag: true,
    },
  ],
});

export const referralDecisionOverdueV1 = /* @__PURE__ */ defineEvent({
  detailType: 'ReferralDecisionOverdue',
  producer: PRODUCER,
  version: 1,
  description: 'A referral passed its decision deadline undecided: escalated to the front door and its manager, once per referral.',
  data: () => z.object(decisionClock()),
  fixtures: [
    {
      referralId: '01JGZ8Q4V7K3M2N5P6R8S9T0VW',
      reference: 'FSP-2026-000123',
      receivedAt: '2026-01-05T09:30:00.000Z',
      decisionDueBy: '2026-01-06T23:59:59.999Z',
      familySafeguardingFlag: false,
    },
  ],
});

export const AGENCY_TYPES = ['school', 'gp-practice', 'health', 'police', 'housing', 'local-authority', 'other'] as const;

export const agencyOnboardedV1 = /* @__PURE__ */ defineEvent({
  detailType: 'AgencyOnboarded',
  producer: PRODUCER,
  version: 1,
  description: 'An administrator onboarded a partner agency: its API client exists and can get tokens.',
  data: () =>
    z.object({
      agencyId: idSchema,
      /** The OAuth client id its tokens carry; stable across secret rotations. */
      clientId: z.string().check(z.minLength(1), z.maxLength(128)),
      name: z.string().check(z.minLength(1), z.maxLength(200)),
      type: z.enum(AGENCY_TYPES),
      referralSource: z.enum(REFERRAL_SOURCE_CODES),
      contactEmail: z.email(),
      onboardedAt: instantSchema,
    }),
  fixtures: [
    {
      agencyId: 'agency-oakfield-primary',
      clientId: '7k2j9d0agency0client0id',
      name: 'Oakfield Primary School',
      type: 'school',
      referralSource: '2A',
      contactEmail: 'office@oakfield.example.sch.uk',
      onboardedAt: '2026-01-02T10:00:00.000Z',
    },
  ],
});

export const agencyRevokedV1 = /* @__PURE__ */ defineEvent({
  detailType: 'AgencyRevoked',
  producer: PRODUCER,
  version: 1,
  description: "An administrator revoked a partner agency's API access; its tokens stop working and nothing more is sent to it.",
  data: () =>
    z.object({
      agencyId: idSchema,
      clientId: z.string().check(z.minLength(1), z.maxLength(128)),
      revokedAt: instantSchema,
    }),
  fixtures: [{ agencyId: 'agency-oakfield-primary', clientId: '7k2j9d0agency0client0id', revokedAt: '2026-06-30T16:00:00.000Z' }],
});
