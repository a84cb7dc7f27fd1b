import { generateSessionKey, newSession, SESSION_COOKIE, sealSession } from '@fsp/shared/http/session';
import { resolveManifest } from '@fsp/shared/manifest-resolve';
import { testDynamoEndpoint } from '@fsp/shared/testing/dynamodb';
import { manifest as notesManifest } from '@fsp/shared/testing/fixtures/notes-service/service';
import { type LocalCloud, startLocalCloud } from '../../../src/local-cloud';
import { verboseLog, workerToken } from './support';

/** A page route of the fixture through the real gateway and function runtime: the function, not the gateway, opens the cookie. */
describe('the local cloud serves page routes by the session cookie', () => {
  let cloud: LocalCloud;

  beforeAll(async () => {
    cloud = await startLocalCloud({
      manifests: [resolveManifest(notesManifest)],
      dynamoEndpoint: testDynamoEndpoint(),
      tablePrefix: `pages${Date.now().toString(36)}-`,
      log: verboseLog,
    });
  }, 60_000);
  afterAll(() => cloud?.stop());

  const sealedFor = (username: string, keys = cloud.sessionKeys) => {
    const worker = cloud.demoWorkers.find((w) => w.username === username)!;
    const at = new Date();
    const session = newSession(
      { userId: `local-${worker.username}`, username: worker.username, name: worker.name, roles: [...worker.roles], teamId: worker.teamId },
      at,
    );
    return `${SESSION_COOKIE}=${sealSession(session, keys, at)}`;
  };

  it('sends a browser without a session to sign in, with the page it asked for', async () => {
    const response = await fetch(`${cloud.url}/pages/notes?sort=newest`, { redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/signin?returnTo=${encodeURIComponent('/pages/notes?sort=newest')}`);
  });

  it('never admits a page by a bearer token', async () => {
    const token = await workerToken(cloud, 'socialworker');
    const response = await fetch(`${cloud.url}/pages/notes`, { redirect: 'manual', headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(303);
  });

  it('serves the page to a session sealed with the local keys, which every function was given', async () => {
    const response = await fetch(`${cloud.url}/pages/notes`, {
      redirect: 'manual',
      headers: { cookie: `theme=dark; ${sealedFor('socialworker')}` },
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Signed in as Sam Okafor');
  });

  it('answers 403 to a session without the role, and sends a cookie sealed elsewhere to sign in', async () => {
    const asManager = await fetch(`${cloud.url}/pages/notes`, { redirect: 'manual', headers: { cookie: sealedFor('manager') } });
    expect(asManager.status).toBe(403);
    const foreign = await fetch(`${cloud.url}/pages/notes`, {
      redirect: 'manual',
      headers: { cookie: sealedFor('socialworker', [generateSessionKey(1)]) },
    });
    expect(foreign.status).toBe(303);
  });

  it('still refuses the session cookie on a JSON worker route', async () => {
    const response = await fetch(`${cloud.url}/notes/any`, { headers: { cookie: sealedFor('socialworker') } });
    expect(response.status).toBe(401);
  });
});
