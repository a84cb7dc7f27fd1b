/**
 * A worker's inbox is two mailboxes (theirs and their team's) read as one list, newest first. Each
 * page queries both from where the previous page stopped and merges them; the cursor remembers a
 * position per mailbox. Pure: the store fetches, this decides what the page and the next cursor are.
 */

import { MAILBOX_ROLES, type MailboxRole } from '@fsp/shared/inbox/mailbox';
import * as z from 'zod/mini';
import { NOTIFICATION_ID_PATTERN } from './notification';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface MailboxPosition {
  /** The last notification id already shown from this mailbox; null before the first. */
  after: string | null;
  /** Nothing older is left in this mailbox. */
  done: boolean;
}

export type InboxCursor = Record<MailboxRole, MailboxPosition>;

export const FIRST_PAGE: InboxCursor = { user: { after: null, done: false }, team: { after: null, done: false } };

const CURSOR_VERSION = 1;
/** Far above any real cursor (about 170 characters); refuses oversized input before decoding it. */
const MAX_CURSOR_LENGTH = 512;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

const positionSchema = z.lazy(() =>
  z.strictObject({
    after: z.nullable(z.string().check(z.regex(NOTIFICATION_ID_PATTERN))),
    done: z.boolean(),
  }),
);
const cursorSchema = z.lazy(() => z.strictObject({ v: z.literal(CURSOR_VERSION), user: positionSchema, team: positionSchema }));

/**
 * Opaque to clients (base64url of a small JSON document) so its shape can change. It is not signed:
 * it only says where to resume within the caller's own mailboxes, whose keys come from the verified
 * token, so a forged cursor can skip or repeat the caller's own items and reach nothing else.
 */
export function encodeCursor(cursor: InboxCursor): string {
  const document = { v: CURSOR_VERSION, user: cursor.user, team: cursor.team };
  return Buffer.from(JSON.stringify(document), 'utf8').toString('base64url');
}

export type DecodedCursor = { ok: true; cursor: InboxCursor } | { ok: false; reason: string };

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    // Anything JSON.parse can throw here is a SyntaxError: the caller answers 400 with the field named.
    if (error instanceof SyntaxError) return { ok: false };
    throw error;
  }
}

/** Never throws: any string is either a cursor this service issued (or could have) or a reason to refuse it. */
export function decodeCursor(text: string): DecodedCursor {
  const refused = { ok: false, reason: 'cursor is not one this inbox gave out; start again without it' } as const;
  if (text.length === 0 || text.length > MAX_CURSOR_LENGTH || !BASE64URL.test(text)) return refused;
  const json = parseJson(Buffer.from(text, 'base64url').toString('utf8'));
  if (!json.ok) return refused;
  const parsed = z.safeParse(cursorSchema, json.value);
  if (!parsed.success) return refused;
  const cursor: InboxCursor = { user: parsed.data.user, team: parsed.data.team };
  // Only the canonical spelling is accepted, so a cursor altered in transit is refused rather than half-read.
  return encodeCursor(cursor) === text ? { ok: true, cursor } : refused;
}

export interface FetchedSlice<T> {
  /** Items after the mailbox's position, newest first, at most pageSize + 1 of them. */
  items: readonly T[];
  /** The query stopped before the end of the mailbox for a reason other than the item limit (its 1 MB page). */
  truncated: boolean;
}

export interface InboxPage<T> {
  items: T[];
  /** Null when both mailboxes are exhausted. */
  next: InboxCursor | null;
}

/**
 * Merges the slices newest first and keeps `pageSize`. A mailbox has more to give when the page left
 * some of its fetched items unshown (the store fetches pageSize + 1 to find out) or its query was cut short.
 */
export function mergeNewestFirst<T extends { notificationId: string }>(
  from: InboxCursor,
  fetched: Record<MailboxRole, FetchedSlice<T>>,
  pageSize: number,
): InboxPage<T> {
  const tagged = MAILBOX_ROLES.flatMap((role) => fetched[role].items.map((item) => ({ role, item })));
  // Ids start with the fact's fixed-width UTC time, so comparing ids orders by time; ids never repeat across mailboxes.
  tagged.sort((a, b) => (a.item.notificationId < b.item.notificationId ? 1 : a.item.notificationId > b.item.notificationId ? -1 : 0));
  const shown = tagged.slice(0, pageSize);

  const next = {} as InboxCursor;
  for (const role of MAILBOX_ROLES) {
    const shownHere = shown.filter((entry) => entry.role === role);
    const fetchedHere = fetched[role];
    const hasMore = shownHere.length < fetchedHere.items.length || fetchedHere.truncated;
    next[role] = {
      after: shownHere.at(-1)?.item.notificationId ?? from[role].after,
      done: from[role].done || !hasMore,
    };
  }
  return { items: shown.map((entry) => entry.item), next: MAILBOX_ROLES.every((role) => next[role].done) ? null : next };
}
