import fc from 'fast-check';
import { conditionCheckUnits, type Image, itemSize, transactionalUnits, valueSize, writeUnits } from '../../../../bench/write-units';
import { TABLE_KEYS } from '../../../src/table';

const indexes = [TABLE_KEYS.gsi1];
const text = (bytes: number) => 'x'.repeat(bytes);

describe('an item’s size, as DynamoDB counts it', () => {
  it('adds each attribute’s name and value: strings in UTF-8 bytes, numbers by significant digits, lists and maps with their overhead', () => {
    expect(itemSize({ pk: { S: 'REFERRAL#1' }, sk: { S: 'REFERRAL' } })).toBe(2 + 10 + 2 + 8);
    expect(valueSize({ S: 'é' })).toBe(2);
    expect(valueSize({ N: '12345' })).toBe(4);
    expect(valueSize({ N: '0.0100' })).toBe(2);
    expect(valueSize({ BOOL: true })).toBe(1);
    expect(valueSize({ L: [{ S: 'ab' }, { NULL: true }] })).toBe(3 + 3 + 2);
    expect(valueSize({ M: { a: { S: 'bc' } } })).toBe(3 + 1 + 2 + 1);
  });

  it('grows by exactly the bytes a string attribute adds', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1, maxLength: 20 }), (value, name) => {
        const base: Image = { pk: { S: 'P' }, sk: { S: 'S' } };
        const key = `a${name}`;
        expect(itemSize({ ...base, [key]: { S: value } })).toBe(itemSize(base) + Buffer.byteLength(key) + Buffer.byteLength(value));
      }),
    );
  });
});

describe('a write’s units, as AWS bills them', () => {
  const item = (bytes: number, inIndex?: string): Image => ({
    pk: { S: 'P' },
    sk: { S: 'S' },
    body: { S: text(bytes) },
    ...(inIndex ? { gsi1pk: { S: inIndex }, gsi1sk: { S: '1' } } : {}),
  });

  it('costs a unit per KB of the larger of the item before and after, a delete of the item deleted', () => {
    expect(writeUnits(undefined, item(100), indexes)).toEqual({ table: 1, indexes: 0 });
    expect(writeUnits(item(2500), item(100), indexes)).toEqual({ table: 3, indexes: 0 });
    expect(writeUnits(item(1500), undefined, indexes)).toEqual({ table: 2, indexes: 0 });
  });

  it('adds the index: an entry put, updated, deleted, or moved (a delete and a put)', () => {
    expect(writeUnits(undefined, item(100, 'QUEUE'), indexes)).toEqual({ table: 1, indexes: 1 });
    expect(writeUnits(item(100, 'QUEUE'), item(1500, 'QUEUE'), indexes)).toEqual({ table: 2, indexes: 2 });
    expect(writeUnits(item(100, 'QUEUE'), item(100), indexes)).toEqual({ table: 1, indexes: 1 });
    expect(writeUnits(item(100, 'QUEUE'), item(1500, 'DONE'), indexes)).toEqual({ table: 2, indexes: 1 + 2 });
  });

  it('doubles everything in a transaction, and prices a condition check as a write of the item checked', () => {
    expect(transactionalUnits({ table: 2, indexes: 1 })).toBe(6);
    expect(conditionCheckUnits(1500)).toBe(4);
    expect(conditionCheckUnits(0)).toBe(2);
  });

  it('never costs less than one unit per write, nor less for a larger item', () => {
    fc.assert(
      fc.property(fc.nat(5000), fc.nat(5000), (smaller, more) => {
        const small = writeUnits(undefined, item(smaller), indexes).table;
        expect(small).toBeGreaterThanOrEqual(1);
        expect(writeUnits(undefined, item(smaller + more), indexes).table).toBeGreaterThanOrEqual(small);
      }),
    );
  });
});
