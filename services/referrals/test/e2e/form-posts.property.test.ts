/**
 * QUALITY.md security 3, for the public referral form (`POST /refer/{step}`, urlencoded): 10,000
 * generated valid and mutated step posts through the real `public` handler (`createPublicApi`)
 * against DynamoDB Local. Each case starts from a draft as the journey leaves it: none yet (the
 * first page gave only the cookie and its CSRF token, and wrote nothing), or one a first post
 * wrote, seeded with the answers the step needs; it posts, and reads the draft item back.
 * Valid answers: 303 to the next page and the draft holds exactly the answers (a first post writes
 * the draft); invalid ones: 400, the page again with the GOV.UK error summary linking to each
 * failing field, and the draft item unchanged (or still unwritten); forged (CSRF), cookieless,
 * empty, oversized or mistyped posts answer 403/400/413/415 and change nothing; nothing ever
 * answers 5xx, and nothing is ever JSON: every answer with a body is a GOV.UK page (WEB.md). Some cases send the referral (check your answers), named or anonymous: exactly one
 * referral per complete draft, none for an incomplete one.
 *
 * Where a valid post goes next is worked out from the case's own description (`DraftModel`: what
 * the generator put in the draft, part by part) and the journey's order as the pages ask it
 * (`JOURNEY`), never from the form's own code. Drafts are generated gap first: the first part
 * missing is chosen, then every part before it is answered and every part after it may be.
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
import {
  NO_FACTORS,
  PROFESSIONAL_SOURCE_CHOICES,
  PUBLIC_SOURCE_CHOICES,
  REFERRAL_SOURCE_CHOICES,
  type ReferrerType,
  referrerTypeOf,
} from '../../src/web/choices';
import type { AboutYou, AdultAnswers, ChildAnswers, Concerns, ConsentAnswers, DraftAnswers } from '../../src/web/steps';
import { createPublicApi } from '../support/http';

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
    // fast-check's graphemes are printable, so this refuses nothing today; it keeps the oracle right
    // should they ever include a control or format character, which the form refuses (HIDDEN below).
    .filter((s) => s.length > 0 && s.length <= max && !/[\p{Cc}\p{Cf}]/u.test(s));
/** Free text from a textarea: sometimes over several lines (browsers send CRLF), kept as typed. */
const prose = (max: number): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: text(max) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(text(200), fc.constantFrom('\r\n', '\n', '\r\n\r\n', '\t'), text(200))
        .map(([a, gap, b]) => `${a}${gap}${b}`)
        .filter((s) => s.length <= max),
    },
  );
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
/** Census 9: "I would rather not say" on the form; no contact details are asked (DOMAIN.md, Referrals 5). */
const ANONYMOUS = '9';
/** Who the referrer is: anonymous often enough that every kind of case meets it. */
const NAMED_SOURCES = REFERRAL_SOURCES.filter((source) => source !== ANONYMOUS);
const sourceModel = fc.oneof({ weight: 1, arbitrary: fc.constant(ANONYMOUS) }, { weight: 3, arbitrary: fc.constantFrom(...NAMED_SOURCES) });
const CONCERN_CODES = FACTOR_CODES.filter((code) => code !== NO_FACTORS);
/**
 * "Who are you" is two questions: a professional or a member of the public (`/refer/who-you-are`,
 * which saves nothing), then which, from that list only, on its own page.
 */
const SOURCE_STEP: Record<ReferrerType, string> = { professional: 'professional', public: 'member-of-the-public' };
const SOURCES_OF: Record<ReferrerType, string[]> = {
  professional: PROFESSIONAL_SOURCE_CHOICES.map((choice) => choice.value),
  public: PUBLIC_SOURCE_CHOICES.map((choice) => choice.value),
};
const OTHER_TYPE: Record<ReferrerType, ReferrerType> = { professional: 'public', public: 'professional' };

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
}
const aboutModel: fc.Arbitrary<AboutModel> = fc.record({
  name: text(200),
  role: opt(text(200)),
  organisation: opt(text(200)),
  email,
  phone: opt(phone),
});
const aboutAnswers = (m: AboutModel): AboutYou =>
  compact({
    name: m.name,
    role: m.role,
    organisation: m.organisation,
    email: m.email,
    phone: m.phone,
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
  whatHappened: prose(10_000),
  whyNow: prose(5_000),
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
  .record({ familyKnows: yesNo, consentGiven: yesNo, reason: prose(2_000), strayReason: opt(prose(2_000)) })
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
// Drafts as they stand before the post, described part by part.

type AdultsState = AdultModel[] | 'not-asked' | 'yes-none-yet' | 'none';
/** What a draft holds: the generator's own description, from which its answers are made (`draftOf`). */
interface DraftModel {
  /** Which best describes the referrer ("who are you"). */
  source?: string | undefined;
  /** The referrer's details; never with an anonymous source, whose referrer is not asked. */
  about?: AboutModel | undefined;
  children: ChildModel[];
  /** Not asked yet; said yes but none added yet; said no; or the adults added. */
  adults: AdultsState;
  concerns?: ConcernsModel | undefined;
  consent?: ConsentModel | undefined;
}

const draftOf = (d: DraftModel): DraftAnswers =>
  compact({
    referralSource: d.source,
    aboutYou: d.about && aboutAnswers(d.about),
    children: d.children.map(childAnswers),
    adultsKnown: d.adults === 'not-asked' ? undefined : d.adults === 'none' ? 'no' : 'yes',
    adults: Array.isArray(d.adults) ? d.adults.map(adultAnswers) : [],
    concerns: d.concerns && concernsAnswers(d.concerns),
    consent: d.consent && consentAnswers(d.consent),
  }) as DraftAnswers;

/**
 * The journey, in the order its pages ask (WEB.md; DOMAIN.md, Referrals 2 and 5): each part, the
 * page that asks it, and whether a described draft has answered it. Where a post goes on to is the
 * first part not answered, or check your answers.
 */
const JOURNEY: readonly { part: string; url: string; answered: (d: DraftModel) => boolean }[] = [
  { part: 'who are you', url: '/refer/who-you-are', answered: (d) => d.source !== undefined },
  { part: 'your details', url: '/refer/about-you', answered: (d) => d.source === ANONYMOUS || d.about !== undefined },
  { part: 'a child', url: '/refer/child?n=1', answered: (d) => d.children.length > 0 },
  { part: 'adults or not', url: '/refer/adults', answered: (d) => d.adults !== 'not-asked' },
  { part: 'an adult, having said yes', url: '/refer/adult?n=1', answered: (d) => d.adults !== 'yes-none-yet' },
  { part: 'what is happening', url: '/refer/what-is-happening', answered: (d) => d.concerns !== undefined },
  { part: 'consent', url: '/refer/consent', answered: (d) => d.consent !== undefined },
];
const CHECK_YOUR_ANSWERS = '/refer/check-your-answers';
const nextUrl = (d: DraftModel) => JOURNEY.find((part) => !part.answered(d))?.url ?? CHECK_YOUR_ANSWERS;
const onward = (d: DraftModel, fromCheck: boolean) => (fromCheck ? CHECK_YOUR_ANSWERS : nextUrl(d));

/**
 * A draft whose first unanswered part is `JOURNEY[gap]` (none, for `gap` = JOURNEY.length): the
 * parts before it answered, it not, the parts after it either.
 */
function draftWithGap(gap: number): fc.Arbitrary<DraftModel> {
  const answered = (part: number) => part < gap;
  const part = <T>(at: number, present: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
    at < gap ? present : at === gap ? fc.constant(undefined) : opt(present);
  const adults: fc.Arbitrary<AdultsState> =
    gap === 3
      ? fc.constant('not-asked')
      : gap === 4
        ? fc.constant('yes-none-yet')
        : fc.oneof(
            ...(gap < 3 ? [fc.constant<AdultsState>('not-asked'), fc.constant<AdultsState>('yes-none-yet')] : []),
            fc.constant<AdultsState>('none'),
            fc.array(adultModel, { minLength: 1, maxLength: 3 }),
          );
  // Details can be missing only from a named referrer's draft.
  return part<string>(0, gap === 1 ? fc.constantFrom(...NAMED_SOURCES) : sourceModel)
    .chain(
      (source): fc.Arbitrary<DraftModel> =>
        fc.record({
          source: fc.constant(source),
          // Anonymous: never any details. Named: details when "your details" is answered; none at the gap.
          about:
            source === ANONYMOUS ? fc.constant(undefined) : gap === 1 ? fc.constant(undefined) : answered(1) ? aboutModel : opt(aboutModel),
          children: answered(2)
            ? fc.array(childModel, { minLength: 1, maxLength: 3 })
            : gap === 2
              ? fc.constant<ChildModel[]>([])
              : fc.array(childModel, { maxLength: 3 }),
          adults,
          concerns: part(5, concernsModel),
          consent: part(6, consentModel),
        }),
    )
    .map((d: DraftModel) => {
      // The description must say what was meant; a generator that drifted from JOURNEY is a test bug.
      const meant = JOURNEY[gap]?.url ?? CHECK_YOUR_ANSWERS;
      if (nextUrl(d) !== meant) throw new Error(`draftWithGap(${gap}) made a draft that goes to ${nextUrl(d)}`);
      return d;
    });
}

/** Nothing answered yet: the start of the journey (often not even written: see `fresh`). */
const EMPTY: DraftModel = { children: [], adults: 'not-asked' };
const anyDraft: fc.Arbitrary<DraftModel> = fc.oneof(
  { weight: 1, arbitrary: fc.constant(EMPTY) },
  { weight: 8, arbitrary: fc.integer({ min: 0, max: JOURNEY.length }).chain(draftWithGap) },
);
const completeDraft = draftWithGap(JOURNEY.length);
const withChildren = anyDraft.filter((d) => d.children.length > 0);
const withAdults = anyDraft.filter((d) => Array.isArray(d.adults));
const withoutAdults = anyDraft.filter((d) => !Array.isArray(d.adults));
const isEmpty = (d: DraftModel) => isDeepStrictEqual(draftOf(d), { children: [], adults: [] });

// ---------------------------------------------------------------------------------------------
// Where a valid post goes on to, and what the draft then holds.

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
  /** The draft before the post, as described. */
  seed: DraftModel;
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
/**
 * Characters no name or free text may hold (shared/src/text.ts): C0 and C1 controls, bidirectional
 * overrides and isolates, zero-width characters, other format characters. (A lone surrogate cannot
 * be sent urlencoded; the unit tests and the partner API's property test send it.)
 */
const HIDDEN = [
  '\u0000',
  '\u0007',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u009b',
  '\u00ad',
  '\u061c',
  '\u200b',
  '\u200c',
  '\u200d',
  '\u200e',
  '\u202a',
  '\u202e',
  '\u2060',
  '\u2066',
  '\u2069',
  '\ufeff',
  '\u{e0041}',
];
/** One of HIDDEN inside the answer (on one line, a line break or tab too), which the page then refuses at that field. */
const hidden = (name: string, options: { multiline?: boolean; id?: string; also?: Pairs } = {}): fc.Arbitrary<Mutation> =>
  fc.constantFrom(...HIDDEN, ...(options.multiline ? [] : ['\t', '\n', '\r\n'])).map((character) => ({
    label: `${name} with U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`,
    fields: [options.id ?? name],
    apply: setting([...(options.also ?? []).filter(([k]) => k !== name), [name, `Mi${character}ller`]]),
  }));

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
/** 10 (unknown) is a census code the form does not offer: a referrer says who they are or refers anonymously. */
const BAD_SOURCES = ['school', '99', '2', 'a2', '2a', '1A1', 'Someone else', '0', '11', '10', '9A'];
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

const BAD_REFERRER_TYPES = ['Professional', 'PUBLIC', 'both', 'member-of-the-public', 'member of the public', 'pro', '1', 'yes'];
const WHO_YOU_ARE: Groups = [oneOf(missing('referrerType'), replaced('referrerType', BAD_REFERRER_TYPES))];
/** Which best describes you: a source that is not a census code the page offers, or one from the other list. */
const sourceGroups = (type: ReferrerType): Groups => [
  oneOf(missing('referralSource'), replaced('referralSource', [...BAD_SOURCES, ...SOURCES_OF[OTHER_TYPE[type]]])),
];
const ABOUT_YOU: Groups = [
  oneOf(missing('name'), overlong('name', 200), hidden('name')),
  oneOf(missing('email'), replaced('email', BAD_EMAILS)),
  replaced('phone', BAD_PHONES),
  oneOf(overlong('role', 200), hidden('role')),
  oneOf(overlong('organisation', 200), hidden('organisation')),
];
const ADDRESS = (line1: string, line2: string, town: string, postcode: string): Pairs => [
  ['addressLine1', line1],
  ['addressLine2', line2],
  ['town', town],
  ['postcode', postcode],
];
const CHILD: Groups = [
  oneOf(missing('firstName'), overlong('firstName', 100), hidden('firstName')),
  oneOf(missing('lastName'), overlong('lastName', 100), hidden('lastName')),
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
    ...(['addressLine1', 'addressLine2', 'town'] as const).map((line) =>
      hidden(line, { also: ADDRESS('1 High St', 'Flat 2', 'Northtown', 'NE1 4ST') }),
    ),
  ),
  oneOf(overlong('school', 200), hidden('school')),
];
const ADULT: Groups = [
  oneOf(missing('firstName'), overlong('firstName', 100), hidden('firstName')),
  oneOf(missing('lastName'), overlong('lastName', 100), hidden('lastName')),
  oneOf(missing('relationship'), overlong('relationship', 100), hidden('relationship')),
  badDate('dateOfBirth', BAD_PAST_DATES),
];
const CONCERNS: Groups = [
  oneOf(missing('whatHappened'), overlong('whatHappened', 10_000), hidden('whatHappened', { multiline: true })),
  oneOf(missing('whyNow'), overlong('whyNow', 5_000), hidden('whyNow', { multiline: true })),
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
    hidden('withoutConsentReason', { multiline: true, also: [['consentGiven', 'no']] }),
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

/** A valid post saved on the draft: what it holds afterwards is the changed description's answers. */
const saved = (after: DraftModel, location: string): Expect => ({ kind: 'saved', answers: draftOf(after), location });

/** "A professional or a member of the public?": nothing saved, on to the list it chose (still on the way back to check your answers). */
const referrerTypeCase = fc
  .record({ seed: anyDraft, type: fc.constantFrom<ReferrerType>('professional', 'public'), fromCheck })
  .chain(({ seed, type, fromCheck }) =>
    field('referrerType', type).map(
      (pairs): StepCase => ({
        label: `who-you-are ${type}`,
        step: 'who-you-are',
        query: withQuery(fromCheck && 'from=check'),
        seed,
        pairs,
        expect: { kind: 'moved', location: `/refer/${SOURCE_STEP[type]}${fromCheck ? '?from=check' : ''}` },
      }),
    ),
  );

/** "Which best describes you", on its list's page: anonymous drops any details given before; a named source keeps them. */
const sourceCase = (sources: fc.Arbitrary<string>) =>
  fc.record({ seed: anyDraft, source: sources, fromCheck }).chain(({ seed, source, fromCheck }) =>
    field('referralSource', source).map((pairs): StepCase => {
      const after: DraftModel = { ...seed, source, about: source === ANONYMOUS ? undefined : seed.about };
      const step = SOURCE_STEP[referrerTypeOf(source as (typeof REFERRAL_SOURCES)[number])];
      return {
        label: `${step} ${source}`,
        step,
        query: withQuery(fromCheck && 'from=check'),
        seed,
        pairs,
        expect: saved(after, onward(after, fromCheck)),
      };
    }),
  );
const whoYouAreCase = sourceCase(sourceModel);

/** The referrer's details; an anonymous referrer is never asked them, so a post of them changes nothing. */
const aboutYouCase = fc.record({ seed: anyDraft, model: aboutModel, fromCheck }).chain(({ seed, model, fromCheck }) =>
  aboutPairs(model).map((pairs): StepCase => {
    const after: DraftModel = { ...seed, about: model };
    return {
      label: seed.source === ANONYMOUS ? 'about-you when anonymous' : 'about-you',
      step: 'about-you',
      query: withQuery(fromCheck && 'from=check'),
      seed,
      pairs,
      expect: seed.source === ANONYMOUS ? { kind: 'moved', location: onward(seed, fromCheck) } : saved(after, onward(after, fromCheck)),
    };
  }),
);

/** A valid post of one child or adult at position n (one already there, or one more at the end), then back to the list. */
function listMemberCase<M>(
  step: 'child' | 'adult',
  model: fc.Arbitrary<M>,
  pairsOf: (model: M) => fc.Arbitrary<StepCase['pairs']>,
  listOf: (seed: DraftModel) => M[],
  withList: (seed: DraftModel, members: M[]) => DraftModel,
): fc.Arbitrary<StepCase> {
  const list = step === 'child' ? 'children' : 'adults';
  return fc.record({ seed: anyDraft, model, fromCheck, pick: fc.nat() }).chain(({ seed, model, fromCheck, pick }) =>
    pairsOf(model).map((pairs): StepCase => {
      const members = [...listOf(seed)];
      const n = (pick % (members.length + 1)) + 1;
      members[n - 1] = model;
      return {
        label: `${step} n=${n}`,
        step,
        query: withQuery(`n=${n}`, fromCheck && 'from=check'),
        seed,
        pairs,
        expect: saved(withList(seed, members), fromCheck ? CHECK_YOUR_ANSWERS : `/refer/${list}`),
      };
    }),
  );
}

const childCase = listMemberCase(
  'child',
  childModel,
  childPairs,
  (seed) => seed.children,
  (seed, children) => ({ ...seed, children }),
);

/** Adding an adult answers "are there adults?" with yes, whatever it was. */
const adultCase = listMemberCase(
  'adult',
  adultModel,
  adultPairs,
  (seed) => (Array.isArray(seed.adults) ? seed.adults : []),
  (seed, adults) => ({ ...seed, adults }),
);

/** A valid post to a one-page step: its answers saved on whatever draft came before, then onward. */
function savedStepCase<M>(
  step: 'what-is-happening' | 'consent',
  model: fc.Arbitrary<M>,
  pairsOf: (model: M) => fc.Arbitrary<StepCase['pairs']>,
  withAnswer: (seed: DraftModel, model: M) => DraftModel,
): fc.Arbitrary<StepCase> {
  return fc.record({ seed: anyDraft, model, fromCheck }).chain(({ seed, model, fromCheck }) =>
    pairsOf(model).map((pairs): StepCase => {
      const after = withAnswer(seed, model);
      return {
        label: step,
        step,
        query: withQuery(fromCheck && 'from=check'),
        seed,
        pairs,
        expect: saved(after, onward(after, fromCheck)),
      };
    }),
  );
}

const concernsCase = savedStepCase('what-is-happening', concernsModel, concernsPairs, (seed, concerns) => ({ ...seed, concerns }));

const consentCase = savedStepCase('consent', consentModel, consentPairs, (seed, consent) => ({ ...seed, consent }));

/** "Can you tell us about the adults?" (no adults yet): yes goes to the first adult, no goes on. */
const adultsKnownCase = fc.record({ seed: withoutAdults, answer: yesNo, fromCheck }).chain(({ seed, answer, fromCheck }) =>
  field('adultsKnown', answer).map((pairs): StepCase => {
    const after: DraftModel = { ...seed, adults: answer === 'yes' ? 'yes-none-yet' : 'none' };
    return {
      label: `adults known ${answer}`,
      step: 'adults',
      query: withQuery(fromCheck && 'from=check'),
      seed,
      pairs,
      expect: saved(after, answer === 'yes' ? '/refer/adult?n=1' : onward(after, fromCheck)),
    };
  }),
);

/** "Add another?" or Remove, on the children or adults list. */
const listCase = (kind: 'children' | 'adults') =>
  fc
    .record({ seed: kind === 'children' ? withChildren : withAdults, answer: yesNo, remove: fc.boolean(), pick: fc.nat(), fromCheck })
    .chain(({ seed, answer, remove, pick, fromCheck }) => {
      const people: unknown[] = kind === 'children' ? seed.children : (seed.adults as AdultModel[]);
      const person = kind === 'children' ? 'child' : 'adult';
      const query = withQuery(fromCheck && 'from=check');
      if (remove) {
        const i = (pick % people.length) + 1;
        const left = people.filter((_, at) => at !== i - 1);
        // With the last adult removed, whether there are any is asked again.
        const after: DraftModel =
          kind === 'children'
            ? { ...seed, children: left as ChildModel[] }
            : { ...seed, adults: left.length > 0 ? (left as AdultModel[]) : 'not-asked' };
        const location = kind === 'children' && left.length === 0 ? '/refer/child?n=1' : `/refer/${kind}`;
        return field('remove', String(i)).map(
          (pairs): StepCase => ({ label: `${kind} remove ${i}`, step: kind, query, seed, pairs, expect: saved(after, location) }),
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
  { valid: referrerTypeCase, groups: WHO_YOU_ARE },
  { valid: sourceCase(fc.constantFrom(...SOURCES_OF.professional)), groups: sourceGroups('professional') },
  { valid: sourceCase(fc.constantFrom(...SOURCES_OF.public)), groups: sourceGroups('public') },
  // An anonymous referrer's details page is skipped, whatever is posted to it.
  { valid: aboutYouCase.filter((c) => c.expect.kind === 'saved'), groups: ABOUT_YOU },
  { valid: childCase, groups: CHILD },
  { valid: adultCase, groups: ADULT },
  { valid: concernsCase, groups: CONCERNS },
  { valid: consentCase, groups: CONSENT },
  { valid: adultsKnownCase, groups: yesNoGroups('adultsKnown') },
  { valid: listCase('children').filter((c) => !c.label.includes('remove')), groups: yesNoGroups('addAnother') },
  { valid: listCase('adults').filter((c) => !c.label.includes('remove')), groups: yesNoGroups('addAnother') },
];
const validStepCase = fc.oneof(
  { weight: 1, arbitrary: referrerTypeCase },
  { weight: 2, arbitrary: whoYouAreCase },
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

/** Check your answers → Send: a complete draft is sent, named or anonymous; an incomplete one goes to its first gap. */
const sendCase = fc.oneof(
  {
    weight: 3,
    arbitrary: completeDraft.map(
      (seed): StepCase => ({ label: 'send', step: 'check-your-answers', query: '', seed, pairs: [], expect: { kind: 'sent' } }),
    ),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 0, max: JOURNEY.length - 1 }).chain((gap) =>
      draftWithGap(gap).map(
        (seed): StepCase => ({
          label: `send without ${JOURNEY[gap]!.part}`,
          step: 'check-your-answers',
          query: '',
          seed,
          pairs: [],
          // The generator chose the gap: that is where the referrer is sent.
          expect: { kind: 'moved', location: JOURNEY[gap]!.url },
        }),
      ),
    ),
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
    .tuple(anyDraft, fc.constantFrom('nope', 'confirmation', 'About-You', 'about-you.', 'check', 'Who-You-Are'))
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
  'referrerType',
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
  /**
   * The first post of a draft not yet written: only the cookie and token the first page gave
   * (its seed is empty). A valid post writes the draft; anything else leaves it unwritten.
   */
  fresh: boolean;
}

const plain = (c: StepCase, filler = 0): Omit<Case, 'fresh'> => ({ ...c, csrf: 'right', cookie: 'right', transport: 'form', filler });

const caseWithoutFresh = fc.oneof(
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
      .map(([c, cookie]) => ({
        ...plain(c),
        label: `${c.label}, cookie ${cookie}`,
        cookie,
        // A well-formed cookie naming no draft does not go with the page's token: refused as forged.
        expect: (cookie === 'unknown' ? { kind: 'forged' } : { kind: 'no-draft' }) as Expect,
      })),
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
/** Half the cases on an empty draft are its first post, before anything is written. */
const caseArbitrary: fc.Arbitrary<Case> = caseWithoutFresh.chain((c) =>
  isEmpty(c.seed) ? fc.boolean().map((fresh): Case => ({ ...c, fresh })) : fc.constant<Case>({ ...c, fresh: false }),
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
  'who-you-are': ['referrerType'],
  professional: ['referralSource'],
  'member-of-the-public': ['referralSource'],
  'about-you': ['name', 'role', 'organisation', 'email', 'phone'],
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
  /** The same, for first posts (no draft written before). */
  const firstPosts = new Map<string, number>();
  /** Who each sent referral's referrer was: an email, or anonymous. */
  const sentReferrers: string[] = [];
  let draftsWritten = 0;
  let next = 0;

  /** The first page, as a browser without a cookie gets it: the cookie naming a draft to be, and its token; nothing written. */
  async function firstPage(): Promise<{ draftId: string; csrfToken: string }> {
    const response = await api(apiGatewayEvent({ method: 'GET', path: '/refer/who-you-are' }));
    const cookie = response.cookies?.[0] ?? '';
    const draftId = DRAFT_COOKIE.exec(cookie)?.[1];
    const csrfToken = /<input type="hidden" name="csrfToken" value="([^"]+)">/.exec(response.body ?? '')?.[1];
    if (response.statusCode !== 200 || !draftId || !csrfToken || !cookie.includes('HttpOnly') || !cookie.includes('SameSite=Lax')) {
      throw new Error(`GET /refer/who-you-are did not give a cookie and token: ${response.statusCode} ${cookie}`);
    }
    if (await readItem(draftId)) throw new Error('GET /refer/who-you-are wrote a draft');
    return { draftId, csrfToken };
  }

  /** A draft the journey has written: the first page, then its first answer posted. */
  async function startDraft(): Promise<{ draftId: string; csrfToken: string }> {
    const started = await firstPage();
    const response = await api(
      apiGatewayEvent({
        method: 'POST',
        path: '/refer/member-of-the-public',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: encode(
          [
            ['csrfToken', started.csrfToken],
            ['referralSource', '1D'],
          ],
          false,
        ),
        cookies: [`fsp_referral=${started.draftId}`],
      }),
    );
    const item = await readItem(started.draftId);
    if (response.statusCode !== 303 || item?.version !== 1) {
      throw new Error(`the first post did not write the draft: ${response.statusCode} ${JSON.stringify(item)}`);
    }
    draftsWritten += 1;
    return started;
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

  /**
   * Whatever was posted, the answer is a page or a redirect, never a problem document: a body is
   * always an HTML document with the pages' CSP. Says what it was instead, or undefined.
   */
  function notAPage(response: ApiGatewayV2Result): string | undefined {
    const type = response.headers?.['content-type'] ?? '';
    const body = response.body ?? '';
    if (/json/i.test(type) || body.trimStart().startsWith('{')) return `JSON (${type})`;
    if (body === '') return response.statusCode === 303 ? undefined : `an empty ${response.statusCode}`;
    if (!type.startsWith('text/html') || !body.startsWith('<!DOCTYPE html>')) return `${type || 'no content type'}`;
    if (!response.headers?.['content-security-policy']?.includes("frame-ancestors 'none'")) return 'a page without the CSP';
    if (response.headers?.['cache-control'] !== 'no-store') return 'a page that may be cached';
    return undefined;
  }

  /** Why the answer is wrong for what was expected, or undefined when it is right. */
  function judge(
    expect: Expect,
    item: Pick<Case, 'step' | 'seed'>,
    draft: { draftId: string; csrfToken: string },
    response: ApiGatewayV2Result,
    before: Record<string, unknown> | undefined,
    after: Record<string, unknown> | undefined,
  ): string | undefined {
    const { step } = item;
    const status = response.statusCode;
    const page = response.body ?? '';
    const unchanged = isDeepStrictEqual(before, after);
    const location = response.headers?.location;
    switch (expect.kind) {
      case 'saved': {
        if (status !== 303 || location !== expect.location) return `expected 303 to ${expect.location}`;
        if (!after || after.version !== Number(before?.version ?? 0) + 1) return 'expected the draft saved once';
        if (!isDeepStrictEqual(after.answers, expect.answers))
          return `draft holds ${JSON.stringify(after.answers).slice(0, 300)}, expected ${JSON.stringify(expect.answers).slice(0, 300)}`;
        const { answers: _a, version: _v, ...restAfter } = after;
        if (!before) {
          // The first post writes the draft, for a day from now, and sets its cookie again to last as long.
          const now = clock();
          const expiresAt = Math.floor(now.getTime() / 1000) + 24 * 60 * 60;
          if (
            !isDeepStrictEqual(restAfter, { ...draftKey(draft.draftId), kind: 'referral-draft', createdAt: now.toISOString(), expiresAt })
          )
            return `the first post wrote ${JSON.stringify(restAfter)}`;
          const cookie = response.cookies?.[0] ?? '';
          return cookie.startsWith(`fsp_referral=${draft.draftId};`) && cookie.includes('Max-Age=86400')
            ? undefined
            : 'the first post did not set the cookie again';
        }
        if (response.cookies && response.cookies.length > 0) return 'a later post set a cookie';
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
        if (!page.includes(`name="csrfToken" value="${draft.csrfToken}"`)) return 'the page again lacks the CSRF token';
        return unchanged ? undefined : 'the draft changed';
      }
      case 'sent':
        if (status !== 303 || location !== '/refer/confirmation') return 'expected 303 to the confirmation';
        if (!after?.referralId || !after.reference) return 'the draft does not record the referral';
        if (after.anonymous !== (item.seed.source === ANONYMOUS)) return 'the draft does not say whether the referral was anonymous';
        return isDeepStrictEqual(after.answers, { children: [], adults: [] }) ? undefined : 'the draft kept its answers after sending';
      case 'forged':
        if (status !== 403 || !page.includes('Sorry, your answers could not be saved')) return 'expected 403 (CSRF)';
        return unchanged ? undefined : 'the draft changed';
      case 'no-draft':
        if (status !== 400 || !page.includes('Your answers have expired')) return 'expected 400 (no draft)';
        if (response.cookies && response.cookies.length > 0) return 'a draft was started by a POST';
        return unchanged ? undefined : 'the draft changed';
      case 'empty-body':
        if (status !== 400 || !page.includes('The form you sent was empty')) return 'expected 400 saying the form was empty';
        return unchanged ? undefined : 'the draft changed';
      case 'too-large':
        if (status !== 413 || !page.includes('The information you sent was too large')) return 'expected 413 saying it was too large';
        return unchanged ? undefined : 'the draft changed';
      case 'media-type':
        if (status !== 415 || !page.includes('It was not sent as a form this page can read'))
          return 'expected 415 saying it was not a form';
        return unchanged ? undefined : 'the draft changed';
      case 'not-found':
        if (status !== 404 || !page.includes('Page not found')) return 'expected 404';
        return unchanged ? undefined : 'the draft changed';
      case 'prototype-key':
        // Known quirk (see report): the shared form parser lets a field named like an
        // Object.prototype member clash with the prototype, so the body may fail its schema.
        if (status === 400 && page.includes('Some of it could not be used')) return unchanged ? undefined : 'the draft changed';
        return judge(expect.otherwise, item, draft, response, before, after);
    }
  }

  interface Worker {
    draft?: { draftId: string; csrfToken: string } | undefined;
    uses: number;
  }

  /**
   * The draft as the case needs it. A fresh case gets only the first page's cookie and token, as
   * a new visitor does, and nothing is written. Otherwise a worker starts a written draft (the
   * first page and a first post, as a browser does) for its first case, every fourth case and
   * after a send; between those it reuses its own draft, setting its answers to the case's
   * (cases in one worker run one after another, so none sees another's). One round trip, which
   * also returns the item as it stands before the post.
   */
  async function prepare(item: Case, worker: Worker) {
    if (item.fresh) return { ...(await firstPage()), before: undefined };
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
        ExpressionAttributeValues: { ':answers': draftOf(item.seed) },
        ReturnValues: 'ALL_NEW',
      }),
    );
    if (!seeded.Attributes) throw new Error('no draft item under the expected key');
    return { draftId, csrfToken, before: seeded.Attributes as Record<string, unknown> | undefined };
  }

  async function run(item: Case, worker: Worker): Promise<void> {
    const { draftId, csrfToken, before } = await prepare(item, worker);
    if (item.expect.kind === 'sent') worker.draft = undefined;
    const otherToken = item.csrf === 'other-draft' ? (await firstPage()).csrfToken : undefined;
    const pairs = [...tokenFor(item, csrfToken, otherToken), ...item.pairs];
    const response = await api(request(item, draftId, pairs));
    const after = await readItem(draftId);
    const kind = item.expect.kind === 'prototype-key' ? `prototype-key (${response.statusCode})` : item.expect.kind;
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
    if (item.fresh) firstPosts.set(kind, (firstPosts.get(kind) ?? 0) + 1);
    const problem =
      response.statusCode >= 500
        ? '5xx'
        : notAPage(response)
          ? `not a page: ${notAPage(response)}`
          : (response.body ?? '').includes(XSS)
            ? 'the page echoes markup unescaped'
            : judge(item.expect, item, { draftId, csrfToken }, response, before, after);
    if (problem)
      failures.push(
        `${item.label} [${item.csrf}/${item.cookie}/${item.transport}${item.fresh ? '/first post' : ''}] → ${response.statusCode}: ${problem}`,
      );
    else if (item.expect.kind === 'sent')
      sentReferrers.push(item.seed.source === ANONYMOUS ? '(anonymous)' : (item.seed.about?.email ?? ''));
    if (!before && after) draftsWritten += 1;
  }

  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      const worker: Worker = { uses: 0 };
      while (next < cases.length) await run(cases[next++]!, worker);
    }),
  );

  const accepted = (counts.get('saved') ?? 0) + (counts.get('moved') ?? 0) + (counts.get('sent') ?? 0);
  const rejected = cases.length - accepted;
  const tally = (map: Map<string, number>) =>
    [...map.entries()]
      .sort()
      .map(([kind, n]) => `  ${kind}: ${n}`)
      .join('\n');
  console.log(
    `Form property: ${cases.length} posts (${accepted} accepted, ${counts.get('invalid') ?? 0} invalid with error summary, ${rejected} rejected in all) in ${Date.now() - t0} ms (${generated} ms generating)\n${tally(counts)}\nof which first posts:\n${tally(firstPosts)}`,
  );
  expect(failures.slice(0, 10)).toEqual([]);
  expect(failures).toHaveLength(0);
  // Neither half may be vacuous.
  expect(accepted).toBeGreaterThan(RUNS / 10);
  expect(counts.get('invalid') ?? 0).toBeGreaterThan(RUNS / 10);
  expect(counts.get('sent') ?? 0).toBeGreaterThan(0);
  expect(sentReferrers.filter((referrer) => referrer === '(anonymous)').length).toBeGreaterThan(0);
  expect(sentReferrers.filter((referrer) => referrer !== '(anonymous)').length).toBeGreaterThan(0);
  expect(firstPosts.get('saved') ?? 0).toBeGreaterThan(0);
  expect(firstPosts.get('invalid') ?? 0).toBeGreaterThan(0);

  // Exactly one referral per sent draft, none for anything else; an anonymous one has no referrer at all.
  const items = await allItems(table);
  const referrals = items.filter((item) => item.kind === 'referral');
  expect(referrals.map((r) => (r.referralSource === ANONYMOUS ? '(anonymous)' : (r.referrer as { email: string }).email)).sort()).toEqual(
    [...sentReferrers].sort(),
  );
  expect(referrals.filter((r) => r.referralSource === ANONYMOUS && 'referrer' in r)).toEqual([]);
  // A draft is written only by a post that saves answers: none for the first pages, of which there were many.
  expect(items.filter((item) => item.kind === 'referral-draft')).toHaveLength(draftsWritten);
}, 600_000);
