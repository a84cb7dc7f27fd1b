import * as z from 'zod/mini';
import { onFirstUse } from '../first-use';

/**
 * The only way domain code learns the time. Handlers pass `systemClock`; tests pass `fixedClock`,
 * so every timescale can be checked at any instant (clock changes, year ends) without waiting for one.
 */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

// An offset is required: a bare local time would be read in the machine's time zone, which is UTC in
// Lambda but Europe/London on a developer's laptop, and tests would pass on one and fail on the other.
// Built on first use: only tests stop the clock, and every function bundle holds this module.
const instantSchema = onFirstUse(() => z.iso.datetime({ offset: true }));

/** A clock stopped at `iso` (e.g. '2026-03-29T00:30:00Z' or '2026-03-29T00:30:00+01:00'). */
export function fixedClock(iso: string): Clock {
  const millis = Date.parse(instantSchema().parse(iso));
  // A fresh Date per call: Date is mutable and one caller's setHours must not move another caller's time.
  return () => new Date(millis);
}
