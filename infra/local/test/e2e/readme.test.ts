/**
 * The README is how a newcomer meets the platform, so what it says is tested: its table of events
 * matches the manifests, and its walkthrough runs, as printed, against a fresh local cloud.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventCatalogue } from '@fsp/shared/events/catalogue';
import type { ServiceManifest } from '@fsp/shared/manifest';
import { testDynamoEndpoint } from '@fsp/shared/testing/dynamodb';
import { type LocalCloud, startLocalCloud } from '../../src/local-cloud';
import { loadServiceManifests, REPOSITORY_ROOT } from '../../src/manifests';
import { verboseLog } from './local-cloud/support';

const readme = readFileSync(join(REPOSITORY_ROOT, 'README.md'), 'utf8');

function between(start: string, end: string): string {
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no ${start} … ${end} section`);
  return readme.slice(from + start.length, to);
}

const detailTypesOf = (pattern: Record<string, unknown>): unknown[] => {
  const detailTypes = pattern['detail-type'];
  return Array.isArray(detailTypes) ? detailTypes : [];
};

function eventRows(manifests: readonly ServiceManifest[]): string[][] {
  return eventCatalogue.map((definition) => {
    const producer = manifests.find((manifest) => manifest.publishes.includes(definition.detailType));
    const consumers = manifests
      .filter((manifest) =>
        manifest.subscriptions.some((subscription) => detailTypesOf(subscription.pattern).includes(definition.detailType)),
      )
      .map((manifest) => manifest.name)
      .sort();
    return [`\`${definition.detailType}\` v${definition.version}`, producer?.name ?? '—', consumers.join(', ') || '—'];
  });
}

describe('README.md', () => {
  it('lists every event with its producer and consumers as the manifests declare them', async () => {
    const table = between('<!-- events:start -->', '<!-- events:end -->')
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((line) =>
        line
          .split('|')
          .slice(1, -1)
          .map((cell) => cell.trim()),
      );
    expect(table).toEqual(eventRows(await loadServiceManifests()));
  });

  describe('the walkthrough', () => {
    let cloud: LocalCloud;

    beforeAll(async () => {
      cloud = await startLocalCloud({
        manifests: await loadServiceManifests(),
        dynamoEndpoint: testDynamoEndpoint(),
        tablePrefix: `readme${Date.now().toString(36)}-`,
        functionLogLevel: 'WARN',
        log: verboseLog,
      });
    });
    afterAll(async () => {
      await cloud?.stop();
    });

    it('takes a referral from a partner to a case, its allocation, a supervision and inbox items, as printed', async () => {
      const script = between('<!-- walkthrough:start -->', '<!-- walkthrough:end -->')
        .replace(/^\s*```sh\n/, '')
        .replace(/```\s*$/, '');
      const passwords = Object.fromEntries(
        cloud.demoWorkers.map((worker) => [`FSP_${worker.username.toUpperCase()}_PASSWORD`, worker.password]),
      );
      // Asynchronously: the local cloud answering the script's requests runs in this very process.
      const run = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        execFile(
          'bash',
          ['-euo', 'pipefail', '-c', script],
          {
            cwd: REPOSITORY_ROOT,
            env: {
              ...process.env,
              FSP: cloud.url,
              FSP_CLIENT_ID: cloud.demoPartner.clientId,
              FSP_CLIENT_SECRET: cloud.demoPartner.clientSecret,
              ...passwords,
            },
            timeout: 60_000,
          },
          (error, stdout, stderr) => resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
        );
      });
      expect({ status: run.status, stderr: run.status === 0 ? '' : run.stderr }).toEqual({ status: 0, stderr: '' });
      expect(run.stdout).toMatch(/"New referral FSP-\d{4}-[0-9A-Z]{6}/);
      expect(run.stdout).toContain('"outcome": "assessment"');
      expect(run.stdout).toMatch(/"status": "scheduled"/);
      expect(run.stdout).toContain('Case opened from referral');
      expect(run.stdout).toMatch(/You have been allocated to case FSP-\d{4}-[0-9A-Z]{6} as social worker/);
      expect(run.stdout).toContain('Group supervision scheduled');
    });
  });
});
