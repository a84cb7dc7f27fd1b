/**
 * The business metrics of intake and the front door (issue 16, ADR 0022), read as CloudWatch reads
 * them: the EMF lines the functions write to stdout. Two referrals (one from a partner agency
 * through the partner API, one through the web form's intake), the known-family check delivered
 * twice for one of them, and two decisions, one by the deadline and one after it.
 */
import { randomUUID } from 'node:crypto';
import { METRICS_NAMESPACE } from '@fsp/shared/metrics';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { apiGatewayEvent, partnerClaims, workerClaims } from '@fsp/shared/testing/api-gateway-event';
import type { TestTable } from '@fsp/shared/testing/dynamodb';
import { deliverUntilAccepted } from '@fsp/shared/testing/events';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { fixedClock } from '@fsp/shared/time/clock';
import { createKnownFamilyCheckConsumer } from '../../src/consumers/known-family-check';
import { onboardAgency } from '../support/agencies';
import { schoolReferral } from '../support/fixtures';
import { createFrontDoorApi, createPartnerApi } from '../support/http';
import { receiveUnchecked, submittedEventOf } from '../support/referrals';

let table: TestTable;
let runtime: ServiceRuntime;
let now = '2026-11-23T09:15:00Z';
let written: string[];
let restoreStdout: () => void;

const frontDoor = workerClaims({ 'cognito:groups': '[front-door]', 'custom:team': 'front-door', sub: 'frontdoor-user' });

beforeEach(async () => {
  now = '2026-11-23T09:15:00Z';
  ({ table, runtime } = await createTestRuntime('referrals', () => fixedClock(now)()));
  await onboardAgency(table.documentClient, table.tableName, { agencyId: 'agency-oakfield', clientId: String(partnerClaims().client_id) });
  written = [];
  // On, whatever the test run's environment says: this test reads them.
  const disabled = process.env.POWERTOOLS_METRICS_DISABLED;
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stdout.write;
  restoreStdout = () => {
    process.stdout.write = write;
    if (disabled === undefined) delete process.env.POWERTOOLS_METRICS_DISABLED;
    else process.env.POWERTOOLS_METRICS_DISABLED = disabled;
  };
});
afterEach(async () => {
  restoreStdout();
  await table.drop();
});

interface EmfLine {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
  [key: string]: unknown;
}

/** Every EMF document written so far (other lines, the Powertools logs, are left out). */
const emfLines = (): EmfLine[] =>
  written
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as EmfLine);

/** The total of one metric over the lines whose dimensions include `where`. */
const total = (metric: string, where: Record<string, string>): number =>
  emfLines()
    .filter((line) => Object.entries(where).every(([name, value]) => line[name] === value))
    .reduce((sum, line) => sum + (typeof line[metric] === 'number' ? (line[metric] as number) : 0), 0);

const decide = (id: string, body: object) =>
  createFrontDoorApi(runtime)(
    apiGatewayEvent({ method: 'POST', path: `/api/front-door/referrals/${id}/decision`, body, claims: frontDoor }),
  );

describe('business metrics of intake and the front door', () => {
  it('counts referrals by channel, decisions by outcome and timeliness, events published and consumed', async () => {
    const submitted = await createPartnerApi(runtime)(
      apiGatewayEvent({
        method: 'POST',
        path: '/v1/referrals',
        body: schoolReferral(),
        claims: partnerClaims({ agency_id: 'agency-oakfield' }),
        headers: { 'idempotency-key': randomUUID() },
      }),
    );
    expect(submitted.statusCode).toBe(201);
    const partnerId = JSON.parse(submitted.body!).id as string;
    const form = await receiveUnchecked(runtime, schoolReferral(), 'form');

    const fact = await submittedEventOf(runtime, partnerId);
    // The same fact twice: handled, and counted, once.
    await deliverUntilAccepted(createKnownFamilyCheckConsumer(runtime), [fact, fact]);

    // Decided the day it came, by its deadline.
    expect((await decide(partnerId, { outcome: 'assessment', reason: 'Meets the threshold.', teamId: 'north' })).statusCode).toBe(200);
    // Decided three days later, after its deadline (the next working day).
    now = '2026-11-26T10:00:00Z';
    expect((await decide(form.referralId, { outcome: 'no-further-action', reason: 'Below the threshold.' })).statusCode).toBe(200);

    expect(total('ReferralsReceived', { channel: 'partner-api' })).toBe(1);
    expect(total('ReferralsReceived', { channel: 'web-form' })).toBe(1);
    expect(total('ReferralsDecided', { outcome: 'assessment', timeliness: 'on-time' })).toBe(1);
    expect(total('ReferralsDecided', { outcome: 'no-further-action', timeliness: 'late' })).toBe(1);
    expect(total('ReferralsDecided', {})).toBe(2);
    expect(total('EventsPublished', { event: 'ReferralSubmitted' })).toBe(2);
    expect(total('EventsPublished', { event: 'ReferralDecided' })).toBe(2);
    expect(total('EventsPublished', { event: 'ReferralAccepted' })).toBe(1);
    expect(total('EventsConsumed', { subscription: 'known-family-check' })).toBe(1);

    for (const line of emfLines()) {
      const [directive] = line._aws.CloudWatchMetrics;
      expect(directive?.Namespace).toBe(METRICS_NAMESPACE);
      // Counted by service and stage first, then the metric's own dimensions: never an id.
      for (const dimensions of directive?.Dimensions ?? []) expect(dimensions.slice(0, 2)).toEqual(['service', 'stage']);
      const values = (directive?.Dimensions ?? []).flat().map((name) => String(line[name]));
      for (const value of values) expect(value).not.toMatch(/[0-9]{3}|@|\s/);
      expect(values).not.toContain(partnerId);
      expect(values).not.toContain(form.referralId);
    }
  });
});
