/**
 * The on-inbox-changed entry every service with pages has, bundled as CDK bundles it: a consumer,
 * so no page, template or renderer code (the projection and its events only).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleAsDeployed } from '@fsp/shared/testing/bundle';
import type { Metafile } from 'esbuild';

const SRC = join(__dirname, '../../../src');

/** As services/<name>/src/entries/on-inbox-changed.ts writes it. */
const ENTRY = `
import { createInboxChangedConsumer } from ${JSON.stringify(join(SRC, 'inbox/consumer'))};
import { serviceRuntimeFromEnvironment } from ${JSON.stringify(join(SRC, 'runtime'))};
export const handler = createInboxChangedConsumer(serviceRuntimeFromEnvironment('cases'));
`;

describe('the on-inbox-changed function’s bundle', () => {
  let directory: string;
  let metafile: Metafile;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'fsp-inbox-bundle-'));
    writeFileSync(join(directory, 'entry.ts'), ENTRY);
    const result = await bundleAsDeployed(join(directory, 'entry.ts'), join(directory, 'index.js'));
    metafile = result.metafile;
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('holds the projection and the two counter events, and nothing of pages or of other events', () => {
    const inputs = Object.keys(metafile.inputs);
    expect(inputs.some((input) => input.endsWith('inbox/unread-projection.ts'))).toBe(true);
    expect(inputs.filter((input) => /src\/web\/|src\/http\/|nunjucks|govuk-frontend|@ministryofjustice/.test(input))).toEqual([]);
    expect(inputs.filter((input) => /events\/definitions\/(?!notifications|common)/.test(input))).toEqual([]);
  });
});
