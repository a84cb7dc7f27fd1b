/**
 * The administrators' list of agencies carries its place in the address as an opaque cursor: one
 * the store gave out decodes to the same place, and anything else (mangled, forged, oversized) is
 * refused without throwing, so that the page can say so.
 */
import fc from 'fast-check';
import { type AgencyCursor, decodeAgencyCursor, encodeAgencyCursor } from '../../src/store/agencies-store';

const agencyId = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/);
/** As the store makes them: the agency's name in lower case, then its id. */
const cursor: fc.Arbitrary<AgencyCursor> = fc
  .tuple(fc.string({ maxLength: 200 }), agencyId)
  .map(([name, id]) => ({ agencyId: id, sortKey: `${name.toLowerCase()}#${id}` }));

describe('the agencies list’s cursor', () => {
  it('decodes every cursor the store gives out to the same place, in characters an address carries as they are', () => {
    fc.assert(
      fc.property(cursor, (given) => {
        const text = encodeAgencyCursor(given);
        expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(decodeAgencyCursor(text)).toEqual(given);
      }),
    );
  });

  it('refuses anything else without throwing, and accepts only what it would give out itself', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), (text) => {
        const decoded = decodeAgencyCursor(text);
        if (decoded !== undefined) expect(encodeAgencyCursor(decoded)).toBe(text);
      }),
    );
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = Buffer.from(JSON.stringify(value) ?? '', 'utf8').toString('base64url');
        const decoded = decodeAgencyCursor(text);
        if (decoded !== undefined) expect(decoded.sortKey.endsWith(`#${decoded.agencyId}`)).toBe(true);
      }),
    );
  });

  it('refuses a cursor changed by a character, one whose place is not its agency’s, and one too long to be real', () => {
    const text = encodeAgencyCursor({ agencyId: 'agency-oakfield-1a2b3c', sortKey: 'oakfield primary school#agency-oakfield-1a2b3c' });
    expect(decodeAgencyCursor(`${text}A`)).toBeUndefined();
    expect(decodeAgencyCursor(`${text.slice(0, -1)}${text.endsWith('A') ? 'B' : 'A'}`)).toBeUndefined();
    expect(decodeAgencyCursor(encodeAgencyCursor({ agencyId: 'agency-a', sortKey: 'name#agency-b' }))).toBeUndefined();
    expect(decodeAgencyCursor(encodeAgencyCursor({ agencyId: 'not an id', sortKey: 'name#not an id' }))).toBeUndefined();
    expect(decodeAgencyCursor('A'.repeat(1025))).toBeUndefined();
    expect(decodeAgencyCursor('')).toBeUndefined();
    expect(decodeAgencyCursor('not/base64')).toBeUndefined();
  });
});
