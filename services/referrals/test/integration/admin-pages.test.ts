/**
 * The administrators' pages through the `admin` handler, with a sealed session cookie, against
 * DynamoDB Local and the local cloud's Cognito endpoint and OIDC issuer (in-process on a loopback
 * port): onboarding with the GOV.UK error pattern, the secret shown once (in the answer to the POST,
 * never in a URL or the table) and working for a token; rotation and retirement of secrets; revocation
 * after a confirmation; forms sent again doing nothing; CSRF, Origin and roles.
 */
import { createServer, type Server } from 'node:http';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { apiGatewayEvent } from '@fsp/shared/testing/api-gateway-event';
import { allItems, type TestTable } from '@fsp/shared/testing/dynamodb';
import { formsOf, mainLinksOf, mainTextOf } from '@fsp/shared/testing/html';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { createLocalCognito } from '../../../../infra/local/src/cognito';
import { createLocalIssuer, type LocalIssuer } from '../../../../infra/local/src/oidc';
import { createCognitoIdentityProvider } from '../../src/adapters/identity-provider';
import { encodeAgencyCursor } from '../../src/store/agencies-store';
import { adminPagesUnderTest, FRONT_DOOR, ORIGIN, shownSecretOf } from '../support/admin-pages';
import { onboardAgency } from '../support/agencies';

const POOL = 'eu-west-2_fsplocal';
const SCOPES = ['referrals/submit', 'referrals/read'];

let table: TestTable;
let runtime: ServiceRuntime;
let issuer: LocalIssuer;
let server: Server;
let url: string;
let cognito: CognitoIdentityProviderClient;
let pages: ReturnType<typeof adminPagesUnderTest>;

beforeEach(async () => {
  ({ table, runtime } = await createTestRuntime('referrals-admin-pages'));
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  url = `http://127.0.0.1:${address.port}`;
  issuer = createLocalIssuer({ issuerUrl: url, log: () => {} });
  const cognitoEndpoint = createLocalCognito({ issuer, userPoolId: POOL, scopes: SCOPES, reportError: () => {} });
  server.on('request', (req, res) => {
    if (req.headers['x-amz-target']) cognitoEndpoint(req, res);
    else if (!issuer.handle(req, res)) res.writeHead(404).end();
  });
  cognito = new CognitoIdentityProviderClient({
    endpoint: url,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  pages = adminPagesUnderTest(runtime, createCognitoIdentityProvider({ userPoolId: POOL, client: cognito }));
});
afterEach(async () => {
  cognito.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await table.drop();
});

async function tokenStatus(clientId: string, clientSecret: string): Promise<number> {
  const response = await fetch(`${url}/oauth2/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
    },
    body: 'grant_type=client_credentials',
  });
  await response.arrayBuffer();
  return response.status;
}

const OAKFIELD = { name: 'Oakfield Primary School', type: 'school', referralSource: '2A', contactEmail: 'office@oakfield.example.sch.uk' };

/** The onboarding form as shown, filled in and sent. */
async function onboard(fields: Record<string, string> = OAKFIELD) {
  const form = formTo((await pages.get('/admin/agencies/new')).body ?? '', '/admin/agencies/new');
  return pages.post(form.action, { ...form.fields, ...fields });
}

/** Onboards Oakfield; its id, client id and first secret, as the page showed them. */
async function onboarded(): Promise<{ agencyId: string; clientId: string; secret: string }> {
  const answer = await onboard();
  expect(answer.statusCode).toBe(200);
  const [agency] = (await allItems(table)).filter((item) => item.kind === 'agency');
  return { agencyId: agency!.agencyId as string, clientId: agency!.clientId as string, secret: shownSecretOf(answer.body ?? '')! };
}

/** The page's form that posts to `action` (the header's Sign out form is one of every page's forms). */
function formTo(html: string, action: string | RegExp) {
  const form = formsOf(html).find((candidate) =>
    typeof action === 'string' ? candidate.action === action : action.test(candidate.action),
  );
  if (!form)
    throw new Error(
      `no form posting to ${action} among ${formsOf(html)
        .map((f) => f.action)
        .join(', ')}`,
    );
  return form;
}

const agencies = async () => (await allItems(table)).filter((item) => item.kind === 'agency');

describe('who may use the admin pages', () => {
  it('sends a browser without a session to sign in, and shows other workers a GOV.UK page saying they may not', async () => {
    const anonymous = await pages.handler(apiGatewayEvent({ path: '/admin/agencies' }));
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers?.location).toBe('/signin?returnTo=%2Fadmin%2Fagencies');

    const frontDoor = await pages.get('/admin', FRONT_DOOR);
    expect(frontDoor.statusCode).toBe(403);
    expect(frontDoor.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(mainTextOf(frontDoor.body ?? '')).toContain('You do not have permission to see this page');
    expect((await pages.post('/admin/agencies/new', { ...OAKFIELD, key: 'abcdef' }, { worker: FRONT_DOOR })).statusCode).toBe(403);
    expect(await agencies()).toEqual([]);
  });
});

describe('Admin and the list of agencies', () => {
  it('links to partner agencies and to the failed webhook deliveries notifications keeps; the list says what to do when empty', async () => {
    const home = await pages.get('/admin');
    expect(home.statusCode).toBe(200);
    expect(home.headers?.['cache-control']).toBe('no-store');
    expect(home.body).toContain('<title>Admin – Family Safeguarding Platform</title>');
    expect(mainLinksOf(home.body ?? '')).toEqual([
      { href: '/admin/agencies', text: 'Partner agencies' },
      { href: '/admin/webhook-deliveries', text: 'Failed webhook deliveries' },
    ]);
    expect(mainTextOf(home.body ?? '')).toContain('0 agencies are active.');

    const empty = await pages.get('/admin/agencies');
    expect(mainTextOf(empty.body ?? '')).toContain('No partner agencies yet. Onboard an agency');
    expect(mainLinksOf(empty.body ?? '')).toContainEqual({ href: '/admin/agencies/new', text: 'Onboard an agency' });

    const { agencyId } = await onboarded();
    const list = await pages.get('/admin/agencies');
    expect(mainLinksOf(list.body ?? '')).toContainEqual({ href: `/admin/agencies/${agencyId}`, text: 'Oakfield Primary School' });
    expect(list.body).toMatch(/govuk-tag--green">\s*Active\s*</);
    expect(mainTextOf((await pages.get('/admin')).body ?? '')).toContain('1 agency is active.');
  });
});

describe('the list of agencies, a page at a time', () => {
  /** `count` agencies, onboarded in no particular order, named so that their order by name is their number. */
  async function onboardMany(count: number): Promise<string[]> {
    const names = Array.from({ length: count }, (_, i) => `${i % 2 === 0 ? 'Agency' : 'agency'} ${String(i + 1).padStart(2, '0')}`);
    const shuffled = [...names].sort((a, b) => (a.slice(-1) < b.slice(-1) ? -1 : a.slice(-1) > b.slice(-1) ? 1 : a < b ? -1 : 1));
    for (const name of shuffled) {
      const agencyId = `agency-${name.slice(-2)}`;
      await onboardAgency(runtime.documents, runtime.tableName, { agencyId, clientId: `client-${agencyId}`, name });
    }
    return names;
  }

  /** The agencies a page lists, and its "Previous page" and "Next page" links. */
  async function listAt(path: string) {
    const answer = await pages.get(path);
    expect(answer.statusCode).toBe(200);
    const links = mainLinksOf(answer.body ?? '');
    return {
      names: links.filter((link) => /^\/admin\/agencies\/agency-\d\d$/.test(link.href)).map((link) => link.text),
      previous: links.find((link) => link.text.startsWith('Previous page')),
      next: links.find((link) => link.text.startsWith('Next page')),
      text: mainTextOf(answer.body ?? ''),
    };
  }

  it('shows 20 agencies a page by name, whatever their case, with next and previous through the addresses it gave out', async () => {
    const names = await onboardMany(45);
    const first = await listAt('/admin/agencies');
    expect(first.names).toEqual(names.slice(0, 20));
    expect(first.previous).toBeUndefined();
    expect(first.next?.text).toBe('Next page : Later in the alphabet');

    const second = await listAt(first.next!.href);
    expect(second.names).toEqual(names.slice(20, 40));
    expect(second.previous).toEqual({ href: '/admin/agencies', text: 'Previous page : Earlier in the alphabet' });

    const third = await listAt(second.next!.href);
    expect(third.names).toEqual(names.slice(40));
    expect(third.next).toBeUndefined();
    expect(third.previous?.href).toBe(first.next!.href);
    expect((await listAt(third.previous!.href)).names).toEqual(second.names);
  });

  it('offers no next page when the last page is exactly full', async () => {
    const names = await onboardMany(40);
    const first = await listAt('/admin/agencies');
    const second = await listAt(first.next!.href);
    expect(second.names).toEqual(names.slice(20));
    expect(second.next).toBeUndefined();
    expect((await listAt('/admin/agencies')).names).toHaveLength(20);
  });

  it('shows no pagination when every agency fits on one page', async () => {
    await onboardMany(20);
    const only = await pages.get('/admin/agencies');
    expect(only.body).not.toContain('govuk-pagination');
  });

  it.each([
    ['a cursor it did not give out', '?cursor=nonsense'],
    [
      'a cursor altered to point at another agency',
      `?cursor=${encodeAgencyCursor({ agencyId: 'agency-01', sortKey: 'agency 02#agency-02' })}`,
    ],
    [
      'a trail of earlier pages it did not give out',
      `?cursor=${encodeAgencyCursor({ agencyId: 'agency-01', sortKey: 'agency 01#agency-01' })}&back=junk`,
    ],
    ['a cursor given twice', '?cursor=a&cursor=b'],
  ])('answers %s with a GOV.UK page that leads back to the list, not an error', async (_, query) => {
    await onboardMany(3);
    const answer = await pages.get(`/admin/agencies${query}`);
    expect(answer.statusCode).toBe(404);
    expect(answer.body).toContain('<title>That page of partner agencies does not exist – Family Safeguarding Platform</title>');
    expect(mainLinksOf(answer.body ?? '')).toContainEqual({ href: '/admin/agencies', text: 'Go to the partner agencies' });
  });
});

describe('onboarding an agency', () => {
  it('shows every error in the summary and at its field, keeps what was typed (as text), and creates nothing', async () => {
    const answer = await onboard({ name: '<b>Oak</b>', type: '', referralSource: '1A', contactEmail: 'not-an-email' });
    expect(answer.statusCode).toBe(400);
    const page = answer.body ?? '';
    expect(page).toContain('<title>Error: Onboard a partner agency – Family Safeguarding Platform</title>');
    const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(page)?.[0] ?? '';
    expect([...summary.matchAll(/<a href="(#[^"]+)">([^<]+)<\/a>/g)].map((m) => [m[1], m[2]])).toEqual([
      ['#type', 'Select the type of agency'],
      ['#referralSource', 'Select the referral source its referrals are recorded under'],
      ['#contactEmail', 'Enter an email address in the correct format, like name@example.com'],
    ]);
    expect(page).toContain('id="contactEmail-error"');
    expect(page).toContain('value="&lt;b&gt;Oak&lt;/b&gt;"');
    expect(page).not.toContain('<b>Oak</b>');
    expect(page).toContain('value="not-an-email"');
    expect(await agencies()).toEqual([]);

    const blank = await onboard({ name: '  ', type: 'school', referralSource: '2A', contactEmail: '' });
    expect(mainTextOf(blank.body ?? '')).toContain('Enter the agency’s name');
    expect(mainTextOf(blank.body ?? '')).toContain('Enter the agency’s contact email address');
    // The school chosen is kept.
    expect(blank.body).toMatch(/value="school" checked/);
    expect(blank.body).toMatch(/value="2A" selected/);
  });

  it('shows the secret once, in the answer to the POST (never in a URL or the table), and it gets a token', async () => {
    const answer = await onboard();
    expect(answer.statusCode).toBe(200);
    expect(answer.headers?.location).toBeUndefined();
    expect(answer.headers?.['cache-control']).toBe('no-store');
    const page = answer.body ?? '';
    expect(mainTextOf(page)).toContain('Oakfield Primary School is onboarded');
    expect(mainTextOf(page)).toContain('You will not see this secret again');
    const secret = shownSecretOf(page);
    expect(secret).toMatch(/^\S{20,}$/);
    expect(page).toMatch(/<input[^>]*id="clientSecret"[^>]*readonly/);

    const [agency] = await agencies();
    expect(agency).toMatchObject({ name: 'Oakfield Primary School', type: 'school', referralSource: '2A', onboardedBy: 'admin-user' });
    expect(agency!.agencyId).toMatch(/^agency-oakfield-primary-school-[0-9a-f]{6}$/);
    expect(JSON.stringify(await allItems(table))).not.toContain(secret);
    expect(await tokenStatus(agency!.clientId as string, secret!)).toBe(200);
    const events = (await allItems(table)).filter((item) => item.kind === 'outbox').map((item) => item.detailType);
    expect(events).toEqual(['AgencyOnboarded']);

    // Never shown again: the agency's page has its client ID, not the secret.
    const shown = (await pages.get(`/admin/agencies/${agency!.agencyId as string}`)).body ?? '';
    expect(shown).toContain(agency!.clientId as string);
    expect(shown).not.toContain(secret);
  });

  it('onboards once when the form is sent twice (reload, double click), and says the secret was shown the first time', async () => {
    const form = formTo((await pages.get('/admin/agencies/new')).body ?? '', '/admin/agencies/new');
    const first = await pages.post(form.action, { ...form.fields, ...OAKFIELD });
    const again = await pages.post(form.action, { ...form.fields, ...OAKFIELD });
    expect(first.statusCode).toBe(200);
    expect(again.statusCode).toBe(409);
    expect(mainTextOf(again.body ?? '')).toContain('This agency is already onboarded');
    expect(shownSecretOf(again.body ?? '')).toBeUndefined();
    expect(await agencies()).toHaveLength(1);
  });
});

describe('an agency’s credentials', () => {
  it('rotates: the new secret shown once while the old goes on working; the form sent again does nothing', async () => {
    const { agencyId, clientId, secret: first } = await onboarded();
    const page = (await pages.get(`/admin/agencies/${agencyId}`)).body ?? '';
    expect(mainTextOf(page)).toContain('Active');
    // The only secret cannot be retired.
    expect(mainLinksOf(page).some((link) => link.text.startsWith('Retire'))).toBe(false);
    const rotate = formTo(page, `/admin/agencies/${agencyId}/credentials`);
    expect(rotate.fields).toEqual({ csrfToken: expect.any(String), version: '1' });

    const rotated = await pages.post(rotate.action, rotate.fields);
    expect(rotated.statusCode).toBe(200);
    expect(rotated.headers?.location).toBeUndefined();
    const second = shownSecretOf(rotated.body ?? '')!;
    expect(second).not.toBe(first);
    expect(mainTextOf(rotated.body ?? '')).toContain('New secret for Oakfield Primary School');
    expect(mainTextOf(rotated.body ?? '')).toContain('The agency’s other secret goes on working');
    expect(await tokenStatus(clientId, first)).toBe(200);
    expect(await tokenStatus(clientId, second)).toBe(200);
    expect(JSON.stringify(await allItems(table))).not.toContain(second);

    // Sent again (reload of the secret's page): nothing changes, and the page says why.
    const again = await pages.post(rotate.action, rotate.fields);
    expect(again.statusCode).toBe(409);
    expect(mainTextOf(again.body ?? '')).toContain('Nothing was changed');
    expect(mainTextOf(again.body ?? '')).toContain('The agency has changed since you opened the page you sent this from');
    expect((await agencies())[0]!.secrets).toHaveLength(2);
    expect(await tokenStatus(clientId, first)).toBe(200);

    // With two, the page warns that a third retires the older.
    const withTwo = (await pages.get(`/admin/agencies/${agencyId}`)).body ?? '';
    expect(mainTextOf(withTwo)).toContain('A new one retires the older secret at once.');
  });

  it('retires a secret after a confirmation, and it stops getting tokens', async () => {
    const { agencyId, clientId, secret: first } = await onboarded();
    const rotate = formTo((await pages.get(`/admin/agencies/${agencyId}`)).body ?? '', `/admin/agencies/${agencyId}/credentials`);
    const second = shownSecretOf((await pages.post(rotate.action, rotate.fields)).body ?? '')!;

    const page = (await pages.get(`/admin/agencies/${agencyId}`)).body ?? '';
    const retireLinks = mainLinksOf(page).filter((link) => link.text.startsWith('Retire'));
    expect(retireLinks).toHaveLength(2);
    const [older] = retireLinks;
    const confirmation = await pages.get(older!.href);
    expect(confirmation.statusCode).toBe(200);
    expect(mainTextOf(confirmation.body ?? '')).toContain('Retire this secret?');
    const form = formTo(confirmation.body ?? '', /\/retire$/);
    const retired = await pages.post(form.action, form.fields);
    expect(retired.statusCode).toBe(303);
    expect(retired.headers?.location).toBe(`/admin/agencies/${agencyId}?done=retired`);
    expect(mainTextOf((await pages.get(retired.headers!.location!)).body ?? '')).toContain('The secret is retired');
    expect(await tokenStatus(clientId, first)).toBe(401);
    expect(await tokenStatus(clientId, second)).toBe(200);
    // The last secret has no Retire link, and its confirmation page goes back to the agency.
    const after = (await pages.get(`/admin/agencies/${agencyId}`)).body ?? '';
    expect(mainLinksOf(after).some((link) => link.text.startsWith('Retire'))).toBe(false);
    expect((await pages.post(form.action, form.fields)).statusCode).toBe(409);
  });

  it('revokes after a confirmation: the client is gone, the agency says so, AgencyRevoked is published', async () => {
    const { agencyId, clientId, secret } = await onboarded();
    const page = (await pages.get(`/admin/agencies/${agencyId}`)).body ?? '';
    const revokeLink = mainLinksOf(page).find((link) => link.text === 'Revoke Oakfield Primary School')!;
    expect(revokeLink.href).toBe(`/admin/agencies/${agencyId}/revoke`);
    const confirmation = (await pages.get(revokeLink.href)).body ?? '';
    expect(mainTextOf(confirmation)).toContain('Revoke Oakfield Primary School?');
    expect(mainTextOf(confirmation)).toContain('You cannot undo this.');
    const form = formTo(confirmation, `/admin/agencies/${agencyId}/revoke`);
    const revoked = await pages.post(form.action, form.fields);
    expect(revoked.statusCode).toBe(303);
    expect(revoked.headers?.location).toBe(`/admin/agencies/${agencyId}?done=revoked`);

    const after = (await pages.get(revoked.headers!.location!)).body ?? '';
    expect(mainTextOf(after)).toContain('Oakfield Primary School is revoked');
    expect(after).toMatch(/govuk-tag--red">\s*Revoked\s*</);
    expect(formsOf(after).map((form) => form.action)).toEqual(['/signout']);
    expect(await tokenStatus(clientId, secret)).toBe(401);
    const events = (await allItems(table)).filter((item) => item.kind === 'outbox').map((item) => item.detailType);
    expect(events.sort()).toEqual(['AgencyOnboarded', 'AgencyRevoked']);
    // A revoked agency's confirmation goes back to its page.
    expect((await pages.get(revokeLink.href)).headers?.location).toBe(`/admin/agencies/${agencyId}`);
  });

  it('refuses forms without the session’s CSRF token or from another origin, changing nothing', async () => {
    const { agencyId } = await onboarded();
    const rotate = formTo((await pages.get(`/admin/agencies/${agencyId}`)).body ?? '', `/admin/agencies/${agencyId}/credentials`);
    const forged = await pages.post(rotate.action, { ...rotate.fields, csrfToken: 'forged' });
    expect(forged.statusCode).toBe(403);
    expect(forged.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect((await pages.post(rotate.action, { version: '1' })).statusCode).toBe(403);
    expect((await pages.post(rotate.action, rotate.fields, { headers: { origin: 'https://evil.example' } })).statusCode).toBe(403);
    expect((await pages.post(`/admin/agencies/${agencyId}/revoke`, { csrfToken: 'forged' })).statusCode).toBe(403);
    const [agency] = await agencies();
    expect(agency).toMatchObject({ status: 'active', version: 1 });
    expect(agency!.secrets).toHaveLength(1);
    // Sanity: the same form with its token and origin does rotate.
    expect((await pages.post(rotate.action, rotate.fields, { headers: { origin: ORIGIN } })).statusCode).toBe(200);
  });

  it('answers an agency that does not exist with the GOV.UK page not found', async () => {
    const answer = await pages.get('/admin/agencies/agency-nobody');
    expect(answer.statusCode).toBe(404);
    expect(mainTextOf(answer.body ?? '')).toContain('Page not found');
  });
});
