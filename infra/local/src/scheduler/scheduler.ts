import { randomUUID } from 'node:crypto';
import type { ResolvedManifest } from '@fsp/shared/manifest-resolve';
import { functionIdOf, type Invoke } from '../runtime/types';
import { nextFireTime, type ParsedSchedule, parseScheduleExpression, ScheduleExpressionError } from './expression';

/** The timer functions the scheduler uses; tests pass their own to move time on without waiting. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface SchedulerOptions {
  /** Resolved: each schedule's time zone is already decided. */
  manifests: readonly ResolvedManifest[];
  invoke: Invoke;
  clock?: () => Date;
  timers?: Timers;
  log?: (line: string) => void;
  /** `aws.scheduler` (EventBridge Scheduler, the default) or `aws.events` (a scheduled EventBridge rule). */
  source?: 'aws.scheduler' | 'aws.events';
  region?: string;
  accountId?: string;
}

/**
 * The event EventBridge Scheduler (or a scheduled rule) gives a scheduled function at `time`: what the
 * local scheduler sends, and what the seed and tests send when they run a schedule's function at a
 * moment of their choosing.
 */
export function scheduledEventFor(
  scheduleId: string,
  time: Date,
  options: Pick<SchedulerOptions, 'source' | 'region' | 'accountId'> = {},
): ScheduledEvent {
  const source = options.source ?? 'aws.scheduler';
  const region = options.region ?? 'eu-west-2';
  const account = options.accountId ?? '000000000000';
  const resource =
    source === 'aws.scheduler'
      ? `arn:aws:scheduler:${region}:${account}:schedule/default/${scheduleId}`
      : `arn:aws:events:${region}:${account}:rule/${scheduleId}`;
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source,
    account,
    time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [resource],
    detail: {},
  };
}

export interface ScheduledEvent {
  version: '0';
  id: string;
  'detail-type': 'Scheduled Event';
  source: 'aws.scheduler' | 'aws.events';
  account: string;
  time: string;
  region: string;
  resources: [string];
  detail: Record<string, never>;
}

export interface ScheduleStatus {
  /** `<service>-<schedule name>`. */
  id: string;
  functionId: string;
  expression: string;
  timezone: string;
  next: Date | null;
  running: boolean;
}

export interface Scheduler {
  start(): void;
  /** Stops firing and resolves once invocations already running have finished. */
  stop(): Promise<void>;
  status(): ScheduleStatus[];
  /** Fires a schedule now (for the CLI and tests), still never overlapping a running invocation. */
  runNow(id: string): Promise<void>;
}

/** Node's timers overflow above 2^31-1 ms (about 24.8 days); longer waits are taken in steps. */
const MAX_TIMER_MS = 2_147_483_647;

interface State {
  id: string;
  functionId: string;
  expression: string;
  timezone: string;
  parsed: ParsedSchedule;
  next: Date | null;
  timer: unknown;
  running: Promise<void> | undefined;
}

const defaultTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export function createScheduler(options: SchedulerOptions): Scheduler {
  const clock = options.clock ?? (() => new Date());
  const timers = options.timers ?? defaultTimers;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const source = options.source ?? 'aws.scheduler';
  const region = options.region ?? 'eu-west-2';
  const account = options.accountId ?? '000000000000';
  let started = false;

  // Parse everything up front so a bad expression stops the local cloud at start-up, naming the schedule.
  const states: State[] = options.manifests.flatMap((manifest) =>
    manifest.schedules.map((schedule) => {
      const id = `${manifest.name}-${schedule.name}`;
      let parsed: ParsedSchedule;
      try {
        parsed = parseScheduleExpression(schedule.expression);
      } catch (error) {
        if (error instanceof ScheduleExpressionError) throw new Error(`schedule ${id} of service ${manifest.name}: ${error.message}`);
        throw error;
      }
      const { timezone } = schedule;
      // Fail early on an unknown time zone too.
      nextFireTime(parsed, new Date(0), timezone);
      return {
        id,
        functionId: functionIdOf(manifest.name, schedule.handler.name),
        expression: schedule.expression,
        timezone,
        parsed,
        next: null,
        timer: undefined,
        running: undefined,
      } satisfies State;
    }),
  );
  const seen = new Set<string>();
  for (const state of states) {
    if (seen.has(state.id)) throw new Error(`schedule ${state.id} is defined twice`);
    seen.add(state.id);
  }

  const write = (level: 'INFO' | 'WARN' | 'ERROR', message: string, fields: Record<string, unknown>) =>
    log(JSON.stringify({ level, component: 'scheduler', message, ...fields }));

  const eventFor = (state: State, time: Date): ScheduledEvent => scheduledEventFor(state.id, time, { source, region, accountId: account });

  function fire(state: State, time: Date): Promise<void> {
    if (state.running !== undefined) {
      write('WARN', 'skipped: the previous invocation is still running', { schedule: state.id, scheduledTime: time.toISOString() });
      return state.running;
    }
    const event = eventFor(state, time);
    const run = (async () => {
      try {
        await options.invoke(state.functionId, event);
      } catch (error) {
        write('ERROR', 'the scheduled invocation failed', {
          schedule: state.id,
          functionId: state.functionId,
          eventId: event.id,
          scheduledTime: event.time,
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        });
      } finally {
        state.running = undefined;
      }
    })();
    state.running = run;
    return run;
  }

  function following(state: State, previous: Date): Date | null {
    const now = clock();
    if (state.parsed.kind === 'rate') {
      // Missed intervals (a suspended laptop) are not made up, as in AWS: move on to the next one in the future.
      const interval = state.parsed.intervalMs;
      const behind = Math.max(0, Math.floor((now.getTime() - previous.getTime()) / interval));
      return new Date(previous.getTime() + (behind + 1) * interval);
    }
    return nextFireTime(state.parsed, previous.getTime() > now.getTime() ? previous : now, state.timezone);
  }

  function arm(state: State): void {
    if (!started) return;
    if (state.next === null) {
      write('INFO', 'the schedule will not fire again', { schedule: state.id, expression: state.expression });
      return;
    }
    const delay = Math.min(Math.max(state.next.getTime() - clock().getTime(), 0), MAX_TIMER_MS);
    state.timer = timers.setTimeout(() => {
      state.timer = undefined;
      const due = state.next;
      if (!started || due === null) return;
      if (clock().getTime() < due.getTime()) {
        // A long wait taken in steps, or a timer that fired early.
        arm(state);
        return;
      }
      void fire(state, due);
      state.next = following(state, due);
      arm(state);
    }, delay);
  }

  return {
    start() {
      if (started) return;
      started = true;
      const now = clock();
      for (const state of states) {
        state.next = nextFireTime(state.parsed, now, state.timezone);
        arm(state);
      }
    },
    async stop() {
      started = false;
      for (const state of states) {
        if (state.timer !== undefined) timers.clearTimeout(state.timer);
        state.timer = undefined;
      }
      await Promise.all(states.map((state) => state.running));
    },
    status: () =>
      states.map((s) => ({
        id: s.id,
        functionId: s.functionId,
        expression: s.expression,
        timezone: s.timezone,
        next: s.next,
        running: s.running !== undefined,
      })),
    runNow(id) {
      const state = states.find((s) => s.id === id);
      if (state === undefined) return Promise.reject(new Error(`no schedule ${id}; schedules are ${states.map((s) => s.id).join(', ')}`));
      return fire(state, clock());
    },
  };
}
