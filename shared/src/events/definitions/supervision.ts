/** Events published by services/supervision. */
import * as z from 'zod/mini';
import { defineEvent } from '../define';
import { idSchema, instantSchema, referenceSchema } from './common';

/** Group supervision's RAG rating of a case (DOMAIN.md, Group supervision). */
export const SUPERVISION_RATINGS = ['red', 'amber', 'green'] as const;
export type SupervisionRating = (typeof SUPERVISION_RATINGS)[number];

const localDateSchema = z.lazy(() => z.iso.date());

export const supervisionScheduledV1 = /* @__PURE__ */ defineEvent({
  detailType: 'SupervisionScheduled',
  producer: 'fsp.supervision',
  version: 1,
  description: 'A group supervision of a case was scheduled (or rescheduled, with the reason); it is overdue if not held by dueBy.',
  data: () =>
    z.object({
      supervisionId: idSchema,
      caseId: idSchema,
      teamId: idSchema,
      dueBy: instantSchema,
      scheduledFor: instantSchema,
      /** The case's reference, which workers name it by. Optional only because v1 was first published without it. */
      reference: z.optional(referenceSchema),
      /** The case's supervisions so far, this one included (1: the first). Optional as `reference`. */
      sequence: z.optional(z.int().check(z.positive())),
      /** Present when an existing supervision was moved: when it had been planned for, and the team manager's reason. */
      rescheduled: z.optional(
        z.object({
          previousScheduledFor: instantSchema,
          reason: z.string().check(z.minLength(1), z.maxLength(1000)),
          by: idSchema,
        }),
      ),
    }),
  fixtures: [
    {
      supervisionId: 'sup-01JGZC3M8F',
      caseId: 'case-01JGZB7XQ2',
      teamId: 'team-north-1',
      dueBy: '2026-02-05T23:59:59.000Z',
      scheduledFor: '2026-01-28T10:00:00.000Z',
    },
    {
      supervisionId: 'sup-01JGZC3M8F',
      caseId: 'case-01JGZB7XQ2',
      teamId: 'team-north-1',
      reference: 'FSP-2026-000123',
      sequence: 2,
      dueBy: '2026-03-05T23:59:59.999Z',
      scheduledFor: '2026-03-03T10:00:00.000Z',
      rescheduled: {
        previousScheduledFor: '2026-03-05T10:00:00.000Z',
        reason: 'The domestic abuse worker is in court on the 5th.',
        by: '9b2e4d1a-5c3f-4a7e-8d6b-1f0c2e9a7b53',
      },
    },
  ],
});

export const supervisionHeldV1 = /* @__PURE__ */ defineEvent({
  detailType: 'SupervisionHeld',
  producer: 'fsp.supervision',
  version: 1,
  description:
    'The chair completed the record of a group supervision of a case: its RAG rating (and the one before), how many actions it set, and when the next is due.',
  data: () =>
    z.object({
      supervisionId: idSchema,
      caseId: idSchema,
      teamId: idSchema,
      reference: referenceSchema,
      sequence: z.int().check(z.positive()),
      /** The London calendar day it was held. */
      heldOn: localDateSchema,
      /** The chair (the team manager) who completed the record. */
      chairId: idSchema,
      rating: z.enum(SUPERVISION_RATINGS),
      /** The case's rating at its previous supervision; absent at its first. */
      previousRating: z.optional(z.enum(SUPERVISION_RATINGS)),
      actions: z.int().check(z.nonnegative()),
      /** The next supervision's due instant; absent when the case closed meanwhile (none is scheduled). */
      nextDueBy: z.optional(instantSchema),
      completedAt: instantSchema,
    }),
  fixtures: [
    {
      supervisionId: 'sup-01JGZC3M8F',
      caseId: 'case-01JGZB7XQ2',
      teamId: 'team-north-1',
      reference: 'FSP-2026-000123',
      sequence: 1,
      heldOn: '2026-02-03',
      chairId: '9b2e4d1a-5c3f-4a7e-8d6b-1f0c2e9a7b53',
      rating: 'amber',
      actions: 2,
      nextDueBy: '2026-03-03T23:59:59.999Z',
      completedAt: '2026-02-03T12:14:05.000Z',
    },
    {
      supervisionId: 'sup-01JH4K2P9Q',
      caseId: 'case-01JGZB7XQ2',
      teamId: 'team-north-1',
      reference: 'FSP-2026-000123',
      sequence: 2,
      heldOn: '2026-03-03',
      chairId: '9b2e4d1a-5c3f-4a7e-8d6b-1f0c2e9a7b53',
      rating: 'red',
      previousRating: 'amber',
      actions: 0,
      completedAt: '2026-03-03T11:02:40.000Z',
    },
  ],
});

export const supervisionDueSoonV1 = /* @__PURE__ */ defineEvent({
  detailType: 'SupervisionDueSoon',
  producer: 'fsp.supervision',
  version: 1,
  description:
    'A scheduled group supervision of a case is due within five working days and not yet held: the team is reminded, once per supervision.',
  data: () =>
    z.object({
      supervisionId: idSchema,
      caseId: idSchema,
      teamId: idSchema,
      reference: referenceSchema,
      sequence: z.int().check(z.positive()),
      scheduledFor: instantSchema,
      dueBy: instantSchema,
      /** When the schedule found it due soon. */
      detectedAt: instantSchema,
    }),
  fixtures: [
    {
      supervisionId: 'sup-01JGZC3M8F',
      caseId: 'case-01JGZB7XQ2',
      teamId: 'team-north-1',
      reference: 'FSP-2026-000123',
      sequence: 1,
      scheduledFor: '2026-02-03T10:00:00.000Z',
      dueBy: '2026-02-05T23:59:59.999Z',
      detectedAt: '2026-01-29T07:00:00.000Z',
    },
  ],
});

export const supervisionBecameOverdueV1 = /* @__PURE__ */ defineEvent({
  detailType: 'SupervisionBecameOverdue',
  producer: 'fsp.supervision',
  version: 1,
  description: 'A group supervision was not held by its due date: escalated to the team manager, once per supervision.',
  data: () =>
    z.object({
      supervisionId: idSchema,
      caseId: idSchema,
      teamId: idSchema,
      reference: referenceSchema,
      sequence: z.int().check(z.positive()),
      dueBy: instantSchema,
      /** When the schedule found it overdue. */
      detectedAt: instantSchema,
    }),
  fixtures: [
    {
      supervisionId: 'sup-01JGZC3M8F',
      caseId: 'case-01JGZB7XQ2',
      teamId: 'team-north-1',
      reference: 'FSP-2026-000123',
      sequence: 1,
      dueBy: '2026-02-05T23:59:59.999Z',
      detectedAt: '2026-02-06T00:15:00.000Z',
    },
  ],
});

/** What an action event names; never the action's words, which may be about the family. */
const actionFacts = () => ({
  actionId: idSchema,
  supervisionId: idSchema,
  caseId: idSchema,
  teamId: idSchema,
  reference: referenceSchema,
  /** The worker who owns the action (the directory's `sub`). */
  ownerId: idSchema,
  /** The London calendar day it is due by, and the last instant of it. */
  dueDate: localDateSchema,
  dueBy: instantSchema,
});

const ACTION_FIXTURE = {
  actionId: 'act-5d1f0c9e2b7a4e3f',
  supervisionId: 'sup-01JGZC3M8F',
  caseId: 'case-01JGZB7XQ2',
  teamId: 'team-north-1',
  reference: 'FSP-2026-000123',
  ownerId: '3f1c9a2e-7b4d-4e8a-9c1f-2d6b8e0a4c71',
  dueDate: '2026-02-17',
  dueBy: '2026-02-17T23:59:59.999Z',
} as const;

export const supervisionActionAssignedV1 = /* @__PURE__ */ defineEvent({
  detailType: 'SupervisionActionAssigned',
  producer: 'fsp.supervision',
  version: 1,
  description: 'Group supervision gave a worker an action on a case, due by a date (the action’s words stay in supervision).',
  data: () => z.object({ ...actionFacts(), assignedAt: instantSchema, assignedBy: idSchema }),
  fixtures: [{ ...ACTION_FIXTURE, assignedAt: '2026-02-03T12:14:05.000Z', assignedBy: '9b2e4d1a-5c3f-4a7e-8d6b-1f0c2e9a7b53' }],
});

export const supervisionActionCompletedV1 = /* @__PURE__ */ defineEvent({
  detailType: 'SupervisionActionCompleted',
  producer: 'fsp.supervision',
  version: 1,
  description: 'A supervision action was marked done (by its owner or the team manager); nothing more is chased about it.',
  data: () => z.object({ ...actionFacts(), completedAt: instantSchema, completedBy: idSchema }),
  fixtures: [{ ...ACTION_FIXTURE, completedAt: '2026-02-12T16:40:00.000Z', completedBy: '3f1c9a2e-7b4d-4e8a-9c1f-2d6b8e0a4c71' }],
});

export const supervisionActionDueSoonV1 = /* @__PURE__ */ defineEvent({
  detailType: 'SupervisionActionDueSoon',
  producer: 'fsp.supervision',
  version: 1,
  description: 'A supervision action is due within two working days and not yet done: its owner is reminded, once per action.',
  data: () => z.object({ ...actionFacts(), detectedAt: instantSchema }),
  fixtures: [{ ...ACTION_FIXTURE, detectedAt: '2026-02-13T07:00:00.000Z' }],
});

/** Who an overdue action is escalated to: its owner when it passes its due date, then the team manager if it stays open. */
export const ACTION_ESCALATIONS = ['owner', 'team-manager'] as const;

export const supervisionActionBecameOverdueV1 = /* @__PURE__ */ defineEvent({
  detailType: 'SupervisionActionBecameOverdue',
  producer: 'fsp.supervision',
  version: 1,
  description:
    'A supervision action was not done by its due date: escalated to its owner, then (still open later) to the team manager; once per action and escalation.',
  data: () => z.object({ ...actionFacts(), escalatedTo: z.enum(ACTION_ESCALATIONS), detectedAt: instantSchema }),
  fixtures: [
    { ...ACTION_FIXTURE, escalatedTo: 'owner', detectedAt: '2026-02-18T00:15:00.000Z' },
    { ...ACTION_FIXTURE, escalatedTo: 'team-manager', detectedAt: '2026-02-20T00:15:00.000Z' },
  ],
});
