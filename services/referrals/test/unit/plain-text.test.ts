/**
 * Names and free text are refused when they hold an invisible or control character or a lone
 * surrogate (shared/src/text.ts), in every name and free-text field of both channels: the partner
 * API's body and the form's steps. Ordinary names in any script are accepted.
 *
 * The characters refused are listed here by code point, from the Unicode tables, rather than
 * taken from the production pattern, so that the tests check the pattern instead of repeating it.
 */
import { validate } from '@fsp/shared/events/field-issues';
import { isPlainText, PLAIN_TEXT_MESSAGE } from '@fsp/shared/text';
import fc from 'fast-check';
import { formSubmissionSchema, referralSubmissionSchema } from '../../src/domain/submission';
import { parseAboutYou, parseAdult, parseChild, parseConcerns, parseConsent, type RawForm, type StepResult } from '../../src/web/steps';
import { schoolReferral } from '../support/fixtures';

const TODAY = '2026-11-23';
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** C0 controls but the three a textarea may hold, DEL, and the C1 controls. */
const TEXTAREA_WHITESPACE = [0x09, 0x0a, 0x0d];
const C0_AND_C1 = [...range(0x00, 0x1f).filter((c) => !TEXTAREA_WHITESPACE.includes(c)), 0x7f, ...range(0x80, 0x9f)];
const BIDI = [...range(0x202a, 0x202e), ...range(0x2066, 0x2069), 0x200e, 0x200f, 0x061c];
const ZERO_WIDTH = [0x200b, 0x200c, 0x200d, 0x2060, 0xfeff];
/** Other format (Cf) characters: soft hyphen, Arabic number signs, invisible operators, tags, and more. */
const OTHER_FORMAT = [
  0x00ad,
  ...range(0x0600, 0x0605),
  0x06dd,
  0x070f,
  0x180e,
  ...range(0x2061, 0x2064),
  ...range(0x206a, 0x206f),
  ...range(0xfff9, 0xfffb),
  0x110bd,
  ...range(0x1bca0, 0x1bca3),
  ...range(0x1d173, 0x1d17a),
  0xe0001,
  ...range(0xe0020, 0xe007f),
];
const REFUSED_EVERYWHERE = [...C0_AND_C1, ...BIDI, ...ZERO_WIDTH, ...OTHER_FORMAT];

/** One character no name or free text may hold, wherever it is: a control, a format character, or a lone surrogate. */
const refused: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...REFUSED_EVERYWHERE).map((code) => String.fromCodePoint(code)),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit)),
);
/** Line breaks and tabs: refused on one line, allowed in a textarea. */
const lineBreakOrTab = fc.constantFrom('\t', '\n', '\r', '\r\n');

/** Names as people write them: accents, apostrophes, hyphens, spaces; Welsh, Irish, Polish, Arabic, and more. */
const NAME_PARTS = [
  'Siân',
  'Llŷr',
  'Dafydd',
  'Gwenllïan',
  'Ŵyn',
  'Ffion',
  'O’Brien',
  "O'Neill",
  'Saoirse',
  'Łukasz',
  'Żaneta',
  'Wójcik',
  'Grzegorz',
  'Ćwikła',
  'محمد',
  'فاطمة',
  'عبد الله',
  'Zoë',
  'José',
  'François',
  'Ngozi',
  'Nguyễn',
  'Þórunn',
  'Smith-Jones',
  'Anne-Marie',
  'Björk',
  'Ødegaard',
  'Ştefan',
  'Ζωή',
  'Алёна',
  'संजय',
  '李',
  'Kwame',
];
const name = fc
  .array(fc.constantFrom(...NAME_PARTS), { minLength: 1, maxLength: 3 })
  .chain((parts) => fc.constantFrom(' ', '-').map((separator) => parts.join(separator)));
/** Free text: sentences of names and punctuation, over several lines. */
const freeText = fc
  .array(fc.tuple(name, fc.constantFrom('.', ',', '!', '?', ' – ', ' said “no”.', ' (aged 7).')), { minLength: 1, maxLength: 6 })
  .chain((sentences) =>
    fc
      .array(fc.constantFrom(' ', '\n', '\r\n', '\n\n', '\t'), { minLength: sentences.length, maxLength: sentences.length })
      .map((gaps) => sentences.map(([words, end], i) => `${words}${end}${i < sentences.length - 1 ? gaps[i] : ''}`).join('')),
  );

/** `text` with `bad` put between two of its code points (never at an end, where trimming could remove it). */
const containing = (text: fc.Arbitrary<string>, bad: fc.Arbitrary<string>) =>
  fc.tuple(text, text, bad).map(([before, after, character]) => `${before}${character}${after}`);

describe('isPlainText', () => {
  it('refuses any text holding a control or format character or a lone surrogate, on one line or many', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 20 }), fc.string({ unit: 'grapheme', maxLength: 20 }), refused, (a, b, bad) => {
        expect(isPlainText(`${a}${bad}${b}`)).toBe(false);
        expect(isPlainText(`${a}${bad}${b}`, { multiline: true })).toBe(false);
      }),
      { numRuns: 2_000 },
    );
  });

  it('allows line breaks and tabs in multi-line text only', () => {
    fc.assert(
      fc.property(containing(name, lineBreakOrTab), (text) => {
        expect(isPlainText(text)).toBe(false);
        expect(isPlainText(text, { multiline: true })).toBe(true);
      }),
    );
  });

  it('accepts names and sentences in any script', () => {
    fc.assert(
      fc.property(name, freeText, (aName, text) => {
        expect(isPlainText(aName)).toBe(true);
        expect(isPlainText(text, { multiline: true })).toBe(true);
      }),
    );
  });

  it('accepts well-formed text outside the basic plane, such as emoji, and refuses each half of it alone', () => {
    expect(isPlainText('Mia 😀')).toBe(true);
    expect(isPlainText('Mia \ud83d')).toBe(false);
    expect(isPlainText('Mia \ude00 Jones')).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// The submission both channels share.

type Path = readonly (string | number)[];
const SINGLE_LINE_PATHS: Path[] = [
  ['referrer', 'name'],
  ['referrer', 'role'],
  ['referrer', 'organisation'],
  ['children', 0, 'firstName'],
  ['children', 0, 'lastName'],
  ['children', 0, 'school'],
  ['children', 0, 'address', 'line1'],
  ['children', 0, 'address', 'line2'],
  ['children', 0, 'address', 'town'],
  ['adults', 0, 'firstName'],
  ['adults', 0, 'lastName'],
  ['adults', 0, 'relationship'],
];
const MULTI_LINE_PATHS: Path[] = [
  ['concerns', 'whatHappened'],
  ['concerns', 'whyNow'],
  ['consent', 'withoutConsentReason'],
];
const jsonPath = (path: Path) => `$${path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${key}`)).join('')}`;

/** A valid body whose field at `path` is `value` (the school referral has every one of these fields). */
function bodyWith(path: Path, value: string): Record<string, unknown> {
  const body = structuredClone(schoolReferral()) as Record<string, unknown>;
  (body.children as Record<string, unknown>[])[0]!.address = {
    line1: '12 Elm Road',
    line2: 'Flat 2',
    town: 'Northtown',
    postcode: 'NT1 4AB',
  };
  let node = body as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = value;
  return body;
}

describe('the submission (partner API and form)', () => {
  const schemas = [
    ['partner API', referralSubmissionSchema],
    ['form', formSubmissionSchema],
  ] as const;

  it.each(schemas)('%s: refuses an invisible or control character in any name or free-text field, naming the field', (_, schema) => {
    fc.assert(
      fc.property(fc.constantFrom(...SINGLE_LINE_PATHS, ...MULTI_LINE_PATHS), containing(name, refused), (path, value) => {
        const result = validate(schema, bodyWith(path, value));
        expect(result.success).toBe(false);
        if (!result.success) expect(result.issues).toEqual([{ path: jsonPath(path), message: PLAIN_TEXT_MESSAGE }]);
      }),
      { numRuns: 1_000 },
    );
  });

  it.each(schemas)('%s: refuses a line break or tab in a one-line field, allows them in free text', (_, schema) => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SINGLE_LINE_PATHS),
        fc.constantFrom(...MULTI_LINE_PATHS),
        containing(name, lineBreakOrTab),
        (one, many, value) => {
          expect(validate(schema, bodyWith(one, value))).toMatchObject({ success: false, issues: [{ path: jsonPath(one) }] });
          expect(validate(schema, bodyWith(many, value)).success).toBe(true);
        },
      ),
    );
  });

  it.each(schemas)('%s: accepts names in any script and free text over several lines', (_, schema) => {
    fc.assert(
      fc.property(fc.constantFrom(...SINGLE_LINE_PATHS), name, fc.constantFrom(...MULTI_LINE_PATHS), freeText, (one, aName, many, text) => {
        const result = validate(schema, bodyWith(many, text.slice(0, 2_000)));
        expect(result.success).toBe(true);
        expect(validate(schema, bodyWith(one, aName)).success).toBe(true);
      }),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// The form's steps, which say it in words.

interface FormField {
  step: string;
  field: string;
  multiline: boolean;
  parse: (form: RawForm) => StepResult<unknown>;
  form: RawForm;
}
const child: RawForm = {
  firstName: 'Mia',
  lastName: 'Jones',
  born: 'yes',
  addressLine1: '1 High St',
  town: 'Northtown',
  postcode: 'NE1 4ST',
};
const FORM_FIELDS: FormField[] = [
  ...['name', 'role', 'organisation'].map((field) => ({
    step: 'about-you',
    field,
    multiline: false,
    parse: parseAboutYou,
    form: { name: 'Amara Okafor', email: 'a@example.org' },
  })),
  ...['firstName', 'lastName', 'addressLine1', 'addressLine2', 'town', 'school'].map((field) => ({
    step: 'child',
    field,
    multiline: false,
    parse: (form: RawForm) => parseChild(form, TODAY),
    form: child,
  })),
  ...['firstName', 'lastName', 'relationship'].map((field) => ({
    step: 'adult',
    field,
    multiline: false,
    parse: (form: RawForm) => parseAdult(form, TODAY),
    form: { firstName: 'Kerry', lastName: 'Jones', relationship: 'mother' },
  })),
  ...['whatHappened', 'whyNow'].map((field) => ({
    step: 'what-is-happening',
    field,
    multiline: true,
    parse: parseConcerns,
    form: { whatHappened: 'x', whyNow: 'y', factors: '3B' },
  })),
  {
    step: 'consent',
    field: 'withoutConsentReason',
    multiline: true,
    parse: parseConsent,
    form: { familyKnows: 'no', consentGiven: 'no', withoutConsentReason: 'risk' },
  },
];

describe('the form’s steps', () => {
  it('refuse an invisible or control character in any name or free-text field, saying so at that field', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FORM_FIELDS), containing(name, refused), ({ parse, form, field }, value) => {
        const result = parse({ ...form, [field]: value });
        expect(result.ok).toBe(false);
        if (!result.ok) {
          expect(result.errors).toHaveLength(1);
          expect(result.errors[0]?.field).toBe(field);
          expect(result.errors[0]?.message).toMatch(/ must not contain invisible or control characters – type it in again/);
        }
      }),
      { numRuns: 1_000 },
    );
  });

  it('refuse a line break or tab inside a one-line answer, and keep them in free text', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FORM_FIELDS), containing(name, lineBreakOrTab), ({ parse, form, field, multiline }, value) => {
        const result = parse({ ...form, [field]: value });
        expect(result.ok).toBe(multiline);
        if (result.ok) expect((result.answers as Record<string, unknown>)[field]).toBe(value);
      }),
    );
  });

  it('accept names in any script, and keep them as typed', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FORM_FIELDS), name, ({ parse, form, field }, value) => {
        const result = parse({ ...form, [field]: value });
        expect(result).toMatchObject({ ok: true, answers: { [field]: value } });
      }),
    );
  });
});
