/**
 * How each worker wants to be told (issue 15 Deliver 3, ADR 0017 "Preferences and routing"): in the
 * inbox only, in the inbox and by email at once, or in the inbox and a daily digest email at a time
 * they choose (London time, on the quarter hour, working days only). A worker who has not chosen has
 * their role's default. Pure: the clock is the fact's time, passed in; the store is
 * src/store/preferences-store.ts.
 */
import type { Role } from '@fsp/shared/people';
import { londonDateOf, londonWallClockInstant } from '@fsp/shared/time/london';
import { isWorkingDay, nextWorkingDay } from '@fsp/shared/time/working-days';
import * as z from 'zod/mini';
import { isUrgentKind } from './inbox-filter';
import type { NotificationDraft } from './notification';
import type { WorkerMailIntent } from './worker-mail';

export const PREFERENCE_MODES = ['inbox', 'immediate', 'digest'] as const;
export type PreferenceMode = (typeof PREFERENCE_MODES)[number];

/** `08:00`, `16:45`: a London wall-clock time on the quarter hour, as stored and as the JSON API takes it. */
export const DIGEST_TIME_PATTERN = /^([01]\d|2[0-3]):(00|15|30|45)$/;

export const digestTimeSchema = z.lazy(() =>
  z
    .string('digestAt must be a time like 08:00')
    .check(z.regex(DIGEST_TIME_PATTERN, 'digestAt must be a time on the quarter hour, from 00:00 to 23:45, like 08:00 or 16:30')),
);

/** A worker's choice, validated wherever it crosses a boundary (the store, the JSON API, the page's form). */
export const preferenceSchema = z.lazy(() =>
  z.discriminatedUnion('mode', [
    z.object({ mode: z.literal('inbox') }),
    z.object({ mode: z.literal('immediate') }),
    z.object({ mode: z.literal('digest'), digestAt: digestTimeSchema }),
  ]),
);
export type NotificationPreference = z.infer<typeof preferenceSchema>;

/** What the worker chose, or their role's default when they have not chosen (`saved: false`). */
export interface EffectivePreference {
  preference: NotificationPreference;
  saved: boolean;
}

/** When managers read their digest by default: before the day's first visits and meetings. */
export const DEFAULT_DIGEST_AT = '08:00';

/**
 * Defaults by role (ADR 0017): managers receive every escalation of their teams, so theirs come once
 * a working day at 08:00; the people who work with families are told at once of the few items
 * addressed to them alone (an allocation, their action, their action overdue), often away from a
 * desk; an administrator is sent nothing about cases. With several roles, the managing one decides.
 */
export function defaultPreferenceFor(roles: readonly Role[]): NotificationPreference {
  if (roles.includes('team-manager') || roles.includes('service-manager')) return { mode: 'digest', digestAt: DEFAULT_DIGEST_AT };
  if (roles.includes('social-worker') || roles.includes('adult-specialist') || roles.includes('front-door')) return { mode: 'immediate' };
  return { mode: 'inbox' };
}

export const effectivePreference = (saved: NotificationPreference | undefined, roles: readonly Role[]): EffectivePreference =>
  saved === undefined ? { preference: defaultPreferenceFor(roles), saved: false } : { preference: saved, saved: true };

const hourAndMinute = (digestAt: string): { hour: number; minute: number } => {
  if (!DIGEST_TIME_PATTERN.test(digestAt)) throw new RangeError(`not a digest time: ${digestAt}`);
  return { hour: Number(digestAt.slice(0, 2)), minute: Number(digestAt.slice(3, 5)) };
};

/**
 * The first digest moment at or after `fact`: `digestAt` in London on the fact's London day if that
 * is a working day and the time has not passed, else on the next working day. London's clocks change
 * on Sundays at 01:00 UTC, never on a working day, so every quarter hour exists once on a working day.
 */
export function nextDigestMoment(fact: Date, digestAt: string): Date {
  const { hour, minute } = hourAndMinute(digestAt);
  const today = londonDateOf(fact);
  if (isWorkingDay(today)) {
    const moment = londonWallClockInstant(today, hour, minute);
    if (moment.getTime() >= fact.getTime()) return moment;
  }
  return londonWallClockInstant(nextWorkingDay(today), hour, minute);
}

/**
 * What is to be emailed of one delivered inbox item to the owner of its user mailbox, as their
 * preference says: nothing (inbox only), at once (from the fact's time), or in the digest.
 */
export function mailIntentsFor(
  item: Pick<NotificationDraft, 'kind' | 'title' | 'link' | 'createdAt' | 'reference'> & { notificationId: string },
  userId: string,
  preference: NotificationPreference,
): WorkerMailIntent[] {
  if (preference.mode === 'inbox') return [];
  const sendAt =
    preference.mode === 'immediate' ? item.createdAt : nextDigestMoment(new Date(item.createdAt), preference.digestAt).toISOString();
  return [
    {
      notificationId: item.notificationId,
      userId,
      mode: preference.mode,
      sendAt,
      kind: item.kind,
      title: item.title,
      link: item.link,
      ...(item.reference === undefined ? {} : { reference: item.reference }),
      urgent: isUrgentKind(item.kind),
      createdAt: item.createdAt,
    },
  ];
}

/** Form errors, named by the field they are told on. */
export const MODE_ERROR = 'Select how you want to be told about new items';
export const DIGEST_TIME_MISSING = 'Enter the time you want your daily email, for example 08:00';
export const DIGEST_TIME_FORMAT = 'Enter the time as hours and minutes, for example 08:00 or 16:30';
export const DIGEST_TIME_QUARTER = 'Enter a time on the hour or at 15, 30 or 45 minutes past, for example 08:15';

/**
 * A time as people type it, to `HH:MM`: `8:00`, `08.30`, `0815`, `8am`, `4:30pm`, `16:45`. The form
 * is lenient; the JSON API takes `HH:MM` only.
 */
export function parseTypedTime(typed: string): { ok: true; digestAt: string } | { ok: false; error: string } {
  const text = typed.trim().toLowerCase().replace(/\s+/g, '');
  if (text === '') return { ok: false, error: DIGEST_TIME_MISSING };
  const match = /^(\d{1,2})(?:[:.]?(\d{2}))?(am|pm)?$/.exec(text);
  if (!match) return { ok: false, error: DIGEST_TIME_FORMAT };
  let hour = Number(match[1]);
  const minute = match[2] === undefined ? 0 : Number(match[2]);
  const half = match[3];
  // "8" alone is not a time anyone writes for a clock without am or pm; "0800" is.
  if (match[2] === undefined && half === undefined) return { ok: false, error: DIGEST_TIME_FORMAT };
  if (half !== undefined) {
    if (hour < 1 || hour > 12) return { ok: false, error: DIGEST_TIME_FORMAT };
    hour = (hour % 12) + (half === 'pm' ? 12 : 0);
  }
  if (hour > 23 || minute > 59) return { ok: false, error: DIGEST_TIME_FORMAT };
  if (minute % 15 !== 0) return { ok: false, error: DIGEST_TIME_QUARTER };
  return { ok: true, digestAt: `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}` };
}

export type PreferenceForm =
  | { ok: true; preference: NotificationPreference }
  | { ok: false; errors: { field: 'mode' | 'digestAt'; text: string }[] };

/** The page's form (`mode`, `digestAt`) to a preference, or what is wrong with it by field. */
export function preferenceFromForm(form: { mode?: string | undefined; digestAt?: string | undefined }): PreferenceForm {
  switch (form.mode) {
    case 'inbox':
    case 'immediate':
      return { ok: true, preference: { mode: form.mode } };
    case 'digest': {
      const time = parseTypedTime(form.digestAt ?? '');
      return time.ok
        ? { ok: true, preference: { mode: 'digest', digestAt: time.digestAt } }
        : { ok: false, errors: [{ field: 'digestAt', text: time.error }] };
    }
    default:
      return { ok: false, errors: [{ field: 'mode', text: MODE_ERROR }] };
  }
}
