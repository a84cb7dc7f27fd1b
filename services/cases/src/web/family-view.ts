/**
 * What the case's family page shows of its network, in words (WEB.md): each person as a GOV.UK
 * summary card, dates of birth as "14 March 2017 (8 years old)", codes as their census names,
 * NHS numbers grouped 3-3-4, and who changed the network last. Pure: the clock is passed in.
 */
import type { LocalDate } from '@fsp/shared/time/local-date';
import { partsOf } from '@fsp/shared/time/local-date';
import { londonDateOf } from '@fsp/shared/time/london';
import { londonDateText } from '@fsp/shared/time/london-words';
import { localDateText } from '@fsp/shared/time/words';
import {
  DISABILITY_CODES,
  ETHNICITY_CODES,
  type FamilyNetwork,
  type HouseholdAdult,
  type NetworkChild,
  type NetworkGroup,
  type NetworkPerson,
  type Professional,
  UPN_UNKNOWN_REASONS,
  type WiderFamilyMember,
} from '../domain/family-network';
import type { NetworkItem } from '../store/items/network';

/** The network's groups as addresses name them: /cases/{caseId}/family/{slug}/… */
export const GROUP_SLUGS: Readonly<Record<NetworkGroup, string>> = {
  children: 'children',
  adults: 'adults',
  widerFamily: 'wider-family',
  professionals: 'professionals',
};

export const groupOfSlug = (slug: string): NetworkGroup | undefined =>
  (Object.keys(GROUP_SLUGS) as NetworkGroup[]).find((group) => GROUP_SLUGS[group] === slug);

/** How pages name one person of a group, and the group. */
export const GROUP_NOUNS: Readonly<Record<NetworkGroup, { one: string; heading: string }>> = {
  children: { one: 'child', heading: 'Children' },
  adults: { one: 'adult in the household', heading: 'Adults in the household' },
  widerFamily: { one: 'member of the wider family or a friend', heading: 'Wider family and friends' },
  professionals: { one: 'professional', heading: 'Professionals' },
};

const SEX_WORDS = { female: 'Female', male: 'Male', 'not-known': 'Not known' } as const;
const GENDER_WORDS = { female: 'female', male: 'male', other: 'other', 'not-known': 'not known' } as const;

/** A person as the record names them; a child opened from ids alone has no name yet. */
export function personName(group: NetworkGroup, person: NetworkPerson): string {
  const name =
    group === 'professionals'
      ? (person as Professional).name
      : `${(person as NetworkChild).firstName} ${(person as NetworkChild).lastName}`;
  return name.trim() === '' ? 'Name not recorded' : name.trim();
}

/** Whole years from `dateOfBirth` to `today`. */
export function ageOn(dateOfBirth: LocalDate, today: LocalDate): number {
  const born = partsOf(dateOfBirth);
  const now = partsOf(today);
  const hadBirthday = now.month > born.month || (now.month === born.month && now.day >= born.day);
  return now.year - born.year - (hadBirthday ? 0 : 1);
}

function ageText(dateOfBirth: LocalDate, today: LocalDate): string {
  const age = ageOn(dateOfBirth, today);
  if (age < 0) return '';
  return age === 0 ? ' (under 1 year old)' : ` (${age} ${age === 1 ? 'year' : 'years'} old)`;
}

/** "485 777 3456": how the NHS writes its numbers. */
export const nhsNumberText = (digits: string): string =>
  /^\d{10}$/.test(digits) ? `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}` : digits;

const NOT_RECORDED = 'Not recorded';

/** A summary list row; `text` values are escaped by the macro. */
interface Row {
  key: { text: string };
  value: { text: string } | { html: string };
}
const row = (key: string, text: string | undefined): Row => ({
  key: { text: key },
  value: { text: text && text !== '' ? text : NOT_RECORDED },
});

export interface PersonCardView {
  personId: string;
  name: string;
  rows: Row[];
  /** Extra lines under the rows' keys, each escaped by the template. */
  lines?: Array<{ key: string; items: string[] }>;
  tags: string[];
  editHref?: string;
  removeHref?: string;
}

export interface FamilyPageView {
  groups: Array<{
    group: NetworkGroup;
    id: string;
    heading: string;
    addHref?: string;
    addText: string;
    empty: string;
    people: PersonCardView[];
  }>;
  /** "Last changed Tuesday 6 January 2026 by Sam Patel", or where it came from. */
  lastChanged: string;
  version: number;
}

function childRows(child: NetworkChild, today: LocalDate): Row[] {
  const dateKey = child.unborn ? 'Expected date of birth' : 'Date of birth';
  const date = child.dateOfBirth
    ? `${localDateText(child.dateOfBirth)}${child.unborn ? '' : ageText(child.dateOfBirth, today)}`
    : undefined;
  const upn = child.upn ?? (child.upnUnknownReason ? `Not known: ${UPN_UNKNOWN_REASONS[child.upnUnknownReason]}` : undefined);
  const address = child.address
    ? [child.address.line1, child.address.line2, child.address.town, child.address.postcode].filter(Boolean).join(', ')
    : undefined;
  return [
    row(dateKey, date),
    row('Sex', child.sex ? SEX_WORDS[child.sex] : undefined),
    ...(child.genderAsReferred ? [row('Gender the referrer gave', GENDER_WORDS[child.genderAsReferred])] : []),
    row('Ethnicity', child.ethnicity ? ETHNICITY_CODES[child.ethnicity] : undefined),
    row(
      'Disabilities',
      child.disabilities.length === 0 ? 'Not yet asked' : child.disabilities.map((code) => DISABILITY_CODES[code]).join(', '),
    ),
    row('Unique pupil number (UPN)', upn),
    row('NHS number', child.nhsNumber ? nhsNumberText(child.nhsNumber) : undefined),
    row('School', child.school),
    row('Address', address),
  ];
}

function adultLines(adult: HouseholdAdult, network: FamilyNetwork): Array<{ key: string; items: string[] }> {
  const items = network.children.map((child) => {
    const relationship = adult.relationships.find((entry) => entry.childId === child.personId)?.relationship;
    const name = personName('children', child);
    return relationship ? `${relationship.charAt(0).toUpperCase()}${relationship.slice(1)} of ${name}` : `Not yet recorded for ${name}`;
  });
  return [{ key: 'Relationship to each child', items }];
}

function adultRows(adult: HouseholdAdult, today: LocalDate): Row[] {
  return [
    row('Date of birth', adult.dateOfBirth ? `${localDateText(adult.dateOfBirth)}${ageText(adult.dateOfBirth, today)}` : undefined),
    ...(adult.relationshipAsReferred ? [row('The referrer described them as', adult.relationshipAsReferred)] : []),
  ];
}

const widerRows = (person: WiderFamilyMember): Row[] => [
  row('Relationship to the family', person.relationship),
  row('Could take part in a family group conference', person.possibleFamilyGroupConferenceParticipant ? 'Yes' : 'No'),
  row('Phone', person.phone),
  row('Email', person.email),
];

const professionalRows = (person: Professional): Row[] => [
  row('Role', person.role),
  row('Agency', person.agency),
  row('Phone', person.phone),
  row('Email', person.email),
];

/** Where a change came from, in words. */
export function lastChangedText(item: Pick<NetworkItem, 'updatedAt' | 'updatedBy'>): string {
  const date = londonDateText(new Date(item.updatedAt));
  return item.updatedBy ? `Last changed ${date} by ${item.updatedBy.name}` : `As the referral gave it, ${date}`;
}

export function familyPageView(item: NetworkItem, caseId: string, options: { now: Date; mayChange: boolean }): FamilyPageView {
  const today = londonDateOf(options.now);
  const { network } = item;
  const base = `/cases/${caseId}/family`;
  const card = (group: NetworkGroup, person: NetworkPerson, rows: Row[], extra: Partial<PersonCardView> = {}): PersonCardView => ({
    personId: person.personId,
    name: personName(group, person),
    rows,
    tags: [],
    ...extra,
    ...(options.mayChange ? { editHref: `${base}/${GROUP_SLUGS[group]}/${person.personId}/edit` } : {}),
    // A child leaves a case by a decision about the case, never by a change of its network.
    ...(options.mayChange && group !== 'children' ? { removeHref: `${base}/${GROUP_SLUGS[group]}/${person.personId}/remove` } : {}),
  });
  const group = (name: NetworkGroup, people: PersonCardView[], empty: string) => ({
    group: name,
    id: GROUP_SLUGS[name],
    heading: GROUP_NOUNS[name].heading,
    addText: `Add ${name === 'widerFamily' ? 'a member of the wider family or a friend' : `${name === 'adults' ? 'an' : 'a'} ${GROUP_NOUNS[name].one}`}`,
    ...(options.mayChange ? { addHref: `${base}/${GROUP_SLUGS[name]}/new` } : {}),
    empty,
    people,
  });
  return {
    groups: [
      group(
        'children',
        network.children.map((child) => card('children', child, childRows(child, today), { tags: child.unborn ? ['Unborn'] : [] })),
        'No children are recorded.',
      ),
      group(
        'adults',
        network.adults.map((adult) => card('adults', adult, adultRows(adult, today), { lines: adultLines(adult, network) })),
        'No adults in the household are recorded yet.',
      ),
      group(
        'widerFamily',
        network.widerFamily.map((person) =>
          card('widerFamily', person, widerRows(person), {
            tags: person.possibleFamilyGroupConferenceParticipant ? ['Family group conference'] : [],
          }),
        ),
        'No wider family or friends are recorded yet. They can support the family, and take part in a family group conference.',
      ),
      group(
        'professionals',
        network.professionals.map((person) =>
          card('professionals', person, professionalRows(person), { tags: person.referrer ? ['Referrer'] : [] }),
        ),
        'No professionals are recorded yet.',
      ),
    ],
    lastChanged: lastChangedText(item),
    version: item.version,
  };
}
