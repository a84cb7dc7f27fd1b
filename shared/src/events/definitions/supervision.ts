/** Events published by services/supervision. */
import * as z from 'zod/mini';
import { defineEvent } from '../define';
import { idSchema, instantSchema } from './common';

export const supervisionScheduledV1 = /* @__PURE__ */ defineEvent({
  detailType: 'SupervisionScheduled',
  producer: 'fsp.supervision',
  version: 1,
  description: 'A group supervision of a case was scheduled; it is overdue if not held by dueBy.',
  data: () =>
    z.object({
      supervisionId: idSchema,
      caseId: idSchema,
      teamId: idSchema,
      dueBy: instantSchema,
      scheduledFor: instantSchema,
    }),
  fixtures: [
    {
      supervisionId: 'sup-01JGZC3M8F',
      caseId: 'case-01JGZB7XQ2',
      teamId: 'team-north-1',
      dueBy: '2026-02-05T23:59:59.000Z',
      scheduledFor: '2026-01-28T10:00:00.000Z',
    },
  ],
});
