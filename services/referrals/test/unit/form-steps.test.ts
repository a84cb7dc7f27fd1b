/** The form's questions without a browser: each step's checks, and answers → submission. */
import { FACTOR_CODES, REFERRAL_SOURCE_CODES } from '@fsp/shared/events/codes';
import * as fc from 'fast-check';
import * as z from 'zod/mini';
import { formSubmissionSchema, referralSubmissionSchema } from '../../src/domain/submission';
import {
  FACTOR_GROUPS,
  NO_FACTORS,
  PROFESSIONAL_SOURCE_CHOICES,
  PUBLIC_SOURCE_CHOICES,
  REFERRAL_SOURCE_CHOICES,
  referrerTypeOf,
} from '../../src/web/choices';
import {
  type DraftAnswers,
  firstIncompleteStep,
  parseAboutYou,
  parseAdult,
  parseChild,
  parseConcerns,
  parseConsent,
  parseReferralSource,
  parseReferrerType,
  type RawForm,
  toSubmissionInput,
} from '../../src/web/steps';

const TODAY = '2026-11-23';

describe('the choices in plain words', () => {
  it('offer every census factor code once (21 as "None of these")', () => {
    const offered = [...FACTOR_GROUPS.flatMap((g) => g.choices.map((c) => c.value)), NO_FACTORS];
    expect(new Set(offered).size).toBe(offered.length);
    expect([...offered].sort()).toEqual([...FACTOR_CODES].sort());
  });

  it('offer every referral source a referrer can name, and anonymous (9) as "I would rather not say"; not unknown (10)', () => {
    expect(REFERRAL_SOURCE_CHOICES.map((c) => c.value).sort()).toEqual(REFERRAL_SOURCE_CODES.filter((c) => c !== '10').sort());
    expect(REFERRAL_SOURCE_CHOICES.find((c) => c.value === '9')?.text).toBe('I would rather not say');
  });
});

describe('who you are, in two questions', () => {
  it('first asks whether the referrer is a professional or a member of the public', () => {
    expect(parseReferrerType({})).toEqual({
      ok: false,
      errors: [{ field: 'referrerType', message: 'Select whether you are a professional or a member of the public' }],
    });
    expect(parseReferrerType({ referrerType: 'both' })).toMatchObject({ ok: false, errors: [{ field: 'referrerType' }] });
    expect(parseReferrerType({ referrerType: ' public ' })).toEqual({ ok: true, answers: 'public' });
    expect(parseReferrerType({ referrerType: 'professional' })).toEqual({ ok: true, answers: 'professional' });
  });

  it('then which, accepting only the sources of the list that answer chose', () => {
    expect(parseReferralSource({}, 'public')).toEqual({
      ok: false,
      errors: [{ field: 'referralSource', message: 'Select which best describes you' }],
    });
    expect(parseReferralSource({ referralSource: '10' }, 'public')).toMatchObject({ ok: false, errors: [{ field: 'referralSource' }] });
    expect(parseReferralSource({ referralSource: ' 9 ' }, 'public')).toEqual({ ok: true, answers: '9' });
    expect(parseReferralSource({ referralSource: '2A' }, 'public')).toMatchObject({ ok: false, errors: [{ field: 'referralSource' }] });
    expect(parseReferralSource({ referralSource: '2A' }, 'professional')).toEqual({ ok: true, answers: '2A' });
    expect(parseReferralSource({ referralSource: '1A' }, 'professional')).toMatchObject({
      ok: false,
      errors: [{ field: 'referralSource' }],
    });
  });

  it('splits the sources between the two lists, each once: the family, acquaintances, the child, other people and anonymous are the public', () => {
    expect(PUBLIC_SOURCE_CHOICES.map((c) => c.value)).toEqual(['1A', '1B', '1C', '1D', '9']);
    const both = [...PUBLIC_SOURCE_CHOICES, ...PROFESSIONAL_SOURCE_CHOICES].map((c) => c.value);
    expect(new Set(both).size).toBe(both.length);
    for (const choice of PUBLIC_SOURCE_CHOICES) expect(referrerTypeOf(choice.value)).toBe('public');
    for (const choice of PROFESSIONAL_SOURCE_CHOICES) expect(referrerTypeOf(choice.value)).toBe('professional');
  });
});

describe('about you', () => {
  it('names every missing or wrong answer at once, in GOV.UK words', () => {
    const result = parseAboutYou({ email: 'nope', phone: 'call me' });
    expect(result).toEqual({
      ok: false,
      errors: [
        { field: 'name', message: 'Enter your full name' },
        { field: 'email', message: 'Enter an email address in the correct format, like name@example.com' },
        { field: 'phone', message: 'Enter a telephone number, like 01632 960 001 or 07700 900 982' },
      ],
    });
  });

  it('trims answers and leaves blank optional ones out', () => {
    expect(parseAboutYou({ name: '  Amara Okafor ', role: '   ', email: 'a@example.org', referralSource: '2A', csrfToken: 'x' })).toEqual({
      ok: true,
      answers: { name: 'Amara Okafor', email: 'a@example.org' },
    });
  });
});

describe('a child', () => {
  const child = (extra: RawForm): RawForm => ({ firstName: 'Mia', lastName: 'Jones', born: 'yes', ...extra });

  it('checks the date of birth as a real date in the past', () => {
    const error = (form: RawForm) => {
      const result = parseChild(form, TODAY);
      return result.ok ? undefined : result.errors;
    };
    expect(error(child({ 'dateOfBirth-day': '31', 'dateOfBirth-month': '2', 'dateOfBirth-year': '2018' }))).toEqual([
      { field: 'dateOfBirth', message: 'Date of birth must be a real date' },
    ]);
    expect(error(child({ 'dateOfBirth-day': '1', 'dateOfBirth-year': '2018' }))).toEqual([
      { field: 'dateOfBirth', message: 'Date of birth must include a month' },
    ]);
    expect(error(child({ 'dateOfBirth-day': '1', 'dateOfBirth-month': '1', 'dateOfBirth-year': '2030' }))).toEqual([
      { field: 'dateOfBirth', message: 'Date of birth must be today or in the past' },
    ]);
    expect(error(child({ born: 'no' }))).toEqual([{ field: 'expectedDateOfBirth', message: 'Enter the expected date of birth' }]);
  });

  it('keeps only the date that goes with the answer, and asks for a whole address once any of it is given', () => {
    expect(
      parseChild(
        child({ 'dateOfBirth-day': '14', 'dateOfBirth-month': '3', 'dateOfBirth-year': '2018', 'expectedDateOfBirth-day': '1' }),
        TODAY,
      ),
    ).toEqual({
      ok: true,
      answers: { firstName: 'Mia', lastName: 'Jones', born: 'yes', dateOfBirth: '2018-03-14' },
    });
    const result = parseChild(child({ postcode: 'nonsense' }), TODAY);
    expect(result.ok ? [] : result.errors.map((e) => e.field)).toEqual(['addressLine1', 'town', 'postcode']);
  });

  it('an adult needs a name and a relationship', () => {
    const result = parseAdult({ firstName: 'Kerry' }, TODAY);
    expect(result.ok ? [] : result.errors.map((e) => e.field)).toEqual(['lastName', 'relationship']);
  });
});

describe('what is happening and consent', () => {
  it('asks for concerns, or "None of these", not both', () => {
    const base = { whatHappened: 'x', whyNow: 'y' };
    expect(parseConcerns(base)).toMatchObject({ ok: false, errors: [{ field: 'factors' }] });
    expect(parseConcerns({ ...base, factors: ['21', '3B'] })).toMatchObject({
      ok: false,
      errors: [{ field: 'factors', message: 'Select ‘None of these’ or the concerns, not both' }],
    });
    expect(parseConcerns({ ...base, factors: ['99Z'] })).toMatchObject({ ok: false });
    expect(parseConcerns({ ...base, factors: ['3B', '3B', '17A'] })).toEqual({ ok: true, answers: { ...base, factors: ['3B', '17A'] } });
  });

  it('asks why when the family does not know or has not agreed, and refuses "agreed" without "knows"', () => {
    expect(parseConsent({ familyKnows: 'yes', consentGiven: 'yes', withoutConsentReason: 'ignored' })).toEqual({
      ok: true,
      answers: { familyKnows: 'yes', consentGiven: 'yes' },
    });
    expect(parseConsent({ familyKnows: 'yes', consentGiven: 'no' })).toMatchObject({
      ok: false,
      errors: [{ field: 'withoutConsentReason' }],
    });
    expect(parseConsent({ familyKnows: 'no', consentGiven: 'yes', withoutConsentReason: 'risk' })).toMatchObject({
      ok: false,
      errors: [{ field: 'consentGiven' }],
    });
  });
});

// ---------------------------------------------------------------------------------------------

const text = (max: number) =>
  fc
    .string({ minLength: 1, maxLength: max })
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
const isoDate = fc
  .date({ min: new Date('1990-01-01'), max: new Date('2026-11-23'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const childArb = fc.record({
  firstName: text(100),
  lastName: text(100),
  born: fc.constantFrom('yes' as const, 'no' as const),
  date: fc.option(isoDate, { nil: undefined }),
  gender: fc.option(fc.constantFrom('female' as const, 'male' as const, 'other' as const, 'not-known' as const), { nil: undefined }),
  address: fc.option(fc.record({ addressLine1: text(200), town: text(100), postcode: fc.constantFrom('SW1A 1AA', 'EX1 2AB', 'M1 1AE') }), {
    nil: undefined,
  }),
  school: fc.option(text(200), { nil: undefined }),
});

const answersArb: fc.Arbitrary<DraftAnswers> = fc
  .record({
    referralSource: fc.constantFrom(...REFERRAL_SOURCE_CHOICES.map((c) => c.value)),
    aboutYou: fc.record({
      name: text(200),
      email: fc.constantFrom('a@example.org', 'dsl@school.example.sch.uk'),
      role: fc.option(text(200), { nil: undefined }),
    }),
    children: fc.array(childArb, { minLength: 1, maxLength: 5 }).map((children) =>
      children.map(({ date, address, ...c }) => ({
        ...c,
        ...(date ? (c.born === 'yes' ? { dateOfBirth: date } : { expectedDateOfBirth: date }) : {}),
        ...(address ?? {}),
      })),
    ),
    adultsKnown: fc.constantFrom('yes' as const, 'no' as const),
    adults: fc.array(fc.record({ firstName: text(100), lastName: text(100), relationship: text(100) }), { maxLength: 3 }),
    concerns: fc.record({
      whatHappened: text(500),
      whyNow: text(500),
      factors: fc.oneof(
        fc.constant([NO_FACTORS]),
        fc.uniqueArray(fc.constantFrom(...FACTOR_CODES.filter((c) => c !== NO_FACTORS)), { minLength: 1, maxLength: 8 }),
      ),
    }),
    consent: fc.oneof(
      fc.constant({ familyKnows: 'yes' as const, consentGiven: 'yes' as const }),
      fc.record({
        familyKnows: fc.constantFrom('yes' as const, 'no' as const),
        consentGiven: fc.constant('no' as const),
        withoutConsentReason: text(2000),
      }),
    ),
  })
  .map(({ aboutYou, ...answers }) => ({
    ...answers,
    // An anonymous referrer was never asked about themselves.
    ...(answers.referralSource === '9' ? {} : { aboutYou }),
    adultsKnown: answers.adults.length > 0 ? ('yes' as const) : ('no' as const),
  })) as fc.Arbitrary<DraftAnswers>;

describe('answers → the submission every channel shares', () => {
  it('always makes a valid ReferralSubmission from complete answers, keeping the referrer’s email, or none when anonymous', () => {
    let anonymous = 0;
    fc.assert(
      fc.property(answersArb, (answers) => {
        expect(firstIncompleteStep(answers)).toBeUndefined();
        const parsed = z.safeParse(formSubmissionSchema, toSubmissionInput(answers));
        expect(parsed.error?.issues).toBeUndefined();
        const submission = parsed.data!;
        expect(submission.referralSource).toBe(answers.referralSource);
        if (answers.referralSource === '9') {
          anonymous += 1;
          expect(submission).not.toHaveProperty('referrer');
        } else expect(submission.referrer?.email).toBe(answers.aboutYou?.email);
        expect(submission.children).toHaveLength(answers.children.length);
        expect(submission.adults?.length ?? 0).toBe(answers.adultsKnown === 'yes' ? answers.adults.length : 0);
        expect(submission.consent.familyKnows).toBe(answers.consent?.familyKnows === 'yes');
        answers.children.forEach((child, i) => {
          const out = submission.children[i]!;
          expect(out.dateOfBirth).toBe(child.born === 'yes' ? child.dateOfBirth : undefined);
          expect(out.expectedDateOfBirth).toBe(child.born === 'no' ? child.expectedDateOfBirth : undefined);
          expect(out.address?.postcode).toBe(child.postcode);
        });
      }),
      { numRuns: 300 },
    );
    expect(anonymous).toBeGreaterThan(0);
  });

  it('leaves contact details out of an anonymous submission even if the draft held some', () => {
    const answers: DraftAnswers = {
      referralSource: '9',
      aboutYou: { name: 'Amara Okafor', email: 'a@example.org' },
      children: [{ firstName: 'Mia', lastName: 'Jones', born: 'yes' }],
      adultsKnown: 'no',
      adults: [],
      concerns: { whatHappened: 'x', whyNow: 'y', factors: ['21'] },
      consent: { familyKnows: 'yes', consentGiven: 'yes' },
    };
    const parsed = z.safeParse(formSubmissionSchema, toSubmissionInput(answers));
    expect(parsed.success).toBe(true);
    expect(parsed.data).not.toHaveProperty('referrer');
  });

  it('says which step is still to answer', () => {
    expect(firstIncompleteStep({ children: [], adults: [] })).toEqual({ step: 'who-you-are' });
    const about = { name: 'A', email: 'a@example.org' };
    expect(firstIncompleteStep({ aboutYou: about, children: [], adults: [] })).toEqual({ step: 'who-you-are' });
    expect(firstIncompleteStep({ referralSource: '1D', children: [], adults: [] })).toEqual({ step: 'about-you' });
    const named = { referralSource: '1D' as const, aboutYou: about };
    expect(firstIncompleteStep({ ...named, children: [], adults: [] })).toEqual({ step: 'child', query: 'n=1' });
    // An anonymous referrer is not asked about themselves.
    expect(firstIncompleteStep({ referralSource: '9', children: [], adults: [] })).toEqual({ step: 'child', query: 'n=1' });
    const child = { firstName: 'M', lastName: 'J', born: 'yes' as const };
    expect(firstIncompleteStep({ ...named, children: [child], adults: [] })).toEqual({ step: 'adults' });
    expect(firstIncompleteStep({ ...named, children: [child], adultsKnown: 'yes', adults: [] })).toEqual({
      step: 'adult',
      query: 'n=1',
    });
    expect(firstIncompleteStep({ ...named, children: [child], adultsKnown: 'no', adults: [] })).toEqual({
      step: 'what-is-happening',
    });
  });

  it('about you: whatever is posted, either errors or answers the shared referrer schema accepts', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('name', 'email', 'phone', 'role', 'organisation'), fc.string({ maxLength: 30 })),
        (form) => {
          const result = parseAboutYou(form);
          if (result.ok) expect(z.safeParse(referralSubmissionSchema._zod.innerType.shape.referrer, result.answers).success).toBe(true);
          else expect(result.errors.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
