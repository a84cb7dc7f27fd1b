/**
 * Who read a referral (DOMAIN.md, Information governance: audit every access). Every front-door
 * read of one referral's content (its page, its screening and decision forms, the JSON read) is
 * recorded: who (user id and name), what (the referral and where it was shown), when, and why
 * (the purpose the read serves). The queue shows no child's or adult's details, so it is not
 * recorded per referral.
 */

/** Where the referral was shown: a page, or the JSON API. */
export const ACCESS_VIEWS = ['referral-page', 'screening-form', 'decision-form', 'api'] as const;
export type AccessView = (typeof ACCESS_VIEWS)[number];

/** Why the front door reads a referral: the statutory task the read serves. */
export const FRONT_DOOR_PURPOSE = 'front door screening and decision';

export interface ReferralAccess {
  referralId: string;
  /** The instant of the read (ISO 8601). */
  at: string;
  userId: string;
  /** The worker's name when they read it, as their session or token gave it. */
  name: string;
  view: AccessView;
  purpose: string;
  /** The request that read it: tells two reads in the same millisecond apart. */
  requestId: string;
}

export interface Reader {
  userId: string;
  name?: string;
  username: string;
}

/** The record of `reader` reading `referralId` in `view` at `now`, for the front door's purpose. */
export const frontDoorAccess = (referralId: string, reader: Reader, view: AccessView, now: Date, requestId: string): ReferralAccess => ({
  referralId,
  at: now.toISOString(),
  userId: reader.userId,
  name: reader.name ?? reader.username,
  view,
  purpose: FRONT_DOOR_PURPOSE,
  requestId,
});
