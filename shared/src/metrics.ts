/**
 * The platform's business metrics (issue 16, ADR 0022): Powertools Metrics in CloudWatch's embedded
 * metric format (EMF), one JSON line on the function's stdout per set of dimensions. CloudWatch
 * Logs turns each line into metric data in the `FamilySafeguarding` namespace; locally the same
 * lines are in the function's output, which the local cloud passes on.
 *
 * Code records a count where it already logs the business event (`recordMetric`); the shared
 * wrappers flush once per invocation (`flushMetrics`: the HTTP handler, the event consumer, the
 * timer runs and the schedules that count). Counts wait in this module until then, so a request
 * that records three things writes one line, not three.
 *
 * Every metric is counted by service and stage (from `POWERTOOLS_SERVICE_NAME` and `STAGE`, which
 * the platform sets) and by the dimensions the catalogue below names. Their values are closed sets
 * chosen by the code (a channel, an outcome, a subscription's or an event's name), never anything
 * a request or an event carries: no ids, no names, no dates (QUALITY.md, security 10; ADR 0021).
 * A value that does not look like a word of code is refused, so a mistake fails its tests.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ReferralOutcome } from './events/codes';
import { PLATFORM_ENV } from './manifest';

export const METRICS_NAMESPACE = 'FamilySafeguarding';

/** Each business metric and what it is counted by. */
export interface BusinessMetricDimensions {
  /** A referral stored, by the way it came. */
  ReferralsReceived: { channel: 'partner-api' | 'web-form' };
  /** A front-door decision recorded, by its outcome and whether it was made by the referral's deadline. */
  ReferralsDecided: { outcome: ReferralOutcome; timeliness: 'on-time' | 'late' };
  /** An event committed to the outbox with the change it reports (the stream carries it to the bus), by detail-type. */
  EventsPublished: { event: string };
  /** An event handled by a consumer (once per fact: a redelivery the idempotency record answers is not counted). */
  EventsConsumed: { subscription: string };
  /** A webhook attempt that failed: retried later, or dead-lettered after 24 hours. */
  WebhookDeliveryFailed: { outcome: 'retrying' | 'dead-lettered' };
  /** An email that could not be sent (refused, failed, or bounced with no attempts left): to a referrer or to workers. */
  EmailFailed: { email: 'referrer' | 'worker' };
}

export type BusinessMetric = keyof BusinessMetricDimensions;

/** The dimension names of each metric, in the order CloudWatch shows them (after service and stage). */
export const BUSINESS_METRICS: { readonly [M in BusinessMetric]: readonly (keyof BusinessMetricDimensions[M])[] } = {
  ReferralsReceived: ['channel'],
  ReferralsDecided: ['outcome', 'timeliness'],
  EventsPublished: ['event'],
  EventsConsumed: ['subscription'],
  WebhookDeliveryFailed: ['outcome'],
  EmailFailed: ['email'],
};

/**
 * A word of code: a manifest name (`known-family-check`), an outcome, an event's detail-type
 * (`ReferralSubmitted`). Letters and single hyphens, at most two digits: an id, a reference or a
 * date always has more.
 */
const DIMENSION_VALUE = /^[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*$/;
const MAX_DIMENSION_VALUE_LENGTH = 64;
const MAX_DIGITS = 2;

const isWordOfCode = (value: unknown): value is string =>
  typeof value === 'string' &&
  value.length <= MAX_DIMENSION_VALUE_LENGTH &&
  DIMENSION_VALUE.test(value) &&
  value.replace(/[^0-9]/g, '').length <= MAX_DIGITS;

interface Pending {
  metric: BusinessMetric;
  dimensions: Record<string, string>;
  value: number;
}

const pending = new Map<string, Pending>();
// Built at the first flush that has something to write: many invocations (a page, a GET) count nothing (ADR 0009).
let powertools: Metrics | undefined;

/** Adds `value` (1 by default) to a business metric; written at the invocation's flush. */
export function recordMetric<M extends BusinessMetric>(metric: M, dimensions: BusinessMetricDimensions[M], value = 1): void {
  const names = BUSINESS_METRICS[metric] as readonly string[];
  const given = dimensions as Record<string, string>;
  const ordered: Record<string, string> = {};
  for (const name of names) {
    const dimension = given[name];
    if (!isWordOfCode(dimension)) {
      throw new Error(`${metric}: dimension ${name} must be a word of code (letters, hyphens, at most two digits; 64 long), not data`);
    }
    ordered[name] = dimension;
  }
  if (!Number.isFinite(value) || value < 0) throw new Error(`${metric}: value must be a finite count, got ${value}`);
  const key = `${metric}\u0000${JSON.stringify(ordered)}`;
  const entry = pending.get(key);
  if (entry) entry.value += value;
  else pending.set(key, { metric, dimensions: ordered, value });
}

export interface FlushOptions {
  /** Where each EMF line goes; stdout by default, as CloudWatch Logs (and the local cloud) read it. */
  write?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

const toStdout = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** Powertools' own switch: `POWERTOOLS_METRICS_DISABLED`, else `POWERTOOLS_DEV` (a developer's machine) turns metrics off. */
function metricsDisabled(env: NodeJS.ProcessEnv): boolean {
  const disabled = env.POWERTOOLS_METRICS_DISABLED;
  if (disabled !== undefined) return disabled.toLowerCase() === 'true';
  return env.POWERTOOLS_DEV?.toLowerCase() === 'true';
}

/**
 * Writes what was recorded since the last flush, one EMF line per set of dimensions, and forgets it.
 * Writes nothing when nothing was recorded, or when metrics are switched off. The shared wrappers
 * call it once per invocation.
 */
export function flushMetrics(options: FlushOptions = {}): void {
  if (pending.size === 0) return;
  const env = options.env ?? process.env;
  if (metricsDisabled(env)) {
    pending.clear();
    return;
  }
  const write = options.write ?? toStdout;
  powertools ??= new Metrics({
    namespace: METRICS_NAMESPACE,
    serviceName: env[PLATFORM_ENV.serviceName] ?? 'unknown',
    defaultDimensions: { stage: env[PLATFORM_ENV.stage] ?? 'local' },
  });
  const groups = new Map<string, Pending[]>();
  for (const entry of pending.values()) {
    const key = JSON.stringify(entry.dimensions);
    const group = groups.get(key);
    if (group) group.push(entry);
    else groups.set(key, [entry]);
  }
  pending.clear();
  for (const group of groups.values()) {
    const [first] = group as [Pending];
    for (const [name, value] of Object.entries(first.dimensions)) powertools.addDimension(name, value);
    for (const entry of group) powertools.addMetric(entry.metric, MetricUnit.Count, entry.value);
    const document = powertools.serializeMetrics();
    powertools.clearMetrics();
    powertools.clearDimensions();
    write(JSON.stringify(document));
  }
}

/** Wraps a handler so that whatever it recorded is flushed when it returns or throws: for schedules without a shared wrapper. */
export function flushingMetrics<A extends unknown[], R>(handler: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A): Promise<R> => {
    try {
      return await handler(...args);
    } finally {
      flushMetrics();
    }
  };
}
