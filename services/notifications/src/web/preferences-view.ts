/**
 * What the preferences page (templates/preferences.njk) shows: the worker's choice (or their role's
 * default), the form's radios with the digest's time revealed under its radio, and GOV.UK's error
 * pattern (the summary at the top, each message on its field, what was typed kept). Pure.
 */
import {
  DEFAULT_DIGEST_AT,
  type EffectivePreference,
  type NotificationPreference,
  PREFERENCE_MODES,
  type PreferenceMode,
} from '../domain/preferences';

export interface PreferencesFormView {
  /** The radios' items (without the digest's conditional, which the template adds). */
  modes: { value: PreferenceMode; text: string; hint: { text: string }; checked: boolean }[];
  /** What the time box shows. */
  digestAt: string;
  errors: { text: string; href: string }[];
  errorOf: { mode?: string; digestAt?: string };
  version: number;
}

export interface PreferencesPageView {
  /** "Your current choice: …" or the role's default in words. */
  current: string;
  saved: boolean;
  /** Set after a save: the success banner's words. */
  justSaved?: string;
  /** The preference changed in another window while this one was open: nothing was saved. */
  changed: boolean;
  form: PreferencesFormView;
}

const MODE_WORDS: Readonly<Record<PreferenceMode, { text: string; hint: string }>> = {
  inbox: { text: 'Inbox only', hint: 'No email. You see new items when you open your inbox.' },
  immediate: { text: 'Inbox and an email for each item', hint: 'An email as soon as an item for you arrives.' },
  digest: { text: 'Inbox and one daily email', hint: 'One email on working days with what is new for you, urgent items first.' },
};

/** "8am", "4:30pm", "midday", "midnight" for `08:00`, `16:30`, `12:00`, `00:00` (GOV.UK style). */
export function digestTimeInWords(digestAt: string): string {
  const hour = Number(digestAt.slice(0, 2));
  const minute = Number(digestAt.slice(3, 5));
  if (minute === 0 && hour === 0) return 'midnight';
  if (minute === 0 && hour === 12) return 'midday';
  const hour12 = hour % 12 === 0 ? 12 : hour % 12;
  const suffix = hour < 12 ? 'am' : 'pm';
  return minute === 0 ? `${hour12}${suffix}` : `${hour12}:${String(minute).padStart(2, '0')}${suffix}`;
}

/** A preference in a sentence's words: "inbox only", "an email for each item as it arrives", "a daily email at 8am on working days". */
export function preferenceInWords(preference: NotificationPreference): string {
  switch (preference.mode) {
    case 'inbox':
      return 'inbox only, no email';
    case 'immediate':
      return 'inbox and an email for each item as it arrives';
    case 'digest':
      return `inbox and one email at ${digestTimeInWords(preference.digestAt)} (UK time) on working days`;
  }
}

export interface PreferencesFormState {
  /** What the radios and the time box show: the saved or default choice, or what was sent. */
  mode?: string | undefined;
  digestAt?: string | undefined;
  errors?: readonly { field: 'mode' | 'digestAt'; text: string }[];
}

export function preferencesPageView(
  effective: EffectivePreference,
  version: number,
  options: { state?: PreferencesFormState; justSaved?: boolean; changed?: boolean } = {},
): PreferencesPageView {
  const { preference, saved } = effective;
  const state = options.state ?? { mode: preference.mode, digestAt: preference.mode === 'digest' ? preference.digestAt : undefined };
  const errors = state.errors ?? [];
  const errorOf: PreferencesFormView['errorOf'] = {};
  for (const error of errors) errorOf[error.field] ??= error.text;
  const words = preferenceInWords(preference);
  return {
    current: saved ? `You are told: ${words}.` : `You have not chosen yet, so you have the usual choice for your role: ${words}.`,
    saved,
    ...(options.justSaved ? { justSaved: `You will be told: ${words}.` } : {}),
    changed: options.changed ?? false,
    form: {
      modes: PREFERENCE_MODES.map((mode) => ({
        value: mode,
        text: MODE_WORDS[mode].text,
        hint: { text: MODE_WORDS[mode].hint },
        checked: state.mode === mode,
      })),
      digestAt: state.digestAt ?? (preference.mode === 'digest' ? preference.digestAt : DEFAULT_DIGEST_AT),
      // The radios' first input has the group's id, which the summary's link focuses.
      errors: errors.map((error) => ({ text: error.text, href: `#${error.field}` })),
      errorOf,
      version,
    },
  };
}
