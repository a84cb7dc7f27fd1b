import { join } from 'node:path';
import { createFunctionRuntime, FunctionError, type FunctionRuntime } from '../../../src/runtime/function-runtime';

const fixtures = join(__dirname, '../fixtures/functions');

describe('the local function runtime', () => {
  let runtime: FunctionRuntime;

  beforeAll(() => {
    runtime = createFunctionRuntime(
      [
        { id: 'demo-echo', entry: join(fixtures, 'echo.ts'), environment: { GREETING: 'hello from demo' }, timeoutMs: 2_000 },
        { id: 'other-echo', entry: join(fixtures, 'echo.ts'), environment: { GREETING: 'hello from other' }, timeoutMs: 300 },
        { id: 'broken', entry: join(fixtures, 'broken-init.ts'), environment: {}, timeoutMs: 1_000 },
        { id: 'busy-echo', entry: join(fixtures, 'echo.ts'), environment: { GREETING: 'hello from busy' }, timeoutMs: 2_000 },
      ],
      { region: 'eu-west-2', accountId: '000000000000' },
    );
  });

  afterAll(() => runtime.stop());

  it('runs a TypeScript handler with its own environment and a Lambda-like context', async () => {
    const result = await runtime.invoke('demo-echo', {});
    expect(result).toMatchObject({ functionName: 'demo-echo', greeting: 'hello from demo' });
    expect((result as { remainingMs: number }).remainingMs).toBeGreaterThan(0);
    await expect(runtime.invoke('other-echo', {})).resolves.toMatchObject({ greeting: 'hello from other' });
  });

  it('keeps a warm environment between invocations, as Lambda does', async () => {
    const first = (await runtime.invoke('demo-echo', {})) as { invocations: number };
    const second = (await runtime.invoke('demo-echo', {})) as { invocations: number };
    expect(second.invocations).toBe(first.invocations + 1);
  });

  it('reports a thrown error with its name and message', async () => {
    await expect(runtime.invoke('demo-echo', { action: 'throw' })).rejects.toThrow('demo-echo: RangeError: asked to fail');
  });

  it('replaces an environment that crashed, failing only the invocation that was running', async () => {
    await expect(runtime.invoke('demo-echo', { action: 'exit' })).rejects.toThrow(/exited with code 3/);
    const after = (await runtime.invoke('demo-echo', {})) as { invocations: number };
    expect(after.invocations).toBe(1);
  });

  it('times out a slow invocation and starts afresh afterwards', async () => {
    const slow = runtime.invoke('other-echo', { delayMs: 5_000 });
    await expect(slow).rejects.toBeInstanceOf(FunctionError);
    await expect(slow).rejects.toThrow(/timed out after 0.3 seconds/);
    await expect(runtime.invoke('other-echo', {})).resolves.toMatchObject({ invocations: 1 });
  });

  it('lets invocations running beside one that timed out finish, and serves new ones from a fresh environment', async () => {
    const stuck = runtime.invoke('busy-echo', { delayMs: 10_000 }); // times out at 2 s
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const spanning = runtime.invoke('busy-echo', { delayMs: 1_500 }); // still running when the first times out
    await expect(stuck).rejects.toThrow(/timed out after 2 seconds/);
    const fresh = (await runtime.invoke('busy-echo', {})) as { invocations: number };
    expect(fresh.invocations).toBe(1);
    await expect(spanning).resolves.toMatchObject({ greeting: 'hello from busy', invocations: 2 });
  });

  it('surfaces an initialisation failure and an unknown function clearly', async () => {
    await expect(runtime.invoke('broken', {})).rejects.toThrow(/init failed: cannot read configuration/);
    await expect(runtime.invoke('nobody', {})).rejects.toThrow('no function nobody is deployed in the local cloud');
  });

  it('warms every function ahead of traffic, reporting the ones that cannot start', async () => {
    await runtime.recycle('demo-echo');
    const failures = await runtime.warmAll();
    expect(failures.map((failure) => [failure.functionId, failure.error.message])).toEqual([
      ['broken', expect.stringMatching(/init failed/)],
    ]);
    // The warmed environment serves the next call: its first invocation, with no cold start left to pay.
    await expect(runtime.invoke('demo-echo', {})).resolves.toMatchObject({ invocations: 1 });
  });
});
