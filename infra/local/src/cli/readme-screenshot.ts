/**
 * `npx tsx infra/local/src/cli/readme-screenshot.ts`: the README's picture of the seeded front door.
 * A fresh in-memory local cloud, the demo data (`--seed`), then headless Chromium signs in as the
 * front door through the local identity provider's page, as a worker would, and photographs the
 * queue at a laptop's width and at a phone's, into docs/screenshots/.
 */
import { join } from 'node:path';
import { launchBrowser } from '@fsp/shared/testing/browser';
import { startLocalCloud } from '../local-cloud';
import { loadServiceManifests, REPOSITORY_ROOT } from '../manifests';
import { seedDemoData } from '../seed';

const FOLDER = join(REPOSITORY_ROOT, 'docs/screenshots');

async function main(): Promise<void> {
  const cloud = await startLocalCloud({ manifests: await loadServiceManifests(), functionLogLevel: 'WARN', log: () => {} });
  const browser = await launchBrowser();
  try {
    await seedDemoData(cloud, { log: (line) => process.stderr.write(`${line}\n`) });
    const frontDoor = cloud.demoWorkers.find((worker) => worker.username === 'frontdoor');
    if (!frontDoor) throw new Error('no front door demo worker');
    const page = await (await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1200, height: 900 } })).newPage();
    await page.goto(`${cloud.url}/front-door`);
    await page.getByLabel('Username').fill(frontDoor.username);
    await page.getByLabel('Password').fill(frontDoor.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${cloud.url}/front-door`);
    await page.screenshot({ path: join(FOLDER, 'front-door-queue.png'), fullPage: true });
    await page.setViewportSize({ width: 375, height: 800 });
    await page.screenshot({ path: join(FOLDER, 'front-door-queue-phone.png'), fullPage: false });
    console.log(`wrote ${join(FOLDER, 'front-door-queue.png')} and front-door-queue-phone.png`);
  } finally {
    await browser.close();
    await cloud.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
