/**
 * The family network's add, correct and remove forms (pages, no JavaScript needed): what a form
 * shows for a person, how its fields become the change the domain checks (parseNetworkChange,
 * changeNetwork), and which field an error belongs to, for GOV.UK's error summary and messages.
 * Pure.
 */
import { toFieldIssues } from '@fsp/shared/events/field-issues';
import type { RawQuery } from '@fsp/shared/http/handler';
import { localDateSchema } from '@fsp/shared/time/local-date';
import { safeParse } from 'zod/mini';
import {
  DISABILITY_CODES,
  ETHNICITY_CODES,
  type FamilyNetwork,
  type HouseholdAdult,
  type NetworkChange,
  type NetworkChild,
  type NetworkGroup,
  type NetworkPerson,
  type Professional,
  parseNetworkChange,
  SEXES,
  UPN_UNKNOWN_REASONS,
  type WiderFamilyMember,
} from '../domain/family-network';
import { personName } from './family-view';

/** What a form's fields hold, as typed: strings, and the disabilities ticked. */
export type FormValues = Record<string, string | string[]>;

/** A field to correct: its id (the error summary links to `#href`), and what to do. */
export interface FormError {
  field: string;
  href: string;
  text: string;
}

const one = (values: RawQuery | FormValues, name: string): string => {
  const value = values[name];
  return typeof value === 'string' ? value : Array.isArray(value) ? (value[0] ?? '') : '';
};
const many = (values: RawQuery | FormValues, name: string): string[] => {
  const value = values[name];
  return typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
};
/** An optional field left empty is absent, not an empty value. */
const optional = (text: string): string | undefined => (text.trim() === '' ? undefined : text);

/** The fields each group's form has (the adult's relationships are `relationship-<n>`, one per child in the network's order). */
const FIELDS: Readonly<Record<NetworkGroup, readonly string[]>> = {
  children: [
    'firstName',
    'lastName',
    'unborn',
    'dateOfBirth-day',
    'dateOfBirth-month',
    'dateOfBirth-year',
    'sex',
    'ethnicity',
    'upn',
    'upnUnknownReason',
    'nhsNumber',
    'school',
    'addressLine1',
    'addressLine2',
    'addressTown',
    'addressPostcode',
  ],
  adults: ['firstName', 'lastName', 'dateOfBirth-day', 'dateOfBirth-month', 'dateOfBirth-year'],
  widerFamily: ['firstName', 'lastName', 'relationship', 'fgc', 'phone', 'email'],
  professionals: ['name', 'role', 'agency', 'phone', 'email'],
};

const firstField = (group: NetworkGroup): string => (group === 'professionals' ? 'name' : 'firstName');

/** Only the fields the group's form has, as strings (and the ticked disabilities): what is shown again after an error. */
export function formValuesOf(group: NetworkGroup, body: RawQuery, network: FamilyNetwork): FormValues {
  const values: FormValues = Object.fromEntries(FIELDS[group].map((name) => [name, one(body, name)]));
  if (group === 'children') values.disabilities = many(body, 'disabilities');
  if (group === 'adults') {
    for (const index of network.children.keys()) values[`relationship-${index}`] = one(body, `relationship-${index}`);
  }
  return values;
}

function dateParts(date: string | undefined) {
  const match = date ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(date) : null;
  return match
    ? { 'dateOfBirth-day': String(Number(match[3])), 'dateOfBirth-month': String(Number(match[2])), 'dateOfBirth-year': match[1] ?? '' }
    : { 'dateOfBirth-day': '', 'dateOfBirth-month': '', 'dateOfBirth-year': '' };
}

/** A person as their correction form starts. */
export function personFormValues(group: NetworkGroup, person: NetworkPerson, network: FamilyNetwork): FormValues {
  if (group === 'children') {
    const child = person as NetworkChild;
    return {
      firstName: child.firstName,
      lastName: child.lastName,
      unborn: child.unborn ? 'yes' : 'no',
      ...dateParts(child.dateOfBirth),
      sex: child.sex ?? '',
      ethnicity: child.ethnicity ?? '',
      disabilities: [...child.disabilities],
      upn: child.upn ?? '',
      upnUnknownReason: child.upnUnknownReason ?? '',
      nhsNumber: child.nhsNumber ?? '',
      school: child.school ?? '',
      addressLine1: child.address?.line1 ?? '',
      addressLine2: child.address?.line2 ?? '',
      addressTown: child.address?.town ?? '',
      addressPostcode: child.address?.postcode ?? '',
    };
  }
  if (group === 'adults') {
    const adult = person as HouseholdAdult;
    const values: FormValues = { firstName: adult.firstName, lastName: adult.lastName, ...dateParts(adult.dateOfBirth) };
    network.children.forEach((child, index) => {
      values[`relationship-${index}`] = adult.relationships.find((entry) => entry.childId === child.personId)?.relationship ?? '';
    });
    return values;
  }
  if (group === 'widerFamily') {
    const member = person as WiderFamilyMember;
    return {
      firstName: member.firstName,
      lastName: member.lastName,
      relationship: member.relationship,
      fgc: member.possibleFamilyGroupConferenceParticipant ? 'yes' : 'no',
      phone: member.phone ?? '',
      email: member.email ?? '',
    };
  }
  const professional = person as Professional;
  return {
    name: professional.name,
    role: professional.role ?? '',
    agency: professional.agency ?? '',
    phone: professional.phone ?? '',
    email: professional.email ?? '',
  };
}

/** The date fields as a date, or an error naming them; all three empty is no date. */
function dateOf(values: FormValues, label: string): { date?: string; error?: FormError } {
  const day = one(values, 'dateOfBirth-day').trim();
  const month = one(values, 'dateOfBirth-month').trim();
  const year = one(values, 'dateOfBirth-year').trim();
  if (day === '' && month === '' && year === '') return {};
  const error = { field: 'dateOfBirth', href: '#dateOfBirth-day', text: `Enter the ${label} as a real date, like 27 3 2019` };
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return { error };
  const date = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  return safeParse(localDateSchema, date).success ? { date } : { error };
}

const yesNo = (text: string): boolean | undefined => (text === 'yes' ? true : text === 'no' ? false : undefined);

/** The person a form describes, as the domain reads it; fields not on the form are kept from `existing`. */
function personInput(group: NetworkGroup, values: FormValues, network: FamilyNetwork, personId: string, existing?: NetworkPerson) {
  if (group === 'children') {
    const previous = existing as NetworkChild | undefined;
    const unborn = yesNo(one(values, 'unborn'));
    const { date } = dateOf(values, 'date');
    const line1 = one(values, 'addressLine1');
    const line2 = one(values, 'addressLine2');
    const town = one(values, 'addressTown');
    const postcode = one(values, 'addressPostcode');
    const anyAddress = [line1, line2, town, postcode].some((part) => part.trim() !== '');
    return {
      personId,
      firstName: one(values, 'firstName'),
      lastName: one(values, 'lastName'),
      unborn,
      dateOfBirth: date,
      sex: optional(one(values, 'sex')),
      genderAsReferred: previous?.genderAsReferred,
      ethnicity: optional(one(values, 'ethnicity')),
      disabilities: many(values, 'disabilities'),
      upn: optional(one(values, 'upn')),
      upnUnknownReason: optional(one(values, 'upnUnknownReason')),
      nhsNumber: optional(one(values, 'nhsNumber')),
      school: optional(one(values, 'school')),
      address: anyAddress ? { line1, line2: optional(line2), town, postcode } : undefined,
    };
  }
  if (group === 'adults') {
    const previous = existing as HouseholdAdult | undefined;
    const { date } = dateOf(values, 'date');
    const relationships = network.children.flatMap((child, index) => {
      const relationship = one(values, `relationship-${index}`);
      return relationship.trim() === '' ? [] : [{ childId: child.personId, relationship }];
    });
    return {
      personId,
      firstName: one(values, 'firstName'),
      lastName: one(values, 'lastName'),
      dateOfBirth: date,
      relationships,
      relationshipAsReferred: previous?.relationshipAsReferred,
    };
  }
  if (group === 'widerFamily') {
    return {
      personId,
      firstName: one(values, 'firstName'),
      lastName: one(values, 'lastName'),
      relationship: one(values, 'relationship'),
      possibleFamilyGroupConferenceParticipant: yesNo(one(values, 'fgc')),
      phone: optional(one(values, 'phone')),
      email: optional(one(values, 'email')),
    };
  }
  return {
    personId,
    name: one(values, 'name'),
    role: optional(one(values, 'role')),
    agency: optional(one(values, 'agency')),
    phone: optional(one(values, 'phone')),
    email: optional(one(values, 'email')),
    referrer: (existing as Professional | undefined)?.referrer,
  };
}

/** Undefined fields dropped, so the domain's optional fields see them as absent. */
const defined = (value: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(value)
      .filter(([, field]) => field !== undefined)
      .map(([key, field]) => [
        key,
        field && typeof field === 'object' && !Array.isArray(field) ? defined(field as Record<string, unknown>) : field,
      ]),
  );

/** The field an issue of the change (its path, as the domain or the store names it) belongs to. */
export function fieldOfPath(
  group: NetworkGroup,
  path: ReadonlyArray<string | number>,
  adult?: { relationships: Array<{ childId: string }> },
  network?: FamilyNetwork,
): { field: string; href: string } {
  const at = (field: string, href = field) => ({ field, href: `#${href}` });
  const [head, second, third] = path;
  if (head === 'reason') return at('reason');
  if (head !== 'person' || second === undefined || second === 'personId') return at(firstField(group));
  if (second === 'dateOfBirth') return at('dateOfBirth', 'dateOfBirth-day');
  if (second === 'address') {
    const part = typeof third === 'string' ? third : 'line1';
    const field = `address${part.charAt(0).toUpperCase()}${part.slice(1)}`;
    return at(field);
  }
  if (second === 'relationships') {
    const childId = typeof third === 'number' ? adult?.relationships[third]?.childId : undefined;
    const index = childId && network ? network.children.findIndex((child) => child.personId === childId) : -1;
    return at(`relationship-${Math.max(index, 0)}`);
  }
  if (second === 'possibleFamilyGroupConferenceParticipant') return at('fgc');
  return at(String(second));
}

export type FormChange = { ok: true; change: NetworkChange } | { ok: false; errors: FormError[] };

/** One message per field, the first found: the error summary lists each field once. */
function onePerField(errors: FormError[]): FormError[] {
  const seen = new Set<string>();
  return errors.filter((error) => {
    if (seen.has(error.field)) return false;
    seen.add(error.field);
    return true;
  });
}

/** An add or correct form as the change it asks for, or the fields to correct. */
export function changeFromForm(
  kind: 'add' | 'correct',
  group: NetworkGroup,
  values: FormValues,
  network: FamilyNetwork,
  personId: string,
  existing?: NetworkPerson,
): FormChange {
  const dateLabel = group === 'children' ? (one(values, 'unborn') === 'yes' ? 'expected date of birth' : 'date of birth') : 'date of birth';
  const dateError = group === 'children' || group === 'adults' ? dateOf(values, dateLabel).error : undefined;
  const person = defined(personInput(group, values, network, personId, existing));
  const input = kind === 'add' ? { kind, group, person } : { kind, group, personId, person };
  const parsed = parseNetworkChange(input);
  const issues = parsed.success ? [] : toFieldIssues(parsed.error.issues);
  const errors = [
    ...(dateError ? [dateError] : []),
    ...(parsed.success
      ? []
      : parsed.error.issues.map((issue, index) => ({
          ...fieldOfPath(group, issue.path as Array<string | number>, person as { relationships: Array<{ childId: string }> }, network),
          text: issues[index]?.message ?? issue.message,
        }))),
  ];
  if (errors.length > 0) return { ok: false, errors: onePerField(errors) };
  if (!parsed.success) return { ok: false, errors: [] };
  return { ok: true, change: parsed.data };
}

/** A removal form as the change it asks for, or the reason to give. */
export function removalFromForm(group: NetworkGroup, reason: string, personId: string): FormChange {
  const parsed = parseNetworkChange({ kind: 'remove', group, personId, reason });
  if (parsed.success) return { ok: true, change: parsed.data };
  return {
    ok: false,
    errors: onePerField(
      parsed.error.issues.map((issue) => ({ ...fieldOfPath(group, issue.path as Array<string | number>), text: issue.message })),
    ),
  };
}

/** The choices the child form offers, in the census's words. */
export const childFormChoices = {
  sexes: SEXES.map((sex) => ({ value: sex, text: sex === 'not-known' ? 'Not known' : `${sex.charAt(0).toUpperCase()}${sex.slice(1)}` })),
  ethnicities: Object.entries(ETHNICITY_CODES).map(([value, text]) => ({ value, text })),
  disabilities: Object.entries(DISABILITY_CODES).map(([value, text]) => ({ value, text })),
  upnUnknownReasons: Object.entries(UPN_UNKNOWN_REASONS).map(([value, text]) => ({ value, text: `${value}: ${text}` })),
};

/** The children an adult's relationships are asked for, in the network's order (`relationship-<n>`). */
export const relationshipChoices = (network: FamilyNetwork) =>
  network.children.map((child, index) => ({ field: `relationship-${index}`, name: personName('children', child) }));
