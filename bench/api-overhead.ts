/**
 * QUALITY.md, API overhead: the median latency of `POST /v1/referrals` through the local gateway,
 * divided by the median time of the DynamoDB transaction that request performs, issued directly.
 *
 * The direct transaction is the handler's own: the referrals API runs in this process with a
 * client that hands over its TransactWriteItems instead of sending it, and that exact input is
 * then sent by a plain client and timed. Both sides hit the same DynamoDB Local.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { LocalCloud } from '../infra/local/src/local-cloud';
import { createDocumentClient } from '../shared/src/runtime';
import { captureIntake } from './intake-capture';
import { localDynamoClient } from './local-client';
import { type Summary, summarise } from './stats';
import { TARGETS } from './targets';

export const OVERHEAD_TARGET = TARGETS.apiOverhead;
const referral = readFileSync(join(__dirname, '../docs/examples/referral.json'), 'utf8');

export interface ApiOverheadResult {
  requests: number;
  gatewayMs: Summary;
  directTransactionMs: Summary;
  ratio: number;
  meetsTarget: boolean;
}

export async function measureApiOverhead(cloud: LocalCloud, partnerToken: string, runs: number): Promise<ApiOverheadResult> {
  const client = localDynamoClient(cloud);
  const direct = createDocumentClient(client, {});
  const intake = captureIntake(cloud, client);

  async function directTransactionMs(): Promise<number> {
    const transaction = await intake.transactionOf(referral);
    const started = performance.now();
    await direct.send(new TransactWriteCommand(transaction));
    return performance.now() - started;
  }

  async function gatewayMs(): Promise<number> {
    const started = performance.now();
    const response = await fetch(`${cloud.url}/v1/referrals`, {
      method: 'POST',
      headers: { authorization: `Bearer ${partnerToken}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: referral,
    });
    const body = await response.text();
    const elapsed = performance.now() - started;
    if (response.status !== 201) throw new Error(`POST /v1/referrals answered ${response.status}: ${body}`);
    return elapsed;
  }

  try {
    for (let warm = 0; warm < 10; warm += 1) {
      await gatewayMs();
      await directTransactionMs();
    }
    const gateway: number[] = [];
    const transactions: number[] = [];
    // Interleaved, so that whatever else the machine is doing weighs on both sides alike.
    for (let run = 0; run < runs; run += 1) {
      gateway.push(await gatewayMs());
      transactions.push(await directTransactionMs());
    }
    const gatewaySummary = summarise(gateway);
    const directSummary = summarise(transactions);
    const ratio = Math.round((gatewaySummary.median / directSummary.median) * 100) / 100;
    return { requests: runs, gatewayMs: gatewaySummary, directTransactionMs: directSummary, ratio, meetsTarget: ratio <= OVERHEAD_TARGET };
  } finally {
    client.destroy();
    intake.destroy();
  }
}
