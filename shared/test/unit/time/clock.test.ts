import { fixedClock, systemClock } from '@fsp/shared/time/clock';

describe('clocks', () => {
  it('a fixed clock always tells the instant it was set to, whatever the offset notation', () => {
    const clock = fixedClock('2026-03-29T01:30:00+01:00');
    expect(clock().toISOString()).toBe('2026-03-29T00:30:00.000Z');
    expect(clock().toISOString()).toBe('2026-03-29T00:30:00.000Z');
  });

  it('hands out a fresh Date each time, so one caller mutating it cannot move another caller’s time', () => {
    const clock = fixedClock('2026-12-24T16:00:00Z');
    clock().setUTCFullYear(1999);
    expect(clock().toISOString()).toBe('2026-12-24T16:00:00.000Z');
  });

  it.each(['2026-03-29T01:30:00', '2026-03-29', 'yesterday', '2026-02-30T00:00:00Z'])(
    'refuses %j, which has no offset or is not a real instant',
    (iso) => {
      expect(() => fixedClock(iso)).toThrow();
    },
  );

  it('the system clock tells the current time', () => {
    const before = Date.now();
    const now = systemClock().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});
