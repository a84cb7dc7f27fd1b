/** Events published by services/cases. */
import * as z from 'zod/mini';
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
