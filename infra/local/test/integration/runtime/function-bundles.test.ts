import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createTableInput } from '@fsp/shared/table';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../src/dynamodb-local';
import { prepareFunctionBundles } from '../../../src/runtime/function-bundles';
import { createFunctionRuntime, FunctionError, type FunctionRuntime } from '../../../src/runtime/function-runtime';

const fixtures = join(__dirname, '../fixtures/functions');
const endpoint = process.env.FSP_TEST_DYNAMODB_ENDPOINT;
if (!endpoint)
  throw new Error('FSP_TEST_DYNAMODB_ENDPOINT is not set: run these tests through jest (its global setup starts DynamoDB Local)');

const runtimes: FunctionRuntime[] = [];
const directories: string[] = [];
const temporaryDirectory = (prefix: string) => {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  directories.push(directory);
  return directory;
};

afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((runtime) => runtime.stop()));
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

const greeter = (greeting: string) => `export async function handler() { return { greeting: ${JSON.stringify(greeting)} }; }\n`;

describe("the local cloud's function bundles", () => {
  it('builds once, is used again while no input changes, and is built again after an edit', async () => {
    const cacheDirectory = temporaryDirectory('fsp-bundles-');
    const entry = join(temporaryDirectory('fsp-bundle-source-'), 'greeter.ts');
    writeFileSync(entry, greeter('first'));
    const functions = [{ id: 'demo-greeter', entry }];

    const first = await prepareFunctionBundles(functions, { cacheDirectory });
    expect(first.built).toBe(true);
    const again = await prepareFunctionBundles(functions, { cacheDirectory });
    expect(again).toMatchObject({ built: false, directory: first.directory });

    writeFileSync(entry, greeter('after an edit'));
    const edited = await prepareFunctionBundles(functions, { cacheDirectory });
    expect(edited.built).toBe(true);
    expect(edited.directory).not.toBe(first.directory);

    const runtime = createFunctionRuntime(
      [{ id: 'demo-greeter', entry, bundle: edited.bundles.get('demo-greeter') as string, environment: {}, timeoutMs: 5_000 }],
      { region: LOCAL_REGION, accountId: '000000000000' },
    );
    runtimes.push(runtime);
    await expect(runtime.invoke('demo-greeter', {})).resolves.toEqual({ greeting: 'after an edit' });
    // The first build is kept for a cloud that may still be running from it.
    expect(existsSync(first.directory)).toBe(true);
  });

  it('runs a bundled handler, and traces its errors to the TypeScript source', async () => {
    const entry = join(fixtures, 'echo.ts');
    const { bundles } = await prepareFunctionBundles([{ id: 'demo-echo', entry }], { cacheDirectory: temporaryDirectory('fsp-bundles-') });
    const runtime = createFunctionRuntime(
      [
        {
          id: 'demo-echo',
          entry,
          bundle: bundles.get('demo-echo') as string,
          environment: { GREETING: 'from a bundle' },
          timeoutMs: 5_000,
        },
      ],
      { region: LOCAL_REGION, accountId: '000000000000' },
    );
    runtimes.push(runtime);
    await expect(runtime.invoke('demo-echo', {})).resolves.toMatchObject({ functionName: 'demo-echo', greeting: 'from a bundle' });

    const failure = await runtime.invoke('demo-echo', { action: 'throw' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(FunctionError);
    expect((failure as FunctionError).message).toBe('demo-echo: RangeError: asked to fail');
    // echo.ts line 9 throws; the bundle's own line would say index.js.
    expect((failure as FunctionError).remoteStack).toContain(`${entry}:9:`);
  });

  it('holds a bundled function to its table declaration, refusing what its role could not do', async () => {
    const tableName = `bundle-guard-${Date.now()}`;
    const dynamo = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    await dynamo.send(new CreateTableCommand(createTableInput(tableName)));
    try {
      const entry = join(fixtures, 'read-item.ts');
      const built = await prepareFunctionBundles([{ id: 'demo-read-item', entry }], { cacheDirectory: temporaryDirectory('fsp-bundles-') });
      const runtime = createFunctionRuntime(
        [
          {
            id: 'demo-read-item',
            entry,
            bundle: built.bundles.get('demo-read-item') as string,
            environment: {
              TABLE_NAME: tableName,
              AWS_REGION: LOCAL_REGION,
              AWS_ENDPOINT_URL_DYNAMODB: endpoint as string,
              AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
              AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
            },
            timeoutMs: 10_000,
            tableGuard: { tableKeys: { read: ['DRAFT#*'] }, readAudit: false },
          },
        ],
        { region: LOCAL_REGION, accountId: '000000000000', tableGuardBundle: built.tableGuard },
      );
      runtimes.push(runtime);
      await expect(runtime.invoke('demo-read-item', { pk: 'DRAFT#1' })).resolves.toEqual({ found: false });
      await expect(runtime.invoke('demo-read-item', { pk: 'REFERRAL#1' })).rejects.toThrow(
        'demo-read-item: AccessDeniedException: demo-read-item is not authorized to perform: dynamodb:GetItem',
      );
    } finally {
      await dynamo.send(new DeleteTableCommand({ TableName: tableName }));
      dynamo.destroy();
    }
  });

  it("puts a page function's template chunks beside its bundle, as CDK's bundling does", async () => {
    const entry = join(__dirname, '../../../../../services/notifications/src/entries/pages.ts');
    const { bundles } = await prepareFunctionBundles([{ id: 'notifications-pages', entry }], {
      cacheDirectory: temporaryDirectory('fsp-bundles-'),
    });
    const chunks = join(dirname(bundles.get('notifications-pages') as string), 'template-chunks', 'precompiled-templates');
    const sources = join(__dirname, '../../../../../services/notifications/src/web/template-chunks/precompiled-templates');
    expect(readdirSync(chunks).sort()).toEqual(readdirSync(sources).sort());
    const [first] = readdirSync(sources);
    expect(readFileSync(join(chunks, first as string), 'utf8')).toBe(readFileSync(join(sources, first as string), 'utf8'));
  });
});
