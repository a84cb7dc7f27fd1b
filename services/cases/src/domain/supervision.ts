/**
 * What cases keeps of group supervision (DOMAIN.md, Group supervision): supervision records it and
 * owns it; cases writes each supervision held into the case's chronology, with its RAG rating, and
 * keeps the latest rating on the case for its overview. Pure: no AWS, no I/O.
 */
import { createHash } from 'node:crypto';
import type { SupervisionRating } from '@fsp/shared/events/definitions/supervision';
import { parseLocalDate } from '@fsp/shared/time/local-date';
import { londonDateOf, londonWallClockInstant } from '@fsp/shared/time/london';
import { londonDateText } from '@fsp/shared/time/london-words';
import type { CaseRecord, ChronologyEntry, LatestSupervision } from './case';

/** The fields of SupervisionHeld v1 that cases reads (the consumer passes the validated event data). */
export interface HeldSupervision {
  supervisionId: string;
  caseId: string;
  sequence: number;
  heldOn: string;
  rating: SupervisionRating;
  previousRating?: SupervisionRating;
  completedAt: string;
}

export const RATING_WORDS: Readonly<Record<SupervisionRating, string>> = { red: 'Red', amber: 'Amber', green: 'Green' };

/** "Tuesday 3 February 2026": a London calendar day in words (noon, so no clock change can move it). */
export const heldOnText = (heldOn: string): string => londonDateText(londonWallClockInstant(parseLocalDate(heldOn), 12, 0));

const ENTRY_PREFIX = 'supervision-held-';
/** An entry id is an event id too (CaseChronologyEntryAdded): 64 characters at most. */
const MAX_ENTRY_ID_LENGTH = 64;

/**
 * One entry per supervision, whatever eventId (or however often) SupervisionHeld arrives with:
 * derived from the supervision's id (hashed if that would make it too long), so a repeat collides.
 */
export function supervisionEntryId(supervisionId: string): string {
  const plain = `${ENTRY_PREFIX}${supervisionId}`;
  if (plain.length <= MAX_ENTRY_ID_LENGTH) return plain;
  return `${ENTRY_PREFIX}${createHash('sha256').update(supervisionId).digest('hex').slice(0, 32)}`;
}

/**
 * "Group supervision 2 held: rated Red (was Amber)". Dated when the record was completed (the
 * instant the rating became the case's); when that was not the day it was held, the line says
 * the day: "Group supervision 2 held on Tuesday 3 February 2026: rated Amber".
 */
export function supervisionHeldText(
  held: Pick<HeldSupervision, 'sequence' | 'heldOn' | 'rating' | 'previousRating' | 'completedAt'>,
): string {
  const sameDay = londonDateOf(new Date(held.completedAt)) === held.heldOn;
  const when = sameDay ? '' : ` on ${heldOnText(held.heldOn)}`;
  const was = held.previousRating ? ` (was ${RATING_WORDS[held.previousRating]})` : '';
  return `Group supervision ${held.sequence} held${when}: rated ${RATING_WORDS[held.rating]}${was}`;
}

export function supervisionHeldEntry(
  record: Pick<CaseRecord, 'caseId' | 'referralId'>,
  held: HeldSupervision,
  context: { sourceEventId: string },
): ChronologyEntry {
  return {
    entryId: supervisionEntryId(held.supervisionId),
    caseId: record.caseId,
    kind: 'supervision-held',
    at: held.completedAt,
    text: supervisionHeldText(held),
    referralId: record.referralId,
    sourceEventId: context.sourceEventId,
  };
}

/**
 * The case's latest supervision once `held` is known: the one with the highest sequence, so a
 * supervision heard of late (queues do not keep order) never replaces a later one. Undefined when
 * the case already knows a later (or this) one: the head is not to change.
 */
export function latestSupervisionAfter(current: LatestSupervision | undefined, held: HeldSupervision): LatestSupervision | undefined {
  if (current && current.sequence >= held.sequence) return undefined;
  return { rating: held.rating, heldOn: held.heldOn, sequence: held.sequence };
}
