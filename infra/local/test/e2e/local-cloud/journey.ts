/**
 * What the practice journeys share (practice-journeys, notification-journeys): a London wall-clock
 * moment, the functions' clock set to it, calls to the platform as one of the demo people, and a
 * schedule's function run at a moment as the scheduler would run it then.
 */
import { randomUUID } from 'node:crypto';
import { parseLocalDate } from '@fsp/shared/time/local-date';
import { londonWallClockInstant } from '@fsp/shared/time/london';
import type { LocalCloud } from '../../../src/local-cloud';
import { functionIdOf } from '../../../src/runtime/types';
import { scheduledEventFor } from '../../../src/scheduler/scheduler';

/** The journeys' referral: a health visitor's, of a baby whose mother's partner threatens her when drinking. */
export const healthVisitorReferral = {
  referrer: { name: 'Grace Bello', role: 'Health visitor', organisation: 'Calder Heath Health Visiting', email: 'hv@example.nhs.uk' },
  referralSource: '1B',
  children: [{ firstName: 'Noah', lastName: 'Reid', dateOfBirth: '2023-04-12', gender: 'male' }],
  adults: [{ firstName: 'Chloe', lastName: 'Reid', relationship: 'mother' }],
  concerns: {
    whatHappened: 'Noah’s mother told me her partner threatens her when he has been drinking; Noah was in the room.',
    whyNow: 'She asked for help for the first time at today’s visit.',
  },
  factors: ['3B'],
  consent: { familyKnows: true, consentGiven: true },
} as const;

/** A London wall-clock moment, as `london('2026-11-25', '11:00')`. */
export const london = (day: string, time: string): Date => {
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  return londonWallClockInstant(parseLocalDate(day), hour, minute);
};

export interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** An answer as an assertion shows it when it is not what was expected: which request, its status and body. */
export const failed = (answer: Answer, request: string) => ({ request, status: answer.status, body: answer.body });

/**
 * The journey's moves on a cloud started later (in `beforeAll`): `cloud` is read at each call, and
 * `tokens` holds each person's bearer token once they have one.
 */
export function journeyOn<Who extends string>(cloud: () => LocalCloud, tokens: ReadonlyMap<Who, string>, settleMs = 60_000) {
  /** The functions' clock reads `at` from now (and runs on from it), as the seed moves it. */
  const setClock = (at: Date): void => cloud().runtime.setClockOffset(at.getTime() - Date.now());

  async function call(who: Who, path: string, init: { method?: string; body?: unknown } = {}): Promise<Answer> {
    const method = init.method ?? 'GET';
    const response = await fetch(`${cloud().url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${tokens.get(who)}`,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(method === 'POST' ? { 'idempotency-key': randomUUID() } : {}),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  }

  /** The directory's `sub` of a demo worker. */
  const subOf = (username: string): string => {
    const entry = cloud()
      .issuer.directoryEntries()
      .find((candidate) => candidate.username === username);
    if (!entry) throw new Error(`the directory has no ${username}`);
    return entry.sub;
  };

  /** Everything the last moment set going has been carried through (events relayed, delivered and consumed), with no polling of our own. */
  const quiet = () => cloud().settled(settleMs);

  /** A schedule's function at `at`, as the scheduler would run it then; answers what the function returned once all it set going is done. */
  async function runSchedule<T>(service: string, functionName: string, scheduleName: string, at: Date): Promise<T> {
    setClock(at);
    const run = (await cloud().runtime.invoke(
      functionIdOf(service, functionName),
      scheduledEventFor(`${service}-${scheduleName}`, at),
    )) as T;
    await quiet();
    return run;
  }

  return { setClock, call, subOf, quiet, runSchedule };
}
