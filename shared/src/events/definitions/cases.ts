/** Events published by services/cases. */
import * as z from 'zod/mini';
import { defineEvent } from '../define';
import { idSchema, instantSchema } from './common';

export const caseOpenedV1 = /* @__PURE__ */ defineEvent({
  detailType: 'CaseOpened',
  producer: 'fsp.cases',
  version: 1,
  description: 'A case was opened from an accepted referral; the assessment clock has started.',
  data: () =>
    z.object({
      caseId: idSchema,
      referralId: idSchema,
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
      teamId: 'team-north-1',
      openedAt: '2026-01-05T15:10:02.000Z',
      status: 'assessment',
      assessmentDueBy: '2026-03-09T23:59:59.000Z',
    },
  ],
});
