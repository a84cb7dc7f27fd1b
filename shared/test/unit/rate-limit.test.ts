/** The per-agency rate limit's arithmetic and configuration (shared/rate-limit): no I/O. */

import {
  DEFAULT_RATE_LIMIT_PER_MINUTE,
  MAX_SHARDS,
  MIN_PER_SHARD,
  RateLimited,
  rateLimitConfig,
  shardLimitsOf,
  tooManyRequestsOf,
  windowOf,
} from '@fsp/shared/rate-limit';
import { ConfigurationError } from '@fsp/shared/runtime';
import fc from 'fast-check';

it('splits a limit into at most 8 shards of at least 100 (or one shard) whose limits sum to it exactly', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 9_999_999 }), (perMinute) => {
      const limits = shardLimitsOf(perMinute);
      expect(limits.length).toBeGreaterThanOrEqual(1);
      expect(limits.length).toBeLessThanOrEqual(MAX_SHARDS);
      if (limits.length > 1) expect(Math.min(...limits)).toBeGreaterThanOrEqual(MIN_PER_SHARD);
      if (perMinute >= MAX_SHARDS * MIN_PER_SHARD) expect(limits.length).toBe(MAX_SHARDS);
      expect(limits.reduce((sum, limit) => sum + limit, 0)).toBe(perMinute);
      expect(Math.max(...limits) - Math.min(...limits)).toBeLessThanOrEqual(1);
    }),
  );
});

it('counts in fixed one-minute windows, and says how long until the next one (at least a second)', () => {
  expect(windowOf(new Date('2026-11-23T09:15:20Z'))).toEqual({ start: Date.parse('2026-11-23T09:15:00Z') / 1000, retryAfterSeconds: 40 });
  expect(windowOf(new Date('2026-11-23T09:15:00Z')).retryAfterSeconds).toBe(60);
  expect(windowOf(new Date('2026-11-23T09:15:59.999Z'))).toEqual({
    start: Date.parse('2026-11-23T09:15:00Z') / 1000,
    retryAfterSeconds: 1,
  });
});

it('reads the limit from PARTNER_RATE_LIMIT_PER_MINUTE, 1,200 when unset, and names the variable when it is wrong', () => {
  expect(rateLimitConfig({})).toEqual({ perMinute: DEFAULT_RATE_LIMIT_PER_MINUTE });
  expect(rateLimitConfig({ PARTNER_RATE_LIMIT_PER_MINUTE: '30' })).toEqual({ perMinute: 30 });
  for (const wrong of ['0', '-1', '1.5', 'lots', '', '10000000']) {
    expect(() => rateLimitConfig({ PARTNER_RATE_LIMIT_PER_MINUTE: wrong })).toThrow(ConfigurationError);
    expect(() => rateLimitConfig({ PARTNER_RATE_LIMIT_PER_MINUTE: wrong })).toThrow(
      /^PARTNER_RATE_LIMIT_PER_MINUTE must be a whole number from 1 to 9999999$/,
    );
  }
});

it('answers a refusal with 429 and Retry-After in whole seconds', () => {
  const answer = tooManyRequestsOf(new RateLimited(40));
  expect(answer.status).toBe(429);
  expect(answer.headers).toEqual({ 'retry-after': '40' });
});
