/**
 * The demo partner agency is onboarded through the real admin API at start-up, and with data kept
 * on disk a restart finds it again (same agency, same client id) and gives it a fresh secret.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadServiceManifests } from '@fsp/shared/manifest-loader';
import { testDynamoEndpoint } from '@fsp/shared/testing/dynamodb';
import { DEMO_AGENCY } from '../../../src/cognito';
import { type LocalCloud, startLocalCloud } from '../../../src/local-cloud';
import { partnerToken, verboseLog, workerToken } from './support';

const referral = {
  referrer: { name: 'Amara Okafor', email: 'dsl@demo-school.example' },
  referralSource: '2A',
  children: [{ firstName: 'Mia', lastName: 'Jones', dateOfBirth: '2018-03-14' }],
  concerns: { whatHappened: 'Mia disclosed violence at home.', whyNow: 'Third disclosure this term.' },
  factors: ['3B'],
  consent: { familyKnows: true, consentGiven: true },
};

async function tokenStatus(cloud: LocalCloud, clientId: string, clientSecret: string): Promise<number> {
  const response = await fetch(`${cloud.url}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString(),
  });
  return response.status;
}

test('the demo agency is a real onboarded agency, found again and given a fresh secret after a restart', async () => {
  const dataDirectory = mkdtempSync(join(tmpdir(), 'fsp-demo-agency-'));
  const tablePrefix = `demo${Date.now().toString(36)}-`;
  const startWithPrefix = async () =>
    startLocalCloud({
      manifests: await loadServiceManifests(),
      dynamoEndpoint: testDynamoEndpoint(),
      dataDirectory,
      tablePrefix,
      log: verboseLog,
      functionLogLevel: 'WARN',
    });
  let cloud = await startWithPrefix();
  try {
    const first = cloud.demoPartner;
    expect(first).toMatchObject({ name: DEMO_AGENCY.name, agencyId: 'demo-school', scopes: ['referrals/submit', 'referrals/read'] });

    const submitted = await fetch(`${cloud.url}/v1/referrals`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await partnerToken(cloud, 'referrals/submit')}`,
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
      },
      body: JSON.stringify(referral),
    });
    expect(submitted.status).toBe(201);

    await cloud.stop();
    cloud = await startWithPrefix();
    const second = cloud.demoPartner;
    expect(second.clientId).toBe(first.clientId);
    expect(second.clientSecret).not.toBe(first.clientSecret);
    expect(await tokenStatus(cloud, second.clientId, second.clientSecret)).toBe(200);
    expect(await tokenStatus(cloud, first.clientId, first.clientSecret)).toBe(401);

    const admin = await workerToken(cloud, 'admin');
    const listed = (await (await fetch(`${cloud.url}/api/admin/agencies`, { headers: { authorization: `Bearer ${admin}` } })).json()) as {
      agencies: { agencyId: string; secrets: unknown[] }[];
    };
    expect(listed.agencies.map((agency) => agency.agencyId)).toEqual(['demo-school']);
    expect(listed.agencies[0]?.secrets).toHaveLength(1);
  } finally {
    await cloud.stop();
    rmSync(dataDirectory, { recursive: true, force: true });
  }
});
