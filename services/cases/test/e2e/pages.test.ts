/**
 * The cases pages in headless Chromium against the real local cloud (gateway, functions, DynamoDB
 * Local, outbox, bus and queues), one area after another (test/e2e/areas/): the team's cases and a
 * case's overview, allocation, break-glass and the front door's way in, the family network and
 * summary, notes and the chronology, the statutory path, the census and pre-proceedings. One cloud
 * serves them all (test/support/e2e.ts).
 */
import { describeWithBrowser } from '@fsp/shared/testing/browser';
import { startSharedCasesCloud, stopSharedCasesCloud } from '../support/e2e';
import { allocationPages } from './areas/allocation-pages';
import { breakGlassPages } from './areas/break-glass-pages';
import { censusFgdmPages } from './areas/census-fgdm';
import { familyPages } from './areas/family-pages';
import { notesPages } from './areas/notes-pages';
import { overviewPages } from './areas/overview-pages';
import { pathPages } from './areas/path';

jest.setTimeout(300_000);

describeWithBrowser('the cases pages in a browser', (browser) => {
  beforeAll(startSharedCasesCloud, 120_000);
  afterAll(stopSharedCasesCloud);

  overviewPages(browser);
  allocationPages(browser);
  breakGlassPages(browser);
  familyPages(browser);
  notesPages(browser);
  pathPages(browser);
  censusFgdmPages(browser);
});
