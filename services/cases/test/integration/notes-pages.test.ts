/**
 * The notes and chronology pages through the real pages handler with sealed session cookies,
 * against DynamoDB Local: a case opened by the real consumer with the referral's family, then a
 * social worker's note from the form to completion and amendment, a stale draft's second save, a
 * restricted note by an adult specialist, and the chronology filtered and printable.
 */
import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { CSRF_FORM_FIELD } from '@fsp/shared/http/page-session';
import { csrfTokenFor } from '@fsp/shared/http/session';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { apiGatewayEvent } from '@fsp/shared/testing/api-gateway-event';
import type { TestTable } from '@fsp/shared/testing/dynamodb';
import { deliverUntilAccepted } from '@fsp/shared/testing/events';
import { formsOf, mainLinksOf, mainTextOf } from '@fsp/shared/testing/html';
import type { PageWorker, pageVisitor } from '@fsp/shared/testing/pages';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { fixedClock } from '@fsp/shared/time/clock';
import { createReferralAcceptedConsumer } from '../../src/consumers/referral-accepted';
import { caseIdForReferral } from '../../src/domain/case';
import { type casesPagesHandler, casesPagesVisitor } from '../support/pages';
import { referralAccepted } from '../support/referral-accepted';

/** Tuesday 10 February 2026, 2:30pm in London. */
const NOW = '2026-02-10T14:30:00.000Z';
/** The case opened the day before: its notes' contacts come after it in the chronology. */
const OPENED = new Date('2026-02-09T10:00:00.000Z');
const ORIGIN = 'http://127.0.0.1:3000';
const referralId = '01JGZ8Q4V7K3M2N5P6R8S9T0VW';
const caseId = caseIdForReferral(referralId);
const MIA = 'child-01JGZ8R1';
const notesPath = `/cases/${caseId}/notes`;

const socialWorker: PageWorker = { userId: 'sw-0001', name: 'Sam Patel', roles: ['social-worker'], teamId: 'team-north-1' };
const specialist: PageWorker = { userId: 'as-0001', name: 'Jo Reid', roles: ['adult-specialist'], teamId: 'team-north-1' };
const manager: PageWorker = { userId: 'tm-0001', name: 'Tara Mensah', roles: ['team-manager'], teamId: 'team-north-1' };
const otherTeam: PageWorker = { userId: 'sw-0009', name: 'Kim Lee', roles: ['social-worker'], teamId: 'team-south-2' };
const frontDoor: PageWorker = { userId: 'fd-0001', name: 'Femi Adeyemi', roles: ['front-door'], teamId: 'front-door' };

let table: TestTable;
let runtime: ServiceRuntime;
let visitor: ReturnType<typeof pageVisitor>;
let handler: ReturnType<typeof casesPagesHandler>;

beforeEach(async () => {
  const setup = await createTestRuntime('cases', fixedClock(NOW));
  table = setup.table;
  runtime = setup.runtime;
  ({ handler, visitor } = casesPagesVisitor(runtime, ORIGIN));
  await deliverUntilAccepted(createReferralAcceptedConsumer({ ...runtime, clock: () => OPENED }), [referralAccepted({ referralId })]);
});
afterEach(async () => {
  await table.drop();
});

/** A form as the browser posts it: checkbox groups repeat their name; the session's CSRF token unless `token` says otherwise. */
async function post(
  worker: PageWorker,
  path: string,
  pairs: Array<[string, string]>,
  token: string | null = csrfTokenFor(visitor.sessionOf(worker)),
) {
  const body = new URLSearchParams([...(token === null ? [] : [[CSRF_FORM_FIELD, token] as [string, string]]), ...pairs]).toString();
  return handler(
    apiGatewayEvent({
      method: 'POST',
      path,
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
      body,
      cookies: [visitor.cookieOf(worker)],
      requestId: `req-${randomUUID()}`,
    }),
  );
}

const visitFields = (overrides: Record<string, string | string[]> = {}): Array<[string, string]> => {
  const fields: Record<string, string | string[]> = {
    type: 'home-visit',
    'contactDate-day': '10',
    'contactDate-month': '2',
    'contactDate-year': '2026',
    contactTime: '9:30am',
    seen: [MIA],
    [`seenAlone-${MIA}`]: 'yes',
    narrative: 'Mia showed me her bedroom.\n\nShe said she feels safe when Dean is not there.',
    ...overrides,
  };
  return Object.entries(fields).flatMap(([name, value]) =>
    Array.isArray(value) ? value.map((v): [string, string] => [name, v]) : [[name, value]],
  );
};

/** Starts a note through the form; answers the note's address. */
async function startNote(worker: PageWorker, overrides: Record<string, string | string[]> = {}, action = 'save'): Promise<string> {
  const response = await post(worker, `${notesPath}/new`, [...visitFields(overrides), ['action', action]]);
  expect(response.statusCode).toBe(303);
  const location = response.headers?.location ?? '';
  expect(location).toMatch(new RegExp(`^${notesPath}/note-[0-9a-f-]+\\?done=${action === 'complete' ? 'completed' : 'started'}$`));
  return location.split('?')[0] ?? '';
}

const text = (html: string | undefined) => mainTextOf(html ?? '');

describe('adding a note', () => {
  it('the form offers the family network, each child seen alone, the restriction; a draft is saved and only its author sees it', async () => {
    const empty = await visitor.get(socialWorker, notesPath);
    expect(empty.statusCode).toBe(200);
    expect(empty.headers?.['cache-control']).toBe('no-store');
    expect(text(empty.body)).toContain('Nobody has recorded a note on this case yet.');
    expect(mainLinksOf(empty.body ?? '').map((link) => link.href)).toContain(`${notesPath}/new`);

    const form = await visitor.get(socialWorker, `${notesPath}/new`);
    expect(form.statusCode).toBe(200);
    const shown = text(form.body);
    for (const words of ['Home visit', 'Mia Jones', 'Kerry Jones', 'Was Mia Jones seen alone?', 'Adult specialists', 'What happened']) {
      expect(shown).toContain(words);
    }
    // The unborn baby is not someone a visit sees.
    expect(shown).not.toContain('Was Baby Jones seen alone?');
    expect(form.body).toContain('value="10"');

    const notePath = await startNote(socialWorker);
    const mine = await visitor.get(socialWorker, `${notePath}?done=started`);
    expect(text(mine.body)).toContain('Your note was saved as a draft. Only you can see it until you complete it.');
    expect(text(mine.body)).toContain('Your draft');
    const list = await visitor.get(socialWorker, notesPath);
    expect(text(list.body)).toContain('Your draft');

    expect(text((await visitor.get(manager, notesPath)).body)).toContain('Nobody has recorded a note on this case yet.');
    const theirs = await visitor.get(manager, notePath);
    expect(theirs.statusCode).toBe(404);
    expect(text(theirs.body)).toContain('There is no such note that you can see');
  });

  it('a refused answer is the form again with the GOV.UK error summary, what was typed kept, nothing stored', async () => {
    const refused = await post(socialWorker, `${notesPath}/new`, [
      ...visitFields({ type: [], contactTime: '3pm', [`seenAlone-${MIA}`]: [], narrative: 'Typed words.' }),
      ['action', 'save'],
    ]);
    expect(refused.statusCode).toBe(400);
    const shown = text(refused.body);
    expect(refused.body).toContain('<title>Error: Add a note');
    expect(shown).toContain('There is a problem');
    expect(shown).toContain('Select the type of note');
    expect(refused.body).toContain('Typed words.');
    expect(refused.body).toContain('value="3pm"');
    // The form's own checks come first; the domain's (the clock, the network) when the form is whole.
    const later = await post(socialWorker, `${notesPath}/new`, [
      ...visitFields({ contactTime: '3pm', [`seenAlone-${MIA}`]: [] }),
      ['action', 'save'],
    ]);
    expect(text(later.body)).toContain('The date and time of the contact must be now or in the past');
    expect(text(later.body)).toContain('Say whether Mia Jones was seen alone');
    expect(text((await visitor.get(socialWorker, notesPath)).body)).toContain('Nobody has recorded a note on this case yet.');
  });

  it('is refused without the session’s CSRF token, and to another team and the front door', async () => {
    expect((await post(socialWorker, `${notesPath}/new`, [...visitFields(), ['action', 'save']], null)).statusCode).toBe(403);
    expect((await visitor.get(otherTeam, `${notesPath}/new`)).statusCode).toBe(404);
    expect((await visitor.get(otherTeam, notesPath)).statusCode).toBe(404);
    expect((await visitor.get(frontDoor, notesPath)).statusCode).toBe(403);
  });
});

describe('a draft', () => {
  it('saved from a page opened before another save: "Someone else changed this note since you opened it", with the current text; nothing overwritten', async () => {
    const notePath = await startNote(socialWorker);
    const firstTab = formsOf((await visitor.get(socialWorker, notePath)).body ?? '').find((form) => form.action === notePath);
    const secondTab = formsOf((await visitor.get(socialWorker, notePath)).body ?? '').find((form) => form.action === notePath);
    expect(firstTab?.fields.version).toBe('1');

    const saved = await post(socialWorker, notePath, [
      ...visitFields({ narrative: 'The first tab’s account.' }),
      ['version', '1'],
      ['action', 'save'],
    ]);
    expect(saved.statusCode).toBe(303);
    expect(saved.headers?.location).toBe(`${notePath}?done=saved`);

    const stale = await post(socialWorker, notePath, [
      ...visitFields({ narrative: 'The second tab’s account.' }),
      ['version', secondTab?.fields.version ?? ''],
      ['action', 'save'],
    ]);
    expect(stale.statusCode).toBe(409);
    const shown = text(stale.body);
    expect(shown).toContain('Someone else changed this note since you opened it');
    expect(shown).toContain('The note now says:');
    expect(shown).toContain('The first tab’s account.');
    // What they typed is kept in the form, now on the current version, to save again knowingly.
    expect(stale.body).toContain('The second tab’s account.');
    expect(formsOf(stale.body ?? '').find((form) => form.action === notePath)?.fields.version).toBe('2');
    expect(text((await visitor.get(socialWorker, notePath)).body)).toContain('The first tab’s account.');
  });

  it('completed from its page is final: a later save is told it was completed, with the text typed kept below', async () => {
    const notePath = await startNote(socialWorker, { significant: 'yes' });
    const completed = await post(socialWorker, notePath, [
      ...visitFields({ significant: 'yes' }),
      ['version', '1'],
      ['action', 'complete'],
    ]);
    expect(completed.statusCode).toBe(303);
    expect(completed.headers?.location).toBe(`${notePath}?done=completed`);
    const page = await visitor.get(socialWorker, `${notePath}?done=completed`);
    expect(text(page.body)).toContain('The note is complete. It can no longer be changed, only amended.');
    expect(text(page.body)).toContain('Significant');
    expect(mainLinksOf(page.body ?? '').map((link) => link.href)).toContain(`${notePath}/amend`);

    const late = await post(socialWorker, notePath, [...visitFields({ narrative: 'Too late.' }), ['version', '1'], ['action', 'save']]);
    expect(late.statusCode).toBe(409);
    expect(text(late.body)).toContain('It has been completed, so it can no longer be changed, only amended.');
    expect(text(late.body)).toContain('The text you sent, not saved');
    expect(late.body).toContain('Too late.');
  });
});

describe('amending', () => {
  it('keeps both versions, with the reason, and the second of two amending from one reading is told', async () => {
    const notePath = await startNote(socialWorker, {}, 'complete');
    const form = await visitor.get(manager, `${notePath}/amend`);
    expect(form.statusCode).toBe(200);
    expect(formsOf(form.body ?? '').find((f) => f.action === `${notePath}/amend`)?.fields.amendmentCount).toBe('0');

    const amended = await post(manager, `${notePath}/amend`, [
      ['reason', 'The visit was on Monday'],
      ['narrative', 'On Monday Mia showed me her bedroom.'],
      ['amendmentCount', '0'],
    ]);
    expect(amended.statusCode).toBe(303);
    const page = text((await visitor.get(manager, `${notePath}?done=amended`)).body);
    expect(page).toContain('Your amendment was saved. The earlier version is kept below it.');
    expect(page).toContain('What happened (as amended)');
    expect(page).toContain('On Monday Mia showed me her bedroom.');
    expect(page).toContain('Amendment 1');
    expect(page).toContain('Reason: The visit was on Monday');
    expect(page).toContain('Original note');
    expect(page).toContain('She said she feels safe when Dean is not there.');

    const stale = await post(socialWorker, `${notePath}/amend`, [
      ['reason', 'Typo'],
      ['narrative', 'Something else.'],
      ['amendmentCount', '0'],
    ]);
    expect(stale.statusCode).toBe(409);
    expect(text(stale.body)).toContain('Someone else changed this note since you opened it');
    expect(text(stale.body)).toContain('Tara Mensah amended it first.');

    const noReason = await post(socialWorker, `${notePath}/amend`, [
      ['reason', ''],
      ['narrative', 'Something else.'],
      ['amendmentCount', '1'],
    ]);
    expect(noReason.statusCode).toBe(400);
    expect(text(noReason.body)).toContain('Enter the reason for the amendment');
  });
});

describe('a restricted note', () => {
  it('shows as "Restricted entry — recorded by … on …" to roles it is not open to, never its content; a view in full is audited', async () => {
    const notePath = await startNote(
      specialist,
      {
        type: 'direct-work',
        seen: [],
        [`seenAlone-${MIA}`]: [],
        narrative: 'Kerry spoke about stopping her medication.',
        visibleTo: ['adult-specialist', 'team-manager'],
      },
      'complete',
    );
    const list = await visitor.get(socialWorker, notesPath);
    expect(text(list.body)).toContain('Restricted entry — recorded by Jo Reid on Tuesday 10 February 2026');
    expect(list.body).not.toContain('medication');
    const single = await visitor.get(socialWorker, notePath);
    expect(single.statusCode).toBe(200);
    expect(text(single.body)).toContain('Restricted entry: direct work');
    expect(single.body).not.toContain('medication');
    expect((await visitor.get(socialWorker, `${notePath}/amend`)).statusCode).toBe(303);

    const forManager = await visitor.get(manager, notesPath);
    expect(text(forManager.body)).toContain('Kerry spoke about stopping her medication.');
    const audit = await table.documentClient.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :restricted)',
        ExpressionAttributeValues: { ':pk': `AUDIT#CASE#${caseId}`, ':restricted': 'RESTRICTED#' },
      }),
    );
    expect((audit.Items ?? []).map((item) => item.userId)).toEqual(['tm-0001']);
  });
});

describe('the chronology', () => {
  it('is an MoJ timeline, newest first, filtered by kind with a GET form, and printable', async () => {
    await startNote(socialWorker, { significant: 'yes' }, 'complete');
    const page = await visitor.get(manager, `/cases/${caseId}/chronology`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('moj-timeline');
    const shown = text(page.body);
    expect(shown.indexOf('Home visit recorded by Sam Patel')).toBeLessThan(shown.indexOf('Case opened from referral'));
    expect(shown).toContain('Home visit recorded by Sam Patel: Mia showed me her bedroom. She said she feels safe when Dean is not there.');
    expect(shown).toContain('Read the note');

    const filtered = text((await visitor.get(manager, `/cases/${caseId}/chronology?kind=case-opened`)).body);
    expect(filtered).toContain('1 of 2 entries.');
    expect(filtered).not.toContain('Home visit recorded by');

    const printable = await visitor.get(manager, `/cases/${caseId}/chronology?kind=note-significant&print=yes`);
    expect(text(printable.body)).toContain('This version is for printing');
    expect(printable.body).not.toContain('moj-sub-navigation');
    expect(text(printable.body)).not.toContain('Read the note');
  });
});
