/**
 * Events published by services/referrals. Data is what consumers act on (ids, references,
 * outcome codes, timescales, teams) and no more: names, addresses and the referral's narrative
 * stay in the referrals table, and a consumer that needs them asks the owner. The one exception is
 * ReferralAccepted's `family` (ADR 0014 §1): the people a case opens with, so nobody retypes them.
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
      formReferrer: z.optional(
        z.object({
          name: z.string().check(z.minLength(1), z.maxLength(200)),
          email: z.email(),
          /**
           * True when the referrer chose a professional source and gave their role and organisation: they are
           * told the outcome and the reason. Absent (as v1 was first published) or false: a member of the
           * public, told only that the referral has been looked at (DOMAIN.md, Referrals 5).
           */
          professional: z.optional(z.boolean()),
        }),
      ),
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
    {
      referralId: '01JH0B7C8D9E0F1G2H3J4K5M6N',
      reference: 'FSP-2026-000131',
      outcome: 'strategy-discussion',
      reason: 'The injuries described need a strategy discussion with the police and health today.',
      decidedAt: '2026-01-14T11:20:00.000Z',
      decidedBy: '5f0c2a8e-3b7d-4f61-9a2e-8c1d4b6e7f90',
      formReferrer: { name: 'Amara Okafor', email: 'dsl@oakfield.example.sch.uk', professional: true },
    },
  ],
});

/** The gender a referrer may give a child (services/referrals' GENDERS). */
export const REFERRAL_GENDERS = ['female', 'male', 'other', 'not-known'] as const;

/** One line of a person's details as the referral took it: trimmed, never empty. */
const line = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));

/**
 * The referral's people, as the case opens its family network with them (ADR 0014 §1; the
 * ReferralFamily shape of services/cases' family network). Minimum necessary: the children, the
 * adults in the household with their relationship in the referrer's words, and the referrer only
 * when they are a professional (the first professional around the family). Nothing else of the
 * referral: its narrative, factors and consent stay with referrals and the front door.
 */
const referralFamilySchema = () =>
  z.object({
    children: z
      .array(
        z.object({
          /** The same ids as `children` above. */
          childId: idSchema,
          firstName: line(100),
          lastName: line(100),
          unborn: z.boolean(),
          /** For an unborn child, the expected date. */
          dateOfBirth: z.optional(z.iso.date()),
          gender: z.optional(z.enum(REFERRAL_GENDERS)),
          school: z.optional(line(200)),
          address: z.optional(z.object({ line1: line(200), line2: z.optional(line(200)), town: line(100), postcode: line(16) })),
        }),
      )
      .check(z.minLength(1), z.maxLength(30)),
    adults: z
      .array(
        z.object({
          firstName: line(100),
          lastName: line(100),
          dateOfBirth: z.optional(z.iso.date()),
          /** To the children, in the referrer's words: "mother", "mother's partner". */
          relationship: line(100),
        }),
      )
      .check(z.maxLength(30)),
    /** Present only when the referrer is a professional (a partner agency, or a professional source); never a member of the public. */
    professionalReferrer: z.optional(
      z.object({
        name: line(200),
        role: z.optional(line(200)),
        organisation: z.optional(line(200)),
        email: z.email(),
        phone: z.optional(line(32)),
      }),
    ),
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
      /**
       * The referral's people, for the case's family network (ADR 0014 §1). Optional only because v1
       * was published without it; the referrals service always sends it.
       */
      family: z.optional(referralFamilySchema()),
      /**
       * Family Safeguarding eligibility as flagged at intake (DOMAIN.md, Referrals 6), carried onto the
       * case for its assessment to confirm or clear. Optional only because v1 was published without it.
       */
      familySafeguardingFlag: z.optional(z.boolean()),
      /**
       * Who made the referral, as its census source code (DOMAIN.md, Codes), for the case's census
       * episode. Optional only because v1 was published without it; the referrals service always sends it.
       */
      referralSource: z.optional(z.enum(REFERRAL_SOURCE_CODES)),
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
      family: {
        children: [
          {
            childId: 'child-01JGZ8R1',
            firstName: 'Mia',
            lastName: 'Jones',
            unborn: false,
            dateOfBirth: '2017-03-14',
            gender: 'female',
            school: 'Oakfield Primary School',
            address: { line1: '12 Elm Road', town: 'Northtown', postcode: 'NT1 4AB' },
          },
          {
            childId: 'child-01JGZ8R2',
            firstName: 'Baby',
            lastName: 'Jones',
            unborn: true,
            dateOfBirth: '2026-04-02',
            address: { line1: '12 Elm Road', town: 'Northtown', postcode: 'NT1 4AB' },
          },
        ],
        adults: [
          { firstName: 'Kerry', lastName: 'Jones', dateOfBirth: '1992-07-30', relationship: 'mother' },
          { firstName: 'Dean', lastName: 'Carter', relationship: "mother's partner" },
        ],
        professionalReferrer: {
          name: 'Amara Okafor',
          role: 'Designated safeguarding lead',
          organisation: 'Oakfield Primary School',
          email: 'dsl@oakfield.example.sch.uk',
          phone: '01632 960 123',
        },
      },
      familySafeguardingFlag: true,
      referralSource: '2A',
    },
    {
      // A web-form referral from a relative: the family's people, and no professional referrer.
      referralId: '01JGZ9A1B2C3D4E5F6G7H8J9KM',
      reference: 'FSP-2026-000124',
      outcome: 'strategy-discussion',
      urgent: true,
      teamId: 'team-south-1',
      receivedAt: '2026-01-09T16:45:00.000Z',
      acceptedAt: '2026-01-09T17:20:00.000Z',
      children: [{ childId: 'child-01JGZ9B1', unborn: false, dateOfBirth: '2021-11-02' }],
      family: {
        children: [
          { childId: 'child-01JGZ9B1', firstName: 'Leo', lastName: 'Ahmed', unborn: false, dateOfBirth: '2021-11-02', gender: 'male' },
        ],
        adults: [{ firstName: 'Sara', lastName: 'Ahmed', relationship: 'mother' }],
      },
    },
    {
      // As v1 was first published, without the family: consumers still read such events (queues, redriven DLQs).
      referralId: '01JGZA2C3D4E5F6G7H8J9KMN0P',
      reference: 'FSP-2026-000125',
      outcome: 'added-to-open-case',
      urgent: false,
      teamId: 'team-north-1',
      receivedAt: '2026-01-12T08:05:00.000Z',
      acceptedAt: '2026-01-12T14:30:00.000Z',
      existingCaseId: 'case-01JGZB7XQ2',
      children: [{ childId: 'child-01JGZA3D1', unborn: false }],
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
