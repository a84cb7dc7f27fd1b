/**
 * The administrators' pages as views (templates in src/web/templates/admin, the worker layout with
 * the Admin area selected): Admin, partner agencies, onboarding one, an agency with its
 * credentials, a new secret shown once, and the confirmations before retiring a secret or
 * revoking an agency. Also the onboarding form's own checks, in GOV.UK's words.
 */
import type { ReferralSourceCode } from '@fsp/shared/events/codes';
import { AGENCY_TYPES } from '@fsp/shared/events/definitions/referrals';
import type { PageClaims } from '@fsp/shared/http/page-session';
import { plainText } from '@fsp/shared/text';
import type { WorkerPageView } from '@fsp/shared/web/page-result';
import { type ListPosition, paginationOf } from '@fsp/shared/web/paging';
import * as z from 'zod/mini';
import type { Agency, AgencyInput, AgencySecret, AgencyType } from '../domain/agency';
import { type Choice, PROFESSIONAL_SOURCE_CHOICES, textOf } from './choices';
import type { FormError } from './steps';

/** An administrator's page; the route adds who is signed in and their Inbox count (shared workerPageResult). */
export type AdminPage = WorkerPageView;

/** Failed webhook deliveries: notifications' page (it keeps the deliveries). */
export const WEBHOOK_DELIVERIES_PATH = '/admin/webhook-deliveries';
export const agencyPath = (agencyId: string) => `/admin/agencies/${encodeURIComponent(agencyId)}`;

const layout = (title: string, options: { hasErrors?: boolean; backLink?: string } = {}): Omit<AdminPage, 'template' | 'data'> => ({
  title,
  area: 'admin',
  ...(options.hasErrors ? { hasErrors: true } : {}),
  ...(options.backLink ? { backLink: options.backLink } : {}),
});

export const AGENCY_TYPE_CHOICES: readonly Choice<AgencyType>[] = [
  { value: 'school', text: 'School or college' },
  { value: 'gp-practice', text: 'GP practice' },
  { value: 'health', text: 'Health service' },
  { value: 'police', text: 'Police' },
  { value: 'housing', text: 'Housing' },
  { value: 'local-authority', text: 'Council service' },
  { value: 'other', text: 'Another organisation' },
];

/** An agency's referrals are a professional's: the sources the form's professionals choose from, with their census codes. */
const SOURCE_ITEMS = PROFESSIONAL_SOURCE_CHOICES.map((choice) => ({ value: choice.value, text: `${choice.value}: ${choice.text}` }));

/** An agency in words, for the list and its page. */
function agencyRow(agency: Agency) {
  return {
    agencyId: agency.agencyId,
    href: agencyPath(agency.agencyId),
    name: agency.name,
    type: textOf(AGENCY_TYPE_CHOICES, agency.type),
    referralSource: `${agency.referralSource}: ${textOf(PROFESSIONAL_SOURCE_CHOICES, agency.referralSource) || 'another source'}`,
    contactEmail: agency.contactEmail,
    active: agency.status === 'active',
    onboardedAt: agency.onboardedAt,
    revokedAt: agency.revokedAt,
  };
}

export function adminHomePage(agencies: readonly Agency[]): AdminPage {
  const active = agencies.filter((agency) => agency.status === 'active').length;
  return {
    template: 'admin/home.njk',
    ...layout('Admin'),
    data: {
      agencies: { active, revoked: agencies.length - active },
      agenciesHref: '/admin/agencies',
      webhookDeliveriesHref: WEBHOOK_DELIVERIES_PATH,
    },
  };
}

export const AGENCIES_PATH = '/admin/agencies';
/** Agencies on a page of the list, as many as the other worker lists show. */
export const AGENCIES_PAGE_SIZE = 20;

/**
 * A page of the agencies by name, at `position` (reached through the pages before it), with
 * GOV.UK's previous and next links; `nextCursor` when the store says there are more.
 */
export const agenciesPage = (agencies: readonly Agency[], position: ListPosition, nextCursor: string | undefined): AdminPage => ({
  template: 'admin/agencies.njk',
  ...layout('Partner agencies', { backLink: '/admin' }),
  data: {
    agencies: agencies.map(agencyRow),
    newHref: `${AGENCIES_PATH}/new`,
    firstPage: position.cursor === undefined,
    firstPageHref: AGENCIES_PATH,
    pagination: paginationOf(AGENCIES_PATH, position, nextCursor, { previous: 'Earlier in the alphabet', next: 'Later in the alphabet' }),
  },
});

/** An address with a cursor the list did not give out (mangled, or from another list): said on a page, with the way to the first. */
export const noSuchAgenciesPage = (): AdminPage =>
  adminProblemPage(
    'That page of partner agencies does not exist',
    'The link you followed points to a page of the list that cannot be shown.',
    { href: AGENCIES_PATH, text: 'Go to the partner agencies' },
  );

// ---------------------------------------------------------------------------------------------
// Onboarding: the form, and its checks.

/** What the onboarding form posts (the CSRF token is the handler's, taken out before this). */
export const agencyFormBody = z.record(z.string(), z.union([z.string(), z.array(z.string())]));
export type AgencyFormBody = z.output<typeof agencyFormBody>;

/** Made when the form is shown and posted with it: the same agency id however often the form is sent, so sending it twice onboards once. */
export const ONBOARDING_KEY = /^[0-9a-f]{6}$/;

const first = (form: AgencyFormBody, name: string): string | undefined => {
  const value = form[name];
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  return text ? text : undefined;
};

const agencyFormSchema = z.object({
  name: z
    .string('Enter the agency’s name')
    .check(
      z.maxLength(200, 'The agency’s name must be 200 characters or fewer'),
      plainText({ multiline: false, message: 'The agency’s name must not contain invisible or control characters – type it in again' }),
    ),
  type: z.enum(AGENCY_TYPES, 'Select the type of agency'),
  referralSource: z.enum(
    PROFESSIONAL_SOURCE_CHOICES.map((choice) => choice.value) as [ReferralSourceCode, ...ReferralSourceCode[]],
    'Select the referral source its referrals are recorded under',
  ),
  contactEmail: z
    .string('Enter the agency’s contact email address')
    .check(z.email('Enter an email address in the correct format, like name@example.com')),
  key: z.string('Reload the page and try again').check(z.regex(ONBOARDING_KEY, 'Reload the page and try again')),
});

export type AgencyForm = { ok: true; input: Omit<AgencyInput, 'agencyId'>; key: string } | { ok: false; errors: FormError[] };

export function parseAgencyForm(form: AgencyFormBody): AgencyForm {
  const result = z.safeParse(agencyFormSchema, {
    name: first(form, 'name'),
    type: first(form, 'type'),
    referralSource: first(form, 'referralSource'),
    contactEmail: first(form, 'contactEmail'),
    key: first(form, 'key'),
  });
  if (!result.success) {
    const errors: FormError[] = [];
    for (const issue of result.error.issues) {
      const field = String(issue.path[0] ?? '');
      if (!errors.some((e) => e.field === field)) errors.push({ field, message: issue.message });
    }
    return { ok: false, errors };
  }
  const { key, ...input } = result.data;
  return { ok: true, input, key };
}

export function newAgencyPage(
  claims: PageClaims,
  form: { key: string; values?: AgencyFormBody; errors?: readonly FormError[] },
): AdminPage {
  const errors = form.errors ?? [];
  const values = form.values ?? {};
  return {
    template: 'admin/new-agency.njk',
    ...layout('Onboard a partner agency', { hasErrors: errors.length > 0, backLink: '/admin/agencies' }),
    data: {
      csrfToken: claims.csrfToken,
      action: '/admin/agencies/new',
      key: form.key,
      errors: errors.map((error) => ({ text: error.message, href: `#${error.field}` })),
      errorOf: Object.fromEntries(errors.map((error) => [error.field, error.message])),
      values: Object.fromEntries(['name', 'type', 'referralSource', 'contactEmail'].map((name) => [name, first(values, name)])),
      types: AGENCY_TYPE_CHOICES.map((choice) => ({ value: choice.value, text: choice.text })),
      sources: [{ value: '', text: 'Choose a referral source' }, ...SOURCE_ITEMS],
    },
  };
}

// ---------------------------------------------------------------------------------------------
// An agency and its credentials.

/** What a page says after an action that went back to the agency's page (PRG). */
export const DONE = ['retired', 'revoked'] as const;
export type Done = (typeof DONE)[number];

const secretRows = (agency: Agency) =>
  [...agency.secrets]
    .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0))
    .map((secret, i, all) => ({
      secretId: secret.secretId,
      createdAt: secret.createdAt,
      newest: i === all.length - 1,
      // Never the only one: rotate first, or revoke the agency.
      retireHref: all.length > 1 ? `${agencyPath(agency.agencyId)}/credentials/${encodeURIComponent(secret.secretId)}/retire` : undefined,
    }));

export function agencyPage(claims: PageClaims, agency: Agency, done?: Done): AdminPage {
  return {
    template: 'admin/agency.njk',
    ...layout(agency.name, { backLink: '/admin/agencies' }),
    data: {
      agency: agencyRow(agency),
      clientId: agency.clientId,
      secrets: secretRows(agency),
      /** A rotation now retires the oldest of two secrets first: the page says so before the button. */
      rotationRetires: agency.secrets.length >= 2,
      version: agency.version,
      csrfToken: claims.csrfToken,
      rotateAction: `${agencyPath(agency.agencyId)}/credentials`,
      revokeHref: `${agencyPath(agency.agencyId)}/revoke`,
      done,
    },
  };
}

/** The new secret, once: never in a URL, never stored, never shown again (the response is not cached). */
export function secretPage(
  agency: Agency,
  secret: { secretId: string; value: string },
  how: { onboarded: boolean; retired: readonly AgencySecret[] },
): AdminPage {
  const title = how.onboarded ? `${agency.name} is onboarded` : `New secret for ${agency.name}`;
  return {
    template: 'admin/secret.njk',
    ...layout(title),
    data: {
      heading: title,
      onboarded: how.onboarded,
      agency: agencyRow(agency),
      clientId: agency.clientId,
      secret: secret.value,
      secretId: secret.secretId,
      retired: how.retired.map((s) => s.createdAt),
      agencyHref: agencyPath(agency.agencyId),
    },
  };
}

export function retireSecretPage(claims: PageClaims, agency: Agency, secret: AgencySecret): AdminPage {
  return {
    template: 'admin/retire-secret.njk',
    ...layout('Retire this secret?', { backLink: agencyPath(agency.agencyId) }),
    data: {
      agency: agencyRow(agency),
      createdAt: secret.createdAt,
      csrfToken: claims.csrfToken,
      version: agency.version,
      action: `${agencyPath(agency.agencyId)}/credentials/${encodeURIComponent(secret.secretId)}/retire`,
      cancelHref: agencyPath(agency.agencyId),
    },
  };
}

export function revokeAgencyPage(claims: PageClaims, agency: Agency): AdminPage {
  return {
    template: 'admin/revoke.njk',
    ...layout(`Revoke ${agency.name}?`, { backLink: agencyPath(agency.agencyId) }),
    data: {
      agency: agencyRow(agency),
      csrfToken: claims.csrfToken,
      action: `${agencyPath(agency.agencyId)}/revoke`,
      cancelHref: agencyPath(agency.agencyId),
    },
  };
}

/** Something an administrator can put right (the agency changed meanwhile, it exists already): what happened and where to go. */
export const adminProblemPage = (heading: string, message: string, link: { href: string; text: string }): AdminPage => ({
  template: 'admin/problem.njk',
  ...layout(heading),
  data: { heading, message, link },
});
