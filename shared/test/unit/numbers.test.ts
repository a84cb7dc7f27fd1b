import { wholeNumber } from '@fsp/shared/numbers';
import fc from 'fast-check';

it('writes whole numbers with a comma between groups of three digits, as en-GB does', () => {
  expect(wholeNumber(10_000)).toBe('10,000');
  expect(wholeNumber(999)).toBe('999');
  expect(wholeNumber(1_000)).toBe('1,000');
  expect(wholeNumber(-1_234_567)).toBe('-1,234,567');
  expect(wholeNumber(0)).toBe('0');
  fc.assert(
    fc.property(fc.maxSafeInteger(), (value) => {
      expect(wholeNumber(value)).toBe(value.toLocaleString('en-GB'));
    }),
  );
});

it('refuses what is not a whole number rather than write it wrongly', () => {
  for (const value of [1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) expect(() => wholeNumber(value)).toThrow(RangeError);
});
