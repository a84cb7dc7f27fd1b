/**
 * The referral form's questions, step by step: what each step's POST must contain (zod/mini
 * schemas, with GOV.UK-style messages that say how to fix the answer), the answers a draft keeps,
 * and how the answers become the `ReferralSubmission` every channel shares.
 */
import { FACTOR_CODES, type ReferralSourceCode } from '@fsp/shared/events/codes';
import { wholeNumber } from '@fsp/shared/numbers';
import { plainText } from '@fsp/shared/text';
import * as z from 'zod/mini';
import { ANONYMOUS_SOURCE, GENDERS, type ReferralSubmission } from '../domain/submission';
import { NO_FACTORS, REFERRAL_SOURCE_CHOICES, type ReferrerType, SOURCE_CHOICES_BY_TYPE } from './choices';

/** An urlencoded body: a repeated name (checkboxes) is a list. */
export type RawForm = Record<string, string | string[]>;

export interface FormError {
  /** The field's name; the page knows the id its error summary links to. */
  field: string;
  message: string;
}

export type StepResult<T> = { ok: true; answers: T } | { ok: false; errors: FormError[] };

/** First value of a field, trimmed; undefined when absent or blank. */
export function one(form: RawForm, name: string): string | undefined {
  const value = form[name];
  const first = Array.isArray(value) ? value[0] : value;
  const trimmed = first?.trim();
  return trimmed ? trimmed : undefined;
}

export const many = (form: RawForm, name: string): string[] => {
  const value = form[name];
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((v) => v.trim()).filter((v) => v !== '');
};

/**
 * Typed text: at most `max` characters, none of them invisible or a control character (a textarea
 * may hold line breaks and tabs). Such characters mostly arrive by pasting, so the message says to type it.
 */
const required = (message: string, label: string, max: number, options: { multiline?: boolean } = {}) =>
  z.string(message).check(
    z.maxLength(max, `${label} must be ${wholeNumber(max)} characters or fewer`),
    plainText({
      multiline: options.multiline ?? false,
      message: `${label} must not contain invisible or control characters – type it in again rather than pasting it`,
    }),
  );
const optional = (label: string, max: number) => z.optional(required('', label, max));
const choice = <const V extends readonly [string, ...string[]]>(values: V, message: string) => z.enum(values, message);

type Codes = [ReferralSourceCode, ...ReferralSourceCode[]];
const FORM_REFERRAL_SOURCES = REFERRAL_SOURCE_CHOICES.map((choice) => choice.value) as Codes;

const POSTCODE = /^[A-Za-z]{1,2}\d[A-Za-z\d]? ?\d[A-Za-z]{2}$/;
const PHONE = /^\+?[0-9 ()-]{7,20}$/;

// ---------------------------------------------------------------------------------------------
// Dates: the GOV.UK date input's three fields, checked as the design system recommends.

export interface DateParts {
  day?: string | undefined;
  month?: string | undefined;
  year?: string | undefined;
}

export const dateParts = (form: RawForm, name: string): DateParts => ({
  day: one(form, `${name}-day`),
  month: one(form, `${name}-month`),
  year: one(form, `${name}-year`),
});

/** `2018-03-14` → its three fields, for showing a kept answer again. */
export function partsOf(iso: string | undefined): DateParts {
  if (!iso) return {};
  const [year, month, day] = iso.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year };
}

type DateRule = 'past' | 'future-or-today';

/** Checks three fields as one date: its YYYY-MM-DD (none when optional and blank), or what to fix. */
export function checkDate(
  parts: DateParts,
  label: string,
  options: { required: boolean; rule: DateRule; today: string },
): { iso?: string; error?: string } {
  const { day, month, year } = parts;
  if (!day && !month && !year) return options.required ? { error: `Enter the ${label.toLowerCase()}` } : {};
  const missing = [!day && 'a day', !month && 'a month', !year && 'a year'].filter(Boolean);
  if (missing.length > 0) return { error: `${label} must include ${missing.join(' and ')}` };
  if (!/^\d{1,2}$/.test(day ?? '') || !/^\d{1,2}$/.test(month ?? '') || !/^\d{4}$/.test(year ?? ''))
    return { error: `${label} must be a real date` };
  const [d, m, y] = [Number(day), Number(month), Number(year)];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d || y < 1900) {
    return { error: `${label} must be a real date` };
  }
  const iso = `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  if (options.rule === 'past' && iso > options.today) return { error: `${label} must be today or in the past` };
  if (options.rule === 'future-or-today' && iso < options.today) return { error: `${label} must be today or in the future` };
  return { iso };
}

/** A date field as a zod schema over its three parts, so date errors come out with every other field's. */
const dateSchema = (label: string, options: { required: boolean; rule: DateRule; today: string }) =>
  z.pipe(
    z.object({ day: z.optional(z.string()), month: z.optional(z.string()), year: z.optional(z.string()) }),
    z.transform((parts, ctx): string | undefined => {
      const checked = checkDate(parts, label, options);
      if (checked.error) ctx.issues.push({ code: 'custom', message: checked.error, input: parts });
      return checked.iso;
    }),
  );

// ---------------------------------------------------------------------------------------------
// The answers a draft keeps: what each step's schema gives back.

/** Who is referring: a census source the page offers, 9 (anonymous) included. */
const whoYouAreShape = {
  referralSource: choice(FORM_REFERRAL_SOURCES, 'Select which best describes you'),
};
export const whoYouAreSchema = z.lazy(() => z.object(whoYouAreShape));
export type FormReferralSource = z.output<typeof whoYouAreSchema>['referralSource'];

/** The referrer's contact details: asked unless the referral is anonymous. */
const aboutYouShape = {
  name: required('Enter your full name', 'Your full name', 200),
  role: optional('Your role', 200),
  organisation: optional('Your organisation', 200),
  email: z.lazy(() =>
    z.string('Enter your email address').check(z.email('Enter an email address in the correct format, like name@example.com')),
  ),
  phone: z.lazy(() => z.optional(z.string().check(z.regex(PHONE, 'Enter a telephone number, like 01632 960 001 or 07700 900 982')))),
};
export const aboutYouSchema = z.lazy(() => z.object(aboutYouShape));
export type AboutYou = z.output<typeof aboutYouSchema>;

export const isAnonymous = (answers: DraftAnswers): boolean => answers.referralSource === ANONYMOUS_SOURCE;

export const childAnswersSchema = z.lazy(() =>
  z.object({
    firstName: z.string(),
    lastName: z.string(),
    born: z.enum(['yes', 'no']),
    dateOfBirth: z.optional(z.string()),
    expectedDateOfBirth: z.optional(z.string()),
    gender: z.optional(z.enum(GENDERS)),
    addressLine1: z.optional(z.string()),
    addressLine2: z.optional(z.string()),
    town: z.optional(z.string()),
    postcode: z.optional(z.string()),
    school: z.optional(z.string()),
  }),
);
export type ChildAnswers = z.output<typeof childAnswersSchema>;

export const adultAnswersSchema = z.lazy(() =>
  z.object({
    firstName: z.string(),
    lastName: z.string(),
    relationship: z.string(),
    dateOfBirth: z.optional(z.string()),
  }),
);
export type AdultAnswers = z.output<typeof adultAnswersSchema>;

export const concernsSchema = z.lazy(() =>
  z.object({
    whatHappened: z.string(),
    whyNow: z.string(),
    factors: z.array(z.enum(FACTOR_CODES)),
  }),
);
export type Concerns = z.output<typeof concernsSchema>;

export const consentAnswersSchema = z.lazy(() =>
  z.object({
    familyKnows: z.enum(['yes', 'no']),
    consentGiven: z.enum(['yes', 'no']),
    withoutConsentReason: z.optional(z.string()),
  }),
);
export type ConsentAnswers = z.output<typeof consentAnswersSchema>;

export const MAX_PEOPLE = 30;

/** Everything a draft holds; also how a stored draft is read back. */
export const draftAnswersSchema = z.lazy(() =>
  z.object({
    referralSource: z.optional(whoYouAreShape.referralSource),
    /** Absent when anonymous. (A draft kept from before the source had its own step held it here: it is asked again.) */
    aboutYou: z.optional(aboutYouSchema),
    children: z.array(childAnswersSchema).check(z.maxLength(MAX_PEOPLE)),
    adultsKnown: z.optional(z.enum(['yes', 'no'])),
    adults: z.array(adultAnswersSchema).check(z.maxLength(MAX_PEOPLE)),
    concerns: z.optional(concernsSchema),
    consent: z.optional(consentAnswersSchema),
  }),
);
export type DraftAnswers = z.output<typeof draftAnswersSchema>;

export const emptyAnswers = (): DraftAnswers => ({ children: [], adults: [] });

// ---------------------------------------------------------------------------------------------
// Parsing each step's POST.

function run<T>(schema: z.ZodMiniType<T>, input: unknown): StepResult<T> {
  const result = z.safeParse(schema, input);
  if (result.success) return { ok: true, answers: result.data };
  const errors: FormError[] = [];
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? '');
    if (!errors.some((e) => e.field === field)) errors.push({ field, message: issue.message });
  }
  return { ok: false, errors };
}

const referrerTypeSchema = z.lazy(() =>
  z.object({
    referrerType: z.enum(['professional', 'public'], 'Select whether you are a professional or a member of the public'),
  }),
);

/** The first of the two questions about the referrer; its answer is not kept, only which list it leads to. */
export function parseReferrerType(form: RawForm): StepResult<ReferrerType> {
  const result = run(referrerTypeSchema, { referrerType: one(form, 'referrerType') });
  return result.ok ? { ok: true, answers: result.answers.referrerType } : result;
}

const sourceSchemaOf = (type: ReferrerType) =>
  z.object({
    referralSource: z.enum(SOURCE_CHOICES_BY_TYPE[type].map((choice) => choice.value) as Codes, 'Select which best describes you'),
  });
const sourceSchemas = { professional: sourceSchemaOf('professional'), public: sourceSchemaOf('public') };

/** The second question: one of the sources of the list the first answer chose, and no other. */
export function parseReferralSource(form: RawForm, type: ReferrerType): StepResult<FormReferralSource> {
  const result = run(sourceSchemas[type], { referralSource: one(form, 'referralSource') });
  return result.ok ? { ok: true, answers: result.answers.referralSource } : result;
}

export function parseAboutYou(form: RawForm): StepResult<AboutYou> {
  const input = Object.fromEntries(Object.keys(aboutYouShape).map((name) => [name, one(form, name)]));
  return run(aboutYouSchema, input);
}

export function parseChild(form: RawForm, today: string): StepResult<ChildAnswers> {
  const born = one(form, 'born');
  const hasAddress = ['addressLine1', 'addressLine2', 'town', 'postcode'].some((name) => one(form, name) !== undefined);
  const schema = z.object({
    firstName: required('Enter the child’s first name', 'First name', 100),
    lastName: required('Enter the child’s last name', 'Last name', 100),
    born: z.enum(['yes', 'no'], 'Select yes if the child has been born'),
    dateOfBirth: born === 'yes' ? dateSchema('Date of birth', { required: false, rule: 'past', today }) : z.optional(z.unknown()),
    expectedDateOfBirth:
      born === 'no' ? dateSchema('Expected date of birth', { required: true, rule: 'future-or-today', today }) : z.optional(z.unknown()),
    gender: z.optional(z.enum(GENDERS, 'Select the child’s gender')),
    addressLine1: hasAddress
      ? required('Enter address line 1, typically the building and street', 'Address line 1', 200)
      : z.optional(z.string()),
    addressLine2: optional('Address line 2', 200),
    town: hasAddress ? required('Enter town or city', 'Town or city', 100) : z.optional(z.string()),
    postcode: hasAddress
      ? z.string('Enter postcode').check(z.regex(POSTCODE, 'Enter a full UK postcode, like AA3 1AB'))
      : z.optional(z.string()),
    school: optional('School, college or nursery', 200),
  });
  const input = {
    firstName: one(form, 'firstName'),
    lastName: one(form, 'lastName'),
    born,
    dateOfBirth: dateParts(form, 'dateOfBirth'),
    expectedDateOfBirth: dateParts(form, 'expectedDateOfBirth'),
    gender: one(form, 'gender'),
    addressLine1: one(form, 'addressLine1'),
    addressLine2: one(form, 'addressLine2'),
    town: one(form, 'town'),
    postcode: one(form, 'postcode')?.toUpperCase(),
    school: one(form, 'school'),
  };
  const result = run(schema, input);
  if (!result.ok) return result;
  const a = result.answers;
  // Only the date that goes with the answer to "born?" is kept, and an address only when given.
  return {
    ok: true,
    answers: stripUndefined({
      firstName: a.firstName,
      lastName: a.lastName,
      born: a.born,
      dateOfBirth: a.born === 'yes' ? (a.dateOfBirth as string | undefined) : undefined,
      expectedDateOfBirth: a.born === 'no' ? (a.expectedDateOfBirth as string | undefined) : undefined,
      gender: a.gender,
      ...(hasAddress ? { addressLine1: a.addressLine1, addressLine2: a.addressLine2, town: a.town, postcode: a.postcode } : {}),
      school: a.school,
    }),
  };
}

export function parseAdult(form: RawForm, today: string): StepResult<AdultAnswers> {
  const schema = z.object({
    firstName: required('Enter the adult’s first name', 'First name', 100),
    lastName: required('Enter the adult’s last name', 'Last name', 100),
    relationship: required('Enter how the adult is related to the children, like mother or mother’s partner', 'Relationship', 100),
    dateOfBirth: dateSchema('Date of birth', { required: false, rule: 'past', today }),
  });
  const result = run(schema, {
    firstName: one(form, 'firstName'),
    lastName: one(form, 'lastName'),
    relationship: one(form, 'relationship'),
    dateOfBirth: dateParts(form, 'dateOfBirth'),
  });
  return result.ok ? { ok: true, answers: stripUndefined(result.answers) } : result;
}

/** "Add another?" and "Do you know about adults?" questions. */
export function parseYesNo(form: RawForm, name: string, message: string): StepResult<'yes' | 'no'> {
  const result = run(z.object({ [name]: z.enum(['yes', 'no'], message) }), { [name]: one(form, name) });
  return result.ok ? { ok: true, answers: (result.answers as Record<string, 'yes' | 'no'>)[name] as 'yes' | 'no' } : result;
}

export function parseConcerns(form: RawForm): StepResult<Concerns> {
  const schema = z.object({
    whatHappened: required('Enter what has happened', 'What has happened', 10_000, { multiline: true }),
    whyNow: required('Enter why you are worried now', 'Why you are worried now', 5_000, { multiline: true }),
    factors: z.array(z.enum(FACTOR_CODES, 'Select the concerns from the list')).check(
      z.minLength(1, 'Select the concerns, or select ‘None of these’'),
      z.refine((codes) => !(codes.includes(NO_FACTORS) && codes.length > 1), 'Select ‘None of these’ or the concerns, not both'),
    ),
  });
  const result = run(schema, {
    whatHappened: one(form, 'whatHappened'),
    whyNow: one(form, 'whyNow'),
    factors: [...new Set(many(form, 'factors'))],
  });
  return result;
}

export function parseConsent(form: RawForm): StepResult<ConsentAnswers> {
  const familyKnows = one(form, 'familyKnows');
  const consentGiven = one(form, 'consentGiven');
  const reasonNeeded = familyKnows === 'no' || consentGiven === 'no';
  const schema = z.object({
    familyKnows: z.enum(['yes', 'no'], 'Select yes if the family knows about this referral'),
    consentGiven:
      familyKnows === 'no'
        ? z.enum(['no'], 'Select no: the family cannot have agreed to a referral they do not know about')
        : z.enum(['yes', 'no'], 'Select yes if the family has agreed to this referral'),
    withoutConsentReason: reasonNeeded
      ? required(
          'Enter why you are making this referral without the family’s agreement',
          'Why you are referring without agreement',
          2_000,
          { multiline: true },
        )
      : z.optional(z.string()),
  });
  const result = run(schema, { familyKnows, consentGiven, withoutConsentReason: one(form, 'withoutConsentReason') });
  if (!result.ok) return result;
  return {
    ok: true,
    answers: stripUndefined({ ...result.answers, withoutConsentReason: reasonNeeded ? result.answers.withoutConsentReason : undefined }),
  };
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

// ---------------------------------------------------------------------------------------------
// The whole journey.

export type StepName =
  | 'who-you-are'
  | 'professional'
  | 'member-of-the-public'
  | 'about-you'
  | 'children'
  | 'child'
  | 'adults'
  | 'adult'
  | 'what-is-happening'
  | 'consent'
  | 'check-your-answers';

/** The journey's first page: a professional or a member of the public. */
export const FIRST_STEP: StepName = 'who-you-are';

/** The second question about the referrer, by the first's answer: which professional, or which member of the public. */
export const SOURCE_STEPS: Readonly<Record<ReferrerType, StepName>> = { professional: 'professional', public: 'member-of-the-public' };

/** Where someone with these answers still has to go, in journey order; undefined when every step is answered. */
export function firstIncompleteStep(answers: DraftAnswers): { step: StepName; query?: string } | undefined {
  if (!answers.referralSource) return { step: 'who-you-are' };
  // An anonymous referrer is not asked for contact details (DOMAIN.md, Referrals 5).
  if (!isAnonymous(answers) && !answers.aboutYou) return { step: 'about-you' };
  if (answers.children.length === 0) return { step: 'child', query: 'n=1' };
  if (!answers.adultsKnown) return { step: 'adults' };
  if (answers.adultsKnown === 'yes' && answers.adults.length === 0) return { step: 'adult', query: 'n=1' };
  if (!answers.concerns) return { step: 'what-is-happening' };
  if (!answers.consent) return { step: 'consent' };
  return undefined;
}

/**
 * The answers as the submission every channel shares (src/domain/submission.ts). The caller
 * validates the result with `formSubmissionSchema` before storing anything. An anonymous referral
 * carries no referrer, whatever the draft once held.
 */
export function toSubmissionInput(answers: DraftAnswers): unknown {
  const { concerns, consent } = answers;
  const aboutYou = isAnonymous(answers) ? undefined : answers.aboutYou;
  return {
    ...(aboutYou
      ? {
          referrer: {
            name: aboutYou.name,
            ...(aboutYou.role ? { role: aboutYou.role } : {}),
            ...(aboutYou.organisation ? { organisation: aboutYou.organisation } : {}),
            email: aboutYou.email,
            ...(aboutYou.phone ? { phone: aboutYou.phone } : {}),
          },
        }
      : {}),
    referralSource: answers.referralSource,
    children: answers.children.map((child): ReferralSubmission['children'][number] => ({
      firstName: child.firstName,
      lastName: child.lastName,
      ...(child.born === 'yes' && child.dateOfBirth ? { dateOfBirth: child.dateOfBirth } : {}),
      ...(child.born === 'no' && child.expectedDateOfBirth ? { expectedDateOfBirth: child.expectedDateOfBirth } : {}),
      ...(child.gender ? { gender: child.gender } : {}),
      ...(child.addressLine1 && child.town && child.postcode
        ? {
            address: {
              line1: child.addressLine1,
              ...(child.addressLine2 ? { line2: child.addressLine2 } : {}),
              town: child.town,
              postcode: child.postcode,
            },
          }
        : {}),
      ...(child.school ? { school: child.school } : {}),
    })),
    ...(answers.adultsKnown === 'yes' && answers.adults.length > 0
      ? {
          adults: answers.adults.map((adult) => ({
            firstName: adult.firstName,
            lastName: adult.lastName,
            ...(adult.dateOfBirth ? { dateOfBirth: adult.dateOfBirth } : {}),
            relationship: adult.relationship,
          })),
        }
      : {}),
    concerns: concerns && { whatHappened: concerns.whatHappened, whyNow: concerns.whyNow },
    factors: concerns?.factors,
    consent: consent && {
      familyKnows: consent.familyKnows === 'yes',
      consentGiven: consent.consentGiven === 'yes',
      ...(consent.withoutConsentReason ? { withoutConsentReason: consent.withoutConsentReason } : {}),
    },
  };
}
