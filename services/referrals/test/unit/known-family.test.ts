import fc from 'fast-check';
import {
  bestMatches,
  compareChildren,
  type FamilyMatch,
  matchKeysOf,
  type NormalisedChild,
  normaliseChild,
  normaliseName,
  normalisePostcode,
} from '../../src/domain/known-family';

const RUNS = { numRuns: 2_000 };

/** A name word: Latin letters, some accented, never a title. */
const letters = 'abcdefghijklmnopqrstuvwxyzéèêëáàâäãåçñóòôöõúùûüíìîïýÿøłßæœ'.split('');
const word = fc
  .array(fc.constantFrom(...letters), { minLength: 2, maxLength: 10 })
  .map((chars) => chars.join(''))
  .filter(
    (w) => !['mr', 'mrs', 'ms', 'miss', 'mx', 'master', 'dr', 'prof', 'rev', 'sir', 'dame', 'lady', 'lord'].includes(normaliseName(w)),
  );
const words = fc.array(word, { minLength: 1, maxLength: 3 });
const separator = fc.constantFrom(' ', '  ', '-', "'", '’', ' - ', '', '.', '\t');
const date = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

const joinWith = (parts: string[], separators: string[]) =>
  parts.map((part, i) => (i === 0 ? part : `${separators[i - 1] ?? ' '}${part}`)).join('');

describe('normaliseName', () => {
  it.each([
    ["O'Brien", 'O Brien', 'obrien'],
    ['Smith-Jones', 'smith jones', 'smithjones'],
    ['ZOË', 'Zoe', 'zoe'],
    ['Łukasz', 'Lukasz', 'lukasz'],
    ['Strauß', 'STRAUSS', 'strauss'],
    ['Miss Mia', 'mia', 'mia'],
    ['Master Tom Jones', 'Tom-Jones', 'tomjones'],
    ['  Mary  Ann ', 'Maryann', 'maryann'],
    ['Dr. Zhang', 'Zhang', 'zhang'],
  ])('%s and %s both normalise to %s', (a, b, expected) => {
    expect(normaliseName(a)).toBe(expected);
    expect(normaliseName(b)).toBe(expected);
  });

  it('leaves Mc and Mac as they are, and keeps a name that is only a title', () => {
    expect(normaliseName('McDonald')).toBe('mcdonald');
    expect(normaliseName('MacDonald')).toBe('macdonald');
    expect(normaliseName('Mc Donald')).toBe('mcdonald');
    expect(normaliseName('Miss')).toBe('miss');
  });

  it('is idempotent, for any string at all', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (name) => normaliseName(normaliseName(name)) === normaliseName(name)),
      RUNS,
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (name) => normaliseName(normaliseName(name)) === normaliseName(name)),
      RUNS,
    );
  });

  it('is insensitive to case', () => {
    fc.assert(
      fc.property(words, (parts) => {
        const name = parts.join(' ');
        return normaliseName(name.toUpperCase()) === normaliseName(name) && normaliseName(name.toLowerCase()) === normaliseName(name);
      }),
      RUNS,
    );
  });

  it('is insensitive to diacritics', () => {
    const strip = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '');
    fc.assert(
      fc.property(words, (parts) => normaliseName(strip(parts.join(' '))) === normaliseName(parts.join(' '))),
      RUNS,
    );
    // Composed and decomposed forms of the same letters are the same name.
    fc.assert(
      fc.property(words, (parts) => normaliseName(parts.join(' ').normalize('NFD')) === normaliseName(parts.join(' ').normalize('NFC'))),
      RUNS,
    );
  });

  it('is insensitive to spaces, hyphens and apostrophes between words, and around the name', () => {
    fc.assert(
      fc.property(
        words,
        fc.array(separator, { minLength: 3, maxLength: 3 }),
        fc.array(separator, { minLength: 3, maxLength: 3 }),
        (parts, these, those) => {
          const a = `${these[0]}${joinWith(parts, these)}${these[1]}`;
          const b = joinWith(parts, those);
          return normaliseName(a) === normaliseName(b) && normaliseName(b) === parts.map(normaliseName).join('');
        },
      ),
      RUNS,
    );
  });

  it('ignores a leading title before a name', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('Mr', 'Mrs', 'Ms', 'Miss', 'Master', 'Dr.'),
        words,
        (title, parts) => normaliseName(`${title} ${parts.join(' ')}`) === normaliseName(parts.join(' ')),
      ),
      RUNS,
    );
  });
});

describe('normalisePostcode', () => {
  it('ignores case and spaces', () => {
    expect(normalisePostcode('nt1 4ab')).toBe('NT14AB');
    expect(normalisePostcode('NT14AB')).toBe('NT14AB');
  });
});

describe('compareChildren: name and date of birth, the postcode breaks the tie', () => {
  const mia = (overrides: Partial<Parameters<typeof normaliseChild>[0]> = {}) =>
    normaliseChild({ firstName: 'Mia', lastName: 'Jones', unborn: false, dateOfBirth: '2018-03-14', postcode: 'NT1 4AB', ...overrides });

  it.each([
    ['same name, date of birth and postcode', mia({ firstName: 'MIA', postcode: 'nt14ab' }), 'strong'],
    ['same name and date of birth, another postcode', mia({ postcode: 'SW1A 1AA' }), 'possible'],
    ['same name and date of birth, no postcode', mia({ postcode: undefined }), 'possible'],
    ['another date of birth, same postcode', mia({ dateOfBirth: '2018-03-15' }), undefined],
    ['date of birth unknown, same postcode', mia({ dateOfBirth: undefined }), 'possible'],
    ['date of birth unknown, another postcode', mia({ dateOfBirth: undefined, postcode: 'SW1A 1AA' }), undefined],
    ['unborn (expected date equal), same postcode', mia({ unborn: true }), 'possible'],
    ['unborn, no postcode', mia({ unborn: true, postcode: undefined }), undefined],
    ['another first name', mia({ firstName: 'Maya' }), undefined],
    ['McDonald and MacDonald', mia({ lastName: 'MacDonald' }), undefined],
  ])('%s', (_, candidate, expected) => {
    const known = candidate.lastName === 'macdonald' ? mia({ lastName: 'McDonald' }) : mia();
    expect(compareChildren(candidate, known)).toBe(expected);
    expect(compareChildren(known, candidate)).toBe(expected);
  });

  const child = fc.record({
    firstName: words.map((w) => w.join(' ')),
    lastName: words.map((w) => w.join('-')),
    unborn: fc.boolean(),
    dateOfBirth: fc.option(date, { nil: undefined }),
    postcode: fc.option(fc.constantFrom('NT1 4AB', 'nt14ab', 'SW1A 1AA', 'M1 1AE'), { nil: undefined }),
  });

  it('never matches children with different dates of birth', () => {
    fc.assert(
      fc.property(child, date, date, (base, a, b) => {
        fc.pre(a !== b);
        const one = normaliseChild({ ...base, unborn: false, dateOfBirth: a });
        const other = normaliseChild({ ...base, unborn: false, dateOfBirth: b });
        return compareChildren(one, other) === undefined;
      }),
      RUNS,
    );
  });

  it('is symmetric, and every match shares a match key (so the index lookup finds it)', () => {
    fc.assert(
      fc.property(child, child, fc.boolean(), (a, b, sameName) => {
        const one = normaliseChild(a);
        const other: NormalisedChild = normaliseChild(sameName ? { ...b, firstName: a.firstName, lastName: a.lastName } : b);
        const strength = compareChildren(one, other);
        if (strength !== compareChildren(other, one)) return false;
        if (strength === undefined) return true;
        const keys = new Set(matchKeysOf(one));
        return matchKeysOf(other).some((key) => keys.has(key));
      }),
      RUNS,
    );
  });

  it('matches a child to itself strongly when date of birth and postcode are known', () => {
    fc.assert(
      fc.property(child, date, (base, dob) => {
        const one = normaliseChild({ ...base, unborn: false, dateOfBirth: dob, postcode: 'NT1 4AB' });
        return compareChildren(one, one) === 'strong';
      }),
      RUNS,
    );
  });
});

describe('bestMatches', () => {
  const match = (overrides: Partial<FamilyMatch>): FamilyMatch => ({
    childId: 'c1',
    strength: 'possible',
    referralId: 'r1',
    reference: 'FSP-2026-AAAAAA',
    receivedAt: '2026-01-01T00:00:00.000Z',
    matchedChildId: 'e1',
    ...overrides,
  });
  it('keeps the strongest per pair of children, strongest then newest first', () => {
    const result = bestMatches(
      [
        match({}),
        match({ strength: 'strong' }),
        match({ referralId: 'r2', receivedAt: '2026-02-01T00:00:00.000Z' }),
        match({ referralId: 'r3', receivedAt: '2025-02-01T00:00:00.000Z', strength: 'strong' }),
      ],
      10,
    );
    expect(result.map((m) => [m.referralId, m.strength])).toEqual([
      ['r1', 'strong'],
      ['r3', 'strong'],
      ['r2', 'possible'],
    ]);
  });
});
