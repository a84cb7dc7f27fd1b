import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { keyringOf } from '@fsp/shared/keyed-hash';
import { localKeyringSecrets, retireLocalKey, rotateLocalKeyring } from '@fsp/shared/keyed-hash-local';
import { createDocumentClient } from '@fsp/shared/runtime';
import { tableNameFor } from '@fsp/shared/table';
import { createFamilyIndexStore } from '../../../../services/referrals/src/store/family-index-store';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynamoDbLocal } from '../dynamodb-local';
import { LOCAL_STAGE } from '../local-cloud';

/**
 * The known-family index's keys on a laptop (ADR 0021), kept in the data directory's match-keys.json:
 *
 * `npx tsx infra/local/src/cli/match-keys.ts show`           versions in the ring, the current one first (never the keys)
 * `npx tsx infra/local/src/cli/match-keys.ts rotate`         a new current key; restart the local cloud to use it
 * `npx tsx infra/local/src/cli/match-keys.ts reindex`        moves index items made with older keys to the current one
 * `npx tsx infra/local/src/cli/match-keys.ts retire <n>`     drops version n, once reindex has moved everything
 *
 * `reindex` opens the data directory's DynamoDB itself, so the local cloud must be stopped. In AWS
 * the same step is the referrals store's `reindexAll`, run with the stage's ring (ADR 0021).
 * `--data-dir` defaults to `.data` in the working directory.
 */
const USAGE = 'usage: match-keys show | rotate | reindex | retire <version> [--data-dir .data]';

async function main(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: { 'data-dir': { type: 'string', default: join(process.cwd(), '.data') }, help: { type: 'boolean' } },
    allowPositionals: true,
  });
  const data = values['data-dir'];
  const [command, argument] = positionals;
  const versions = () => keyringOf(localKeyringSecrets(data)).active.map((key) => key.version);
  switch (command) {
    case 'show':
      process.stdout.write(`Match key versions in ${data}: ${versions().join(', ')} (current first)\n`);
      return;
    case 'rotate': {
      const ring = rotateLocalKeyring(data);
      process.stdout.write(`Version ${ring.current} is now current. Restart the local cloud, then run reindex.\n`);
      return;
    }
    case 'retire': {
      const version = Number(argument);
      if (!Number.isInteger(version) || version < 1) throw new Error(`retire needs a key version, one of ${versions().join(', ')}`);
      retireLocalKey(data, version);
      process.stdout.write(`Version ${version} retired; the ring holds ${versions().join(', ')}.\n`);
      return;
    }
    case 'reindex': {
      const dynamo = await startDynamoDbLocal({ dataDirectory: join(data, 'dynamodb') });
      try {
        const documents = createDocumentClient(
          new DynamoDBClient({ endpoint: dynamo.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }),
        );
        const keyring = keyringOf(localKeyringSecrets(data));
        const index = createFamilyIndexStore(documents, tableNameFor(LOCAL_STAGE, 'referrals'), async () => keyring);
        const { moved, orphaned } = await index.reindexAll();
        process.stdout.write(
          `Moved ${moved} index item(s) to version ${keyring.current.version}; ${orphaned} without their referral left.\n`,
        );
      } finally {
        await dynamo.stop();
      }
      return;
    }
    default:
      process.stdout.write(`${USAGE}\n`);
      if (!values.help) process.exitCode = 2;
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
