/**
 * QUALITY.md, security 10: personal data stays out of logs and metrics (ADR 0021). The main
 * referral flows run on the local cloud with every function logging at DEBUG: a referral through
 * the public web form and one from a partner agency (the same child, so the known-family check
 * matches them), each screened and decided by the front door, the cases opened and the front
 * door's and the team's inbox items delivered. Every line written meanwhile is captured (the
 * local cloud's own `log`, and whatever the functions write to stdout and stderr, which carries
 * their Powertools logs and any EMF metrics) and searched for the fixtures' personal data, in the
 * form it was given and in the normalised forms the known-family check makes of it.
 */
import { randomUUID } from 'node:crypto';
import { loadServiceManifests } from '@fsp/shared/manifest-loader';
import { testDynamoEndpoint } from '@fsp/shared/testing/dynamodb';
import { partnerToken, workerToken } from '../../src/demo-tokens';
import { type LocalCloud, startLocalCloud } from '../../src/local-cloud';
import { submitThroughForm } from '../../src/seed/form';
import type { Submission } from '../../src/seed/plan';
import { eventually } from './local-cloud/support';

// Unusual on purpose: a hit is a leak, never a coincidence with a word the platform writes itself.
const child = {
  firstName: 'Zephyrine',
  lastName: 'Quillfeather',
  dateOfBirth: '2017-08-23',
  gender: 'female',
  address: { line1: '47 Marigold Crescent', line2: 'Upper Thrumby', town: 'Wexcombe', postcode: 'QX9 7ZW' },
  school: 'Thrumby Vale Academy',
};
const formReferral: Submission = {
  referrer: { name: 'Wren Holloway', email: 'wren.holloway@example.org', phone: '07700 900417' },
  referralSource: '1B',
  children: [child],
  adults: [{ firstName: 'Bartholomew', lastName: 'Quillfeather', dateOfBirth: '1984-02-29', relationship: 'father' }],
  concerns: {
    whatHappened: 'Shouting every night and the kitchen window smashed on Thursday evening.',
    whyNow: 'Zephyrine told the neighbour she sleeps under the stairs when it starts.',
  },
  factors: ['3B'],
  consent: { familyKnows: false, consentGiven: false, withoutConsentReason: 'Telling her father could make things worse for Ottoline.' },
};
const partnerReferral = {
  referrer: {
    name: 'Ignatius Pemberly-Rowe',
    role: 'Designated safeguarding lead',
    organisation: 'Thrumby Vale Academy',
    email: 'i.pemberly-rowe@thrumby-vale.example.sch.uk',
    phone: '01632 960 781',
  },
  referralSource: '2A',
  children: [child],
  adults: [{ firstName: 'Ottoline', lastName: 'Quillfeather', relationship: 'mother' }],
  concerns: {
    whatHappened: 'Zephyrine arrived with a bruised wrist and said the marmalade jar was thrown at her mother.',
    whyNow: 'Second injury seen by staff this half term.',
  },
  factors: ['3B', '17A'],
  consent: { familyKnows: true, consentGiven: true },
};
const decisionReason = 'Persistent violence in the household around the youngest child meets the threshold.';

/** What must appear in no log line: each as given, and as the known-family check normalises it. */
const PERSONAL_DATA = [
  'Zephyrine',
  'Quillfeather',
  '2017-08-23',
  '1984-02-29',
  'Marigold Crescent',
  'Upper Thrumby',
  'Wexcombe',
  'QX9 7ZW',
  'QX97ZW',
  'Thrumby Vale',
  'Wren Holloway',
  'wren.holloway@example.org',
  '07700 900417',
  '07700900417',
  'Bartholomew',
  'Ottoline',
  'Ignatius',
  'Pemberly',
  'thrumby-vale.example',
  '01632 960 781',
  'kitchen window',
  'under the stairs',
  'marmalade jar',
  'bruised wrist',
  'half term',
  'make things worse',
  'youngest child',
];

/** Everything written to stdout and stderr, the workers' output included (Node pipes it through the parent's streams). */
function captureOutput(): { lines: () => string[]; stop: () => void } {
  const chunks: string[] = [];
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((stream) => stream.write);
  for (const stream of streams) {
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const callback = rest.find((argument) => typeof argument === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    }) as typeof stream.write;
  }
  return {
    lines: () => chunks.join('').split('\n'),
    stop: () => {
      streams.forEach((stream, i) => {
        stream.write = originals[i] as typeof stream.write;
      });
    },
  };
}

describe('personal data in logs and metrics', () => {
  it('is never written, by any function at DEBUG, through a form and a partner referral to their decisions', async () => {
    const cloudLines: string[] = [];
    const output = captureOutput();
    let cloud: LocalCloud | undefined;
    const ids: string[] = [];
    try {
      cloud = await startLocalCloud({
        manifests: await loadServiceManifests(),
        dynamoEndpoint: testDynamoEndpoint(),
        tablePrefix: `pii${Date.now().toString(36)}-`,
        queueOverrides: { backoff: () => 50, visibilityTimeoutMs: 10_000 },
        functionLogLevel: 'DEBUG',
        log: (line) => cloudLines.push(line),
      });
      const running = cloud;
      const call = async (token: string, path: string, init: { method?: string; body?: unknown } = {}) => {
        const response = await fetch(`${running.url}${path}`, {
          method: init.method ?? 'GET',
          headers: {
            authorization: `Bearer ${token}`,
            ...(init.body ? { 'content-type': 'application/json' } : {}),
            ...(init.method === 'POST' ? { 'idempotency-key': randomUUID() } : {}),
          },
          ...(init.body ? { body: JSON.stringify(init.body) } : {}),
        });
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      };
      const partner = await partnerToken(cloud, 'referrals/submit referrals/read');
      const frontDoor = await workerToken(cloud, 'frontdoor');

      const { reference: formReference } = await submitThroughForm(cloud.url, formReferral);
      const submitted = await call(partner, '/v1/referrals', { method: 'POST', body: partnerReferral });
      expect(submitted.status).toBe(201);
      const partnerId = submitted.body.id as string;
      // A refused submission: its error names the fields, never what was in them.
      const refused = await call(partner, '/v1/referrals', {
        method: 'POST',
        body: {
          ...partnerReferral,
          children: [{ ...child, dateOfBirth: 'Zephyrine-2017', address: { ...child.address, postcode: 'QX9 7ZW Wexcombe!' } }],
        },
      });
      expect(refused.status).toBe(400);

      const formId = await eventually(async () => {
        const queue = await call(frontDoor, '/api/front-door/referrals');
        const entries = queue.body.referrals as { referralId: string; reference: string }[];
        return entries.find((entry) => entry.reference === formReference)?.referralId;
      }, 'the form referral in the front door queue');
      // The known-family check has matched the partner's child to the form's.
      const matched = await eventually(async () => {
        const answer = await call(frontDoor, `/api/front-door/referrals/${partnerId}`);
        const known = answer.body.knownFamily as unknown[] | undefined;
        return known && known.length > 0 ? known : undefined;
      }, 'the known-family match');
      expect(matched).toHaveLength(1);

      for (const referralId of [formId, partnerId]) {
        ids.push(referralId);
        expect(
          (await call(frontDoor, `/api/front-door/referrals/${referralId}/screening`, { method: 'POST', body: {} })).status,
        ).toBeLessThan(300);
        const decided = await call(frontDoor, `/api/front-door/referrals/${referralId}/decision`, {
          method: 'POST',
          body: { outcome: 'assessment', reason: decisionReason, teamId: 'north' },
        });
        expect(decided.status).toBe(200);
      }
      await cloud.settled();
      // The partner reads its referral's progress, as agencies poll.
      expect((await call(partner, `/v1/referrals/${partnerId}`)).status).toBe(200);
      await cloud.settled();
    } finally {
      await cloud?.stop();
      output.stop();
    }

    const lines = [...cloudLines, ...output.lines()].filter((line) => line.trim().length > 0);
    // The capture works: the functions' lines are there (consumers' and HTTP functions' alike), naming the referrals by id.
    expect(lines.length).toBeGreaterThan(20);
    for (const id of ids) expect(lines.some((line) => line.includes(id))).toBe(true);
    expect(lines.filter((line) => line.includes('"message":"Known-family check recorded"'))).toHaveLength(2);
    expect(lines.filter((line) => line.includes('"message":"referral decided"'))).toHaveLength(2);
    expect(lines.some((line) => line.includes('"message":"Request rejected"') && line.includes('referrals-partner-api'))).toBe(true);

    const leaks = lines.flatMap((line) =>
      PERSONAL_DATA.filter((value) => line.toLowerCase().includes(value.toLowerCase())).map((value) => `${value}: ${line.slice(0, 300)}`),
    );
    // Metrics' EMF lines (dimensions and properties) are among the captured lines, so the search covers them.
    expect(
      lines.filter((line) => line.includes('"CloudWatchMetrics"') && line.includes('"ReferralsReceived"')).length,
    ).toBeGreaterThanOrEqual(2);
    expect(lines.some((line) => line.includes('"CloudWatchMetrics"') && line.includes('"ReferralsDecided"'))).toBe(true);
    expect(leaks).toEqual([]);
  });
});
