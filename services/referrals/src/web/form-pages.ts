/**
 * The referral form's pages as views: which template (src/web/templates/refer), the public
 * layout's part (title, back link, errors) and the page's data, worked out here from the answers;
 * the markup is govuk-frontend's macros in the templates. The route module decides which to show.
 */

import { localDateText } from '@fsp/shared/time/words';
import type { PublicLayout } from '@fsp/shared/web/page';
import { REFERRAL_FORM_LAYOUT } from '@fsp/shared/web/referral-form';
import {
  type Choice,
  FACTOR_GROUPS,
  factorText,
  GENDER_CHOICES,
  NO_FACTORS,
  REFERRAL_SOURCE_CHOICES,
  REFERRER_TYPE_CHOICES,
  type ReferrerType,
  referrerTypeOf,
  SOURCE_CHOICES_BY_TYPE,
  textOf,
  YES_NO,
} from './choices';
import { PROBLEM_TEMPLATE } from './form-error-pages';
import type { PageView } from './renderer';
import type { AdultAnswers, ChildAnswers, DraftAnswers, FormError, RawForm } from './steps';
import { isAnonymous, partsOf } from './steps';

export const SERVICE_NAME = REFERRAL_FORM_LAYOUT.service.name;
export const START_PATH = REFERRAL_FORM_LAYOUT.service.href;
const IMMEDIATE_DANGER = REFERRAL_FORM_LAYOUT.footerText;

export type FormPage = PageView<PublicLayout>;

/** Where a form posts, and whether it came from check your answers (then it returns there). */
export interface FormContext {
  csrfToken: string;
  action: string;
  backLink?: string | undefined;
  errors: readonly FormError[];
  values: RawForm;
}

const layout = (title: string, options: { hasErrors?: boolean; backLink?: string | undefined } = {}): PublicLayout => ({
  title,
  service: { name: SERVICE_NAME, href: START_PATH },
  footerText: IMMEDIATE_DANGER,
  ...(options.hasErrors ? { hasErrors: true } : {}),
  ...(options.backLink ? { backLink: options.backLink } : {}),
});

/** A field's kept value: the first, when a name came more than once. */
const first = (values: RawForm, name: string): string | undefined => {
  const value = values[name];
  return Array.isArray(value) ? value[0] : value;
};

/** The error summary links to a field's first input: `#<name>`, or the day of a date. */
const DATE_FIELDS = new Set(['dateOfBirth', 'expectedDateOfBirth']);
const hrefOf = (field: string) => (DATE_FIELDS.has(field) ? `#${field}-day` : `#${field}`);

/** A form step: the template's data is the page's own plus the form, the summary's errors and each field's value and error. */
function formPage(template: string, title: string, ctx: FormContext, data: Record<string, unknown> = {}): FormPage {
  return {
    template,
    layout: layout(title, { hasErrors: ctx.errors.length > 0, backLink: ctx.backLink }),
    data: {
      form: { action: ctx.action, csrfToken: ctx.csrfToken },
      errors: ctx.errors.map((error) => ({ text: error.message, href: hrefOf(error.field) })),
      errorOf: Object.fromEntries(ctx.errors.map((error) => [error.field, error.message])),
      values: Object.fromEntries(Object.keys(ctx.values).map((name) => [name, first(ctx.values, name)])),
      ...data,
    },
  };
}

/** Choices as govuk-frontend's radio and checkbox items. */
const itemsOf = <V extends string>(choices: readonly Choice<V>[]) =>
  choices.map((choice) => ({ value: choice.value, text: choice.text, ...(choice.hint ? { hint: { text: choice.hint } } : {}) }));

// ---------------------------------------------------------------------------------------------

export const startPage = (): FormPage => ({
  template: 'refer/start.njk',
  layout: layout('Refer a child you are worried about'),
  data: { startHref: '/refer/who-you-are' },
});

/** The first question about the referrer: a professional or a member of the public. */
export const whoYouArePage = (ctx: FormContext): FormPage =>
  formPage('refer/who-you-are.njk', 'Are you a professional or a member of the public?', ctx, {
    items: itemsOf(REFERRER_TYPE_CHOICES),
  });

/** The second: which professional, or which member of the public. */
export function whichDescribesYouPage(ctx: FormContext, type: ReferrerType): FormPage {
  const question = type === 'professional' ? 'Where do you work?' : 'Which of these best describes you?';
  return formPage('refer/which-describes-you.njk', question, ctx, {
    question,
    hint: type === 'professional' ? 'Choose the one closest to your organisation.' : undefined,
    items: itemsOf(SOURCE_CHOICES_BY_TYPE[type]),
  });
}

export const aboutYouPage = (ctx: FormContext): FormPage => formPage('refer/about-you.njk', 'About you', ctx);

export const childValues = (child: ChildAnswers | undefined): RawForm => {
  if (!child) return {};
  const values: RawForm = {};
  for (const [key, value] of Object.entries(child))
    if (typeof value === 'string' && !key.toLowerCase().includes('date')) values[key] = value;
  for (const name of ['dateOfBirth', 'expectedDateOfBirth'] as const) {
    const parts = partsOf(child[name]);
    for (const key of ['day', 'month', 'year'] as const) if (parts[key]) values[`${name}-${key}`] = parts[key] as string;
  }
  return values;
};

export function childPage(ctx: FormContext, n: number): FormPage {
  const heading = n === 1 ? 'About the child' : `Child ${n}`;
  return formPage('refer/child.njk', heading, ctx, { heading, first: n === 1, genders: itemsOf(GENDER_CHOICES) });
}

const fullName = (person: { firstName: string; lastName: string }) => `${person.firstName} ${person.lastName}`;

/** The children or adults added so far, each with Change and Remove, and whether another may be added. */
function peoplePage(
  ctx: FormContext,
  kind: 'child' | 'adult',
  people: readonly { firstName: string; lastName: string }[],
  canAddMore: boolean,
): FormPage {
  const noun = kind === 'child' ? (people.length === 1 ? 'child' : 'children') : people.length === 1 ? 'adult' : 'adults';
  const heading = `You have added ${people.length} ${noun}`;
  return formPage('refer/people.njk', heading, ctx, {
    heading,
    caption: kind === 'child' ? 'The children' : 'The adults',
    people: people.map((person, i) => ({ name: fullName(person), number: i + 1, changeHref: `/refer/${kind}?n=${i + 1}` })),
    question: canAddMore ? `Do you need to add another ${kind}?` : undefined,
    limit: kind === 'child' ? 'You cannot add more than 30 children.' : 'You cannot add more than 30 adults.',
    yesNo: itemsOf(YES_NO),
  });
}

export const childrenPage = (ctx: FormContext, children: readonly ChildAnswers[], canAddMore: boolean): FormPage =>
  peoplePage(ctx, 'child', children, canAddMore);

export function adultsPage(ctx: FormContext, adults: readonly AdultAnswers[], canAddMore: boolean): FormPage {
  if (adults.length === 0) {
    return formPage('refer/adults-known.njk', 'Adults in the household', ctx, { yesNo: itemsOf(YES_NO) });
  }
  return peoplePage(ctx, 'adult', adults, canAddMore);
}

export const adultValues = (adult: AdultAnswers | undefined): RawForm => {
  if (!adult) return {};
  const parts = partsOf(adult.dateOfBirth);
  return {
    firstName: adult.firstName,
    lastName: adult.lastName,
    relationship: adult.relationship,
    ...(parts.day ? { 'dateOfBirth-day': parts.day, 'dateOfBirth-month': parts.month ?? '', 'dateOfBirth-year': parts.year ?? '' } : {}),
  };
};

export function adultPage(ctx: FormContext, n: number): FormPage {
  const heading = n === 1 ? 'About an adult in the household' : `Adult ${n}`;
  return formPage('refer/adult.njk', heading, ctx, { heading });
}

/** The census factors in their groups, as checkboxes: ids `factors` (the first, which the error summary links to), then `factors-<code>`. */
export function concernsPage(ctx: FormContext): FormPage {
  const factors = ctx.values.factors;
  const selected = Array.isArray(factors) ? factors : factors ? [factors] : [];
  let index = 0;
  const idOf = (code: string) => (index++ === 0 ? 'factors' : `factors-${code}`);
  const groups = FACTOR_GROUPS.map((group) => ({
    legend: group.legend,
    items: group.choices.map((choice) => ({ value: choice.value, text: choice.text, id: idOf(choice.value) })),
  }));
  return formPage('refer/what-is-happening.njk', 'What is happening', ctx, {
    groups,
    // Not `none`: nunjucks reads that as null.
    noneOfThese: { value: NO_FACTORS, text: 'None of these', id: idOf(NO_FACTORS), behaviour: 'exclusive' },
    selected,
  });
}

export const consentPage = (ctx: FormContext): FormPage =>
  formPage('refer/consent.njk', 'The family’s consent', ctx, { yesNo: itemsOf(YES_NO) });

const longDate = (iso: string | undefined): string => (iso ? localDateText(iso) : 'Not known');

/** Everything answered, in words, for the summary lists (the template writes the rows, with their Change links). */
export function checkAnswersPage(ctx: FormContext, answers: DraftAnswers): FormPage {
  const anonymous = isAnonymous(answers);
  const about = anonymous ? undefined : answers.aboutYou;
  const source = answers.referralSource;
  const concerns = answers.concerns;
  const consent = answers.consent;
  const yesNo = (value: 'yes' | 'no') => (value === 'yes' ? 'Yes' : 'No');
  return {
    template: 'refer/check-your-answers.njk',
    layout: layout('Check your answers before sending your referral', { backLink: '/refer/consent' }),
    data: {
      form: { action: ctx.action, csrfToken: ctx.csrfToken },
      anonymous,
      referrerType: source ? (referrerTypeOf(source) === 'professional' ? 'A professional' : 'A member of the public') : undefined,
      source: anonymous ? 'I would rather not say (an anonymous referral)' : textOf(REFERRAL_SOURCE_CHOICES, source),
      about: about && {
        name: about.name,
        role: about.role ?? 'Not given',
        organisation: about.organisation ?? 'Not given',
        email: about.email,
        phone: about.phone ?? 'Not given',
      },
      children: answers.children.map((child, i) => ({
        name: fullName(child),
        changeHref: `/refer/child?n=${i + 1}&from=check`,
        born: child.born === 'yes',
        date: longDate(child.born === 'yes' ? child.dateOfBirth : child.expectedDateOfBirth),
        gender: child.gender ? textOf(GENDER_CHOICES, child.gender) : 'Not given',
        address: child.addressLine1 ? [child.addressLine1, child.addressLine2, child.town, child.postcode].filter(Boolean) : undefined,
        school: child.school ?? 'Not given',
      })),
      adults:
        answers.adultsKnown === 'yes'
          ? answers.adults.map((adult, i) => ({
              name: fullName(adult),
              changeHref: `/refer/adult?n=${i + 1}&from=check`,
              relationship: adult.relationship,
              date: longDate(adult.dateOfBirth),
            }))
          : [],
      concerns: concerns && {
        whatHappened: concerns.whatHappened,
        whyNow: concerns.whyNow,
        factors: concerns.factors.map(factorText),
      },
      consent: consent && {
        familyKnows: yesNo(consent.familyKnows),
        consentGiven: yesNo(consent.consentGiven),
        reason: consent.withoutConsentReason,
      },
    },
  };
}

export const confirmationPage = (reference: string, options: { anonymous: boolean }): FormPage => ({
  template: 'refer/confirmation.njk',
  layout: layout('Referral sent'),
  data: { reference, anonymous: options.anonymous },
});

/** A second click while the first is still storing the referral. */
export const sendingPage = (): FormPage => ({
  template: 'refer/sending.njk',
  layout: layout('Your referral is being sent'),
  data: {},
});

export const problemPage = (title: string, message: string): FormPage => ({
  template: PROBLEM_TEMPLATE,
  layout: layout(title),
  data: { heading: title, message },
});
