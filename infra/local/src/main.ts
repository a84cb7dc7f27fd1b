import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadServiceManifests, REPOSITORY_ROOT } from '@fsp/shared/manifest-loader';
import { JavaMissingError } from './dynamodb-local';
import { LOCAL_BUS_NAME, startLocalCloud } from './local-cloud';
import { seedDemoData } from './seed';

const USAGE = `npm start [-- --in-memory] [--port 3000] [--data-dir .data] [--seed]

  --in-memory   keep nothing on disk (a throwaway run)
  --seed        load the fictional demo data set (families, referrals, cases) through the platform's APIs; once per data directory
  --port        the one local origin for pages, APIs, tokens and the EventBridge endpoint (default 3000)
  --data-dir    where DynamoDB Local, queues, mail and checkpoints are kept (default .data)`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'in-memory': { type: 'boolean', default: false },
      port: { type: 'string', default: process.env.PORT ?? '3000' },
      'data-dir': { type: 'string', default: join(REPOSITORY_ROOT, '.data') },
      seed: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, not "${values.port}"`);
  const startedAt = Date.now();
  const manifests = await loadServiceManifests();
  const cloud = await startLocalCloud({ manifests, port, ...(values['in-memory'] ? {} : { dataDirectory: values['data-dir'] }) });
  const seeded = values.seed ? await seedOrStop(cloud, values['in-memory'] ? undefined : join(values['data-dir'], 'seed.json')) : undefined;
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);

  const workers = cloud.demoWorkers.map(
    (worker) => `    ${worker.username.padEnd(14)} ${worker.password.padEnd(26)} ${worker.roles.join(', ')} (${worker.teamId})`,
  );
  console.log(`
Family Safeguarding Platform — local cloud ready in ${seconds} s
${values['in-memory'] ? '  data: in memory (nothing kept)' : `  data: ${values['data-dir']}`}
  services: ${manifests.map((manifest) => manifest.name).join(', ') || 'none yet'}
${seeded ? `\n  ${seeded.lines.join('\n  ')}\n` : ''}
  Workers' home      ${cloud.url}/        (sign in with a demo worker below)
  Referral form      ${cloud.url}/refer
  For developers     ${cloud.url}/local   (what is running, every route)
  Mail outbox        ${cloud.url}/mail
  Queues and DLQs    ${cloud.url}/_local/queues   (npm run dlq -- list | redrive <queue>)
  Token endpoint     ${cloud.url}/oauth2/token
  EventBridge        ${cloud.url}   bus: ${LOCAL_BUS_NAME}   (aws events put-events --endpoint-url ${cloud.url} ...)
  DynamoDB Local     ${cloud.dynamoEndpoint}

  Demo partner agency ${cloud.demoPartner.agencyId ?? ''} (client credentials, scopes ${cloud.demoPartner.scopes.join(' ')}):
    client_id      ${cloud.demoPartner.clientId}
    client_secret  ${cloud.demoPartner.clientSecret}

  Demo workers (username, password, role):
${workers.join('\n')}

  For the README's curl walkthrough, paste into another terminal:
    ${shellExports(cloud)}

  Credentials are generated afresh at every start. Ctrl-C stops everything.
`);

  // Warm every function after the ready screen, so the first referral does not wait for cold starts.
  const warmingFrom = Date.now();
  void cloud.runtime.warmAll().then((failures) => {
    for (const { functionId, error } of failures) console.error(`function ${functionId} failed to initialise: ${error.message}`);
    console.log(`  ${manifests.length ? 'Functions warm' : 'No functions'} after ${((Date.now() - warmingFrom) / 1000).toFixed(1)} s.`);
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the local cloud…`);
    cloud.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('the local cloud did not stop cleanly:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

/** `--seed`: the demo data, or the local cloud stops, saying why (a half-loaded data set would mislead). */
async function seedOrStop(cloud: Awaited<ReturnType<typeof startLocalCloud>>, recordFile: string | undefined) {
  console.log('Loading the demo data (--seed)…');
  try {
    return await seedDemoData(cloud, { ...(recordFile ? { recordFile } : {}), log: (line) => process.stderr.write(`${line}\n`) });
  } catch (error) {
    await cloud.stop();
    throw error;
  }
}

/** The ready screen's credentials as one `export` line, so the README's commands work as pasted. */
function shellExports(cloud: Awaited<ReturnType<typeof startLocalCloud>>): string {
  const variables: Record<string, string> = {
    FSP: cloud.url,
    FSP_CLIENT_ID: cloud.demoPartner.clientId,
    FSP_CLIENT_SECRET: cloud.demoPartner.clientSecret,
  };
  for (const worker of cloud.demoWorkers) variables[`FSP_${worker.username.toUpperCase()}_PASSWORD`] = worker.password;
  return `export ${Object.entries(variables)
    .map(([name, value]) => `${name}='${value}'`)
    .join(' ')}`;
}

main().catch((error: unknown) => {
  if (error instanceof JavaMissingError) console.error(error.message);
  else console.error('the local cloud failed to start:', error);
  process.exit(1);
});
