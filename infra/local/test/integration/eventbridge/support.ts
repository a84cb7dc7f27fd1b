import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { createLocalEventBridge, type EventBridgeEvent, type LocalEventBridgeOptions } from '../../../src/eventbridge/api';

export const REGION = 'eu-west-2';
export const ACCOUNT_ID = '000000000000';

export interface Delivery {
  busName: string;
  event: EventBridgeEvent;
}

export interface RunningEventBridge {
  endpoint: string;
  client: EventBridgeClient;
  deliveries: Delivery[];
  reportedErrors: Parameters<NonNullable<LocalEventBridgeOptions['reportError']>>[0][];
  close(): Promise<void>;
}

/** A real HTTP server on loopback serving the local EventBridge, and an SDK client pointed at it. */
export async function startEventBridge(overrides: Partial<LocalEventBridgeOptions> = {}): Promise<RunningEventBridge> {
  const deliveries: Delivery[] = [];
  const reportedErrors: RunningEventBridge['reportedErrors'] = [];
  let nextId = 0;
  const handler = createLocalEventBridge({
    region: REGION,
    accountId: ACCOUNT_ID,
    busNames: ['fsp'],
    deliver: async (busName, event) => {
      deliveries.push({ busName, event });
    },
    now: () => new Date('2026-03-02T09:30:15.123Z'),
    newEventId: () => `event-${++nextId}`,
    reportError: (report) => reportedErrors.push(report),
    ...overrides,
  });
  const server: Server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new EventBridgeClient({
    endpoint,
    region: REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    // A retry would hide whether the first answer was right.
    maxAttempts: 1,
  });
  return {
    endpoint,
    client,
    deliveries,
    reportedErrors,
    close: async () => {
      client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

let cliMajorVersion: Promise<number> | undefined;

function awsCliMajorVersion(): Promise<number> {
  cliMajorVersion ??= new Promise((resolve, reject) => {
    execFile('aws', ['--version'], (error, stdout, stderr) => {
      if (error) {
        reject(error);
        return;
      }
      const version = /aws-cli\/(\d+)\./.exec(`${stdout}${stderr}`);
      if (version?.[1] === undefined) reject(new Error(`cannot read the AWS CLI version from: ${stdout}${stderr}`));
      else resolve(Number(version[1]));
    });
  });
  return cliMajorVersion;
}

/** Runs the real AWS CLI against the local endpoint, with dummy credentials and nothing read from the machine's AWS config. */
export async function runAwsCli(endpoint: string, args: string[]): Promise<CliResult> {
  // `--no-cli-pager` exists from CLI v2 on; v1 has no pager and refuses the flag.
  const pagerFlag = (await awsCliMajorVersion()) >= 2 ? ['--no-cli-pager'] : [];
  return new Promise((resolve, reject) => {
    execFile(
      'aws',
      [...args, '--endpoint-url', endpoint, '--output', 'json', ...pagerFlag],
      {
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          AWS_ACCESS_KEY_ID: 'local',
          AWS_SECRET_ACCESS_KEY: 'local',
          AWS_DEFAULT_REGION: REGION,
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
          AWS_EC2_METADATA_DISABLED: 'true',
          AWS_MAX_ATTEMPTS: '1',
        },
        timeout: 30_000,
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(error);
          return;
        }
        resolve({ exitCode: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}
