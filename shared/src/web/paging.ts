/**
 * Paging a list by the store's cursors, with GOV.UK's pagination (previous and next, no page
 * numbers: a cursor cannot jump). A cursor only leads forwards, so each page's address also carries
 * the cursors of the pages before it (`back`, newest last), which is how "Previous" finds its way.
 * Pure. Every service's paged pages use it.
 */

/** Cursors kept for "Previous"; from further on, "Previous" walks back this far and then to the first page. */
export const MAX_BACK_TRAIL = 10;
/** Cursors are base64url, which has no '.', so '.' separates them. */
const SEPARATOR = '.';

/** Where a page of a list starts: at the beginning, or at a cursor reached through the pages in `back`. */
export interface ListPosition {
  cursor?: string;
  back: readonly string[];
}

export const FIRST_POSITION: ListPosition = { back: [] };

/** A position with its cursor decoded by the list's own decoder (undefined on the first page). */
export interface DecodedPosition<C> {
  position: ListPosition;
  from: C | undefined;
}

/** `?cursor=` and `?back=` as the address carries them: a repeated name comes as a list. */
export type PositionFields = { cursor?: string | string[] | undefined; back?: string | string[] | undefined };

/**
 * The position `?cursor=&back=` names, or undefined when either is not one this list gave out
 * (`decode` is the list's own decoder, undefined for anything else). No cursor is the first page.
 */
export function positionOf<C>(fields: PositionFields, decode: (text: string) => C | undefined): DecodedPosition<C> | undefined {
  const { cursor, back } = fields;
  if (Array.isArray(cursor) || Array.isArray(back)) return undefined;
  if (cursor === undefined || cursor === '')
    return back === undefined || back === '' ? { position: FIRST_POSITION, from: undefined } : undefined;
  const from = decode(cursor);
  if (from === undefined) return undefined;
  const trail = back === undefined || back === '' ? [] : back.split(SEPARATOR);
  if (trail.length > MAX_BACK_TRAIL || !trail.every((text) => decode(text) !== undefined)) return undefined;
  return { position: { cursor, back: trail }, from };
}

/** The position as a form's hidden fields carry it, so that a form's answer returns to the same page. */
export const positionFieldsOf = (position: ListPosition): { cursor: string; back: string } => ({
  cursor: position.cursor ?? '',
  back: position.back.join(SEPARATOR),
});

/** The query of a position, `cursor=…&back=…`, with `fixed` (a list's filter) first; empty for the first page without a filter. */
export function queryOf(position: ListPosition, fixed: Readonly<Record<string, string>> = {}): string {
  const query = new URLSearchParams(fixed);
  if (position.cursor !== undefined) query.set('cursor', position.cursor);
  if (position.back.length > 0) query.set('back', position.back.join(SEPARATOR));
  const text = query.toString();
  return text === '' ? '' : `?${text}`;
}

/** The page after `position`, which the store said starts at `nextCursor`. */
export function nextPosition(position: ListPosition, nextCursor: string): ListPosition {
  const back = position.cursor === undefined ? [] : [...position.back, position.cursor].slice(-MAX_BACK_TRAIL);
  return { cursor: nextCursor, back };
}

/** The page before `position`; undefined on the first page. */
export function previousPosition(position: ListPosition): ListPosition | undefined {
  if (position.cursor === undefined) return undefined;
  const cursor = position.back.at(-1);
  return cursor === undefined ? FIRST_POSITION : { cursor, back: position.back.slice(0, -1) };
}

/** What govukPagination takes: the links it shows, each with the words under it ("Newer items"). */
export interface PaginationLinks {
  previous?: { href: string; labelText: string };
  next?: { href: string; labelText: string };
}

export function paginationOf(
  path: string,
  position: ListPosition,
  nextCursor: string | undefined,
  labels: { previous: string; next: string },
  fixed: Readonly<Record<string, string>> = {},
): PaginationLinks {
  const previous = previousPosition(position);
  return {
    ...(previous ? { previous: { href: `${path}${queryOf(previous, fixed)}`, labelText: labels.previous } } : {}),
    ...(nextCursor !== undefined
      ? { next: { href: `${path}${queryOf(nextPosition(position, nextCursor), fixed)}`, labelText: labels.next } }
      : {}),
  };
}
