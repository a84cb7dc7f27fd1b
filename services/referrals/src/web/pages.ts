/** The referral form's pages, one function each; the route module decides which to show. */
import { localDateText } from '@fsp/shared/time/words';
import { FACTOR_GROUPS, factorText, GENDER_CHOICES, NO_FACTORS, REFERRAL_SOURCE_CHOICES, textOf, YES_NO } from './choices';
import {
  button,
  checkboxGroups,
  dateInput,
  errorFor,
  errorSummary,
  input,
  multiline,
  panel,
  radios,
  type SummaryRow,
  startButton,
  summaryCard,
  summaryList,
  textarea,
  warningText,
} from './components';
import { html, type Markup, type SafeHtml } from './html';
import { page } from './layout';
import type { AdultAnswers, ChildAnswers, DraftAnswers, FormError, RawForm } from './steps';
import { dateParts, isAnonymous, partsOf } from './steps';

/** Where a form posts, and whether it came from check your answers (then it returns there). */
export interface FormContext {
  csrfToken: string;
  action: string;
  backLink?: string | undefined;
  errors: readonly FormError[];
  values: RawForm;
}

const first = (values: RawForm, name: string): string | undefined => {
  const value = values[name];
  return Array.isArray(value) ? value[0] : value;
};

function formPage(o: {
  title: string;
  ctx: FormContext;
  heading?: string;
  caption?: string;
  /** Error summary links for fields whose first input is not `#<name>`. */
  hrefs?: Record<string, string>;
  fields: Markup;
  submit?: string;
  before?: Markup;
}): string {
  return page({
    title: o.title,
    hasErrors: o.ctx.errors.length > 0,
    backLink: o.ctx.backLink,
    content: html`${errorSummary(o.ctx.errors, o.hrefs)}${o.caption ? html`<span class="govuk-caption-l">${o.caption}</span>` : undefined}${o.heading === undefined ? undefined : html`<h1 class="govuk-heading-l">${o.heading}</h1>`}${o.before}<form method="post" action="${o.ctx.action}" novalidate><input type="hidden" name="csrfToken" value="${o.ctx.csrfToken}">${o.fields}${button(o.submit ?? 'Continue')}</form>`,
  });
}

const dateHrefs = (...names: string[]) => Object.fromEntries(names.map((n) => [n, `#${n}-day`]));

// ---------------------------------------------------------------------------------------------

export function startPage(): string {
  return page({
    title: 'Refer a child you are worried about',
    content: html`${warningText('If a child is in immediate danger, call 999.')}<h1 class="govuk-heading-l">Refer a child you are worried about</h1><p class="govuk-body">Use this form to tell children’s services about a child or unborn baby you are worried about. Anyone can make a referral: a professional or a member of the public.</p><p class="govuk-body">You will be asked about:</p><ul class="govuk-list govuk-list--bullet"><li>you</li><li>the child or children</li><li>the adults in their household, if you know</li><li>what is happening and why you are worried</li><li>whether the family knows about the referral</li></ul><p class="govuk-body">It takes about 15 minutes. Your answers are kept for 24 hours, so you can come back to them.</p><p class="govuk-body">We will decide what to do within one working day and email you the outcome.</p><p class="govuk-body">You can refer anonymously. If you do, we will not ask for your name or contact details, and we will not be able to tell you what happens.</p>${startButton('Start now', '/refer/who-you-are')}<h2 class="govuk-heading-m">If you are worried but a child is not in immediate danger</h2><p class="govuk-body">You can also phone the children’s services front door during office hours. Outside office hours, phone the emergency duty team.</p>`,
  });
}

export function whoYouArePage(ctx: FormContext): string {
  return formPage({
    title: 'Which of these best describes you?',
    caption: 'About you',
    ctx,
    fields: radios({
      name: 'referralSource',
      legend: 'Which of these best describes you?',
      legendClass: 'govuk-fieldset__legend--l',
      legendIsHeading: true,
      choices: REFERRAL_SOURCE_CHOICES,
      value: first(ctx.values, 'referralSource'),
      error: errorFor(ctx.errors, 'referralSource'),
    }),
  });
}

export function aboutYouPage(ctx: FormContext): string {
  const v = (name: string) => first(ctx.values, name);
  const e = (name: string) => errorFor(ctx.errors, name);
  return formPage({
    title: 'About you',
    heading: 'About you',
    ctx,
    fields: html`${input({ name: 'name', label: 'Full name', value: v('name'), error: e('name'), autocomplete: 'name', spellcheck: false })}${input({ name: 'role', label: 'Job title or role (optional)', hint: 'For example, designated safeguarding lead. Leave blank if you are a member of the public.', value: v('role'), error: e('role'), autocomplete: 'organization-title' })}${input({ name: 'organisation', label: 'Organisation (optional)', value: v('organisation'), error: e('organisation'), autocomplete: 'organization' })}${input({ name: 'email', label: 'Email address', hint: 'We will email you the outcome of your referral.', type: 'email', value: v('email'), error: e('email'), autocomplete: 'email', spellcheck: false })}${input({ name: 'phone', label: 'Telephone number (optional)', hint: 'So that we can call you if we need to know more.', type: 'tel', value: v('phone'), error: e('phone'), autocomplete: 'tel', widthClass: 'govuk-input--width-20' })}`,
  });
}

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

export function childPage(ctx: FormContext, n: number): string {
  const v = (name: string) => first(ctx.values, name);
  const e = (name: string) => errorFor(ctx.errors, name);
  const dob = dateInput({
    name: 'dateOfBirth',
    legend: 'Date of birth (optional)',
    hint: 'For example, 27 3 2015. Leave blank if you do not know.',
    value: dateParts(ctx.values, 'dateOfBirth'),
    error: e('dateOfBirth'),
  });
  const due = dateInput({
    name: 'expectedDateOfBirth',
    legend: 'Expected date of birth',
    hint: 'For example, 14 9 2026',
    value: dateParts(ctx.values, 'expectedDateOfBirth'),
    error: e('expectedDateOfBirth'),
  });
  return formPage({
    title: n === 1 ? 'About the child' : `Child ${n}`,
    caption: 'The children',
    heading: n === 1 ? 'About the child' : `Child ${n}`,
    ctx,
    hrefs: dateHrefs('dateOfBirth', 'expectedDateOfBirth'),
    before: n === 1 ? html`<p class="govuk-body">Tell us about one child. You can add more children next.</p>` : undefined,
    fields: html`${input({ name: 'firstName', label: 'First name', value: v('firstName'), error: e('firstName'), spellcheck: false })}${input({ name: 'lastName', label: 'Last name', value: v('lastName'), error: e('lastName'), spellcheck: false })}${radios(
      {
        name: 'born',
        legend: 'Has the child been born?',
        legendClass: 'govuk-fieldset__legend--s',
        value: v('born'),
        error: e('born'),
        choices: [
          { value: 'yes', text: 'Yes', conditional: dob },
          { value: 'no', text: 'No, this is an unborn baby', conditional: due },
        ],
      },
    )}${radios({ name: 'gender', legend: 'Gender (optional)', legendClass: 'govuk-fieldset__legend--s', choices: GENDER_CHOICES, value: v('gender'), error: e('gender') })}<fieldset class="govuk-fieldset"><legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Address (optional)</legend><div class="govuk-hint">Where the child lives, if you know</div>${input({ name: 'addressLine1', label: 'Address line 1', value: v('addressLine1'), error: e('addressLine1'), autocomplete: 'address-line1' })}${input({ name: 'addressLine2', label: 'Address line 2 (optional)', value: v('addressLine2'), error: e('addressLine2'), autocomplete: 'address-line2' })}${input({ name: 'town', label: 'Town or city', value: v('town'), error: e('town'), autocomplete: 'address-level2', widthClass: 'govuk-!-width-two-thirds' })}${input({ name: 'postcode', label: 'Postcode', value: v('postcode'), error: e('postcode'), autocomplete: 'postal-code', widthClass: 'govuk-input--width-10' })}</fieldset>${input({ name: 'school', label: 'School, college or nursery (optional)', value: v('school'), error: e('school') })}`,
  });
}

const fullName = (person: { firstName: string; lastName: string }) => `${person.firstName} ${person.lastName}`;

const longDate = (iso: string | undefined): string => (iso ? localDateText(iso) : 'Not known');

function childRows(child: ChildAnswers, change?: string): SummaryRow[] {
  const changeLink = (what: string) => (change ? { change: { href: change, what: `${what} of ${fullName(child)}` } } : {});
  const address = child.addressLine1
    ? html`${child.addressLine1}<br>${child.addressLine2 ? html`${child.addressLine2}<br>` : undefined}${child.town}<br>${child.postcode}`
    : 'Not known';
  return [
    { key: 'Name', value: fullName(child), ...changeLink('name') },
    child.born === 'no'
      ? { key: 'Expected date of birth', value: longDate(child.expectedDateOfBirth), ...changeLink('expected date of birth') }
      : { key: 'Date of birth', value: longDate(child.dateOfBirth), ...changeLink('date of birth') },
    { key: 'Gender', value: child.gender ? textOf(GENDER_CHOICES, child.gender) : 'Not given', ...changeLink('gender') },
    { key: 'Address', value: address, ...changeLink('address') },
    { key: 'School, college or nursery', value: child.school ?? 'Not given', ...changeLink('school') },
  ];
}

function adultRows(adult: AdultAnswers, change?: string): SummaryRow[] {
  const changeLink = (what: string) => (change ? { change: { href: change, what: `${what} of ${fullName(adult)}` } } : {});
  return [
    { key: 'Name', value: fullName(adult), ...changeLink('name') },
    { key: 'Relationship to the children', value: adult.relationship, ...changeLink('relationship') },
    { key: 'Date of birth', value: longDate(adult.dateOfBirth), ...changeLink('date of birth') },
  ];
}

/** A list of people added, each with Change and Remove; Remove is a button, so it works without JavaScript. */
function peopleList(o: {
  people: readonly { firstName: string; lastName: string }[];
  kind: 'child' | 'adult';
  csrfToken: string;
  action: string;
}): SafeHtml {
  return html`<dl class="govuk-summary-list govuk-summary-list--long-key">${o.people.map(
    (person, i) =>
      html`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">${fullName(person)}</dt><dd class="govuk-summary-list__actions"><ul class="govuk-summary-list__actions-list"><li class="govuk-summary-list__actions-list-item"><a class="govuk-link" href="/refer/${o.kind}?n=${i + 1}">Change<span class="govuk-visually-hidden"> ${fullName(person)}</span></a></li><li class="govuk-summary-list__actions-list-item"><form method="post" action="${o.action}" class="govuk-!-display-inline"><input type="hidden" name="csrfToken" value="${o.csrfToken}"><button type="submit" name="remove" value="${i + 1}" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0">Remove<span class="govuk-visually-hidden"> ${fullName(person)}</span></button></form></li></ul></dd></div>`,
  )}</dl>`;
}

export function childrenPage(ctx: FormContext, children: readonly ChildAnswers[], canAddMore: boolean): string {
  const heading = children.length === 1 ? 'You have added 1 child' : `You have added ${children.length} children`;
  return formPage({
    title: heading,
    caption: 'The children',
    heading,
    ctx,
    before: peopleList({ people: children, kind: 'child', csrfToken: ctx.csrfToken, action: ctx.action }),
    fields: canAddMore
      ? radios({
          name: 'addAnother',
          legend: 'Do you need to add another child?',
          legendClass: 'govuk-fieldset__legend--m',
          choices: YES_NO,
          inline: true,
          value: first(ctx.values, 'addAnother'),
          error: errorFor(ctx.errors, 'addAnother'),
        })
      : html`<p class="govuk-body">You cannot add more than 30 children.</p>`,
  });
}

export function adultsPage(ctx: FormContext, adults: readonly AdultAnswers[], canAddMore: boolean): string {
  if (adults.length === 0) {
    return formPage({
      title: 'Adults in the household',
      caption: 'The adults',
      ctx,
      fields: radios({
        name: 'adultsKnown',
        legend: 'Can you tell us about the adults in the child’s household?',
        legendClass: 'govuk-fieldset__legend--l',
        legendIsHeading: true,
        hint: 'For example, parents, carers, partners or other adults who live with the child. This is optional, but helps us understand who is around the child.',
        choices: YES_NO,
        inline: true,
        value: first(ctx.values, 'adultsKnown'),
        error: errorFor(ctx.errors, 'adultsKnown'),
      }),
    });
  }
  const heading = adults.length === 1 ? 'You have added 1 adult' : `You have added ${adults.length} adults`;
  return formPage({
    title: heading,
    caption: 'The adults',
    heading,
    ctx,
    before: peopleList({ people: adults, kind: 'adult', csrfToken: ctx.csrfToken, action: ctx.action }),
    fields: canAddMore
      ? radios({
          name: 'addAnother',
          legend: 'Do you need to add another adult?',
          legendClass: 'govuk-fieldset__legend--m',
          choices: YES_NO,
          inline: true,
          value: first(ctx.values, 'addAnother'),
          error: errorFor(ctx.errors, 'addAnother'),
        })
      : html`<p class="govuk-body">You cannot add more than 30 adults.</p>`,
  });
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

export function adultPage(ctx: FormContext, n: number): string {
  const v = (name: string) => first(ctx.values, name);
  const e = (name: string) => errorFor(ctx.errors, name);
  const heading = n === 1 ? 'About an adult in the household' : `Adult ${n}`;
  return formPage({
    title: heading,
    caption: 'The adults',
    heading,
    ctx,
    hrefs: dateHrefs('dateOfBirth'),
    fields: html`${input({ name: 'firstName', label: 'First name', value: v('firstName'), error: e('firstName'), spellcheck: false })}${input({ name: 'lastName', label: 'Last name', value: v('lastName'), error: e('lastName'), spellcheck: false })}${input({ name: 'relationship', label: 'Relationship to the children', hint: 'For example, mother, father, mother’s partner, grandparent, lodger', value: v('relationship'), error: e('relationship') })}${dateInput({ name: 'dateOfBirth', legend: 'Date of birth (optional)', hint: 'For example, 27 3 1990. Leave blank if you do not know.', value: dateParts(ctx.values, 'dateOfBirth'), error: e('dateOfBirth') })}`,
  });
}

export function concernsPage(ctx: FormContext): string {
  const e = (name: string) => errorFor(ctx.errors, name);
  const factors = ctx.values.factors;
  return formPage({
    title: 'What is happening',
    heading: 'What is happening',
    ctx,
    fields: html`${textarea({ name: 'whatHappened', label: 'What has happened?', labelClass: 'govuk-label--m', hint: 'Tell us what you have seen or heard, when, and who was involved. Include anything the child has said, in their words if you can.', value: first(ctx.values, 'whatHappened'), error: e('whatHappened'), rows: 8 })}${textarea({ name: 'whyNow', label: 'Why are you worried now?', labelClass: 'govuk-label--m', hint: 'For example, something has changed, it has happened before, or it is getting worse.', value: first(ctx.values, 'whyNow'), error: e('whyNow') })}${checkboxGroups({ name: 'factors', legend: 'What are you worried about?', hint: 'Select all that apply.', groups: FACTOR_GROUPS, none: { value: NO_FACTORS, text: 'None of these' }, values: Array.isArray(factors) ? factors : factors ? [factors] : [], error: e('factors') })}`,
  });
}

export function consentPage(ctx: FormContext): string {
  const v = (name: string) => first(ctx.values, name);
  const e = (name: string) => errorFor(ctx.errors, name);
  return formPage({
    title: 'The family’s consent',
    heading: 'The family’s consent',
    ctx,
    before: html`<p class="govuk-body">You should usually tell the family and ask them to agree before you make a referral. Do not do this if it could put a child or anyone else at risk: you can refer without their agreement.</p>`,
    fields: html`${radios({ name: 'familyKnows', legend: 'Does the family know about this referral?', legendClass: 'govuk-fieldset__legend--m', choices: YES_NO, inline: true, value: v('familyKnows'), error: e('familyKnows') })}${radios({ name: 'consentGiven', legend: 'Has the family agreed to this referral?', legendClass: 'govuk-fieldset__legend--m', choices: YES_NO, inline: true, value: v('consentGiven'), error: e('consentGiven') })}${textarea({ name: 'withoutConsentReason', label: 'If the family does not know or has not agreed, why are you making this referral?', labelClass: 'govuk-label--s', hint: 'For example, telling them could put the child at risk.', value: v('withoutConsentReason'), error: e('withoutConsentReason') })}`,
  });
}

export function checkAnswersPage(ctx: FormContext, answers: DraftAnswers): string {
  const about = answers.aboutYou;
  const anonymous = isAnonymous(answers);
  const change = (step: string) => `/refer/${step}?from=check`;
  const yesNo = (value: 'yes' | 'no' | undefined) => (value === 'yes' ? 'Yes' : 'No');
  const sourceRow: SummaryRow = {
    key: 'Which best describes you',
    value: anonymous ? 'I would rather not say (an anonymous referral)' : textOf(REFERRAL_SOURCE_CHOICES, answers.referralSource),
    change: { href: change('who-you-are'), what: 'which best describes you' },
  };
  const aboutRows: SummaryRow[] = anonymous
    ? [sourceRow]
    : about
      ? [
          sourceRow,
          { key: 'Full name', value: about.name, change: { href: change('about-you'), what: 'your name' } },
          { key: 'Job title or role', value: about.role ?? 'Not given', change: { href: change('about-you'), what: 'your role' } },
          {
            key: 'Organisation',
            value: about.organisation ?? 'Not given',
            change: { href: change('about-you'), what: 'your organisation' },
          },
          { key: 'Email address', value: about.email, change: { href: change('about-you'), what: 'your email address' } },
          {
            key: 'Telephone number',
            value: about.phone ?? 'Not given',
            change: { href: change('about-you'), what: 'your telephone number' },
          },
        ]
      : [];
  const anonymity = anonymous
    ? html`<div class="govuk-inset-text">You are referring anonymously. We have not asked for your name or contact details, so nobody will contact you about this referral and we will not be able to tell you what happens.</div>`
    : undefined;
  const concerns = answers.concerns;
  const consent = answers.consent;
  return page({
    title: 'Check your answers before sending your referral',
    backLink: '/refer/consent',
    content: html`<h1 class="govuk-heading-l">Check your answers before sending your referral</h1><h2 class="govuk-heading-m">About you</h2>${summaryList(aboutRows)}${anonymity}<h2 class="govuk-heading-m">The children</h2>${answers.children.map(
      (child, i) =>
        summaryCard({
          title: fullName(child),
          actions: [{ href: `/refer/child?n=${i + 1}&from=check`, text: 'Change', what: `details of ${fullName(child)}` }],
          rows: childRows(child),
        }),
    )}<p class="govuk-body"><a class="govuk-link" href="/refer/children">Add or remove children</a></p><h2 class="govuk-heading-m">The adults</h2>${
      answers.adultsKnown === 'yes' && answers.adults.length > 0
        ? answers.adults.map((adult, i) =>
            summaryCard({
              title: fullName(adult),
              actions: [{ href: `/refer/adult?n=${i + 1}&from=check`, text: 'Change', what: `details of ${fullName(adult)}` }],
              rows: adultRows(adult),
            }),
          )
        : summaryList([
            { key: 'Adults in the household', value: 'None given', change: { href: change('adults'), what: 'adults in the household' } },
          ])
    }${answers.adultsKnown === 'yes' && answers.adults.length > 0 ? html`<p class="govuk-body"><a class="govuk-link" href="/refer/adults">Add or remove adults</a></p>` : undefined}<h2 class="govuk-heading-m">What is happening</h2>${summaryList(
      concerns
        ? [
            {
              key: 'What has happened',
              value: multiline(concerns.whatHappened),
              change: { href: change('what-is-happening'), what: 'what has happened' },
            },
            {
              key: 'Why you are worried now',
              value: multiline(concerns.whyNow),
              change: { href: change('what-is-happening'), what: 'why you are worried now' },
            },
            {
              key: 'What you are worried about',
              value: html`<ul class="govuk-list">${concerns.factors.map((code) => html`<li>${factorText(code)}</li>`)}</ul>`,
              change: { href: change('what-is-happening'), what: 'what you are worried about' },
            },
          ]
        : [],
    )}<h2 class="govuk-heading-m">The family’s consent</h2>${summaryList(
      consent
        ? [
            {
              key: 'Does the family know',
              value: yesNo(consent.familyKnows),
              change: { href: change('consent'), what: 'whether the family knows' },
            },
            {
              key: 'Has the family agreed',
              value: yesNo(consent.consentGiven),
              change: { href: change('consent'), what: 'whether the family has agreed' },
            },
            ...(consent.withoutConsentReason
              ? [
                  {
                    key: 'Why you are referring without agreement',
                    value: multiline(consent.withoutConsentReason),
                    change: { href: change('consent'), what: 'why you are referring without agreement' },
                  },
                ]
              : []),
          ]
        : [],
    )}<h2 class="govuk-heading-m">Now send your referral</h2><p class="govuk-body">By sending this referral you confirm that, to the best of your knowledge, the details you are providing are correct.</p><form method="post" action="${ctx.action}" novalidate><input type="hidden" name="csrfToken" value="${ctx.csrfToken}">${button('Send referral')}</form>`,
  });
}

export function confirmationPage(reference: string, options: { anonymous: boolean }): string {
  const told = options.anonymous
    ? html`<p class="govuk-body">You referred anonymously, so nobody will contact you about this referral and we will not be able to tell you the outcome.</p>`
    : html`<p class="govuk-body">We will email you the outcome.</p><p class="govuk-body">We may phone or email you if we need to know more.</p>`;
  return page({
    title: 'Referral sent',
    content: html`${panel('Referral sent', html`Your reference number<br><strong>${reference}</strong>`)}<p class="govuk-body">Keep your reference number. You will need it if you contact us about this referral.</p><h2 class="govuk-heading-m">What happens next</h2><p class="govuk-body">Our children’s services front door team will look at your referral and decide what to do within one working day.</p>${told}${warningText('If a child is in immediate danger, call 999.')}<p class="govuk-body"><a href="/refer" class="govuk-link">Make another referral</a></p>`,
  });
}

/** A second click while the first is still storing the referral. */
export function sendingPage(): string {
  return page({
    title: 'Your referral is being sent',
    content: html`<h1 class="govuk-heading-l">Your referral is being sent</h1><p class="govuk-body">This usually takes a few seconds. Do not send it again.</p><p class="govuk-body"><a class="govuk-link" href="/refer/confirmation">Get your reference number</a></p>`,
  });
}

export function problemPage(title: string, message: string): string {
  return page({
    title,
    content: html`<h1 class="govuk-heading-l">${title}</h1><p class="govuk-body">${message}</p><p class="govuk-body"><a class="govuk-link" href="/refer">Go to the start of the form</a></p>${warningText('If a child is in immediate danger, call 999.')}`,
  });
}
