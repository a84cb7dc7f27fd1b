import type { Schedule } from '@fsp/shared/manifest';
import { type ResolvedManifest, resolveManifest } from '@fsp/shared/manifest-resolve';
import { createScheduler, type ScheduledEvent, type Timers } from '../../../src/scheduler/scheduler';

/** Time that moves only when the test says so, with timers that fire in order as it passes them. */
function virtualTime(startIso: string) {
  let now = Date.parse(startIso);
  let pending: { at: number; callback: () => void; seq: number }[] = [];
  let seq = 0;
  const delays: number[] = [];
  const timers: Timers = {
    setTimeout(callback, ms) {
      delays.push(ms);
      const timer = { at: now + ms, callback, seq: seq++ };
      pending.push(timer);
      return timer;
    },
    clearTimeout(handle) {
      pending = pending.filter((t) => t !== handle);
    },
  };
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    timers,
    delays,
    clock: () => new Date(now),
    pendingCount: () => pending.length,
    async advanceTo(iso: string) {
      const target = Date.parse(iso);
      for (;;) {
        const due = pending.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
        if (due === undefined) break;
        pending = pending.filter((t) => t !== due);
        now = Math.max(now, due.at);
        due.callback();
        await settle();
      }
      now = target;
      await settle();
    },
  };
}

const manifestWith = (...schedules: Schedule[]): ResolvedManifest =>
  resolveManifest({ name: 'supervision', directory: '/nowhere', subscriptions: [], schedules, publishes: [] });

const schedule = (name: string, expression: string, timezone?: string): Schedule => ({
  name,
  expression,
  function: { name: `${name}-fn`, entry: 'src/handlers/x.ts' },
  ...(timezone === undefined ? {} : { timezone }),
});

describe('scheduler', () => {
  it('invokes the schedule function with the Scheduled Event payload at each fire time', async () => {
    const time = virtualTime('2025-06-01T09:00:00Z');
    const calls: { functionId: string; event: ScheduledEvent }[] = [];
    const scheduler = createScheduler({
      manifests: [manifestWith(schedule('overdue', 'rate(5 minutes)'))],
      invoke: async (functionId, event) => {
        calls.push({ functionId, event: event as ScheduledEvent });
        return null;
      },
      clock: time.clock,
      timers: time.timers,
      log: () => {},
    });
    scheduler.start();
    await time.advanceTo('2025-06-01T09:16:00Z');
    expect(calls.map((c) => c.event.time)).toEqual(['2025-06-01T09:05:00Z', '2025-06-01T09:10:00Z', '2025-06-01T09:15:00Z']);
    const [first] = calls;
    expect(first!.functionId).toBe('supervision-overdue-fn');
    expect(first!.event).toEqual({
      version: '0',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      'detail-type': 'Scheduled Event',
      source: 'aws.scheduler',
      account: '000000000000',
      time: '2025-06-01T09:05:00Z',
      region: 'eu-west-2',
      resources: ['arn:aws:scheduler:eu-west-2:000000000000:schedule/default/supervision-overdue'],
      detail: {},
    });
    expect(new Set(calls.map((c) => c.event.id)).size).toBe(3);
    await scheduler.stop();
    await time.advanceTo('2025-06-01T10:00:00Z');
    expect(calls).toHaveLength(3);
    expect(time.pendingCount()).toBe(0);
  });

  it('reads cron in the schedule time zone across the change to BST', async () => {
    const time = virtualTime('2025-03-28T12:00:00Z');
    const times: string[] = [];
    const scheduler = createScheduler({
      manifests: [manifestWith(schedule('digest', 'cron(0 7 ? * MON-FRI *)'))],
      invoke: async (_, event) => {
        times.push((event as ScheduledEvent).time);
      },
      clock: time.clock,
      timers: time.timers,
      source: 'aws.events',
      log: () => {},
    });
    scheduler.start();
    expect(scheduler.status()).toEqual([
      {
        id: 'supervision-digest',
        functionId: 'supervision-digest-fn',
        expression: 'cron(0 7 ? * MON-FRI *)',
        timezone: 'Europe/London',
        next: new Date('2025-03-31T06:00:00Z'),
        running: false,
      },
    ]);
    await time.advanceTo('2025-04-02T00:00:00Z');
    expect(times).toEqual(['2025-03-31T06:00:00Z', '2025-04-01T06:00:00Z']);
    await scheduler.stop();
  });

  it('never overlaps a still-running invocation of the same schedule, and says so', async () => {
    const time = virtualTime('2025-06-01T09:00:00Z');
    const logs: string[] = [];
    const finishers: (() => void)[] = [];
    const scheduler = createScheduler({
      manifests: [manifestWith(schedule('slow', 'rate(1 minute)'))],
      invoke: () => new Promise((resolve) => finishers.push(() => resolve(null))),
      clock: time.clock,
      timers: time.timers,
      log: (line) => logs.push(line),
    });
    scheduler.start();
    await time.advanceTo('2025-06-01T09:03:30Z');
    expect(finishers).toHaveLength(1);
    expect(scheduler.status()[0]!.running).toBe(true);
    expect(logs.filter((l) => l.includes('previous invocation is still running'))).toHaveLength(2);
    finishers[0]!();
    await new Promise((resolve) => setImmediate(resolve));
    expect(scheduler.status()[0]!.running).toBe(false);
    await time.advanceTo('2025-06-01T09:04:00Z');
    expect(finishers).toHaveLength(2);
    // stop() waits for the invocation in flight.
    let stopped = false;
    const stopping = scheduler.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    finishers[1]!();
    await stopping;
    expect(stopped).toBe(true);
  });

  it('logs a failed invocation and keeps to the schedule', async () => {
    const time = virtualTime('2025-06-01T09:00:00Z');
    const logs: string[] = [];
    let attempts = 0;
    const scheduler = createScheduler({
      manifests: [manifestWith(schedule('flaky', 'rate(1 minute)'))],
      invoke: async () => {
        attempts++;
        throw new Error('table not found');
      },
      clock: time.clock,
      timers: time.timers,
      log: (line) => logs.push(line),
    });
    scheduler.start();
    await time.advanceTo('2025-06-01T09:02:00Z');
    expect(attempts).toBe(2);
    const failures = logs.map((l) => JSON.parse(l) as Record<string, string>).filter((l) => l.level === 'ERROR');
    expect(failures).toHaveLength(2);
    expect(failures[0]).toMatchObject({
      schedule: 'supervision-flaky',
      functionId: 'supervision-flaky-fn',
      scheduledTime: '2025-06-01T09:01:00Z',
    });
    expect(failures[0]!.error).toContain('table not found');
    await scheduler.stop();
  });

  it('waits longer than a Node timer can in steps, for yearly schedules', async () => {
    const time = virtualTime('2025-01-01T00:00:00Z');
    const times: string[] = [];
    const scheduler = createScheduler({
      manifests: [manifestWith(schedule('yearly', 'cron(0 0 1 1 ? *)', 'UTC'))],
      invoke: async (_, event) => {
        times.push((event as ScheduledEvent).time);
      },
      clock: time.clock,
      timers: time.timers,
      log: () => {},
    });
    scheduler.start();
    await time.advanceTo('2025-12-31T23:59:00Z');
    expect(times).toEqual([]);
    await time.advanceTo('2026-01-01T00:00:01Z');
    expect(times).toEqual(['2026-01-01T00:00:00Z']);
    expect(Math.max(...time.delays)).toBeLessThanOrEqual(2_147_483_647);
    await scheduler.stop();
  });

  it('runs a schedule on demand', async () => {
    const time = virtualTime('2025-06-01T09:00:00Z');
    const ids: string[] = [];
    const scheduler = createScheduler({
      manifests: [manifestWith(schedule('digest', 'cron(0 7 * * ? *)'))],
      invoke: async (functionId) => {
        ids.push(functionId);
      },
      clock: time.clock,
      timers: time.timers,
      log: () => {},
    });
    await scheduler.runNow('supervision-digest');
    expect(ids).toEqual(['supervision-digest-fn']);
    await expect(scheduler.runNow('nope')).rejects.toThrow(/no schedule nope; schedules are supervision-digest/);
  });

  it('refuses a manifest with an invalid expression or time zone, naming the schedule', () => {
    const invoke = async () => null;
    expect(() => createScheduler({ manifests: [manifestWith(schedule('bad', 'cron(0 7 * * MON *)'))], invoke })).toThrow(
      /schedule supervision-bad of service supervision: invalid schedule expression/,
    );
    expect(() => createScheduler({ manifests: [manifestWith(schedule('tz', 'cron(0 7 * * ? *)', 'Europe/Atlantis'))], invoke })).toThrow(
      /unknown time zone/,
    );
  });
});
