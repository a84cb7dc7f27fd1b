/**
 * Sends a referral through the public web form (`/refer`), as a browser without JavaScript does:
 * the first page gives the draft's cookie and its CSRF token, then each page's answers are posted
 * and the form's redirect says which page comes next, until "Send referral" and the confirmation
 * page with the reference. The pages asked are the form's choice: this answers whichever it asks,
 * from the submission, and fails naming the page and its error messages if the form refuses.
 */
import type { ReferralSourceCode } from '@fsp/shared/events/codes';
import { SeedError } from './client';
import type { Submission } from './plan';

/** Who-you-are's answer: the census sources a member of the public picks from; every other is a professional's. */
const PUBLIC_SOURCES: ReadonlySet<ReferralSourceCode> = new Set(['1A', '1B', '1C', '1D', '9']);
const DRAFT_COOKIE = 'fsp_referral';
const MOST_PAGES = 60;
const REFERENCE = /FSP-\d{4}-[0-9A-Z]{6}/;

type Fields = [string, string][];

function dateFields(name: string, iso: string | undefined): Fields {
  if (!iso) return [];
  const [year, month, day] = iso.split('-');
  return [
    [`${name}-day`, String(Number(day))],
    [`${name}-month`, String(Number(month))],
    [`${name}-year`, year!],
  ];
}

const optional = (name: string, value: string | undefined): Fields => (value === undefined ? [] : [[name, value]]);

/** The answers to the page at `step` (`/refer/<step>?n=…`), given what has been answered so far. */
function answersFor(step: string, n: number, submission: Submission, state: { childrenSent: number; adultsSent: number }): Fields {
  const adults = submission.adults ?? [];
  switch (step) {
    case 'who-you-are':
      // Both the one-question and the two-question versions of the first page find their answer here.
      return [
        ['referrerType', PUBLIC_SOURCES.has(submission.referralSource) ? 'public' : 'professional'],
        ['referralSource', submission.referralSource],
      ];
    case 'professional':
    case 'member-of-the-public':
      return [['referralSource', submission.referralSource]];
    case 'about-you': {
      const referrer = submission.referrer;
      if (!referrer) throw new SeedError('the form asked an anonymous referrer who they are');
      return [
        ['name', referrer.name],
        ...optional('role', referrer.role),
        ...optional('organisation', referrer.organisation),
        ['email', referrer.email],
        ...optional('phone', referrer.phone),
      ];
    }
    case 'child': {
      const child = submission.children[n - 1];
      if (!child) throw new SeedError(`the form asked for child ${n} of ${submission.children.length}`);
      state.childrenSent = Math.max(state.childrenSent, n);
      return [
        ['firstName', child.firstName],
        ['lastName', child.lastName],
        ['born', child.expectedDateOfBirth ? 'no' : 'yes'],
        ...dateFields('dateOfBirth', child.dateOfBirth),
        ...dateFields('expectedDateOfBirth', child.expectedDateOfBirth),
        ...optional('gender', child.gender),
        ...(child.address
          ? ([
              ['addressLine1', child.address.line1],
              ...optional('addressLine2', child.address.line2),
              ['town', child.address.town],
              ['postcode', child.address.postcode],
            ] as Fields)
          : []),
        ...optional('school', child.school),
      ];
    }
    case 'children':
      return [['addAnother', state.childrenSent < submission.children.length ? 'yes' : 'no']];
    case 'adults':
      if (state.adultsSent === 0) return [['adultsKnown', adults.length > 0 ? 'yes' : 'no']];
      return [['addAnother', state.adultsSent < adults.length ? 'yes' : 'no']];
    case 'adult': {
      const adult = adults[n - 1];
      if (!adult) throw new SeedError(`the form asked for adult ${n} of ${adults.length}`);
      state.adultsSent = Math.max(state.adultsSent, n);
      return [
        ['firstName', adult.firstName],
        ['lastName', adult.lastName],
        ['relationship', adult.relationship],
        ...dateFields('dateOfBirth', adult.dateOfBirth),
      ];
    }
    case 'what-is-happening':
      return [
        ['whatHappened', submission.concerns.whatHappened],
        ['whyNow', submission.concerns.whyNow],
        ...submission.factors.map((factor): [string, string] => ['factors', factor]),
      ];
    case 'consent':
      return [
        ['familyKnows', submission.consent.familyKnows ? 'yes' : 'no'],
        ['consentGiven', submission.consent.consentGiven ? 'yes' : 'no'],
        ...optional('withoutConsentReason', submission.consent.withoutConsentReason),
      ];
    case 'check-your-answers':
      return [];
    default:
      throw new SeedError(`the referral form asked a page the seed does not know: /refer/${step}`);
  }
}

/** The GOV.UK error summary's messages, for a page the form showed again with errors. */
function errorsOf(html: string): string[] {
  const summary = html.indexOf('govuk-error-summary');
  if (summary < 0) return [];
  return [...html.slice(summary, summary + 5_000).matchAll(/<a href="#[^"]*">([^<]+)<\/a>/g)].map((match) => match[1]!.trim());
}

/** Sends the referral through the form; its reference, as the confirmation page shows it. */
export async function submitThroughForm(url: string, submission: Submission): Promise<{ reference: string }> {
  const first = await fetch(`${url}/refer/who-you-are`, { redirect: 'manual' });
  const page = await first.text();
  const draft = first.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0]!)
    .find((cookie) => cookie.startsWith(`${DRAFT_COOKIE}=`));
  const csrfToken = /name="csrfToken" value="([^"]+)"/.exec(page)?.[1];
  if (first.status !== 200 || !draft || !csrfToken) {
    throw new SeedError(`GET /refer/who-you-are answered ${first.status} without the form's cookie and CSRF token`);
  }

  const state = { childrenSent: 0, adultsSent: 0 };
  let at = new URL('/refer/who-you-are', url);
  for (let pages = 0; pages < MOST_PAGES; pages += 1) {
    const step = at.pathname.replace(/^\/refer\//, '');
    if (step === 'confirmation') {
      const confirmation = await fetch(at, { headers: { cookie: draft }, redirect: 'manual' });
      const reference = REFERENCE.exec(await confirmation.text())?.[0];
      if (confirmation.status !== 200 || !reference)
        throw new SeedError(`the form's confirmation answered ${confirmation.status} without a reference`);
      return { reference };
    }
    const fields: Fields = [['csrfToken', csrfToken], ...answersFor(step, Number(at.searchParams.get('n') ?? '1'), submission, state)];
    const body = new URLSearchParams();
    for (const [name, value] of fields) body.append(name, value);
    const response = await fetch(at, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: draft },
      body: body.toString(),
      redirect: 'manual',
    });
    const location = response.headers.get('location');
    if (response.status !== 303 || !location) {
      const errors = errorsOf(await response.text());
      throw new SeedError(`the referral form's ${at.pathname} answered ${response.status}${errors.length ? `: ${errors.join('; ')}` : ''}`);
    }
    at = new URL(location, url);
  }
  throw new SeedError(`the referral form asked more than ${MOST_PAGES} pages`);
}
