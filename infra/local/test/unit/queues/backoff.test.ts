import fc from 'fast-check';
import { exponentialBackoff, localBackoff } from '../../../src/queues/queue';

describe("the local queues' default back-off", () => {
  const settings = fc.record({
    maxReceiveCount: fc.integer({ min: 2, max: 10 }),
    invocationTimeoutMs: fc.integer({ min: 1, max: 900_000 }),
    factor: fc.integer({ min: 1, max: 6 }),
  });

  it('is exponential before every receive but the last', () => {
    fc.assert(
      fc.property(settings, fc.integer({ min: 1, max: 20 }), ({ maxReceiveCount, invocationTimeoutMs, factor }, receiveCount) => {
        fc.pre(receiveCount + 1 < maxReceiveCount);
        const visibilityTimeoutMs = factor * invocationTimeoutMs;
        expect(localBackoff({ visibilityTimeoutMs, maxReceiveCount, invocationTimeoutMs })(receiveCount)).toBe(
          exponentialBackoff(visibilityTimeoutMs)(receiveCount),
        );
      }),
    );
  });

  it('holds the last receive until an earlier delivery of the event must have ended, and never past the visibility timeout', () => {
    fc.assert(
      fc.property(settings, ({ maxReceiveCount, invocationTimeoutMs, factor }) => {
        const visibilityTimeoutMs = factor * invocationTimeoutMs;
        const waitMs = localBackoff({ visibilityTimeoutMs, maxReceiveCount, invocationTimeoutMs })(maxReceiveCount - 1);
        expect(waitMs).toBeLessThanOrEqual(visibilityTimeoutMs);
        expect(waitMs).toBeGreaterThanOrEqual(Math.min(visibilityTimeoutMs, invocationTimeoutMs + 1_000));
        expect(waitMs).toBeGreaterThanOrEqual(exponentialBackoff(visibilityTimeoutMs)(maxReceiveCount - 1));
      }),
    );
  });

  it('is 1 s, 2 s, 4 s, then 31 s for a consumer with a 30 s timeout', () => {
    const backoff = localBackoff({ visibilityTimeoutMs: 180_000, maxReceiveCount: 5, invocationTimeoutMs: 30_000 });
    expect([1, 2, 3, 4].map(backoff)).toEqual([1_000, 2_000, 4_000, 31_000]);
  });
});
