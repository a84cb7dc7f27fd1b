/**
 * The functions' clock offset (FunctionRuntime.setClockOffset), which `npm start -- --seed` uses
 * to submit referrals as they would have arrived days ago: every way function code reads the time
 * moves together, at once in a warm environment and from the start in a new one; dates built from
 * a value do not move, and neither does the invocation's deadline.
 */
import { join } from 'node:path';
import { createFunctionRuntime, type FunctionRuntime } from '../../../src/runtime/function-runtime';

const fixtures = join(__dirname, '../fixtures/functions');
const DAY_MS = 24 * 60 * 60 * 1000;

interface ClockAnswer {
  newDate: number;
  dateNow: number;
  subclass: number;
  subclassIsDate: boolean;
  fromValue: string;
  parsed: number;
  utc: number;
  called: string;
  isDate: boolean;
  tag: string;
  remainingMs: number;
}

describe('the functions’ clock offset', () => {
  let runtime: FunctionRuntime;

  beforeAll(() => {
    runtime = createFunctionRuntime(
      [
        { id: 'warm-clock', entry: join(fixtures, 'clock.ts'), environment: {}, timeoutMs: 5_000 },
        { id: 'cold-clock', entry: join(fixtures, 'clock.ts'), environment: {}, timeoutMs: 5_000 },
      ],
      { region: 'eu-west-2', accountId: '000000000000' },
    );
  });
  afterAll(() => runtime.stop());

  const ask = async (id: string) => {
    const before = Date.now();
    const answer = (await runtime.invoke(id, {})) as ClockAnswer;
    return { answer, before, after: Date.now() };
  };
  /** Every reading of "now" in the function lies within the call, moved by `offset`. */
  const expectNowWithin = ({ answer, before, after }: Awaited<ReturnType<typeof ask>>, offset: number) => {
    for (const reading of [answer.newDate, answer.dateNow, answer.subclass, Date.parse(answer.called)]) {
      // Date() has whole seconds only.
      expect(reading).toBeGreaterThanOrEqual(before + offset - 1_000);
      expect(reading).toBeLessThanOrEqual(after + offset);
    }
  };

  it('is the real time unless set', async () => {
    expect(runtime.clockOffset()).toBe(0);
    expectNowWithin(await ask('warm-clock'), 0);
  });

  it('moves every reading of now in a warm environment at once, and nothing else', async () => {
    await ask('warm-clock');
    runtime.setClockOffset(-15 * DAY_MS);
    expect(runtime.clockOffset()).toBe(-15 * DAY_MS);
    const shifted = await ask('warm-clock');
    expectNowWithin(shifted, -15 * DAY_MS);
    expect(shifted.answer).toMatchObject({
      fromValue: '2026-01-05T09:30:00.000Z',
      parsed: Date.parse('2026-01-05T09:30:00Z'),
      utc: Date.UTC(2026, 0, 5),
      isDate: true,
      subclassIsDate: true,
      tag: '[object Date]',
    });
    // The deadline is real time: 5 s less what the call took, not 15 days more.
    expect(shifted.answer.remainingMs).toBeGreaterThan(0);
    expect(shifted.answer.remainingMs).toBeLessThanOrEqual(5_000);
  });

  it('reaches an environment started after it was set, and goes back to the real time', async () => {
    runtime.setClockOffset(-3 * DAY_MS);
    expectNowWithin(await ask('cold-clock'), -3 * DAY_MS);
    runtime.setClockOffset(0);
    expectNowWithin(await ask('cold-clock'), 0);
    expectNowWithin(await ask('warm-clock'), 0);
  });

  it('refuses an offset that is not a whole number of milliseconds', () => {
    expect(() => runtime.setClockOffset(1.5)).toThrow(RangeError);
    expect(() => runtime.setClockOffset(Number.NaN)).toThrow(RangeError);
    expect(runtime.clockOffset()).toBe(0);
  });
});
