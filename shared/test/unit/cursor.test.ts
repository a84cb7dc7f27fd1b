import fc from 'fast-check';
import * as z from 'zod/mini';
import { jsonCursorCodec } from '../../src/cursor';

const schema = () => z.strictObject({ pk: z.string(), sk: z.string() });
const codec = jsonCursorCodec(schema, { maxLength: 200, accepts: (cursor) => cursor.pk.startsWith('ITEM#') });
const position = fc.record({ pk: fc.string({ maxLength: 20 }).map((rest) => `ITEM#${rest}`), sk: fc.string({ maxLength: 20 }) });

describe('jsonCursorCodec', () => {
  it('gives back every position it encoded', () => {
    fc.assert(fc.property(position, (given) => expect(codec.decode(codec.encode(given))).toEqual(given)));
  });

  it('refuses, without throwing, anything it could not have issued', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const decoded = codec.decode(text);
        if (decoded !== undefined) expect(codec.encode(decoded)).toBe(text);
      }),
    );
    const spelled = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
    expect(codec.decode('')).toBeUndefined();
    expect(codec.decode('not base64url!')).toBeUndefined();
    expect(codec.decode(Buffer.from('{not json', 'utf8').toString('base64url'))).toBeUndefined();
    // Another list's position, an extra field, the same position spelled differently, an oversized one.
    expect(codec.decode(spelled({ pk: 'OTHER#1', sk: 'a' }))).toBeUndefined();
    expect(codec.decode(spelled({ pk: 'ITEM#1', sk: 'a', extra: 1 }))).toBeUndefined();
    expect(codec.decode(spelled({ sk: 'a', pk: 'ITEM#1' }))).toBeUndefined();
    expect(codec.decode(spelled({ pk: 'ITEM#1', sk: 'a'.repeat(200) }))).toBeUndefined();
    expect(codec.decode(spelled({ pk: 'ITEM#1', sk: 'a' }))).toEqual({ pk: 'ITEM#1', sk: 'a' });
  });
});
