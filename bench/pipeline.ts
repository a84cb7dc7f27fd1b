/**
 * QUALITY.md, event pipeline: referral submitted → inbox item visible to the front door, through
 * outbox, stream relay, bus and queue, on the local cloud. Each referral is timed from the start of
 * its POST to the first GET /api/inbox that shows its item.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { LocalCloud } from '../infra/local/src/local-cloud';
import { percentile, type Summary, summarise } from './stats';
import { TARGETS } from './targets';

/** QUALITY.md: p95 ≤ 300 ms, warm. */
export const P95_TARGET_MS = TARGETS.pipelineP95Ms;

const referral = {
  referrer: { name: 'Bench Referrer', organisation: 'Demo Primary School', email: 'bench@demo-school.example' },
  referralSource: '2A',
  children: [{ firstName: 'Mia', lastName: 'Jones', dateOfBirth: '2018-03-14' }],
  concerns: { whatHappened: 'Disclosure of violence at home.', whyNow: 'Third disclosure this term.' },
  factors: ['3B'],
  consent: { familyKnows: true, consentGiven: true },
};

export interface PipelineResult {
  referrals: number;
  submitToInboxMs: Summary;
  p95TargetMs: number;
  meetsTarget: boolean;
}

export async function measurePipeline(
  cloud: LocalCloud,
  tokens: { partner: string; frontDoor: string },
  runs: number,
): Promise<PipelineResult> {
  const samples: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    const response = await fetch(`${cloud.url}/v1/referrals`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.partner}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify(referral),
    });
    if (response.status !== 201) throw new Error(`POST /v1/referrals answered ${response.status}: ${await response.text()}`);
    const { id } = (await response.json()) as { id: string };
    const link = `/front-door/referrals/${id}`;
    for (;;) {
      const inbox = await fetch(`${cloud.url}/api/inbox?limit=10`, { headers: { authorization: `Bearer ${tokens.frontDoor}` } });
      // 503: the gateway's 30 s integration timeout, met by a cold start on a machine this busy; ask again.
      if (inbox.status === 503) continue;
      if (inbox.status !== 200) throw new Error(`GET /api/inbox answered ${inbox.status}: ${await inbox.text()}`);
      const { items } = (await inbox.json()) as { items: { link: string }[] };
      if (items.some((item) => item.link === link)) break;
      if (performance.now() - started > 30_000) throw new Error(`referral ${id} never reached the front door's inbox`);
    }
    samples.push(performance.now() - started);
  }
  const submitToInboxMs = summarise(samples);
  return { referrals: runs, submitToInboxMs, p95TargetMs: P95_TARGET_MS, meetsTarget: percentile(samples, 95) <= P95_TARGET_MS };
}
