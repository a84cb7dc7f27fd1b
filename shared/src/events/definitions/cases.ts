/** Events published by services/cases. */
import * as z from 'zod/mini';
import { CLOSURE_REASON_CODES } from '../codes';
import { defineEvent } from '../define';
import { idSchema, instantSchema, referenceSchema } from './common';

export const caseOpenedV1 = /* @__PURE__ */ defineEvent({
  detailType: 'CaseOpened',
  producer: 'fsp.cases',
  version: 1,
  description: 'A case was opened from an accepted referral; the assessment clock has started.',
  data: () =>
    z.object({
      caseId: idSchema,
      referralId: idSchema,
      /**
       * The case's reference: the reference of the referral it was opened from, which workers name
       * the case by. Optional only because v1 was published without it; the cases service always sends it.
       */
      reference: z.optional(referenceSchema),
      teamId: idSchema,
      openedAt: instantSchema,
      status: z.literal('assessment'),
      /** 45 working days from the referral date. */
      assessmentDueBy: instantSchema,
    }),
  fixtures: [
    {
      caseId: 'case-01JGZB7XQ2',
      referralId: '01JGZ8Q4V7K3M2N5P6R8S9T0VW',
      reference: 'FSP-2026-000123',
      teamId: 'team-north-1',
      openedAt: '2026-01-05T15:10:02.000Z',
      status: 'assessment',
      assessmentDueBy: '2026-03-09T23:59:59.000Z',
    },
    {
      // As v1 was first published, without the reference: consumers still read such events (queues, redriven DLQs).
      caseId: 'case-01JGZC4M8N',
      referralId: '01JGZ9A1B2C3D4E5F6G7H8J9KM',
      teamId: 'team-south-1',
      openedAt: '2026-01-12T11:02:40.000Z',
      status: 'assessment',
      assessmentDueBy: '2026-03-16T23:59:59.999Z',
    },
  ],
});

/** Who a case allocates (DOMAIN.md, Cases: one social worker plus the adult specialists the family needs). */
export const CASE_ALLOCATION_ROLES = ['social-worker', 'adult-specialist'] as const;

/** Family Safeguarding's adult specialisms (DOMAIN.md, People and roles), as services/cases names them. */
export const ADULT_SPECIALISMS = ['domestic-abuse-victim', 'domestic-abuse-perpetrator', 'mental-health', 'substance-misuse'] as const;

export const caseAllocatedV1 = /* @__PURE__ */ defineEvent({
  detailType: 'CaseAllocated',
  producer: 'fsp.cases',
  version: 1,
  description:
    'A worker was allocated to a case (one event per worker newly allocated): the social worker, or an adult specialist for one specialism, with who held the slot before.',
  data: () =>
    z.object({
      caseId: idSchema,
      /** The case's reference (its referral's), which workers name the case by. */
      reference: referenceSchema,
      /** The team that holds the case; the worker is one of its members. */
      teamId: idSchema,
      /** The allocated worker's user id (the directory's `sub`). */
      workerId: idSchema,
      role: z.enum(CASE_ALLOCATION_ROLES),
      /** Present for an adult specialist: the specialism they were allocated to. */
      specialism: z.optional(z.enum(ADULT_SPECIALISMS)),
      /** Who held the slot before; absent at its first allocation (the first social worker: schedule the first group supervision). */
      previousWorkerId: z.optional(idSchema),
      /** Present when a social worker replaced another: the team manager's reason for the change. */
      reason: z.optional(z.string().check(z.minLength(1), z.maxLength(1000))),
      /** Changes of social worker on this case so far, this one included (the first allocation is not a change). */
      socialWorkerChanges: z.int().check(z.nonnegative()),
      allocatedAt: instantSchema,
      /** The team manager who allocated. */
      allocatedBy: idSchema,
    }),
  fixtures: [
    {
      // The first social worker: supervision schedules the case's first group supervision.
      caseId: 'case-01JGZB7XQ2',
      reference: 'FSP-2026-000123',
      teamId: 'team-north-1',
      workerId: '3f1c9a2e-7b4d-4e8a-9c1f-2d6b8e0a4c71',
      role: 'social-worker',
      socialWorkerChanges: 0,
      allocatedAt: '2026-01-06T09:42:10.000Z',
      allocatedBy: '9b2e4d1a-5c3f-4a7e-8d6b-1f0c2e9a7b53',
    },
    {
      // An adult specialist joining the case.
      caseId: 'case-01JGZB7XQ2',
      reference: 'FSP-2026-000123',
      teamId: 'team-north-1',
      workerId: '6d8a1f3c-2e9b-4c7d-a5f0-8b3e1d4c9a26',
      role: 'adult-specialist',
      specialism: 'domestic-abuse-victim',
      socialWorkerChanges: 0,
      allocatedAt: '2026-01-06T09:42:10.000Z',
      allocatedBy: '9b2e4d1a-5c3f-4a7e-8d6b-1f0c2e9a7b53',
    },
    {
      // A change of social worker, with its reason.
      caseId: 'case-01JGZB7XQ2',
      reference: 'FSP-2026-000123',
      teamId: 'team-north-1',
      workerId: 'c4e7b2a9-1d3f-4b8e-9a6c-5f2d0e8b1a37',
      role: 'social-worker',
      previousWorkerId: '3f1c9a2e-7b4d-4e8a-9c1f-2d6b8e0a4c71',
      reason: 'Ms Okafor has moved to the court team; Mr Hale has capacity and knows the school.',
      socialWorkerChanges: 1,
      allocatedAt: '2026-03-02T14:05:33.000Z',
      allocatedBy: '9b2e4d1a-5c3f-4a7e-8d6b-1f0c2e9a7b53',
    },
  ],
});

/**
 * What a chronology entry is about, as services/cases records it (a case opened, a referral linked, a
 * significant note completed or amended, an allocation changed, a supervision held, …). Consumers
 * must accept kinds they do not know: new kinds are added without a new version.
 */
export const caseChronologyEntryAddedV1 = /* @__PURE__ */ defineEvent({
  detailType: 'CaseChronologyEntryAdded',
  producer: 'fsp.cases',
  version: 1,
  description:
    'An entry was added to a case’s chronology: its kind, when it happened and its line as any member of the holding team may read it (a restricted entry says only that it exists).',
  data: () =>
    z.object({
      caseId: idSchema,
      reference: referenceSchema,
      teamId: idSchema,
      entryId: idSchema,
      /** services/cases' chronology kind (`note-significant`, `allocation-changed`, …); open-ended. */
      kind: z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[a-z][a-z-]*$/)),
      /** When what it records happened. */
      at: instantSchema,
      /** The chronology's line, as a member of the holding team without the restriction's role reads it. */
      text: z.string().check(z.minLength(1), z.maxLength(500)),
      restricted: z.boolean(),
    }),
  fixtures: [
    {
      caseId: 'case-01JGZB7XQ2',
      reference: 'FSP-2026-000123',
      teamId: 'team-north-1',
      entryId: 'note-significant-01JH0V3W9Y',
      kind: 'note-significant',
      at: '2026-01-14T15:30:00.000Z',
      text: 'Home visit: significant note recorded by Sam Okafor',
      restricted: false,
    },
    {
      caseId: 'case-01JGZB7XQ2',
      reference: 'FSP-2026-000123',
      teamId: 'team-north-1',
      entryId: 'note-significant-01JH0X8K2M',
      kind: 'note-significant',
      at: '2026-01-15T10:05:00.000Z',
      text: 'Restricted entry recorded by Dana Lewis',
      restricted: true,
    },
  ],
});

export const caseClosedV1 = /* @__PURE__ */ defineEvent({
  detailType: 'CaseClosed',
  producer: 'fsp.cases',
  version: 1,
  description: 'A case was closed, with its census reason code; nothing more is scheduled for it.',
  data: () =>
    z.object({
      caseId: idSchema,
      reference: referenceSchema,
      teamId: idSchema,
      closedAt: instantSchema,
      reasonCode: z.enum(CLOSURE_REASON_CODES),
      /** The worker who closed it. */
      closedBy: idSchema,
      /** The London day the case closed (the census's closure date); optional only because v1 was defined without it. */
      closedOn: z.optional(z.iso.date()),
      /** Whether the family steps down to early help. */
      stepDownToEarlyHelp: z.optional(z.boolean()),
    }),
  fixtures: [
    {
      caseId: 'case-01JGZB7XQ2',
      reference: 'FSP-2026-000123',
      teamId: 'team-north-1',
      closedAt: '2026-06-30T16:20:00.000Z',
      reasonCode: 'RC8',
      closedBy: '3f1c9a2e-7b4d-4e8a-9c1f-2d6b8e0a4c71',
    },
    {
      caseId: 'case-01JGZB7XQ2',
      reference: 'FSP-2026-000123',
      teamId: 'team-north-1',
      closedAt: '2026-11-30T15:02:00.000Z',
      reasonCode: 'RC7',
      closedBy: '3f1c9a2e-7b4d-4e8a-9c1f-2d6b8e0a4c71',
      closedOn: '2026-11-30',
      stepDownToEarlyHelp: true,
    },
  ],
});

/** services/cases' case statuses (DOMAIN.md, Cases). */
export const CASE_STATUS_VALUES = ['assessment', 'child-in-need', 'child-protection', 'looked-after', 'closed'] as const;

export const caseStatusChangedV1 = /* @__PURE__ */ defineEvent({
  detailType: 'CaseStatusChanged',
  producer: 'fsp.cases',
  version: 1,
  description:
    'A case moved on its statutory path (assessment, child in need, child protection, looked after, closed): from and to, the day it took effect, why, and who recorded it.',
  data: () =>
    z.object({
      caseId: idSchema,
      reference: referenceSchema,
      teamId: idSchema,
      from: z.enum(CASE_STATUS_VALUES),
      to: z.enum(CASE_STATUS_VALUES),
      /** The London day it took effect (the conference's, the review's, the closure's). */
      on: z.iso.date(),
      /** The step that moved it, in words ("Initial child protection conference: child protection plan (Neglect)"). */
      reason: z.string().check(z.minLength(1), z.maxLength(500)),
      changedBy: idSchema,
      changedAt: instantSchema,
      /** The case's status changes so far, this one included. */
      sequence: z.int().check(z.positive()),
    }),
  fixtures: [
    {
      caseId: 'case-01JGZB7XQ2',
      reference: 'FSP-2026-000123',
      teamId: 'team-north-1',
      from: 'assessment',
      to: 'child-protection',
      on: '2026-02-02',
      reason: 'Initial child protection conference: child protection plan (Neglect)',
      changedBy: '9b2e4d1a-5c3f-4a7e-8d6b-1f0c2e9a7b53',
      changedAt: '2026-02-02T16:40:00.000Z',
      sequence: 1,
    },
  ],
});

export const ASSESSMENT_OUTCOME_VALUES = [
  'child-in-need-plan',
  'strategy-discussion',
  'looked-after',
  'no-further-action',
  'early-help',
] as const;

export const assessmentCompletedV1 = /* @__PURE__ */ defineEvent({
  detailType: 'AssessmentCompleted',
  producer: 'fsp.cases',
  version: 1,
  description:
    'A case’s Child and Family assessment was completed: its outcome, primary need and whether Family Safeguarding eligibility was confirmed (the factors stay with the case).',
  data: () =>
    z.object({
      caseId: idSchema,
      reference: referenceSchema,
      teamId: idSchema,
      completedOn: z.iso.date(),
      /** Whether it was completed within 45 working days of the referral date. */
      onTime: z.boolean(),
      outcome: z.enum(ASSESSMENT_OUTCOME_VALUES),
      primaryNeed: z.string().check(z.regex(/^N[0-9]$/)),
      familySafeguardingEligible: z.boolean(),
      completedBy: idSchema,
    }),
  fixtures: [
    {
      caseId: 'case-01JGZB7XQ2',
      reference: 'FSP-2026-000123',
      teamId: 'team-north-1',
      completedOn: '2026-01-20',
      onTime: true,
      outcome: 'strategy-discussion',
      primaryNeed: 'N1',
      familySafeguardingEligible: true,
      completedBy: '3f1c9a2e-7b4d-4e8a-9c1f-2d6b8e0a4c71',
    },
  ],
});

/** The statutory timescales services/cases watches (DOMAIN.md, Time). */
export const CASE_TIMESCALES = ['assessment', 'initial-conference', 'cp-review'] as const;

const caseTimescaleData = () =>
  z.object({
    caseId: idSchema,
    reference: referenceSchema,
    teamId: idSchema,
    timescale: z.enum(CASE_TIMESCALES),
    /** Which one of the case's: 'assessment', 'conference-<n>', 'review-<plan>-<n>'. */
    targetId: z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[a-z0-9-]+$/)),
    /** The London day it is due, and the last instant that meets it. */
    dueDate: z.iso.date(),
    dueBy: instantSchema,
    /** The allocated social worker, when the case has one. */
    socialWorkerId: z.optional(idSchema),
  });

const timescaleFixture = {
  caseId: 'case-01JGZB7XQ2',
  reference: 'FSP-2026-000123',
  teamId: 'team-north-1',
  timescale: 'initial-conference',
  targetId: 'conference-1',
  dueDate: '2026-02-02',
  dueBy: '2026-02-02T23:59:59.999Z',
  socialWorkerId: '3f1c9a2e-7b4d-4e8a-9c1f-2d6b8e0a4c71',
} as const;

export const caseTimescaleDueSoonV1 = /* @__PURE__ */ defineEvent({
  detailType: 'CaseTimescaleDueSoon',
  producer: 'fsp.cases',
  version: 1,
  description:
    'A statutory timescale of a case (assessment, initial conference, CP review) is due within five working days and not yet met; once per timescale.',
  data: caseTimescaleData,
  fixtures: [
    timescaleFixture,
    { ...timescaleFixture, timescale: 'assessment', targetId: 'assessment', dueDate: '2026-03-09', dueBy: '2026-03-09T23:59:59.999Z' },
  ],
});

export const caseTimescaleOverdueV1 = /* @__PURE__ */ defineEvent({
  detailType: 'CaseTimescaleOverdue',
  producer: 'fsp.cases',
  version: 1,
  description:
    'A statutory timescale of a case (assessment, initial conference, CP review) passed its due day unmet: escalated to the team manager; once per timescale.',
  data: caseTimescaleData,
  fixtures: [
    { ...timescaleFixture, timescale: 'cp-review', targetId: 'review-1-1', dueDate: '2026-05-02', dueBy: '2026-05-02T22:59:59.999Z' },
  ],
});

export const caseTimescaleMetV1 = /* @__PURE__ */ defineEvent({
  detailType: 'CaseTimescaleMet',
  producer: 'fsp.cases',
  version: 1,
  description:
    'A statutory timescale of a case (assessment, initial conference, CP review) stopped being awaited: met (on time or late), or no longer needed (the case moved on or closed); once per timescale. Nothing more is chased about it.',
  data: () =>
    z.object({
      caseId: idSchema,
      reference: referenceSchema,
      teamId: idSchema,
      timescale: z.enum(CASE_TIMESCALES),
      targetId: z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[a-z0-9-]+$/)),
      dueDate: z.iso.date(),
      /** 'met': the step was recorded (onTime says whether by its due day); 'withdrawn': the path no longer waits on it. */
      outcome: z.enum(['met', 'withdrawn']),
      /** Present when met: whether it was met by the end of its due day. */
      onTime: z.optional(z.boolean()),
      /** The London day the step took effect (met), or the day the path stopped waiting (withdrawn). */
      on: z.iso.date(),
      recordedAt: instantSchema,
    }),
  fixtures: [
    {
      caseId: 'case-01JGZB7XQ2',
      reference: 'FSP-2026-000123',
      teamId: 'team-north-1',
      timescale: 'initial-conference',
      targetId: 'conference-1',
      dueDate: '2026-02-02',
      outcome: 'met',
      onTime: true,
      on: '2026-02-02',
      recordedAt: '2026-02-02T16:40:00.000Z',
    },
    {
      caseId: 'case-01JGZB7XQ2',
      reference: 'FSP-2026-000123',
      teamId: 'team-north-1',
      timescale: 'cp-review',
      targetId: 'review-1-2',
      dueDate: '2026-11-02',
      outcome: 'withdrawn',
      on: '2026-09-14',
      recordedAt: '2026-09-14T15:10:00.000Z',
    },
  ],
});
