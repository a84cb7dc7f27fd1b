/**
 * Events published by services/notifications: the inbox's counters, so that every service's pages
 * can show the Inbox count from a projection of their own (ADR 0013), never by calling
 * notifications. Each carries the counter's value after the change; counters only go up, so a
 * consumer keeps the highest value it hears and is indifferent to order and duplicates.
 */
import * as z from 'zod/mini';
import { MAILBOX_PATTERN } from '../../inbox/mailbox';
import { defineEvent } from '../define';
import { idSchema, instantSchema } from './common';

const mailboxSchema = () =>
  z.string().check(z.maxLength(300), z.regex(MAILBOX_PATTERN, 'must be a mailbox: team:<teamId> or user:<userId>'));
/** A worker's user id as the identity provider gives it (a Cognito sub, or the local issuer's `local-<username>`). */
const userIdSchema = () => z.string().check(z.minLength(1), z.maxLength(256), z.regex(/^\S+$/, 'must be a user id without spaces'));
const counterSchema = () => z.int().check(z.positive());

export const inboxItemDeliveredV1 = /* @__PURE__ */ defineEvent({
  detailType: 'InboxItemDelivered',
  producer: 'fsp.notifications',
  version: 1,
  description:
    "An inbox item was delivered to a team's or a worker's mailbox; deliveredCount is how many the mailbox has been delivered in all, this one included. Items delivered together publish one event, naming the last of them.",
  data: () =>
    z.object({
      mailbox: mailboxSchema(),
      /** Every item ever delivered to the mailbox; only goes up. */
      deliveredCount: counterSchema(),
      notificationId: idSchema,
      at: instantSchema,
    }),
  fixtures: [
    {
      mailbox: 'team:front-door',
      deliveredCount: 42,
      notificationId: '20260105T093000000Z-3f1c9a7be2d84c51a06f9b2e7d4c8a10',
      at: '2026-01-05T09:30:01.250Z',
    },
    {
      mailbox: 'user:6c1e2f7a-93b4-4d2e-8a51-0f7b3c9d2e64',
      deliveredCount: 1,
      notificationId: '20260105T101500000Z-a9e04d3c7b1f42e8956c0d2b8f3e1a77',
      at: '2026-01-05T10:15:00.800Z',
    },
  ],
});

export const inboxItemReadV1 = /* @__PURE__ */ defineEvent({
  detailType: 'InboxItemRead',
  producer: 'fsp.notifications',
  version: 1,
  description:
    'A worker marked an inbox item read (read state is per person); readCount is how many items of that mailbox they have read in all, this one included.',
  data: () =>
    z.object({
      userId: userIdSchema(),
      mailbox: mailboxSchema(),
      /** Every item of the mailbox this worker has marked read; only goes up. */
      readCount: counterSchema(),
      notificationId: idSchema,
      at: instantSchema,
    }),
  fixtures: [
    {
      userId: '6c1e2f7a-93b4-4d2e-8a51-0f7b3c9d2e64',
      mailbox: 'team:front-door',
      readCount: 40,
      notificationId: '20260105T093000000Z-3f1c9a7be2d84c51a06f9b2e7d4c8a10',
      at: '2026-01-05T11:02:45.100Z',
    },
  ],
});
