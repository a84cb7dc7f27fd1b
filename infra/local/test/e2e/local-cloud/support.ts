/** Polls until `check` returns a value, or fails with what was last seen. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export { partnerToken, workerToken } from '../../../src/demo-tokens';

export const verboseLog = process.env.FSP_TEST_VERBOSE ? (line: string) => process.stderr.write(`${line}\n`) : () => {};
