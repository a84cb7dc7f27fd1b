/**
 * The family network of a case (ADR 0014 §2, issue 12 Deliver 1): the children, the adults in
 * the household and their relationship to each child, wider family and friends (who may take part
 * in a family group conference) and the professionals around the family. Opened from the
 * referral's people so nobody retypes them, then corrected and added to by workers; every change
 * is attributed and keeps what it replaced. Pure: no AWS, no I/O; the time is passed in. Versions
 * (two workers editing at once) are the store's; the change record is the domain's.
 */
import { createHash } from 'node:crypto';
import { humanMessage } from '@fsp/shared/events/field-issues';
import { onFirstUse } from '@fsp/shared/first-use';
import { plainText } from '@fsp/shared/text';
import { compareLocalDates, type LocalDate, localDateSchema } from '@fsp/shared/time/local-date';
import { londonDateOf } from '@fsp/shared/time/london';
import * as z from 'zod/mini';

// ---------------------------------------------------------------------------------------------
// Codes. DOMAIN.md (Codes) asks the record to produce ethnicity, disabilities and the UPN or the
// reason it is unknown for the census, but does not list their vocabularies; these are the DfE
// Children in Need census codes as we know them (confirm against the year's census guide).
// ---------------------------------------------------------------------------------------------

/** DfE main ethnicity codes (CIN census); REFU and NOBT say why no ethnicity is recorded. */
export const ETHNICITY_CODES = {
  WBRI: 'White British',
  WIRI: 'White Irish',
  WIRT: 'Traveller of Irish heritage',
  WOTH: 'Any other White background',
  WROM: 'Gypsy or Roma',
  MWBC: 'White and Black Caribbean',
  MWBA: 'White and Black African',
  MWAS: 'White and Asian',
  MOTH: 'Any other mixed background',
  AIND: 'Indian',
  APKN: 'Pakistani',
  ABAN: 'Bangladeshi',
  AOTH: 'Any other Asian background',
  BCRB: 'Black Caribbean',
  BAFR: 'Black African',
  BOTH: 'Any other Black background',
  CHNE: 'Chinese',
  OOTH: 'Any other ethnic group',
  REFU: 'Refused',
  NOBT: 'Information not yet obtained',
} as const;
export type EthnicityCode = keyof typeof ETHNICITY_CODES;
const ETHNICITY_CODE_LIST = Object.keys(ETHNICITY_CODES) as [EthnicityCode, ...EthnicityCode[]];

/** CIN census disability codes; NONE says "no disability" was asked and answered, unlike an empty list (not yet known). */
export const DISABILITY_CODES = {
  NONE: 'No disability',
  MOB: 'Mobility',
  HAND: 'Hand function',
  PC: 'Personal care',
  INC: 'Incontinence',
  COMM: 'Communication',
  LD: 'Learning',
  HEAR: 'Hearing',
  VIS: 'Vision',
  BEH: 'Behaviour',
  CON: 'Consciousness',
  AUT: 'Autism or Asperger syndrome',
  DDA: 'Other disability (Equality Act 2010)',
} as const;
export type DisabilityCode = keyof typeof DISABILITY_CODES;
const DISABILITY_CODE_LIST = Object.keys(DISABILITY_CODES) as [DisabilityCode, ...DisabilityCode[]];

/** The census's reasons a child's Unique Pupil Number is unknown (its UN1–UN5 defaults). */
export const UPN_UNKNOWN_REASONS = {
  UN1: 'Aged under 6 and not yet attending school',
  UN2: 'Has never attended a school in England',
  UN3: 'Educated at home',
  UN4: 'Unaccompanied asylum-seeking child or newly arrived, not yet given a UPN',
  UN5: "Records disagree on the child's name or date of birth, so no reliable match",
} as const;
export type UpnUnknownReason = keyof typeof UPN_UNKNOWN_REASONS;
const UPN_UNKNOWN_REASON_LIST = Object.keys(UPN_UNKNOWN_REASONS) as [UpnUnknownReason, ...UpnUnknownReason[]];

/** Sex as the census records it; `not-known` is an answer, an absent value means nobody has asked yet. */
export const SEXES = ['female', 'male', 'not-known'] as const;
export type Sex = (typeof SEXES)[number];

/** The gender a referrer may give (services/referrals' GENDERS, repeated: services never import each other). */
export const REFERRAL_GENDERS = ['female', 'male', 'other', 'not-known'] as const;
export type ReferralGender = (typeof REFERRAL_GENDERS)[number];

// ---------------------------------------------------------------------------------------------
// Check digits: a mistyped identifier links the child to someone else's health or school record.
// ---------------------------------------------------------------------------------------------

/**
 * NHS number: 10 digits, the last a modulus 11 check digit over the first nine weighted 10 down
 * to 2. A remainder giving 10 is never issued, so such a number is refused rather than "fixed".
 */
export function isValidNhsNumber(value: string): boolean {
  if (!/^\d{10}$/.test(value)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(value[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(value[9]);
}

/** People write NHS numbers in 3-3-4 groups; the record keeps the bare digits so two spellings are one number. */
export const normaliseNhsNumber = (value: string): string => value.replace(/[\s-]/g, '');

/** The letters a UPN uses for values 0–22 (I, O and S are left out: they read as digits). */
const UPN_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ';

/**
 * Unique Pupil Number (DfE UPN guide): a check letter, 11 digits, then a digit (a permanent UPN)
 * or a letter (a temporary one). The check letter is the sum of characters 2–13 weighted 2–13
 * (a final letter counting as its place in UPN_LETTERS), modulo 23, read through UPN_LETTERS.
 */
export function isValidUpn(value: string): boolean {
  if (!/^[A-HJ-NP-RT-Z]\d{11}[0-9A-HJ-NP-RT-Z]$/.test(value)) return false;
  let sum = 0;
  for (let position = 2; position <= 13; position++) {
    const character = value[position - 1] as string;
    const worth = /\d/.test(character) ? Number(character) : UPN_LETTERS.indexOf(character);
    sum += worth * position;
  }
  return UPN_LETTERS[sum % 23] === value[0];
}

// ---------------------------------------------------------------------------------------------
// The network
// ---------------------------------------------------------------------------------------------

export interface Address {
  line1: string;
  line2?: string;
  town: string;
  postcode: string;
}

export interface NetworkChild {
  personId: string;
  firstName: string;
  lastName: string;
  /** An unborn child's `dateOfBirth` is the expected date (the census takes either). */
  unborn: boolean;
  dateOfBirth?: LocalDate;
  sex?: Sex;
  /** What the referrer said, kept because it is not the census's sex and may say more ("other"). */
  genderAsReferred?: ReferralGender;
  ethnicity?: EthnicityCode;
  /** Empty until asked; ['NONE'] once the answer is "no disability". */
  disabilities: DisabilityCode[];
  /** One or the other (or neither until a worker finds out): the census needs a UPN or why there is none. */
  upn?: string;
  upnUnknownReason?: UpnUnknownReason;
  nhsNumber?: string;
  school?: string;
  address?: Address;
}

export interface ChildRelationship {
  childId: string;
  /** In the family's or the worker's words: "mother", "mother's partner", "step-father". */
  relationship: string;
}

export interface HouseholdAdult {
  personId: string;
  firstName: string;
  lastName: string;
  dateOfBirth?: LocalDate;
  /** One entry per child the adult is related to; a child may be missing until a worker knows. */
  relationships: ChildRelationship[];
  /**
   * The referrer's words, which described the adult to all the children at once. Kept after
   * workers correct the per-child relationships, so the record still shows what was first said.
   */
  relationshipAsReferred?: string;
}

export interface WiderFamilyMember {
  personId: string;
  firstName: string;
  lastName: string;
  /** To the family, in words: "maternal grandmother", "family friend", "neighbour". */
  relationship: string;
  /** Family group conferences (Leeds' family group decision making) draw on these people. */
  possibleFamilyGroupConferenceParticipant: boolean;
  phone?: string;
  email?: string;
}

export interface Professional {
  personId: string;
  name: string;
  /** Optional because a referrer need not give theirs; a worker completes them. */
  role?: string;
  agency?: string;
  phone?: string;
  email?: string;
  /** This professional made the referral the case was opened from. */
  referrer?: boolean;
}

export interface FamilyNetwork {
  children: NetworkChild[];
  adults: HouseholdAdult[];
  widerFamily: WiderFamilyMember[];
  professionals: Professional[];
}

/** The network's groups, as a change names them. */
export const NETWORK_GROUPS = ['children', 'adults', 'widerFamily', 'professionals'] as const;
export type NetworkGroup = (typeof NETWORK_GROUPS)[number];
export interface NetworkPersonByGroup {
  children: NetworkChild;
  adults: HouseholdAdult;
  widerFamily: WiderFamilyMember;
  professionals: Professional;
}
export type NetworkPerson = NetworkPersonByGroup[NetworkGroup];

// ---------------------------------------------------------------------------------------------
// Schemas (zod/mini): what a worker's form or a JSON route may send. Messages name the field in
// words, because they reach a person through the GOV.UK error summary.
// ---------------------------------------------------------------------------------------------

const PERSON_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
const personIdSchema = (field: string) =>
  z
    .string()
    .check(
      z.minLength(1, `${field} is required`),
      z.maxLength(64, `${field} must be 64 characters or fewer`),
      z.regex(PERSON_ID, `${field} must be an id`),
    );

/** One line of text someone typed: no control or invisible characters (shared/src/text.ts). */
const line = (field: string, max: number) =>
  z
    .string()
    .check(
      z.trim(),
      z.minLength(1, `Enter the ${field}`),
      z.maxLength(max, `The ${field} must be ${max} characters or fewer`),
      plainText({ message: `The ${field} must not contain invisible or control characters` }),
    );

const dateSchema = (field: string) =>
  z.string().check(z.refine((value) => localDateSchema.safeParse(value).success, `The ${field} must be a real date written as YYYY-MM-DD`));

/**
 * Built on first use: only the routes that change a network need them, and every function that
 * imports the case domain would otherwise build them at its cold start.
 */
const buildSchemas = onFirstUse(() => {
  const phoneSchema = z
    .string()
    .check(z.trim(), z.regex(/^\+?[0-9 ()-]{7,20}$/, 'The phone number must be a telephone number, like 01632 960 001'));
  const emailSchema = z.email('The email address must be an email address, like name@example.com');

  const addressSchema = z.object({
    line1: line('first line of the address', 200),
    line2: z.optional(line('second line of the address', 200)),
    town: line('town', 100),
    postcode: z
      .string()
      .check(z.trim(), z.regex(/^[A-Za-z]{1,2}\d[A-Za-z\d]? ?\d[A-Za-z]{2}$/, 'The postcode must be a UK postcode, like SW1A 1AA')),
  });

  const networkChildSchema = z
    .object({
      personId: personIdSchema('The child’s id'),
      firstName: line('child’s first name', 100),
      lastName: line('child’s last name', 100),
      unborn: z.boolean('Say whether the child is unborn'),
      dateOfBirth: z.optional(dateSchema('child’s date of birth or expected date')),
      sex: z.optional(z.enum(SEXES, 'The child’s sex must be female, male or not known')),
      genderAsReferred: z.optional(z.enum(REFERRAL_GENDERS, 'The gender the referrer gave must be female, male, other or not known')),
      ethnicity: z.optional(z.enum(ETHNICITY_CODE_LIST, 'The child’s ethnicity must be a census ethnicity code, like WBRI')),
      disabilities: z
        .array(z.enum(DISABILITY_CODE_LIST, 'Each of the child’s disabilities must be a census disability code, like MOB'))
        .check(
          z.refine((codes) => new Set(codes).size === codes.length, 'The child’s disabilities must not repeat a code'),
          z.refine(
            (codes) => !codes.includes('NONE') || codes.length === 1,
            'The child’s disabilities cannot be “no disability” and a disability',
          ),
        ),
      upn: z.optional(
        z
          .string()
          .check(
            z.trim(),
            z.toUpperCase(),
            z.refine(isValidUpn, 'The child’s UPN must be 13 characters, a check letter then 12 more, as the school gives it'),
          ),
      ),
      upnUnknownReason: z.optional(z.enum(UPN_UNKNOWN_REASON_LIST, 'The reason the child’s UPN is unknown must be one of UN1 to UN5')),
      nhsNumber: z.optional(
        z.pipe(
          z.string().check(z.overwrite(normaliseNhsNumber)),
          z.string().check(z.refine(isValidNhsNumber, 'The child’s NHS number must be 10 digits, like 485 777 3456')),
        ),
      ),
      school: z.optional(line('child’s school', 200)),
      address: z.optional(addressSchema),
    })
    .check(
      z.refine((child) => !(child.upn !== undefined && child.upnUnknownReason !== undefined), {
        message: 'Give the child’s UPN or the reason it is unknown, not both',
        path: ['upnUnknownReason'],
      }),
      z.refine((child) => !(child.unborn && child.upn !== undefined), {
        message: 'An unborn child cannot have a UPN yet',
        path: ['upn'],
      }),
    );

  const childRelationshipSchema = z.object({
    childId: personIdSchema('The child the relationship is to'),
    relationship: line('relationship to the child', 100),
  });

  const householdAdultSchema = z.object({
    personId: personIdSchema('The adult’s id'),
    firstName: line('adult’s first name', 100),
    lastName: line('adult’s last name', 100),
    dateOfBirth: z.optional(dateSchema('adult’s date of birth')),
    relationships: z.array(childRelationshipSchema).check(
      z.maxLength(30, 'An adult can have at most 30 relationships to children'),
      z.refine((list) => new Set(list.map((entry) => entry.childId)).size === list.length, 'Give the adult one relationship to each child'),
    ),
    relationshipAsReferred: z.optional(line('relationship the referrer described', 100)),
  });

  const widerFamilyMemberSchema = z.object({
    personId: personIdSchema('The person’s id'),
    firstName: line('first name', 100),
    lastName: line('last name', 100),
    relationship: line('relationship to the family', 100),
    possibleFamilyGroupConferenceParticipant: z.boolean('Say whether they could take part in a family group conference'),
    phone: z.optional(phoneSchema),
    email: z.optional(emailSchema),
  });

  const professionalSchema = z.object({
    personId: personIdSchema('The professional’s id'),
    name: line('professional’s name', 200),
    role: z.optional(line('professional’s role', 200)),
    agency: z.optional(line('professional’s agency', 200)),
    phone: z.optional(phoneSchema),
    email: z.optional(emailSchema),
    referrer: z.optional(z.boolean()),
  });

  const reasonSchema = z
    .string()
    .check(
      z.trim(),
      z.minLength(1, 'Enter the reason for removing them'),
      z.maxLength(500, 'The reason must be 500 characters or fewer'),
      plainText({ multiline: true, message: 'The reason must not contain invisible or control characters' }),
    );

  return {
    reason: reasonSchema,
    address: addressSchema,
    children: networkChildSchema,
    adults: householdAdultSchema,
    widerFamily: widerFamilyMemberSchema,
    professionals: professionalSchema,
  };
});

export const addressSchema = z.lazy(() => buildSchemas().address);
export const networkChildSchema = z.lazy(() => buildSchemas().children);
export const householdAdultSchema = z.lazy(() => buildSchemas().adults);
export const widerFamilyMemberSchema = z.lazy(() => buildSchemas().widerFamily);
export const professionalSchema = z.lazy(() => buildSchemas().professionals);

/**
 * A change a worker asks for. Add and correct carry the whole person (the form shows every field),
 * so the change record's before and after are whole people, readable without replaying history.
 */
const changeEnvelopeSchema = onFirstUse(() =>
  z.object({
    kind: z.enum(['add', 'correct', 'remove'], 'Say whether to add, correct or remove a person'),
    group: z.enum(NETWORK_GROUPS, 'Say whether the person is a child, an adult in the household, wider family or a professional'),
  }),
);

const changeSchemaFor = (kind: NetworkChange['kind'], group: NetworkGroup) => {
  if (kind === 'add') return z.object({ kind: z.literal(kind), group: z.literal(group), person: buildSchemas()[group] });
  const personId = personIdSchema('The person’s id');
  if (kind === 'correct') return z.object({ kind: z.literal(kind), group: z.literal(group), personId, person: buildSchemas()[group] });
  return z.object({
    kind: z.literal(kind),
    group: z.literal(group).check(
      // A child leaving the case is a decision about the case, not a correction of its network.
      z.refine((value) => value !== 'children', 'A child cannot be removed from the family network'),
    ),
    personId,
    reason: buildSchemas().reason,
  });
};

export type NetworkChangeParse = { success: true; data: NetworkChange } | { success: false; error: z.core.$ZodError };

/**
 * Reads a change from a form or a JSON body. Two steps rather than one union, so that a bad field
 * is reported as that field ("Enter the child’s first name"), not as "matches none of 11 shapes".
 */
export function parseNetworkChange(input: unknown): NetworkChangeParse {
  // humanMessage fills in only the messages the schemas leave to zod (a missing field: "person.firstName is required").
  const envelope = z.safeParse(changeEnvelopeSchema(), input, { error: humanMessage });
  if (!envelope.success) return envelope;
  const parsed = z.safeParse(changeSchemaFor(envelope.data.kind, envelope.data.group), input, { error: humanMessage });
  return parsed.success ? { success: true, data: parsed.data as NetworkChange } : parsed;
}

type GroupChange<G extends NetworkGroup> =
  | { kind: 'add'; group: G; person: NetworkPersonByGroup[G] }
  | { kind: 'correct'; group: G; personId: string; person: NetworkPersonByGroup[G] };

export type NetworkChange =
  | GroupChange<'children'>
  | GroupChange<'adults'>
  | GroupChange<'widerFamily'>
  | GroupChange<'professionals'>
  | { kind: 'remove'; group: Exclude<NetworkGroup, 'children'>; personId: string; reason: string };

// ---------------------------------------------------------------------------------------------
// Opening the network from the referral (ADR 0014 §1)
// ---------------------------------------------------------------------------------------------

/**
 * The referral's people as `ReferralAccepted` v1's optional `family` field is to carry them (ADR
 * 0014 §1; shared/src/events adopts this shape). Minimum necessary: exactly what the case needs
 * to open without retyping. `professionalReferrer` is present only when the referrer is a
 * professional (referrals decides, from the referral source): a relative's or neighbour's contact
 * details stay with the referral.
 */
export interface ReferralFamily {
  children: Array<{
    childId: string;
    firstName: string;
    lastName: string;
    unborn: boolean;
    /** For an unborn child, the expected date. */
    dateOfBirth?: string;
    gender?: ReferralGender;
    school?: string;
    address?: Address;
  }>;
  adults: Array<{
    firstName: string;
    lastName: string;
    dateOfBirth?: string;
    /** To the children, in the referrer's words. */
    relationship: string;
  }>;
  professionalReferrer?: {
    name: string;
    role?: string;
    organisation?: string;
    email: string;
    phone?: string;
  };
}

const digest = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16);

/**
 * Adults and the referrer arrive without ids. Theirs are derived from the referral and their place
 * in it, so that opening the same referral twice (a redelivered event) builds the same network,
 * and two referrals added to one case can never give two people the same id.
 */
const referredPersonId = (referralId: string, kind: 'adult' | 'professional', index: number): string =>
  `${kind}-${digest(`referral:${referralId}`)}-${index + 1}`;

const SEX_FROM_GENDER: Partial<Record<ReferralGender, Sex>> = { female: 'female', male: 'male', 'not-known': 'not-known' };

/** Dates were checked by the referral's own validation; a malformed one is left for a worker rather than stopping the case opening. */
const asLocalDate = (value: string | undefined): LocalDate | undefined =>
  value !== undefined && localDateSchema.safeParse(value).success ? (value as LocalDate) : undefined;

/**
 * The network a case opens with. Each adult's one description ("mother") is what the referrer
 * said of them and all the children, so it is each child's relationship until a worker corrects
 * it, and stays on the adult as `relationshipAsReferred`.
 */
export function networkFromReferral(family: ReferralFamily, referralId: string): FamilyNetwork {
  const children: NetworkChild[] = family.children.map((child) => {
    const dateOfBirth = asLocalDate(child.dateOfBirth);
    const sex = child.gender !== undefined ? SEX_FROM_GENDER[child.gender] : undefined;
    return {
      personId: child.childId,
      firstName: child.firstName,
      lastName: child.lastName,
      unborn: child.unborn,
      ...(dateOfBirth !== undefined ? { dateOfBirth } : {}),
      ...(sex !== undefined ? { sex } : {}),
      ...(child.gender !== undefined ? { genderAsReferred: child.gender } : {}),
      disabilities: [],
      ...(child.school !== undefined ? { school: child.school } : {}),
      ...(child.address !== undefined ? { address: child.address } : {}),
    };
  });
  const adults: HouseholdAdult[] = family.adults.map((adult, index) => {
    const dateOfBirth = asLocalDate(adult.dateOfBirth);
    return {
      personId: referredPersonId(referralId, 'adult', index),
      firstName: adult.firstName,
      lastName: adult.lastName,
      ...(dateOfBirth !== undefined ? { dateOfBirth } : {}),
      relationships: children.map((child) => ({ childId: child.personId, relationship: adult.relationship })),
      relationshipAsReferred: adult.relationship,
    };
  });
  const referrer = family.professionalReferrer;
  const professionals: Professional[] = referrer
    ? [
        {
          personId: referredPersonId(referralId, 'professional', 0),
          name: referrer.name,
          ...(referrer.role !== undefined ? { role: referrer.role } : {}),
          ...(referrer.organisation !== undefined ? { agency: referrer.organisation } : {}),
          ...(referrer.phone !== undefined ? { phone: referrer.phone } : {}),
          email: referrer.email,
          referrer: true,
        },
      ]
    : [];
  return { children, adults, widerFamily: [], professionals };
}

/** A case opened from an event without `family` (v1 before ADR 0014): the children's ids and dates, for workers to complete. */
export function networkFromChildIds(children: ReadonlyArray<{ childId: string; unborn: boolean; dateOfBirth?: string }>): FamilyNetwork {
  return {
    children: children.map((child) => {
      const dateOfBirth = asLocalDate(child.dateOfBirth);
      return {
        personId: child.childId,
        firstName: '',
        lastName: '',
        unborn: child.unborn,
        ...(dateOfBirth !== undefined ? { dateOfBirth } : {}),
        disabilities: [],
      };
    }),
    adults: [],
    widerFamily: [],
    professionals: [],
  };
}

// ---------------------------------------------------------------------------------------------
// Changing the network
// ---------------------------------------------------------------------------------------------

/** Who made a change: the session's user id, and the name colleagues know them by. */
export interface Actor {
  userId: string;
  name: string;
}

/** What the store keeps beside the network (`NETWORK#<at>#<id>`): who, when, what, before and after. */
export interface NetworkChangeRecord {
  by: Actor;
  at: string;
  kind: NetworkChange['kind'];
  group: NetworkGroup;
  personId: string;
  /** Absent for an addition. */
  before?: NetworkPerson;
  /** Absent for a removal. */
  after?: NetworkPerson;
  /** A removal's reason. */
  reason?: string;
}

/** Why a change was not made; nothing changes when one is returned. */
export type NetworkRefusal =
  | { refused: 'unknown-person'; group: NetworkGroup; personId: string }
  | { refused: 'person-id-taken'; personId: string }
  | { refused: 'person-id-changed'; personId: string }
  | { refused: 'unknown-child'; personId: string; childId: string }
  | { refused: 'date-in-future'; personId: string; field: 'dateOfBirth' }
  | { refused: 'nothing-changed'; personId: string };

export type NetworkChangeResult = { network: FamilyNetwork; record: NetworkChangeRecord } | NetworkRefusal;

export const isRefusal = (result: NetworkChangeResult): result is NetworkRefusal => 'refused' in result;

/** Every id in the network: ids are unique across groups, so a relationship or a change names one person. */
const allPersonIds = (network: FamilyNetwork): Set<string> =>
  new Set(NETWORK_GROUPS.flatMap((group) => network[group].map((person) => person.personId)));

/** Deterministic comparison of two people: key order does not matter, `undefined` fields are absent. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, field: unknown) =>
    field && typeof field === 'object' && !Array.isArray(field)
      ? Object.fromEntries(Object.entries(field as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : field,
  );

function checkPerson(
  change: Extract<NetworkChange, { kind: 'add' | 'correct' }>,
  network: FamilyNetwork,
  today: LocalDate,
): NetworkRefusal | undefined {
  const person = change.person;
  // A born child's or an adult's date of birth cannot be after today; an unborn child's expected date can.
  if ('dateOfBirth' in person && person.dateOfBirth !== undefined) {
    const unborn = change.group === 'children' && (person as NetworkChild).unborn;
    if (!unborn && compareLocalDates(person.dateOfBirth, today) > 0) {
      return { refused: 'date-in-future', personId: person.personId, field: 'dateOfBirth' };
    }
  }
  if (change.group === 'adults') {
    const childIds = new Set(network.children.map((child) => child.personId));
    const stranger = change.person.relationships.find((entry) => !childIds.has(entry.childId));
    if (stranger) return { refused: 'unknown-child', personId: person.personId, childId: stranger.childId };
  }
  return undefined;
}

/**
 * Applies one worker's change to the network as it stood (the store's version of it), or says why
 * it cannot. Pure: the store writes the new network and the record in one transaction, on
 * condition of the version `current` was read at.
 */
export function changeNetwork(current: FamilyNetwork, change: NetworkChange, who: Actor, at: Date): NetworkChangeResult {
  const today = londonDateOf(at);
  const record = { by: who, at: at.toISOString(), kind: change.kind, group: change.group };
  const people = current[change.group] as NetworkPerson[];

  if (change.kind === 'add') {
    if (allPersonIds(current).has(change.person.personId)) return { refused: 'person-id-taken', personId: change.person.personId };
    const refusal = checkPerson(change, current, today);
    if (refusal) return refusal;
    return {
      network: { ...current, [change.group]: [...people, change.person] },
      record: { ...record, personId: change.person.personId, after: change.person },
    };
  }

  const index = people.findIndex((person) => person.personId === change.personId);
  const before = people[index];
  if (before === undefined) return { refused: 'unknown-person', group: change.group, personId: change.personId };

  if (change.kind === 'correct') {
    // The id is what relationships and the change history hold on to; a correction keeps it.
    if (change.person.personId !== change.personId) return { refused: 'person-id-changed', personId: change.personId };
    const refusal = checkPerson(change, current, today);
    if (refusal) return refusal;
    // An empty correction would add a history entry that says nothing and bump the version for nobody.
    if (canonical(before) === canonical(change.person)) return { refused: 'nothing-changed', personId: change.personId };
    const updated = people.map((person, position) => (position === index ? change.person : person));
    return {
      network: { ...current, [change.group]: updated },
      record: { ...record, personId: change.personId, before, after: change.person },
    };
  }

  return {
    network: { ...current, [change.group]: people.filter((_, position) => position !== index) },
    record: { ...record, personId: change.personId, before, reason: change.reason },
  };
}

// ---------------------------------------------------------------------------------------------
// A referral added to an open case brings its people
// ---------------------------------------------------------------------------------------------

/** What a referral added to an open case changed in its network: people new to it, and adults it knew who gained children. */
export interface ReferralPeopleAdded {
  network: FamilyNetwork;
  added: Array<{ group: NetworkGroup; person: NetworkPerson }>;
  /** Adults already in the network (the same name and date of birth) now related to the referral's new children too. */
  extended: Array<{ before: HouseholdAdult; after: HouseholdAdult }>;
}

const sameName = (a: string, b: string): boolean => a.trim().toLocaleLowerCase('en-GB') === b.trim().toLocaleLowerCase('en-GB');

/**
 * Adds a referral's people to a case's network. Children are the same child when their id is (the
 * referral's known-family match gave it); an adult is the same adult when first and last name and
 * date of birth (or its absence) agree, and then gains only the relationships to children it did
 * not have; the professional referrer is the same when the email is. Everyone else is added, with
 * the ids networkFromReferral gives them (derived from this referral, so never another's). The
 * workers correct the rest on the family page; nothing already recorded is changed or removed.
 */
export function addReferralPeople(current: FamilyNetwork, family: ReferralFamily, referralId: string): ReferralPeopleAdded {
  const incoming = networkFromReferral(family, referralId);
  const added: ReferralPeopleAdded['added'] = [];
  const extended: ReferralPeopleAdded['extended'] = [];

  const knownChildren = new Set(current.children.map((child) => child.personId));
  const children = [...current.children];
  for (const child of incoming.children) {
    if (knownChildren.has(child.personId)) continue;
    children.push(child);
    knownChildren.add(child.personId);
    added.push({ group: 'children', person: child });
  }

  const adults = [...current.adults];
  for (const adult of incoming.adults) {
    const index = adults.findIndex(
      (known) =>
        sameName(known.firstName, adult.firstName) && sameName(known.lastName, adult.lastName) && known.dateOfBirth === adult.dateOfBirth,
    );
    const known = adults[index];
    if (known === undefined) {
      adults.push(adult);
      added.push({ group: 'adults', person: adult });
      continue;
    }
    const related = new Set(known.relationships.map((entry) => entry.childId));
    const more = adult.relationships.filter((entry) => !related.has(entry.childId));
    if (more.length === 0) continue;
    const after = { ...known, relationships: [...known.relationships, ...more] };
    adults[index] = after;
    extended.push({ before: known, after });
  }

  const professionals = [...current.professionals];
  for (const professional of incoming.professionals) {
    const email = professional.email?.toLocaleLowerCase('en-GB');
    if (email !== undefined && professionals.some((known) => known.email?.toLocaleLowerCase('en-GB') === email)) continue;
    professionals.push(professional);
    added.push({ group: 'professionals', person: professional });
  }

  return { network: { ...current, children, adults, professionals }, added, extended };
}
