/**
 * The walking skeleton, end to end on the local cloud with the real services: a partner agency
 * submits a referral, the front door decides it, a case opens, the team manager allocates its social
 * worker, and its first group supervision and the inbox items follow through outbox, stream relay,
 * bus and queues. Then the same again with every event delivered twice: the same single result.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadServiceManifests } from '@fsp/shared/manifest-loader';
import { testDynamoEndpoint } from '@fsp/shared/testing/dynamodb';
import { type LocalCloud, startLocalCloud } from '../../../src/local-cloud';
import { eventually, partnerToken, verboseLog, workerToken } from './support';

const referral = {
  referrer: {
    name: 'Amara Okafor',
    role: 'Designated safeguarding lead',
    organisation: 'Demo Primary School',
    email: 'dsl@demo-school.example',
  },
  referralSource: '2A',
  children: [{ firstName: 'Mia', lastName: 'Jones', dateOfBirth: '2018-03-14' }],
  adults: [{ firstName: 'Kerry', lastName: 'Jones', relationship: 'mother' }],
  concerns: { whatHappened: 'Mia disclosed violence between her mother and her mother’s partner.', whyNow: 'Third disclosure this term.' },
  factors: ['3B', '17A'],
  consent: { familyKnows: true, consentGiven: true },
};

interface InboxItem {
  id: string;
  kind: string;
  title: string;
  link: string;
  read: boolean;
}

async function runFlow(options: { deliveryCopies: number }) {
  const dataDirectory = mkdtempSync(join(tmpdir(), 'fsp-referral-flow-'));
  const cloud: LocalCloud = await startLocalCloud({
    manifests: await loadServiceManifests(),
    dynamoEndpoint: testDynamoEndpoint(),
    dataDirectory,
    tablePrefix: `rf${options.deliveryCopies}${Date.now().toString(36)}-`,
    queueOverrides: { backoff: () => 50, visibilityTimeoutMs: 10_000 },
    deliveryCopies: options.deliveryCopies,
    log: verboseLog,
    ...(process.env.FSP_TEST_VERBOSE ? {} : { functionLogLevel: 'WARN' as const }),
  });
  try {
    const call = async (token: string, path: string, init: { method?: string; body?: unknown } = {}) => {
      const response = await fetch(`${cloud.url}${path}`, {
        method: init.method ?? 'GET',
        headers: {
          authorization: `Bearer ${token}`,
          ...(init.body ? { 'content-type': 'application/json' } : {}),
          // The partner API requires one on every submission (PARTNER-API.md); harmless elsewhere.
          ...(init.method === 'POST' ? { 'idempotency-key': randomUUID() } : {}),
        },
        ...(init.body ? { body: JSON.stringify(init.body) } : {}),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const tokens = {
      partner: await partnerToken(cloud, 'referrals/submit'),
      frontDoor: await workerToken(cloud, 'frontdoor'),
      socialWorker: await workerToken(cloud, 'socialworker'),
      manager: await workerToken(cloud, 'manager'),
    };
    const inboxOf = async (token: string) => (await call(token, '/api/inbox')).body as { items: InboxItem[]; unreadCount: number };
    const socialWorkerId = cloud.issuer.directoryEntries().find((entry) => entry.username === 'socialworker')!.sub;

    // The agency submits; the front door hears about it in its inbox.
    const submitted = await call(tokens.partner, '/v1/referrals', { method: 'POST', body: referral });
    expect(submitted.status).toBe(201);
    const referralId = submitted.body.id as string;
    const reference = submitted.body.reference as string;
    const frontDoorItem = await eventually(async () => {
      const inbox = await inboxOf(tokens.frontDoor);
      return inbox.items.find((item) => item.link === `/front-door/referrals/${referralId}`);
    }, 'the front door inbox item');
    expect(frontDoorItem).toMatchObject({ kind: 'referral-submitted', read: false });
    expect(frontDoorItem.title).toContain(reference);

    // The front door decides: a Child and Family assessment by the north team.
    const decided = await call(tokens.frontDoor, `/api/front-door/referrals/${referralId}/decision`, {
      method: 'POST',
      body: { outcome: 'assessment', reason: 'Repeated disclosures of domestic abuse meet the threshold for assessment.', teamId: 'north' },
    });
    expect(decided.status).toBe(200);

    // The case opens for the north team, with the opening in its chronology.
    const found = await eventually(async () => {
      const answer = await call(tokens.socialWorker, `/api/cases?referralId=${referralId}`);
      return answer.status === 200 ? answer.body : undefined;
    }, 'the case');
    const caseId = found.id as string;
    const opened = await call(tokens.socialWorker, `/api/cases/${caseId}`);
    expect(opened.status).toBe(200);
    expect(opened.body).toMatchObject({ id: caseId, status: 'assessment', teamId: 'north' });
    expect(opened.body.chronology).toHaveLength(1);
    // Supervision hears of the case (CaseOpened) but schedules nothing before it has its social worker.
    const known = await eventually(async () => {
      const answer = await call(tokens.manager, `/api/supervision/cases/${caseId}`);
      return answer.status === 200 ? answer.body : undefined;
    }, 'supervision hearing of the case');
    expect(known).toMatchObject({ supervisions: [] });

    // The team manager allocates the case its social worker; the social worker is told in their own inbox.
    const allocated = await call(tokens.manager, `/api/cases/${caseId}/allocation`, {
      method: 'PUT',
      body: { version: 0, socialWorkerId, specialists: {} },
    });
    expect(allocated.status).toBe(200);
    const allocatedItem = await eventually(async () => {
      const inbox = await inboxOf(tokens.socialWorker);
      return inbox.items.find((item) => item.kind === 'case-allocated');
    }, 'the social worker’s allocation item');
    expect(allocatedItem).toMatchObject({ link: `/cases/${caseId}`, read: false });
    expect(allocatedItem.title).toBe(`You have been allocated to case ${reference} as social worker`);

    // Its first group supervision is scheduled at that, and the team's inbox says so.
    const supervisions = await eventually(async () => {
      const answer = await call(tokens.manager, `/api/supervision/cases/${caseId}`);
      const list = answer.body.supervisions as unknown[] | undefined;
      return answer.status === 200 && list && list.length > 0 ? list : undefined;
    }, 'the scheduled supervision');
    const teamItems = await eventually(async () => {
      const inbox = await inboxOf(tokens.manager);
      const kinds = inbox.items.map((item) => item.kind);
      return kinds.includes('case-opened') && kinds.includes('supervision-scheduled') ? inbox : undefined;
    }, 'the team inbox items');

    // Every queue drained, so a late duplicate has had its chance to show; nothing dead-lettered. The flow's last
    // inbox delivery announces itself (InboxItemDelivered) after the item the test waited for, so the inbox-changed
    // queues are also given every copy of the flow's four deliveries before counting: an empty queue alone can be one
    // that has not been sent the last copy yet.
    const inboxDeliveries = 4 * options.deliveryCopies;
    await eventually(
      async () =>
        (cloud.queues.all().every((queue) => queue.depth() === 0) &&
          cloud.queues
            .all()
            .filter((queue) => queue.name.includes('inbox-changed'))
            .every((queue) => queue.stats().sentSinceStart >= inboxDeliveries)) ||
        undefined,
      'every queue to drain',
    );
    const deadLetters = (await Promise.all(cloud.queues.all().map((queue) => queue.deadLetters()))).flat();
    return {
      deadLetters,
      sentPerQueue: Object.fromEntries(cloud.queues.all().map((queue) => [queue.name, queue.stats().sentSinceStart])),
      supervisions,
      teamItems: (await inboxOf(tokens.manager)).items,
      allocatedItems: (await inboxOf(tokens.socialWorker)).items.filter((item) => item.kind === 'case-allocated'),
      frontDoorItems: (await inboxOf(tokens.frontDoor)).items.filter((item) => item.link === `/front-door/referrals/${referralId}`),
      chronology: (await call(tokens.socialWorker, `/api/cases/${caseId}`)).body.chronology as unknown[],
      teamUnread: teamItems.unreadCount,
    };
  } finally {
    await cloud.stop();
    rmSync(dataDirectory, { recursive: true, force: true });
  }
}

describe('a referral becomes a case, an allocation, a supervision and inbox items', () => {
  it('flows through every service once', async () => {
    const result = await runFlow({ deliveryCopies: 1 });
    expect(result.supervisions).toHaveLength(1);
    expect(result.frontDoorItems).toHaveLength(1);
    expect(result.teamItems.map((item) => item.kind).sort()).toEqual(['case-opened', 'supervision-scheduled']);
    expect(result.allocatedItems).toHaveLength(1);
    // The opening and the allocation.
    expect(result.chronology).toHaveLength(2);
    expect(result.deadLetters).toEqual([]);
  });

  it('gives the same single result when every event is delivered twice', async () => {
    const result = await runFlow({ deliveryCopies: 2 });
    expect(result.supervisions).toHaveLength(1);
    expect(result.frontDoorItems).toHaveLength(1);
    expect(result.teamItems.map((item) => item.kind).sort()).toEqual(['case-opened', 'supervision-scheduled']);
    expect(result.allocatedItems).toHaveLength(1);
    expect(result.chronology).toHaveLength(2);
    expect(result.teamUnread).toBe(2);
    // Every queue really did receive each fact twice: one fact each, but for the inbox-changed queues of the services
    // with pages, which hear the four inbox deliveries (the front door's item, the team's two and the social worker's),
    // and supervision's case-chronology queue, which hears the chronology's two entries (the opening and the allocation).
    const received = Object.entries(result.sentPerQueue).filter(([, count]) => count > 0);
    expect(received.length).toBeGreaterThanOrEqual(9); // the flow's nine, and the demo agency's onboarding
    const inboxChanged = received.filter(([name]) => name.includes('inbox-changed'));
    expect(inboxChanged.map(([name]) => name.split('-')[0]).sort()).toEqual(['cases', 'referrals', 'supervision']);
    expect(new Set(inboxChanged.map(([, count]) => count))).toEqual(new Set([8]));
    expect(received.filter(([name]) => name.includes('case-chronology')).map(([, count]) => count)).toEqual([4]);
    const oneFactEach = received.filter(([name]) => !name.includes('inbox-changed') && !name.includes('case-chronology'));
    expect(new Set(oneFactEach.map(([, count]) => count))).toEqual(new Set([2]));
  });
});
