/**
 * QUALITY.md security 3, for the public referral form (`POST /refer/{step}`, urlencoded): 10,000
 * generated valid and mutated step posts through the real `public` handler (`createPublicApi`)
 * against DynamoDB Local. Each case starts its own draft (GET /refer/about-you: the cookie and the
 * page's CSRF token), seeds the answers the step needs, posts, and reads the draft item back.
 * Valid answers: 303 to the next page and the draft holds exactly the answers; invalid ones: 400,
 * the page again with the GOV.UK error summary linking to each failing field, and the draft item
 * unchanged; forged (CSRF), cookieless, empty, oversized or mistyped posts answer 403/400/413/415
 * and change nothing; nothing ever answers 5xx. Some cases send the referral (check your answers):
 * exactly one referral per complete draft, none for an incomplete one.
 */
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { FACTOR_CODES } from '@fsp/shared/events/codes';
import type { ApiGatewayV2Result } from '@fsp/shared/http/api-gateway';
import { MAX_BODY_BYTES } from '@fsp/shared/http/handler';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { apiGatewayEvent } from '@fsp/shared/testing/api-gateway-event';
import { allItems, ownDynamoDbLocal, type TestTable } from '@fsp/shared/testing/dynamodb';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { fixedClock } from '@fsp/shared/time/clock';
import fc from 'fast-check';
import { GENDERS } from '../../src/domain/submission';
import { createPublicApi } from '../../src/handlers/public-api';
import { NO_FACTORS, REFERRAL_SOURCE_CHOICES } from '../../src/web/choices';
import {
  type AboutYou,
  type AdultAnswers,
  type ChildAnswers,
  type Concerns,
  type ConsentAnswers,
  type DraftAnswers,
  firstIncompleteStep,
  type StepName,
} from '../../src/web/steps';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 10_000);
const CONCURRENCY = Number(process.env.PROPERTY_CONCURRENCY ?? 16);
const SEED = 20261124;

/** London's date at the test's instant: the date rules (past, today or later) are checked against it. */
const TODAY = '2026-11-23';
const clock = fixedClock('2026-11-23T10:00:00Z');

let table: TestTable;
let runtime: ServiceRuntime;

const ownDynamo = ownDynamoDbLocal();

beforeAll(async () => {
  ({ table, runtime } = await createTestRuntime('referrals-form-property', clock));
});
afterAll(async () => {
  await table?.drop();
  await ownDynamo.stop();
});

// ---------------------------------------------------------------------------------------------
// Values a referrer could type, already trimmed (the form trims; the body pads them again).

const XSS = '<script>alert("fsp")</script>';
const opt = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
const text = (max: number): fc.Arbitrary<string> =>
  fc
    .oneof(
      { weight: 6, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }) },
      { weight: 3, arbitrary: fc.stringMatching(/^[A-Z][a-z]{1,12}( [A-Z][a-z'-]{1,12})?$/) },
      { weight: 1, arbitrary: fc.constant(`Said ${XSS} & "left"`) },
      { weight: 1, arbitrary: fc.constant('x'.repeat(max)) },
    )
    .map((s) => s.trim())
    .filter((s) => s.length > 0 && s.length <= max);
const email = fc
  .tuple(
    fc.stringMatching(/^[A-Za-z0-9]{1,8}([._+-][a-z0-9]{1,6})?$/),
    fc.stringMatching(/^[a-z0-9]{1,10}(-[a-z0-9]{1,5})?$/),
    fc.constantFrom('org', 'uk', 'com', 'co.uk', 'gov.uk'),
  )
  .map(([local, domain, tld]) => `${local}@${domain}.${tld}`);
const phone = fc.stringMatching(/^\+?[0-9]{4,6}[ -]?[0-9]{3,6}$/);
const postcode = fc
  .tuple(
    fc.stringMatching(/^[A-Z]{1,2}$/),
    fc.integer({ min: 1, max: 9 }),
    fc.constantFrom('', 'A', '1'),
    fc.boolean(),
    fc.integer({ min: 0, max: 9 }),
    fc.stringMatching(/^[A-Z]{2}$/),
    fc.boolean(),
  )
  .map(([area, district, sub, space, sector, unit, lower]) => {
    const code = `${area}${district}${sub}${space ? ' ' : ''}${sector}${unit}`;
    return lower ? code.toLowerCase() : code;
  });
const isoBetween = (min: string, max: string) =>
  fc
    .date({ min: new Date(`${min}T00:00:00Z`), max: new Date(`${max}T00:00:00Z`), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10));
const pastDate = fc.oneof(isoBetween('1900-01-01', TODAY), fc.constant(TODAY), fc.constant('1900-01-01'));
const dueDate = fc.oneof(isoBetween(TODAY, '2027-08-31'), fc.constant(TODAY));
const yesNo = fc.constantFrom<'yes' | 'no'>('yes', 'no');
const REFERRAL_SOURCES = REFERRAL_SOURCE_CHOICES.map((choice) => choice.value);
const CONCERN_CODES = FACTOR_CODES.filter((code) => code !== NO_FACTORS);

// ---------------------------------------------------------------------------------------------
// What each step's answers are, and the answers the draft must keep for them.

type Pairs = [string, string][];
const compact = <T extends object>(value: T): T => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

interface AboutModel {
  name: string;
  role?: string | undefined;
  organisation?: string | undefined;
  email: string;
  phone?: string | undefined;
  referralSource: string;
}
const aboutModel: fc.Arbitrary<AboutModel> = fc.record({
  name: text(200),
  role: opt(text(200)),
  organisation: opt(text(200)),
  email,
  phone: opt(phone),
  referralSource: fc.constantFrom(...REFERRAL_SOURCES),
});
const aboutAnswers = (m: AboutModel): AboutYou =>
  compact({
    name: m.name,
    role: m.role,
    organisation: m.organisation,
    email: m.email,
    phone: m.phone,
    referralSource: m.referralSource,
  }) as AboutYou;

interface PersonDate {
  iso: string;
  padded: boolean;
}
interface ChildModel {
  firstName: string;
  lastName: string;
  born: 'yes' | 'no';
  date?: PersonDate | undefined;
  gender?: (typeof GENDERS)[number] | undefined;
  address?: { line1: string; line2?: string | undefined; town: string; postcode: string } | undefined;
  school?: string | undefined;
  /** Answers to the other date question, which the form must ignore. */
  otherDateJunk: boolean;
}
const personDate = (iso: fc.Arbitrary<string>) => fc.record({ iso, padded: fc.boolean() });
const childModel: fc.Arbitrary<ChildModel> = fc
  .record({
    firstName: text(100),
    lastName: text(100),
    born: yesNo,
    dob: opt(personDate(pastDate)),
    due: personDate(dueDate),
    gender: opt(fc.constantFrom(...GENDERS)),
    address: opt(fc.record({ line1: text(200), line2: opt(text(200)), town: text(100), postcode })),
    school: opt(text(200)),
    otherDateJunk: fc.boolean(),
  })
  .map(({ dob, due, ...rest }) => ({ ...rest, date: rest.born === 'yes' ? dob : due }));
const childAnswers = (m: ChildModel): ChildAnswers =>
  compact({
    firstName: m.firstName,
    lastName: m.lastName,
    born: m.born,
    dateOfBirth: m.born === 'yes' ? m.date?.iso : undefined,
    expectedDateOfBirth: m.born === 'no' ? m.date?.iso : undefined,
    gender: m.gender,
    addressLine1: m.address?.line1,
    addressLine2: m.address?.line2,
    town: m.address?.town,
    postcode: m.address?.postcode.toUpperCase(),
    school: m.school,
  }) as ChildAnswers;

interface AdultModel {
  firstName: string;
  lastName: string;
  relationship: string;
  date?: PersonDate | undefined;
}
const adultModel: fc.Arbitrary<AdultModel> = fc.record({
  firstName: text(100),
  lastName: text(100),
  relationship: text(100),
  date: opt(personDate(pastDate)),
});
const adultAnswers = (m: AdultModel): AdultAnswers =>
  compact({ firstName: m.firstName, lastName: m.lastName, relationship: m.relationship, dateOfBirth: m.date?.iso }) as AdultAnswers;

interface ConcernsModel {
  whatHappened: string;
  whyNow: string;
  factors: string[];
  /** A code sent twice (a checkbox repeated): kept once. */
  repeat: boolean;
}
const concernsModel: fc.Arbitrary<ConcernsModel> = fc.record({
  whatHappened: text(10_000),
  whyNow: text(5_000),
  factors: fc.oneof(
    { weight: 1, arbitrary: fc.constant<string[]>([NO_FACTORS]) },
    { weight: 4, arbitrary: fc.uniqueArray(fc.constantFrom<string>(...CONCERN_CODES), { minLength: 1, maxLength: 6 }) },
  ),
  repeat: fc.boolean(),
});
const concernsAnswers = (m: ConcernsModel): Concerns =>
  ({ whatHappened: m.whatHappened, whyNow: m.whyNow, factors: m.factors }) as Concerns;

interface ConsentModel {
  familyKnows: 'yes' | 'no';
  consentGiven: 'yes' | 'no';
  reason?: string | undefined;
}
const consentModel: fc.Arbitrary<ConsentModel> = fc
  .record({ familyKnows: yesNo, consentGiven: yesNo, reason: text(2_000), strayReason: opt(text(2_000)) })
  .map(({ familyKnows, consentGiven, reason, strayReason }) => {
    const given = familyKnows === 'no' ? 'no' : consentGiven;
    // A reason given when none is asked for is ignored, as the page says it is only for "no".
    return { familyKnows, consentGiven: given, reason: familyKnows === 'no' || given === 'no' ? reason : strayReason };
  });
const consentAnswers = (m: ConsentModel): ConsentAnswers =>
  compact({
    familyKnows: m.familyKnows,
    consentGiven: m.consentGiven,
    withoutConsentReason: m.familyKnows === 'no' || m.consentGiven === 'no' ? m.reason : undefined,
  }) as ConsentAnswers;

// ---------------------------------------------------------------------------------------------
// Encoding answers as a browser would: padded values, blank inputs for unanswered questions.

const pad = fc.constantFrom('', '', '', '', ' ', '  ', '\t', '\r\n', '\u00a0');
const value = (v: string) => fc.tuple(pad, pad).map(([a, b]) => `${a}${v}${b}`);
/** A text input: its padded value, or, unanswered, left out or sent blank. */
const field = (name: string, v: string | undefined): fc.Arbitrary<Pairs> =>
  v === undefined ? fc.constantFrom<Pairs>([], [[name, '']], [[name, '   ']]) : value(v).map((padded): Pairs => [[name, padded]]);
const join = (...parts: fc.Arbitrary<Pairs>[]): fc.Arbitrary<Pairs> => fc.tuple(...parts).map((all) => all.flat());
const none: fc.Arbitrary<Pairs> = fc.constant([]);

const dateFields = (name: string, date: PersonDate | undefined): fc.Arbitrary<Pairs> => {
  if (!date)
    return fc.constantFrom<Pairs>(
      [],
      [
        [`${name}-day`, ''],
        [`${name}-month`, ''],
        [`${name}-year`, ''],
      ],
    );
  const [year, month, day] = date.iso.split('-') as [string, string, string];
  const part = (p: string) => (date.padded ? p : String(Number(p)));
  return join(field(`${name}-day`, part(day)), field(`${name}-month`, part(month)), field(`${name}-year`, year));
};

const aboutPairs = (m: AboutModel) =>
  join(
    field('name', m.name),
    field('role', m.role),
    field('organisation', m.organisation),
    field('email', m.email),
    field('phone', m.phone),
    field('referralSource', m.referralSource),
  );
const childPairs = (m: ChildModel) => {
  const [mine, other] = m.born === 'yes' ? ['dateOfBirth', 'expectedDateOfBirth'] : ['expectedDateOfBirth', 'dateOfBirth'];
  return join(
    field('firstName', m.firstName),
    field('lastName', m.lastName),
    field('born', m.born),
    dateFields(mine, m.date),
    m.otherDateJunk
      ? fc.constant<Pairs>([
          [`${other}-day`, '99'],
          [`${other}-month`, 'x'],
          [`${other}-year`, '1'],
        ])
      : none,
    m.gender ? field('gender', m.gender) : none,
    field('addressLine1', m.address?.line1),
    field('addressLine2', m.address?.line2),
    field('town', m.address?.town),
    field('postcode', m.address?.postcode),
    field('school', m.school),
  );
};
const adultPairs = (m: AdultModel) =>
  join(
    field('firstName', m.firstName),
    field('lastName', m.lastName),
    field('relationship', m.relationship),
    dateFields('dateOfBirth', m.date),
  );
const concernsPairs = (m: ConcernsModel) =>
  join(
    field('whatHappened', m.whatHappened),
    field('whyNow', m.whyNow),
    fc.constant<Pairs>([...m.factors, ...(m.repeat ? [m.factors[0] as string] : [])].map((code): [string, string] => ['factors', code])),
  );
const consentPairs = (m: ConsentModel) =>
  join(field('familyKnows', m.familyKnows), field('consentGiven', m.consentGiven), field('withoutConsentReason', m.reason));

// ---------------------------------------------------------------------------------------------
// Drafts as they stand before the post.

const draftOf = (d: {
  aboutYou?: AboutModel | undefined;
  children: ChildModel[];
  adults: AdultModel[] | 'not-asked' | 'none';
  concerns?: ConcernsModel | undefined;
  consent?: ConsentModel | undefined;
}): DraftAnswers =>
  compact({
    aboutYou: d.aboutYou && aboutAnswers(d.aboutYou),
    children: d.children.map(childAnswers),
    adultsKnown: d.adults === 'not-asked' ? undefined : d.adults === 'none' ? 'no' : 'yes',
    adults: Array.isArray(d.adults) ? d.adults.map(adultAnswers) : [],
    concerns: d.concerns && concernsAnswers(d.concerns),
    consent: d.consent && consentAnswers(d.consent),
  }) as DraftAnswers;

const adultsState = (min: number) =>
  fc.oneof(
    fc.constant<'not-asked' | 'none'>('not-asked'),
    fc.constant<'none'>('none'),
    fc.array(adultModel, { minLength: Math.max(1, min), maxLength: 3 }),
  );
const anyDraft = fc
  .record({
    aboutYou: opt(aboutModel),
    children: fc.array(childModel, { maxLength: 3 }),
    adults: adultsState(0),
    concerns: opt(concernsModel),
    consent: opt(consentModel),
  })
  .map(draftOf);
const completeDraft = fc
  .record({
    aboutYou: aboutModel,
    children: fc.array(childModel, { minLength: 1, maxLength: 3 }),
    adults: fc.oneof(fc.constant<'none'>('none'), fc.array(adultModel, { minLength: 1, maxLength: 3 })),
    concerns: concernsModel,
    consent: consentModel,
  })
  .map(draftOf);
const withChildren = anyDraft.filter((d) => d.children.length > 0);
const withAdults = anyDraft.filter((d) => d.adults.length > 0);
const withoutAdults = anyDraft.filter((d) => d.adults.length === 0);

// ---------------------------------------------------------------------------------------------
// Where a valid post goes on to, as the journey is meant to go.

const stepUrl = (next: { step: StepName; query?: string }) => `/refer/${next.step}${next.query ? `?${next.query}` : ''}`;
const onward = (answers: DraftAnswers, fromCheck: boolean) =>
  fromCheck ? '/refer/check-your-answers' : stepUrl(firstIncompleteStep(answers) ?? { step: 'check-your-answers' });
const withQuery = (...parts: (string | false)[]) => parts.filter(Boolean).join('&');

type Expect =
  /** 303 to `location`; the draft now holds exactly `answers`. */
  | { kind: 'saved'; answers: DraftAnswers; location: string }
  /** 303 to `location`; the draft is unchanged. */
  | { kind: 'moved'; location: string }
  /** 400: the page again, its error summary linking to (at least) these ids; the draft is unchanged. */
  | { kind: 'invalid'; fields: string[] }
  /** 303 to the confirmation; one referral stored; the draft keeps only its id and reference. */
  | { kind: 'sent' }
  | { kind: 'forged' }
  | { kind: 'no-draft' }
  | { kind: 'empty-body' }
  | { kind: 'too-large' }
  | { kind: 'media-type' }
  | { kind: 'not-found' }
  /** A field named after an Object.prototype member: either ignored (`otherwise`) or a 400 problem naming it. */
  | { kind: 'prototype-key'; key: string; otherwise: Expect };

interface StepCase {
  label: string;
  step: string;
  query: string;
  seed: DraftAnswers;
  pairs: Pairs;
  expect: Expect;
}

// ---------------------------------------------------------------------------------------------
// Mutations: each makes a valid post invalid and says which field(s) the error summary must name.
// Mutations in one group can interfere with each other (born and the dates), so a case takes at
// most one mutation per group.

interface Mutation {
  label: string;
  apply(pairs: Pairs): Pairs;
  fields: string[];
}
type Groups = fc.Arbitrary<Mutation>[];

const without = (pairs: Pairs, ...names: string[]) => pairs.filter(([k]) => !names.includes(k));
const setting =
  (values: Pairs) =>
  (pairs: Pairs): Pairs => [...without(pairs, ...values.map(([k]) => k)), ...values];

const missing = (name: string, id = name): fc.Arbitrary<Mutation> =>
  fc.constantFrom('left out', 'blank', 'spaces', 'blank first').map((how) => ({
    label: `${name} ${how}`,
    fields: [id],
    apply: (pairs) => {
      const rest = without(pairs, name);
      const sent = pairs.filter(([k]) => k === name);
      if (how === 'left out') return rest;
      if (how === 'blank') return [...rest, [name, '']];
      if (how === 'spaces') return [...rest, [name, ' \t\u00a0 ']];
      // A repeated name: the first value counts, and it is blank.
      return [...rest, [name, ''], ...(sent.length > 0 ? sent : ([[name, 'second']] as Pairs))];
    },
  }));
const replaced = (name: string, values: readonly string[], id = name): fc.Arbitrary<Mutation> =>
  fc.constantFrom(...values).map((v) => ({ label: `${name}=${JSON.stringify(v)}`, fields: [id], apply: setting([[name, v]]) }));
const overlong = (name: string, max: number, id = name): fc.Arbitrary<Mutation> =>
  fc.tuple(fc.integer({ min: 1, max: 40 }), fc.constantFrom('x', 'é', 'ab cd', '😀')).map(([extra, unit]) => {
    // The form counts characters (code points), not UTF-16 units: 😀 is one.
    const long = unit.repeat(Math.ceil((max + extra) / [...unit].length));
    return { label: `${name} ${[...long].length} characters`, fields: [id], apply: setting([[name, ` ${long} `]]) };
  });
const oneOf = (...mutations: fc.Arbitrary<Mutation>[]) => fc.oneof(...mutations);

const BAD_EMAILS = [
  'not-an-email',
  'a@b',
  '@example.org',
  'x y@example.org',
  'a@@example.org',
  'name@example',
  'name@.org',
  'name@example.org.',
];
const BAD_PHONES = ['call me', '123', '+44 (0) 20 7946 0000 ext 12', '07700-900-982-07700-900', '0800 FLOWERS', '++447700900982'];
const BAD_SOURCES = ['school', '99', '2', 'a2', '2a', '1A1', 'Someone else', '0', '11'];
const BAD_GENDERS = ['unknown', 'F', 'Female', 'MALE', 'girl', 'not known'];
const BAD_POSTCODES = ['NOT A POSTCODE', '12345', 'SW1A1AAA', 'SW1A  1AA', 'ZZ', '1AA 1AA', 'SW1A-1AA', 'SW1A 1A'];
const BAD_YES_NO = ['Yes', 'YES', 'y', 'true', '1', 'on', 'maybe', 'yes please', 'no!'];
const BAD_CODES = ['3D', '99', 'drugs', '3b', '21A', '0', '1', '3B,4B'];
/** Day, month, year that are never a date in the past (or are incomplete). */
const BAD_PAST_DATES: [string, string, string][] = [
  ['31', '2', '2018'],
  ['29', '2', '2019'],
  ['0', '1', '2018'],
  ['1', '13', '2018'],
  ['1', '1', '1899'],
  ['1', '1', '18'],
  ['a', 'b', 'cccc'],
  ['1', '1', '2030'],
  ['24', '11', '2026'],
  ['', '1', '2018'],
  ['1', '', '2018'],
  ['1', '1', ''],
  ['1.5', '1', '2018'],
  ['-1', '1', '2018'],
  ['１', '1', '2018'],
  ['001', '1', '2018'],
  ['1', '1', '02018'],
];
const BAD_DUE_DATES: [string, string, string][] = [
  ['', '', ''],
  ['1', '1', '2020'],
  ['22', '11', '2026'],
  ['30', '2', '2027'],
  ['1', '', '2027'],
  ['15', '6', '27'],
];
const badDate = (name: string, dates: readonly [string, string, string][], extra: Pairs = []): fc.Arbitrary<Mutation> =>
  fc.constantFrom(...dates).map(([d, m, y]) => ({
    label: `${name} ${d}/${m}/${y}`,
    fields: [`${name}-day`],
    apply: setting([...extra, [`${name}-day`, d], [`${name}-month`, m], [`${name}-year`, y]]),
  }));

const ABOUT_YOU: Groups = [
  oneOf(missing('name'), overlong('name', 200)),
  oneOf(missing('email'), replaced('email', BAD_EMAILS)),
  replaced('phone', BAD_PHONES),
  oneOf(missing('referralSource'), replaced('referralSource', BAD_SOURCES)),
  overlong('role', 200),
  overlong('organisation', 200),
];
const ADDRESS = (line1: string, line2: string, town: string, postcode: string): Pairs => [
  ['addressLine1', line1],
  ['addressLine2', line2],
  ['town', town],
  ['postcode', postcode],
];
const CHILD: Groups = [
  oneOf(missing('firstName'), overlong('firstName', 100)),
  oneOf(missing('lastName'), overlong('lastName', 100)),
  oneOf(
    missing('born'),
    replaced('born', BAD_YES_NO),
    badDate('dateOfBirth', BAD_PAST_DATES, [['born', 'yes']]),
    badDate('expectedDateOfBirth', BAD_DUE_DATES, [['born', 'no']]),
  ),
  replaced('gender', BAD_GENDERS),
  oneOf(
    fc.constant<Mutation>({ label: 'postcode only', fields: ['addressLine1', 'town'], apply: setting(ADDRESS('', '', '', 'SW1A 1AA')) }),
    fc.constant<Mutation>({ label: 'no town', fields: ['town'], apply: setting(ADDRESS('1 High St', 'Flat 2', ' ', 'NE1 4ST')) }),
    fc.constant<Mutation>({
      label: 'line 2 only',
      fields: ['addressLine1', 'town', 'postcode'],
      apply: setting(ADDRESS('', 'Flat 2', '', '')),
    }),
    fc
      .constantFrom(...BAD_POSTCODES)
      .map(
        (bad): Mutation => ({ label: `postcode ${bad}`, fields: ['postcode'], apply: setting(ADDRESS('1 High St', '', 'Northtown', bad)) }),
      ),
    fc.constant<Mutation>({
      label: 'line 1 too long',
      fields: ['addressLine1'],
      apply: setting(ADDRESS('x'.repeat(201), '', 'Northtown', 'NE1 4ST')),
    }),
    fc.constant<Mutation>({
      label: 'line 2 too long',
      fields: ['addressLine2'],
      apply: setting(ADDRESS('1 High St', 'y'.repeat(201), 'Northtown', 'NE1 4ST')),
    }),
    fc.constant<Mutation>({
      label: 'town too long',
      fields: ['town'],
      apply: setting(ADDRESS('1 High St', '', 'z'.repeat(101), 'NE1 4ST')),
    }),
  ),
  overlong('school', 200),
];
const ADULT: Groups = [
  oneOf(missing('firstName'), overlong('firstName', 100)),
  oneOf(missing('lastName'), overlong('lastName', 100)),
  oneOf(missing('relationship'), overlong('relationship', 100)),
  badDate('dateOfBirth', BAD_PAST_DATES),
];
const CONCERNS: Groups = [
  oneOf(missing('whatHappened'), overlong('whatHappened', 10_000)),
  oneOf(missing('whyNow'), overlong('whyNow', 5_000)),
  oneOf(
    fc
      .constantFrom<Pairs>([], [['factors', '']], [['factors', ' ']])
      .map(
        (factors): Mutation => ({ label: 'no factors', fields: ['factors'], apply: (pairs) => [...without(pairs, 'factors'), ...factors] }),
      ),
    fc
      .constantFrom(...BAD_CODES)
      .map((bad): Mutation => ({ label: `factor ${bad}`, fields: ['factors'], apply: (pairs) => [...pairs, ['factors', bad]] })),
    fc.constantFrom(...CONCERN_CODES).map(
      (code): Mutation => ({
        label: `none and ${code}`,
        fields: ['factors'],
        apply: (pairs) => [...without(pairs, 'factors'), ['factors', NO_FACTORS], ['factors', code]],
      }),
    ),
  ),
];
const CONSENT: Groups = [
  oneOf(
    missing('familyKnows'),
    replaced('familyKnows', BAD_YES_NO),
    missing('consentGiven'),
    replaced('consentGiven', BAD_YES_NO),
    fc.constant<Mutation>({
      label: 'agreed without knowing',
      fields: ['consentGiven'],
      apply: setting([
        ['familyKnows', 'no'],
        ['consentGiven', 'yes'],
      ]),
    }),
    fc.constantFrom('', '  ').map(
      (blank): Mutation => ({
        label: 'no reason',
        fields: ['withoutConsentReason'],
        apply: setting([
          ['familyKnows', 'yes'],
          ['consentGiven', 'no'],
          ['withoutConsentReason', blank],
        ]),
      }),
    ),
    overlong('withoutConsentReason', 2_000).map((m) => ({
      ...m,
      apply: (pairs: Pairs) => setting([['consentGiven', 'no']])(m.apply(pairs)),
    })),
  ),
];
const yesNoGroups = (name: string): Groups => [oneOf(missing(name), replaced(name, BAD_YES_NO))];

const mutate = (groups: Groups): fc.Arbitrary<Mutation[]> =>
  fc
    .shuffledSubarray(groups, { minLength: 1, maxLength: Math.min(3, groups.length) })
    .chain((chosen) => fc.tuple(...chosen))
    .map((mutations) => mutations as Mutation[]);
const applyAll = (pairs: Pairs, mutations: Mutation[]) => mutations.reduce((acc, m) => m.apply(acc), pairs);
const invalidCase = (base: StepCase, mutations: Mutation[]): StepCase => ({
  ...base,
  label: `${base.step} invalid: ${mutations.map((m) => m.label).join(', ')}`,
  pairs: applyAll(base.pairs, mutations),
  expect: { kind: 'invalid', fields: [...new Set(mutations.flatMap((m) => m.fields))] },
});

// ---------------------------------------------------------------------------------------------
// Valid and invalid posts, step by step.

const fromCheck = fc.boolean();

const aboutYouCase = fc.record({ seed: anyDraft, model: aboutModel, fromCheck }).chain(({ seed, model, fromCheck }) =>
  aboutPairs(model).map((pairs): StepCase => {
    const answers = { ...seed, aboutYou: aboutAnswers(model) };
    return {
      label: 'about-you',
      step: 'about-you',
      query: withQuery(fromCheck && 'from=check'),
      seed,
      pairs,
      expect: { kind: 'saved', answers, location: onward(answers, fromCheck) },
    };
  }),
);

/** A valid post of one child or adult at position n (one already there, or one more at the end), then back to the list. */
function listMemberCase<M, K extends 'children' | 'adults'>(
  step: 'child' | 'adult',
  list: K,
  model: fc.Arbitrary<M>,
  pairsOf: (model: M) => fc.Arbitrary<StepCase['pairs']>,
  memberOf: (model: M) => DraftAnswers[K][number],
  alsoSaved: Partial<DraftAnswers>,
): fc.Arbitrary<StepCase> {
  return fc.record({ seed: anyDraft, model, fromCheck, pick: fc.nat() }).chain(({ seed, model, fromCheck, pick }) =>
    pairsOf(model).map((pairs): StepCase => {
      const n = (pick % (seed[list].length + 1)) + 1;
      const members: DraftAnswers[K][number][] = [...seed[list]];
      members[n - 1] = memberOf(model);
      return {
        label: `${step} n=${n}`,
        step,
        query: withQuery(`n=${n}`, fromCheck && 'from=check'),
        seed,
        pairs,
        expect: {
          kind: 'saved',
          answers: { ...seed, ...alsoSaved, [list]: members },
          location: fromCheck ? '/refer/check-your-answers' : `/refer/${list}`,
        },
      };
    }),
  );
}

const childCase = listMemberCase('child', 'children', childModel, childPairs, childAnswers, {});

const adultCase = listMemberCase('adult', 'adults', adultModel, adultPairs, adultAnswers, { adultsKnown: 'yes' });

/** A valid post to a one-page step: its answers saved on whatever draft came before, then onward. */
function savedStepCase<M>(
  step: 'what-is-happening' | 'consent',
  model: fc.Arbitrary<M>,
  pairsOf: (model: M) => fc.Arbitrary<StepCase['pairs']>,
  withAnswers: (seed: DraftAnswers, model: M) => DraftAnswers,
): fc.Arbitrary<StepCase> {
  return fc.record({ seed: anyDraft, model, fromCheck }).chain(({ seed, model, fromCheck }) =>
    pairsOf(model).map((pairs): StepCase => {
      const answers = withAnswers(seed, model);
      return {
        label: step,
        step,
        query: withQuery(fromCheck && 'from=check'),
        seed,
        pairs,
        expect: { kind: 'saved', answers, location: onward(answers, fromCheck) },
      };
    }),
  );
}

const concernsCase = savedStepCase('what-is-happening', concernsModel, concernsPairs, (seed, model) => ({
  ...seed,
  concerns: concernsAnswers(model),
}));

const consentCase = savedStepCase('consent', consentModel, consentPairs, (seed, model) => ({ ...seed, consent: consentAnswers(model) }));

/** "Can you tell us about the adults?" (no adults yet). */
const adultsKnownCase = fc.record({ seed: withoutAdults, answer: yesNo, fromCheck }).chain(({ seed, answer, fromCheck }) =>
  field('adultsKnown', answer).map((pairs): StepCase => {
    const answers: DraftAnswers = { ...seed, adultsKnown: answer, adults: [] };
    return {
      label: `adults known ${answer}`,
      step: 'adults',
      query: withQuery(fromCheck && 'from=check'),
      seed,
      pairs,
      expect: { kind: 'saved', answers, location: answer === 'yes' ? '/refer/adult?n=1' : onward(answers, fromCheck) },
    };
  }),
);

/** "Add another?" or Remove, on the children or adults list. */
const listCase = (kind: 'children' | 'adults') =>
  fc
    .record({ seed: kind === 'children' ? withChildren : withAdults, answer: yesNo, remove: fc.boolean(), pick: fc.nat(), fromCheck })
    .chain(({ seed, answer, remove, pick, fromCheck }) => {
      const people = kind === 'children' ? seed.children : seed.adults;
      const person = kind === 'children' ? 'child' : 'adult';
      const query = withQuery(fromCheck && 'from=check');
      if (remove) {
        const i = (pick % people.length) + 1;
        const left = people.filter((_, at) => at !== i - 1);
        let answers: DraftAnswers;
        if (kind === 'children') answers = { ...seed, children: left as ChildAnswers[] };
        else if (left.length > 0) answers = { ...seed, adults: left as AdultAnswers[] };
        else {
          const { adultsKnown: _, ...rest } = seed;
          answers = { ...rest, adults: [] };
        }
        const location = kind === 'children' && left.length === 0 ? '/refer/child?n=1' : `/refer/${kind}`;
        return field('remove', String(i)).map(
          (pairs): StepCase => ({
            label: `${kind} remove ${i}`,
            step: kind,
            query,
            seed,
            pairs,
            expect: { kind: 'saved', answers, location },
          }),
        );
      }
      return field('addAnother', answer).map(
        (pairs): StepCase => ({
          label: `${kind} add another ${answer}`,
          step: kind,
          query,
          seed,
          pairs,
          expect: { kind: 'moved', location: answer === 'yes' ? `/refer/${person}?n=${people.length + 1}` : onward(seed, fromCheck) },
        }),
      );
    });

interface StepSpec {
  valid: fc.Arbitrary<StepCase>;
  groups: Groups;
}
const STEPS: StepSpec[] = [
  { valid: aboutYouCase, groups: ABOUT_YOU },
  { valid: childCase, groups: CHILD },
  { valid: adultCase, groups: ADULT },
  { valid: concernsCase, groups: CONCERNS },
  { valid: consentCase, groups: CONSENT },
  { valid: adultsKnownCase, groups: yesNoGroups('adultsKnown') },
  { valid: listCase('children').filter((c) => !c.label.includes('remove')), groups: yesNoGroups('addAnother') },
  { valid: listCase('adults').filter((c) => !c.label.includes('remove')), groups: yesNoGroups('addAnother') },
];
const validStepCase = fc.oneof(
  { weight: 3, arbitrary: aboutYouCase },
  { weight: 3, arbitrary: childCase },
  { weight: 2, arbitrary: adultCase },
  { weight: 2, arbitrary: concernsCase },
  { weight: 2, arbitrary: consentCase },
  { weight: 1, arbitrary: adultsKnownCase },
  { weight: 1, arbitrary: listCase('children') },
  { weight: 1, arbitrary: listCase('adults') },
);
const invalidStepCase = fc
  .constantFrom(...STEPS)
  .chain((spec) => fc.tuple(spec.valid, mutate(spec.groups)))
  .map(([base, mutations]) => invalidCase(base, mutations));

/** Check your answers → Send: a complete draft is sent; an incomplete one goes to what is missing. */
const sendCase = fc.oneof(
  {
    weight: 3,
    arbitrary: completeDraft.map(
      (seed): StepCase => ({ label: 'send', step: 'check-your-answers', query: '', seed, pairs: [], expect: { kind: 'sent' } }),
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(completeDraft, fc.constantFrom('aboutYou', 'children', 'adults', 'concerns', 'consent'))
      .map(([complete, gap]): StepCase => {
        const seed: DraftAnswers =
          gap === 'children'
            ? { ...complete, children: [] }
            : gap === 'adults'
              ? { ...complete, adultsKnown: undefined }
              : { ...complete, [gap]: undefined };
        const cleaned = compact(seed);
        const missingStep = firstIncompleteStep(cleaned);
        return {
          label: `send without ${gap}`,
          step: 'check-your-answers',
          query: '',
          seed: cleaned,
          pairs: [],
          expect: { kind: 'moved', location: missingStep ? stepUrl(missingStep) : 'unreachable' },
        };
      }),
  },
);

/** Posts the journey never makes: a person number out of range, a list with nobody on it, a step that does not exist. */
const strayCase = fc.oneof(
  fc
    .tuple(anyDraft, fc.constantFrom('child', 'adult'), fc.constantFrom('n=0', 'n=9', 'n=x', '', 'n=-1', 'n=1.5', 'n=31', 'n='), childModel)
    .chain(([seed, step, query, model]) =>
      childPairs(model).map(
        (pairs): StepCase => ({
          label: `${step} ${query || 'without n'}`,
          step,
          query,
          seed,
          pairs,
          expect: { kind: 'moved', location: step === 'child' ? '/refer/children' : '/refer/adults' },
        }),
      ),
    ),
  fc
    .tuple(
      anyDraft.map((d) => ({ ...d, children: [] })),
      yesNo,
    )
    .map(
      ([seed, answer]): StepCase => ({
        label: 'children with none',
        step: 'children',
        query: '',
        seed,
        pairs: [['addAnother', answer]],
        expect: { kind: 'moved', location: '/refer/child?n=1' },
      }),
    ),
  fc
    .tuple(anyDraft, fc.constantFrom('nope', 'confirmation', 'About-You', 'about-you.', 'check'))
    .map(
      ([seed, step]): StepCase => ({ label: `step ${step}`, step, query: '', seed, pairs: [['name', 'x']], expect: { kind: 'not-found' } }),
    ),
);

// ---------------------------------------------------------------------------------------------
// Noise around the answers, and the ways a post can fail before its answers are read.

const PROTOTYPE_KEYS = ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'];
const KNOWN_FIELDS = new Set([
  'csrfToken',
  'remove',
  'addAnother',
  'adultsKnown',
  'name',
  'role',
  'organisation',
  'email',
  'phone',
  'referralSource',
  'firstName',
  'lastName',
  'born',
  'gender',
  'addressLine1',
  'addressLine2',
  'town',
  'postcode',
  'school',
  'relationship',
  'whatHappened',
  'whyNow',
  'factors',
  'familyKnows',
  'consentGiven',
  'withoutConsentReason',
  ...['dateOfBirth', 'expectedDateOfBirth'].flatMap((d) => [`${d}-day`, `${d}-month`, `${d}-year`]),
]);
const garbageKey = fc
  .oneof(
    fc.string({ maxLength: 16 }),
    fc.string({ unit: 'grapheme', maxLength: 8 }),
    fc.constantFrom(
      'submit',
      'utf8',
      '_method',
      'csrf_token',
      'CSRFTOKEN',
      'Name',
      'name[]',
      'email ',
      ' email',
      'factors[]',
      'n',
      'from',
      'step',
      '',
    ),
  )
  .filter((key) => !KNOWN_FIELDS.has(key) && !(key in {}));
const garbageValue = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constant(XSS),
  fc.constant('%ZZ%E0%A4'),
  fc.integer({ min: 1_000, max: 20_000 }).map((n) => 'g'.repeat(n)),
);
const garbage = fc.array(fc.tuple(garbageKey, garbageValue), { minLength: 1, maxLength: 6 });

type Csrf = 'right' | 'right-first' | 'missing' | 'blank' | 'wrong' | 'other-draft' | 'wrong-first' | 'case-changed' | 'extended';
type Cookie = 'right' | 'among-others' | 'missing' | 'malformed' | 'unknown' | 'other-name';
type Transport =
  | 'form'
  | 'form-charset'
  | 'form-upper'
  | 'base64'
  | 'json'
  | 'empty'
  | 'absent'
  | 'too-large'
  | 'text/plain'
  | 'multipart'
  | 'latin1'
  | 'no-type';

interface Case extends StepCase {
  csrf: Csrf;
  cookie: Cookie;
  transport: Transport;
  /** Filler that brings a body near (but under) the size limit, or over it. */
  filler: number;
}

const plain = (c: StepCase, filler = 0): Case => ({ ...c, csrf: 'right', cookie: 'right', transport: 'form', filler });

const caseArbitrary: fc.Arbitrary<Case> = fc.oneof(
  // Valid answers, sent as browsers send them, with unknown fields, repeated tokens, other cookies, big bodies.
  { weight: 30, arbitrary: validStepCase.map((c) => plain(c)) },
  {
    weight: 8,
    arbitrary: fc.tuple(validStepCase, garbage, fc.boolean()).map(([c, extra, first]) => ({
      ...plain(c),
      label: `${c.label} + unknown fields`,
      pairs: first ? [...extra, ...c.pairs] : [...c.pairs, ...extra],
    })),
  },
  {
    weight: 4,
    arbitrary: fc
      .tuple(
        validStepCase,
        fc.constantFrom<Csrf>('right-first'),
        fc.constantFrom<Cookie>('right', 'among-others'),
        fc.constantFrom<Transport>('form-charset', 'form-upper', 'base64', 'json'),
      )
      .map(([c, csrf, cookie, transport]) => ({ ...plain(c), label: `${c.label} via ${transport}`, csrf, cookie, transport })),
  },
  { weight: 1, arbitrary: fc.tuple(validStepCase, fc.integer({ min: 150_000, max: 200_000 })).map(([c, filler]) => plain(c, filler)) },
  // Invalid answers, with and without noise.
  { weight: 36, arbitrary: invalidStepCase.map((c) => plain(c)) },
  {
    weight: 6,
    arbitrary: fc
      .tuple(invalidStepCase, garbage)
      .map(([c, extra]) => ({ ...plain(c), label: `${c.label} + unknown fields`, pairs: [...c.pairs, ...extra] })),
  },
  // Forged, cookieless and malformed posts: refused before any answer is read.
  {
    weight: 4,
    arbitrary: fc
      .tuple(
        fc.oneof(validStepCase, invalidStepCase, sendCase),
        fc.constantFrom<Csrf>('missing', 'blank', 'wrong', 'other-draft', 'wrong-first', 'case-changed', 'extended'),
      )
      .map(([c, csrf]) => ({
        ...plain(c),
        label: `${c.label}, csrf ${csrf}`,
        csrf,
        // Nothing at all left to send is an empty body, refused before the token is looked at.
        expect: (csrf === 'missing' && c.pairs.length === 0 ? { kind: 'empty-body' } : { kind: 'forged' }) as Expect,
      })),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.oneof(validStepCase, sendCase), fc.constantFrom<Cookie>('missing', 'malformed', 'unknown', 'other-name'))
      .map(([c, cookie]) => ({ ...plain(c), label: `${c.label}, cookie ${cookie}`, cookie, expect: { kind: 'no-draft' } as Expect })),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(validStepCase, fc.constantFrom<Transport>('empty', 'absent', 'text/plain', 'multipart', 'latin1', 'no-type'))
      .map(([c, transport]) => ({
        ...plain(c),
        label: `${c.label}, body ${transport}`,
        transport,
        expect: (transport === 'empty' || transport === 'absent' ? { kind: 'empty-body' } : { kind: 'media-type' }) as Expect,
      })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.oneof(validStepCase, invalidStepCase), fc.integer({ min: MAX_BODY_BYTES + 1, max: MAX_BODY_BYTES + 50_000 }))
      .map(([c, filler]) => ({ ...plain(c, filler), label: `${c.label}, ${filler} byte filler`, expect: { kind: 'too-large' } as Expect })),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(validStepCase, fc.constantFrom(...PROTOTYPE_KEYS)).map(([c, key]) => ({
      ...plain(c),
      label: `${c.label} + ${key}`,
      pairs: [...c.pairs, [key, 'x']] as Pairs,
      expect: { kind: 'prototype-key', key, otherwise: c.expect } as Expect,
    })),
  },
  // Sending, and posts the journey never makes.
  { weight: 4, arbitrary: sendCase.map((c) => plain(c)) },
  { weight: 2, arbitrary: strayCase.map((c) => plain(c)) },
);

// ---------------------------------------------------------------------------------------------
// Talking to the handler.

const DRAFT_COOKIE = /^fsp_referral=([A-Za-z0-9_-]{22});/;
const draftKey = (draftId: string) => ({ pk: `DRAFT#${createHash('sha256').update(draftId).digest('hex')}`, sk: 'DRAFT' });
const encode = (pairs: Pairs, plus: boolean) =>
  pairs
    .map(([k, v]) => {
      const e = (s: string) => (plus ? encodeURIComponent(s).replace(/%20/g, '+') : encodeURIComponent(s));
      return `${e(k)}=${e(v)}`;
    })
    .join('&');
const summaryLinks = (page: string): string[] => {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(page)?.[0] ?? '';
  return [...summary.matchAll(/<a href="#([^"]+)"/g)].map((m) => m[1] as string);
};
const STEP_FIELD_IDS: Record<string, string[]> = {
  'about-you': ['name', 'role', 'organisation', 'email', 'phone', 'referralSource'],
  child: [
    'firstName',
    'lastName',
    'born',
    'dateOfBirth-day',
    'expectedDateOfBirth-day',
    'gender',
    'addressLine1',
    'addressLine2',
    'town',
    'postcode',
    'school',
  ],
  adult: ['firstName', 'lastName', 'relationship', 'dateOfBirth-day'],
  'what-is-happening': ['whatHappened', 'whyNow', 'factors'],
  consent: ['familyKnows', 'consentGiven', 'withoutConsentReason'],
  adults: ['adultsKnown', 'addAnother'],
  children: ['addAnother'],
};

it(`answers ${RUNS} generated valid and mutated form posts: 303 or 400 with the error summary, never 5xx, nothing stored when rejected`, async () => {
  const api = createPublicApi(runtime);
  const t0 = Date.now();
  const cases = fc.sample(caseArbitrary, { numRuns: RUNS, seed: SEED });
  const generated = Date.now() - t0;
  const failures: string[] = [];
  const counts = new Map<string, number>();
  const sentEmails: string[] = [];
  let draftsStarted = 0;
  let next = 0;

  async function startDraft(): Promise<{ draftId: string; csrfToken: string }> {
    const response = await api(apiGatewayEvent({ method: 'GET', path: '/refer/about-you' }));
    draftsStarted += 1;
    const cookie = response.cookies?.[0] ?? '';
    const draftId = DRAFT_COOKIE.exec(cookie)?.[1];
    const csrfToken = /<input type="hidden" name="csrfToken" value="([^"]+)">/.exec(response.body ?? '')?.[1];
    if (response.statusCode !== 200 || !draftId || !csrfToken || !cookie.includes('HttpOnly') || !cookie.includes('SameSite=Lax')) {
      throw new Error(`GET /refer/about-you did not start a draft: ${response.statusCode} ${cookie}`);
    }
    return { draftId, csrfToken };
  }
  const readItem = async (draftId: string) =>
    (await runtime.documents.send(new GetCommand({ TableName: runtime.tableName, Key: draftKey(draftId), ConsistentRead: true }))).Item;

  function tokenFor(item: Case, token: string, otherToken: string | undefined): Pairs {
    switch (item.csrf) {
      case 'right':
        return [['csrfToken', token]];
      case 'right-first':
        return [
          ['csrfToken', token],
          ['csrfToken', 'second-token-second-token'],
        ];
      case 'missing':
        return [];
      case 'blank':
        return [['csrfToken', '']];
      case 'wrong':
        return [['csrfToken', 'AAAAAAAAAAAAAAAAAAAAAA']];
      case 'other-draft':
        return [['csrfToken', otherToken ?? '']];
      case 'wrong-first':
        return [
          ['csrfToken', 'forged-token-forged-tok'],
          ['csrfToken', token],
        ];
      case 'case-changed': {
        const at = token.search(/[A-Za-z]/);
        const ch = token[at] ?? 'a';
        const swapped = ch === ch.toLowerCase() ? ch.toUpperCase() : ch.toLowerCase();
        return [['csrfToken', at >= 0 ? `${token.slice(0, at)}${swapped}${token.slice(at + 1)}` : `${token}x`]];
      }
      case 'extended':
        return [['csrfToken', `${token}=`]];
    }
  }

  function cookiesFor(item: Case, draftId: string): string[] | undefined {
    switch (item.cookie) {
      case 'right':
        return [`fsp_referral=${draftId}`];
      case 'among-others':
        return ['theme=dark', `fsp_referral=${draftId}`, 'fsp_referral_seen=1'];
      case 'missing':
        return undefined;
      case 'malformed':
        return [`fsp_referral=${draftId}!`];
      case 'unknown':
        return ['fsp_referral=ZZZZZZZZZZZZZZZZZZZZZZ'];
      case 'other-name':
        return [`fsp_referrals=${draftId}`];
    }
  }

  function request(item: Case, draftId: string, pairs: Pairs) {
    const form = encode(pairs, item.label.length % 2 === 0);
    const body = item.filler > 0 ? `${form}&filler=${'f'.repeat(item.filler)}` : form;
    const type = 'application/x-www-form-urlencoded';
    const headers: Record<string, string> = { 'content-type': type };
    let sent: string | undefined = body;
    let isBase64Encoded = false;
    switch (item.transport) {
      case 'form-charset':
        headers['content-type'] = `${type}; charset=UTF-8`;
        break;
      case 'form-upper':
        headers['content-type'] = 'Application/X-WWW-Form-URLEncoded';
        break;
      case 'base64':
        sent = Buffer.from(body, 'utf8').toString('base64');
        isBase64Encoded = true;
        break;
      case 'json': {
        headers['content-type'] = 'application/json';
        const json: Record<string, string | string[]> = {};
        for (const [k, v] of pairs) {
          const existing = json[k];
          json[k] = existing === undefined ? v : Array.isArray(existing) ? [...existing, v] : [existing, v];
        }
        sent = JSON.stringify(json);
        break;
      }
      case 'empty':
        sent = '';
        break;
      case 'absent':
        sent = undefined;
        break;
      case 'text/plain':
        headers['content-type'] = 'text/plain';
        break;
      case 'multipart':
        headers['content-type'] = 'multipart/form-data; boundary=x';
        break;
      case 'latin1':
        headers['content-type'] = `${type}; charset=ISO-8859-1`;
        break;
      case 'no-type':
        delete headers['content-type'];
        break;
      default:
        break;
    }
    const cookies = cookiesFor(item, draftId);
    return apiGatewayEvent({
      method: 'POST',
      path: `/refer/${item.step}${item.query ? `?${item.query}` : ''}`,
      headers,
      ...(sent !== undefined ? { body: sent } : {}),
      ...(cookies ? { cookies } : {}),
      isBase64Encoded,
    });
  }

  /** Why the answer is wrong for what was expected, or undefined when it is right. */
  function judge(
    expect: Expect,
    step: string,
    response: ApiGatewayV2Result,
    before: Record<string, unknown>,
    after: Record<string, unknown> | undefined,
  ): string | undefined {
    const status = response.statusCode;
    const page = response.body ?? '';
    const unchanged = isDeepStrictEqual(before, after);
    const location = response.headers?.location;
    switch (expect.kind) {
      case 'saved': {
        if (status !== 303 || location !== expect.location) return `expected 303 to ${expect.location}`;
        if (!after || after.version !== Number(before.version) + 1) return 'expected the draft saved once';
        if (!isDeepStrictEqual(after.answers, expect.answers))
          return `draft holds ${JSON.stringify(after.answers).slice(0, 300)}, expected ${JSON.stringify(expect.answers).slice(0, 300)}`;
        const { answers: _a, version: _v, ...restAfter } = after;
        const { answers: _b, version: _w, ...restBefore } = before;
        return isDeepStrictEqual(restAfter, restBefore) ? undefined : 'saving changed more than the answers';
      }
      case 'moved':
        if (status !== 303 || location !== expect.location) return `expected 303 to ${expect.location}`;
        return unchanged ? undefined : 'the draft changed';
      case 'invalid': {
        if (status !== 400) return 'expected 400';
        if (!response.headers?.['content-type']?.startsWith('text/html')) return 'expected the page again';
        if (!page.includes('<title>Error: ') || !page.includes('class="govuk-error-summary"')) return 'no error summary';
        const links = summaryLinks(page);
        const missed = expect.fields.filter((id) => !links.includes(id));
        if (missed.length > 0) return `error summary does not name ${missed.join(', ')} (names ${links.join(', ')})`;
        const known = STEP_FIELD_IDS[step] ?? [];
        const stray = links.filter((id) => !known.includes(id) || !page.includes(`id="${id}"`));
        if (stray.length > 0) return `error summary links to ${stray.join(', ')}, not a field on the page`;
        if (!page.includes(`name="csrfToken" value="${String(before.csrfToken)}"`)) return 'the page again lacks the CSRF token';
        return unchanged ? undefined : 'the draft changed';
      }
      case 'sent':
        if (status !== 303 || location !== '/refer/confirmation') return 'expected 303 to the confirmation';
        if (!after?.referralId || !after.reference) return 'the draft does not record the referral';
        return isDeepStrictEqual(after.answers, { children: [], adults: [] }) ? undefined : 'the draft kept its answers after sending';
      case 'forged':
        if (status !== 403 || !page.includes('Sorry, your answers could not be saved')) return 'expected 403 (CSRF)';
        return unchanged ? undefined : 'the draft changed';
      case 'no-draft':
        if (status !== 400 || !page.includes('Your answers have expired')) return 'expected 400 (no draft)';
        if (response.cookies && response.cookies.length > 0) return 'a draft was started by a POST';
        return unchanged ? undefined : 'the draft changed';
      case 'empty-body': {
        const problem = JSON.parse(page || 'null') as { errors?: { in: string }[] } | null;
        if (status !== 400 || !problem?.errors?.some((e) => e.in === 'body')) return 'expected 400 naming the body';
        return unchanged ? undefined : 'the draft changed';
      }
      case 'too-large':
        if (status !== 413) return 'expected 413';
        return unchanged ? undefined : 'the draft changed';
      case 'media-type':
        if (status !== 415) return 'expected 415';
        return unchanged ? undefined : 'the draft changed';
      case 'not-found':
        if (status !== 404 || !page.includes('Page not found')) return 'expected 404';
        return unchanged ? undefined : 'the draft changed';
      case 'prototype-key': {
        // Known quirk (see report): the shared form parser lets a field named like an
        // Object.prototype member clash with the prototype, so the body fails its schema.
        const problem =
          status === 400 ? (JSON.parse(page.startsWith('{') ? page : 'null') as { errors?: { path: string }[] } | null) : null;
        if (problem?.errors?.some((e) => e.path === '$' || e.path.includes(expect.key))) return unchanged ? undefined : 'the draft changed';
        return judge(expect.otherwise, step, response, before, after);
      }
    }
  }

  interface Worker {
    draft?: { draftId: string; csrfToken: string } | undefined;
    uses: number;
  }

  /**
   * The draft as the case needs it. A worker starts a fresh draft (GET, as a browser does) for
   * its first case, every fourth case and after a send; between those it reuses its own draft,
   * setting its answers to the case's (cases in one worker run one after another, so none sees
   * another's). One round trip, which also returns the item as it stands before the post.
   */
  async function prepare(item: Case, worker: Worker) {
    if (!worker.draft || worker.uses >= 4) {
      worker.draft = await startDraft();
      worker.uses = 0;
    }
    worker.uses += 1;
    const { draftId, csrfToken } = worker.draft;
    const seeded = await runtime.documents.send(
      new UpdateCommand({
        TableName: runtime.tableName,
        Key: draftKey(draftId),
        UpdateExpression: 'SET answers = :answers',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(referralId) AND attribute_not_exists(sendingSince)',
        ExpressionAttributeValues: { ':answers': item.seed },
        ReturnValues: 'ALL_NEW',
      }),
    );
    if (!seeded.Attributes) throw new Error('no draft item under the expected key');
    return { draftId, csrfToken, before: seeded.Attributes };
  }

  async function run(item: Case, worker: Worker): Promise<void> {
    const { draftId, csrfToken, before } = await prepare(item, worker);
    if (item.expect.kind === 'sent') worker.draft = undefined;
    const otherToken = item.csrf === 'other-draft' ? (await startDraft()).csrfToken : undefined;
    const pairs = [...tokenFor(item, csrfToken, otherToken), ...item.pairs];
    const response = await api(request(item, draftId, pairs));
    const after = await readItem(draftId);
    const kind = item.expect.kind === 'prototype-key' ? `prototype-key (${response.statusCode})` : item.expect.kind;
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
    const problem =
      response.statusCode >= 500
        ? '5xx'
        : (response.body ?? '').includes(XSS)
          ? 'the page echoes markup unescaped'
          : judge(item.expect, item.step, response, before, after);
    if (problem) failures.push(`${item.label} [${item.csrf}/${item.cookie}/${item.transport}] → ${response.statusCode}: ${problem}`);
    else if (item.expect.kind === 'sent') sentEmails.push(item.seed.aboutYou?.email ?? '');
  }

  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      const worker: Worker = { uses: 0 };
      while (next < cases.length) await run(cases[next++]!, worker);
    }),
  );

  const accepted = (counts.get('saved') ?? 0) + (counts.get('moved') ?? 0) + (counts.get('sent') ?? 0);
  const rejected = cases.length - accepted;
  console.log(
    `Form property: ${cases.length} posts (${accepted} accepted, ${counts.get('invalid') ?? 0} invalid with error summary, ${rejected} rejected in all) in ${Date.now() - t0} ms (${generated} ms generating)\n` +
      [...counts.entries()]
        .sort()
        .map(([kind, n]) => `  ${kind}: ${n}`)
        .join('\n'),
  );
  expect(failures.slice(0, 10)).toEqual([]);
  expect(failures).toHaveLength(0);
  // Neither half may be vacuous.
  expect(accepted).toBeGreaterThan(RUNS / 10);
  expect(counts.get('invalid') ?? 0).toBeGreaterThan(RUNS / 10);
  expect(counts.get('sent') ?? 0).toBeGreaterThan(0);

  // Exactly one referral per sent draft, none for anything else; no draft started but by a GET.
  const items = await allItems(table);
  const referrals = items.filter((item) => item.kind === 'referral');
  expect(referrals.map((r) => (r.referrer as { email: string }).email).sort()).toEqual([...sentEmails].sort());
  expect(items.filter((item) => item.kind === 'referral-draft')).toHaveLength(draftsStarted);
}, 600_000);
