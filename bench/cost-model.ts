/**
 * QUALITY.md, cost model: AWS list prices (bench/prices.json, with the date they were written down)
 * × what the bench measured for referrals carried end to end (intake → decision → case → first
 * supervision), scaled to 1,000 referrals. Pure arithmetic: what was measured comes in as `Usage`.
 *
 * What is counted, and how each count becomes a billed quantity:
 * - every HTTP request the flow made passes CloudFront, AWS WAF and the HTTP API once (ADR 0018:
 *   the edge is the only way in);
 * - every function invocation the local cloud ran is a Lambda request, billed for its measured
 *   duration rounded up to the millisecond at its configured memory (Arm, as CDK deploys);
 * - every fact published (an outbox item) passes the table's pipe once and is one EventBridge
 *   event; each subscription queue it reaches is one SQS message, which costs
 *   `SQS_REQUESTS_PER_MESSAGE` requests (EventBridge's send, Lambda's receive and its delete);
 * - DynamoDB units as AWS bills them: DynamoDB Local's answers, but a transaction's writes priced
 *   by the bench from the items before and after (accounting.ts `priceTransactions`, ADR 0034);
 * - CloudWatch Logs: `LOG_BYTES_PER_INVOCATION` per invocation, an estimate (Lambda's START, END
 *   and REPORT lines and one structured line), not a measurement.
 * Email (SES) is left out, as the bar says; so are monthly charges that do not grow with referrals
 * (WAF web ACL and rules, alarms, dashboards, storage, Lambda pollers' empty receives).
 */
import * as z from 'zod/mini';
import { TARGETS } from './targets';

export const COST_TARGET_PER_1000 = TARGETS.costPer1000;
export const SQS_REQUESTS_PER_MESSAGE = 3;
export const LOG_BYTES_PER_INVOCATION = 600;

const priceSchema = z.object({
  price: z.number().check(z.gte(0)),
  per: z.number().check(z.gt(0)),
  unit: z.string(),
  source: z.string().check(z.minLength(1)),
});
const PRICE_KEYS = [
  'cloudFrontRequests',
  'wafRequests',
  'apiGatewayHttpRequests',
  'lambdaRequests',
  'lambdaGbSecondsArm',
  'eventBridgeEvents',
  'pipesRequests',
  'sqsRequests',
  'dynamoDbWriteRequestUnits',
  'dynamoDbReadRequestUnits',
  'cloudWatchLogsIngestion',
] as const;
export type PriceKey = (typeof PRICE_KEYS)[number];

export const pricesSchema = z.object({
  pricesAsOf: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'pricesAsOf must be a date, YYYY-MM-DD')),
  region: z.string(),
  currency: z.literal('USD'),
  note: z.optional(z.string()),
  prices: z.object(Object.fromEntries(PRICE_KEYS.map((key) => [key, priceSchema])) as Record<PriceKey, typeof priceSchema>),
});
export type Prices = z.infer<typeof pricesSchema>;

/** Reads prices.json's content, naming the field that is wrong. */
export function parsePrices(json: unknown): Prices {
  const parsed = z.safeParse(pricesSchema, json);
  if (!parsed.success)
    throw new Error(
      `bench/prices.json: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ')}`,
    );
  return parsed.data;
}

export interface InvocationUsage {
  function: string;
  invocations: number;
  /** Each invocation's duration, rounded up to the millisecond and added up. */
  billedMs: number;
  memoryMb: number;
}

export interface Usage {
  /** How many referrals these counts carried end to end. */
  referrals: number;
  httpRequests: number;
  invocations: readonly InvocationUsage[];
  /** Facts published: outbox items written. */
  events: number;
  /** Messages the bus put on subscription queues. */
  queueMessages: number;
  readUnits: number;
  writeUnits: number;
}

export interface CostLine {
  item: string;
  /** Per 1,000 referrals. */
  quantity: number;
  unit: string;
  cost: number;
  priceKey: PriceKey;
}

/**
 * The lines charged per request, whatever the data, the code's speed or the log lines: the edge and
 * API per HTTP request, Lambda per invocation, Pipes and EventBridge per event, SQS per queue message.
 * Their sum is what the flow costs with free storage and instant functions, so the cost target
 * cannot be met below it without fewer requests, events or subscriptions.
 */
export const PER_REQUEST_PRICE_KEYS: readonly PriceKey[] = [
  'cloudFrontRequests',
  'wafRequests',
  'apiGatewayHttpRequests',
  'lambdaRequests',
  'pipesRequests',
  'eventBridgeEvents',
  'sqsRequests',
];

export interface CostModel {
  pricesAsOf: string;
  region: string;
  per1000: { lines: CostLine[]; total: number; perRequestFloor: number };
  target: number;
  met: boolean;
}

/** The billed duration of one invocation: rounded up to the millisecond. */
export const billedMs = (durationMs: number): number => Math.max(1, Math.ceil(durationMs));

export function costModel(usage: Usage, prices: Prices): CostModel {
  if (usage.referrals <= 0) throw new RangeError('the cost model needs at least one referral carried end to end');
  const scale = 1000 / usage.referrals;
  const invocations = usage.invocations.reduce((sum, row) => sum + row.invocations, 0);
  const gbSeconds = usage.invocations.reduce((sum, row) => sum + (row.billedMs / 1000) * (row.memoryMb / 1024), 0);
  const line = (item: string, priceKey: PriceKey, measured: number): CostLine => {
    const price = prices.prices[priceKey];
    const quantity = measured * scale;
    return { item, quantity, unit: price.unit, cost: (quantity / price.per) * price.price, priceKey };
  };
  const lines = [
    line('CloudFront requests', 'cloudFrontRequests', usage.httpRequests),
    line('AWS WAF requests', 'wafRequests', usage.httpRequests),
    line('API Gateway HTTP API requests', 'apiGatewayHttpRequests', usage.httpRequests),
    line('Lambda invocations', 'lambdaRequests', invocations),
    line('Lambda duration', 'lambdaGbSecondsArm', gbSeconds),
    line('EventBridge Pipes (outbox)', 'pipesRequests', usage.events),
    line('EventBridge events', 'eventBridgeEvents', usage.events),
    line('SQS requests', 'sqsRequests', usage.queueMessages * SQS_REQUESTS_PER_MESSAGE),
    line('DynamoDB writes', 'dynamoDbWriteRequestUnits', usage.writeUnits),
    line('DynamoDB reads', 'dynamoDbReadRequestUnits', usage.readUnits),
    line('CloudWatch Logs ingestion (estimate)', 'cloudWatchLogsIngestion', invocations * LOG_BYTES_PER_INVOCATION),
  ];
  const total = lines.reduce((sum, entry) => sum + entry.cost, 0);
  const perRequestFloor = lines
    .filter((entry) => PER_REQUEST_PRICE_KEYS.includes(entry.priceKey))
    .reduce((sum, entry) => sum + entry.cost, 0);
  return {
    pricesAsOf: prices.pricesAsOf,
    region: prices.region,
    per1000: { lines, total, perRequestFloor },
    target: COST_TARGET_PER_1000,
    met: total <= COST_TARGET_PER_1000,
  };
}

const dollars = (value: number) => `$${value.toFixed(5)}`;
const amount = (value: number) => (value >= 100 ? Math.round(value).toLocaleString('en-GB') : String(Math.round(value * 100) / 100));

export function describeCostModel(model: CostModel): string {
  const lines = model.per1000.lines.map(
    (entry) =>
      `  ${entry.item.padEnd(38)} ${amount(entry.quantity).padStart(12)} ${entry.unit.padEnd(34)} ${dollars(entry.cost).padStart(10)}`,
  );
  return `Cost model per 1,000 referrals end to end (intake → decision → case → first supervision), AWS list prices ${model.region} as of ${model.pricesAsOf} (bench/prices.json), email excluded:
${lines.join('\n')}
  ${'total'.padEnd(38)} ${''.padStart(12)} ${''.padEnd(34)} ${dollars(model.per1000.total).padStart(10)}  (target ≤ $${model.target}) ${model.met ? 'met' : 'NOT MET'}
  ${'of which charged per request'.padEnd(38)} ${''.padStart(12)} ${'(HTTP, invocations, events, queues)'.padEnd(34)} ${dollars(model.per1000.perRequestFloor).padStart(10)}  (the floor with free storage and instant functions)`;
}
