import { execFile, spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { freePort } from '../../../src/net';
import { startAdminServer } from './admin-server';
import { eventBody, tempDirectory, waitFor } from './helpers';

const REPO_ROOT = resolve(__dirname, '../../../../..');
const CLI = join(REPO_ROOT, 'infra/local/src/cli/dlq.ts');
const TSX = join(REPO_ROOT, 'node_modules/.bin/tsx');

let dir: Awaited<ReturnType<typeof tempDirectory>>;
let server: Awaited<ReturnType<typeof startAdminServer>>;
beforeEach(async () => {
  dir = await tempDirectory();
  server = await startAdminServer(join(dir.path, 'queues'));
});
afterEach(async () => {
  await server.close();
  await dir.cleanup();
});

/** Runs `npm run dlq -- <args>` as npm would (tsx on the CLI file), without inheriting FSP_LOCAL_URL. */
function dlq(
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const { FSP_LOCAL_URL: _ignored, ...env } = process.env;
  return new Promise((resolveRun, reject) => {
    execFile(
      TSX,
      [CLI, ...args],
      { cwd: options.cwd ?? dir.path, env: { ...env, ...options.env }, timeout: 30_000 },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== 'number') {
          reject(error);
          return;
        }
        resolveRun({ code: error === null ? 0 : (error.code as number), stdout, stderr });
      },
    );
  });
}

async function poisonInDlq(eventId: string): Promise<string | undefined> {
  const queue = server.registry.get('cases-referral-accepted');
  const id = await queue?.send(eventBody('ReferralAccepted', eventId, { poison: true }));
  await waitFor('the DLQ', () => (queue?.stats().deadLetters ?? 0) >= 1 && queue?.depth() === 0);
  return id;
}

describe('npm run dlq', () => {
  it('lists queues and dead letters as tables', async () => {
    const messageId = await poisonInDlq('evt-cli-1');
    const { code, stdout, stderr } = await dlq(['list', '--url', server.url]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines.find((l) => l.startsWith('QUEUE') && l.includes('DEPTH') && l.includes('DLQ'))).toBeDefined();
    expect(lines.find((l) => l.startsWith('cases-referral-accepted') && /\s1$/.test(l))).toBeDefined();
    expect(lines.find((l) => l.startsWith('notifications-case-opened') && /\s0$/.test(l))).toBeDefined();
    const row = lines.find((l) => l.includes(messageId ?? '<none>'));
    expect(row).toMatch(/^cases-referral-accepted\s+\S+\s+2\s+ReferralAccepted\s+evt-cli-1\s+/);
    expect(stdout).toContain('1 dead letter(s)');
  });

  it('says so when there are no dead letters', async () => {
    const { code, stdout } = await dlq(['list', '--url', server.url]);
    expect(code).toBe(0);
    expect(stdout).toContain('No dead letters.');
  });

  it('redrives one queue, finding the local cloud through FSP_LOCAL_URL', async () => {
    await poisonInDlq('evt-cli-2');
    server.fix();
    const { code, stdout } = await dlq(['redrive', 'cases-referral-accepted'], { env: { FSP_LOCAL_URL: server.url } });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^cases-referral-accepted\s+1$/m);
    await waitFor('the redriven event to be processed', () => server.processed.includes('evt-cli-2'));
    expect(server.registry.get('cases-referral-accepted')?.stats().deadLetters).toBe(0);
  });

  it('redrives every queue with --all, finding the local cloud through .data/local-cloud.json', async () => {
    await poisonInDlq('evt-cli-3');
    await mkdir(join(dir.path, '.data'));
    await writeFile(join(dir.path, '.data', 'local-cloud.json'), JSON.stringify({ url: server.url, pid: process.pid }));
    server.fix();
    const { code, stdout } = await dlq(['redrive', '--all']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^cases-referral-accepted\s+1$/m);
    await waitFor('the redriven event to be processed', () => server.processed.includes('evt-cli-3'));
  });

  it('fails with a one-line explanation when the local cloud is not running', async () => {
    const { code, stdout, stderr } = await dlq(['list']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/local cloud is not running.*npm start/);
  });

  it('treats a state file left by an exited local cloud as not running', async () => {
    const exited = spawn(process.execPath, ['-e', '']);
    const pid = exited.pid;
    await new Promise((r) => exited.on('exit', r));
    await mkdir(join(dir.path, '.data'));
    await writeFile(join(dir.path, '.data', 'local-cloud.json'), JSON.stringify({ url: server.url, pid }));
    const { code, stderr } = await dlq(['list']);
    expect(code).toBe(1);
    expect(stderr).toMatch(new RegExp(`process ${pid} .*has exited.*npm start`));
  });

  it('fails clearly when nothing answers at the URL', async () => {
    const port = await freePort();
    const { code, stderr } = await dlq(['list', '--url', `http://127.0.0.1:${port}`]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/could not reach the local cloud at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
  });

  it('reports an unknown queue and exits non-zero', async () => {
    const { code, stderr } = await dlq(['redrive', 'no-such-queue', '--url', server.url]);
    expect(code).toBe(1);
    expect(stderr).toContain('failed with 404');
    expect(stderr).toContain('no-such-queue');
  });

  it('prints usage for a wrong command', async () => {
    const { code, stderr } = await dlq(['redrive', '--url', server.url]);
    expect(code).toBe(2);
    expect(stderr).toContain('usage: npm run dlq');
  });
});
