import { byCodeUnits } from '@fsp/shared/order';
import fc from 'fast-check';

it('orders text by code units, as the default sort and DynamoDB keys do, whatever the locale would say', () => {
  fc.assert(
    fc.property(fc.array(fc.string()), (texts) => {
      expect([...texts].sort(byCodeUnits)).toEqual([...texts].sort());
    }),
  );
  // Collation would put these the other way round, or call them equal.
  expect(['b', 'B', 'a-1', 'a1'].sort(byCodeUnits)).toEqual(['B', 'a-1', 'a1', 'b']);
  expect(byCodeUnits('2026-01-05T09:30:00.000Z', '2026-01-05T09:30:00.000Z')).toBe(0);
});
