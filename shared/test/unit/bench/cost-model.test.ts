import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { billedMs, COST_TARGET_PER_1000, costModel, type Prices, parsePrices } from '../../../../bench/cost-model';

const prices = parsePrices(JSON.parse(readFileSync(join(__dirname, '../../../../bench/prices.json'), 'utf8')));

/** Every price 1 per `per` 1: each line's cost is its quantity, so the arithmetic shows through. */
const unitPrices: Prices = {
  ...prices,
  prices: Object.fromEntries(
    Object.entries(prices.prices).map(([key, price]) => [key, { ...price, price: 1, per: 1 }]),
  ) as Prices['prices'],
};

const usage = {
  referrals: 4,
  httpRequests: 28,
  invocations: [
    { function: 'referrals-partner-api', invocations: 4, billedMs: 400, memoryMb: 512 },
    { function: 'notifications-on-referral-submitted', invocations: 8, billedMs: 1600, memoryMb: 1024 },
  ],
  events: 20,
  queueMessages: 36,
  readUnits: 100,
  writeUnits: 240,
};

describe('the cost model', () => {
  it('scales what was measured to 1,000 referrals and prices each line as quantity ÷ per × price', () => {
    const model = costModel(usage, unitPrices);
    const quantity = Object.fromEntries(model.per1000.lines.map((line) => [line.priceKey, line.quantity]));
    expect(quantity).toEqual({
      cloudFrontRequests: 7000,
      wafRequests: 7000,
      apiGatewayHttpRequests: 7000,
      lambdaRequests: 3000,
      // (0.4 s × 0.5 GB + 1.6 s × 1 GB) × 250
      lambdaGbSecondsArm: 450,
      pipesRequests: 5000,
      eventBridgeEvents: 5000,
      // three requests a message: EventBridge's send, Lambda's receive and delete
      sqsRequests: 27000,
      dynamoDbWriteRequestUnits: 60000,
      dynamoDbReadRequestUnits: 25000,
      // 600 bytes an invocation, an estimate
      cloudWatchLogsIngestion: 1_800_000,
    });
    expect(model.per1000.lines.every((line) => line.cost === line.quantity)).toBe(true);
    expect(model.per1000.total).toBe(model.per1000.lines.reduce((sum, line) => sum + line.quantity, 0));
    expect(model.met).toBe(false);
  });

  it('sums the lines charged per request, whatever the storage and the speed, as the floor of the total', () => {
    const model = costModel(usage, unitPrices);
    // edge and API 3 × 7,000, invocations 3,000, pipes and events 2 × 5,000, SQS 27,000
    expect(model.per1000.perRequestFloor).toBe(21_000 + 3000 + 10_000 + 27_000);
    const noStorage = costModel(
      { ...usage, invocations: usage.invocations.map((row) => ({ ...row, billedMs: 0 })), readUnits: 0, writeUnits: 0 },
      unitPrices,
    );
    expect(noStorage.per1000.perRequestFloor).toBe(model.per1000.perRequestFloor);
    expect(noStorage.per1000.total - noStorage.per1000.perRequestFloor).toBe(
      noStorage.per1000.lines.find((line) => line.priceKey === 'cloudWatchLogsIngestion')?.cost,
    );
  });

  it('prices with prices.json: a million write units at its price, the target met below $0.05', () => {
    const writes = costModel(
      { ...usage, referrals: 1000, httpRequests: 0, invocations: [], events: 0, queueMessages: 0, readUnits: 0, writeUnits: 1_000_000 },
      prices,
    );
    expect(writes.per1000.total).toBeCloseTo(prices.prices.dynamoDbWriteRequestUnits.price, 10);
    const small = costModel(
      { ...usage, referrals: 1000, httpRequests: 0, invocations: [], events: 0, queueMessages: 0, readUnits: 0, writeUnits: 1000 },
      prices,
    );
    expect(small.met).toBe(true);
    expect(small.target).toBe(COST_TARGET_PER_1000);
    expect(small.pricesAsOf).toBe(prices.pricesAsOf);
  });

  it('refuses to scale nothing', () => {
    expect(() => costModel({ ...usage, referrals: 0 }, prices)).toThrow(RangeError);
  });
});

describe('as AWS bills', () => {
  it('rounds a duration up to the millisecond, never below one', () => {
    expect(billedMs(12.01)).toBe(13);
    expect(billedMs(12)).toBe(12);
    expect(billedMs(0.2)).toBe(1);
  });
});

describe('prices.json', () => {
  it('is dated, in eu-west-2, each price with its source', () => {
    expect(prices.pricesAsOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(prices.region).toBe('eu-west-2');
    for (const price of Object.values(prices.prices)) expect(price.source).toMatch(/^https:\/\/aws\.amazon\.com\//);
  });

  it('names the field that is wrong', () => {
    const broken = { ...prices, prices: { ...prices.prices, sqsRequests: { ...prices.prices.sqsRequests, per: 0 } } };
    expect(() => parsePrices(broken)).toThrow(/prices\.sqsRequests\.per/);
    expect(() => parsePrices({ ...prices, pricesAsOf: 'December' })).toThrow(/pricesAsOf/);
  });
});
