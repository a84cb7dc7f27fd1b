/**
 * A local cloud with the demo data loaded as `npm start -- --seed` loads it (main.ts): the same
 * manifests and start-up, then seedDemoData through the platform's own APIs. If the seed fails, the
 * cloud is stopped, as `npm start` stops it, so that a test's afterAll has nothing half-started.
 */
import { loadServiceManifests } from '@fsp/shared/manifest-loader';
import { testDynamoEndpoint } from '@fsp/shared/testing/dynamodb';
import { type LocalCloud, startLocalCloud } from '../../src/local-cloud';
import { type SeedOptions, type SeedResult, seedDemoData } from '../../src/seed';
import { verboseLog } from './local-cloud/support';

export interface SeededCloudOptions {
  /** Starts the cloud's table names, so that test files sharing one DynamoDB Local keep apart. */
  tablePrefix: string;
  /** The seed's present; undefined is now, as for `npm start -- --seed`. */
  present?: Date;
  /** Where the seed records what it loaded; undefined keeps nothing, as `--in-memory` does. */
  recordFile?: string;
}

export async function startSeededCloud(options: SeededCloudOptions): Promise<{ cloud: LocalCloud; seed: SeedResult }> {
  const cloud = await startLocalCloud({
    manifests: await loadServiceManifests(),
    dynamoEndpoint: testDynamoEndpoint(),
    tablePrefix: `${options.tablePrefix}${Date.now().toString(36)}-`,
    log: verboseLog,
    ...(process.env.FSP_TEST_VERBOSE ? {} : { functionLogLevel: 'WARN' as const }),
  });
  const started = Date.now();
  const seedOptions: SeedOptions = {
    log: verboseLog,
    ...(options.present ? { present: options.present } : {}),
    ...(options.recordFile ? { recordFile: options.recordFile } : {}),
  };
  try {
    const seed = await seedDemoData(cloud, seedOptions);
    // Most of it is the functions' cold starts; on a busy machine they take a while.
    verboseLog(`seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { cloud, seed };
  } catch (error) {
    await cloud.stop();
    throw error;
  }
}
