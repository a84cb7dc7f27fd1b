/**
 * The administrators' view of workers' email that failed (routes.ts: administrators only, checked
 * before this code runs; ADR 0019): newest first, each with its attempts and what SES said. The
 * recipient is named by their user id (the directory has their name); the email's address and its
 * items' titles are not shown.
 */
import { defineRoute, json, type Route } from '@fsp/shared/http/handler';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import * as z from 'zod/mini';
import { DEFAULT_PAGE_SIZE } from '../domain/inbox-page';
import {
  createWorkerMailStore,
  decodeFailedMailCursor,
  encodeFailedMailCursor,
  type FailedMailCursor,
  type WorkerMail,
} from '../store/worker-mail-store';
import { limitParameter } from './parameters';
import { routes } from './routes';

/** Failures change with every run: never cached on the way. */
const PRIVATE = { 'cache-control': 'private, no-store' };

const cursorParameter = z.lazy(() =>
  z.pipe(
    z.string(),
    z.transform((text, context): FailedMailCursor => {
      const decoded = decodeFailedMailCursor(text);
      if (decoded) return decoded;
      context.issues.push({ code: 'custom', message: 'cursor is not one this list gave out; start again without it', input: text });
      return z.NEVER;
    }),
  ),
);

const failuresQuery = z.lazy(() => z.object({ cursor: z.optional(cursorParameter), limit: z.optional(limitParameter) }));

const failureView = (mail: WorkerMail) => ({
  id: mail.mailId,
  userId: mail.userId,
  mode: mail.mode,
  notificationIds: mail.intents.map((intent) => intent.notificationId),
  references: [...new Set(mail.intents.flatMap((intent) => (intent.reference === undefined ? [] : [intent.reference])))],
  attempts: mail.attempts,
  createdAt: mail.createdAt,
  failedAt: mail.failedAt ?? null,
  lastResult: mail.lastResult ?? null,
  problems: mail.problems ?? [],
});

export function workerMailAdminRoutes(runtime: Pick<ServiceRuntime, 'documents' | 'tableName'>): Route[] {
  const mails = createWorkerMailStore(runtime.documents, runtime.tableName);
  return [
    defineRoute(routes.workerMailFailures, {
      query: failuresQuery,
      handle: async ({ query }) => {
        const page = await mails.listFailed(query.limit ?? DEFAULT_PAGE_SIZE, query.cursor);
        return json(200, { items: page.items.map(failureView), nextCursor: page.next ? encodeFailedMailCursor(page.next) : null }, PRIVATE);
      },
    }),
  ];
}
