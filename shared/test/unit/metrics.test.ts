import { flushingMetrics, flushMetrics, METRICS_NAMESPACE, recordMetric } from '../../src/metrics';

const env = { POWERTOOLS_SERVICE_NAME: 'referrals', STAGE: 'dev' };

function flushed(): Record<string, unknown>[] {
  const lines: string[] = [];
  flushMetrics({ write: (line) => lines.push(line), env });
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

interface EmfDirective {
  Namespace: string;
  Dimensions: string[][];
  Metrics: { Name: string; Unit: string }[];
}
const directiveOf = (document: Record<string, unknown>): EmfDirective =>
  (document._aws as { CloudWatchMetrics: EmfDirective[] }).CloudWatchMetrics[0] as EmfDirective;

describe('business metrics', () => {
  afterEach(() => flushMetrics({ write: () => {}, env }));

  it('adds up what one invocation records and writes one EMF line per set of dimensions', () => {
    recordMetric('ReferralsReceived', { channel: 'partner-api' });
    recordMetric('ReferralsReceived', { channel: 'partner-api' });
    recordMetric('ReferralsReceived', { channel: 'web-form' });
    recordMetric('EventsPublished', { event: 'ReferralSubmitted' }, 3);

    const documents = flushed();

    expect(documents).toHaveLength(3);
    const partner = documents.find((document) => document.channel === 'partner-api');
    expect(partner).toMatchObject({ service: 'referrals', stage: 'dev', channel: 'partner-api', ReferralsReceived: 2 });
    expect(directiveOf(partner as Record<string, unknown>)).toEqual({
      Namespace: METRICS_NAMESPACE,
      Dimensions: [['service', 'stage', 'channel']],
      Metrics: [{ Name: 'ReferralsReceived', Unit: 'Count' }],
    });
    expect(documents.find((document) => document.channel === 'web-form')).toMatchObject({ ReferralsReceived: 1 });
    expect(documents.find((document) => document.event === 'ReferralSubmitted')).toMatchObject({ EventsPublished: 3 });
  });

  it('writes a metric with two dimensions under both, and forgets what it wrote', () => {
    recordMetric('ReferralsDecided', { outcome: 'assessment', timeliness: 'late' });

    const [document] = flushed();

    expect(document).toMatchObject({ outcome: 'assessment', timeliness: 'late', ReferralsDecided: 1 });
    expect(directiveOf(document as Record<string, unknown>).Dimensions).toEqual([['service', 'stage', 'outcome', 'timeliness']]);
    expect(flushed()).toEqual([]);
  });

  it('writes nothing when nothing was recorded', () => {
    const lines: string[] = [];
    flushMetrics({ write: (line) => lines.push(line), env });
    expect(lines).toEqual([]);
  });

  it('writes nothing, and keeps nothing, when POWERTOOLS_METRICS_DISABLED (or else POWERTOOLS_DEV) switches metrics off', () => {
    const lines: string[] = [];
    const write = (line: string) => lines.push(line);
    recordMetric('EmailFailed', { email: 'referrer' });
    flushMetrics({ write, env: { ...env, POWERTOOLS_METRICS_DISABLED: 'true' } });
    recordMetric('EmailFailed', { email: 'referrer' });
    flushMetrics({ write, env: { ...env, POWERTOOLS_DEV: 'true' } });
    expect(lines).toEqual([]);
    recordMetric('EmailFailed', { email: 'referrer' });
    flushMetrics({ write, env: { ...env, POWERTOOLS_DEV: 'true', POWERTOOLS_METRICS_DISABLED: 'false' } });
    expect(lines.map((line) => JSON.parse(line))).toEqual([expect.objectContaining({ email: 'referrer', EmailFailed: 1 })]);
  });

  it.each([
    ['an id', 'b7f3c2d4-5e6f-4a1b-9c8d-7e6f5a4b3c2d'],
    ['a name with a space', 'Mia Smith'],
    ['a date', '2017-08-23'],
    ['an email address', 'wren@example.org'],
    ['an empty value', ''],
  ])('refuses %s as a dimension value, naming the dimension', (_kind, value) => {
    expect(() => recordMetric('EventsConsumed', { subscription: value })).toThrow(/EventsConsumed: dimension subscription/);
    expect(flushed()).toEqual([]);
  });

  it('flushes what a wrapped handler recorded, when it returns and when it throws', async () => {
    const lines: string[] = [];
    const write = process.stdout.write;
    // The wrapper reads the process's own switch, which jest's setup turns off for every other test.
    const disabled = process.env.POWERTOOLS_METRICS_DISABLED;
    process.env.POWERTOOLS_METRICS_DISABLED = 'false';
    process.stdout.write = ((chunk: string) => {
      lines.push(chunk);
      return true;
    }) as typeof process.stdout.write;
    try {
      await flushingMetrics(async () => recordMetric('EmailFailed', { email: 'worker' }))();
      await expect(
        flushingMetrics(async () => {
          recordMetric('WebhookDeliveryFailed', { outcome: 'dead-lettered' });
          throw new Error('sweep failed');
        })(),
      ).rejects.toThrow('sweep failed');
    } finally {
      process.stdout.write = write;
      if (disabled === undefined) delete process.env.POWERTOOLS_METRICS_DISABLED;
      else process.env.POWERTOOLS_METRICS_DISABLED = disabled;
    }
    const documents = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(documents).toEqual([
      expect.objectContaining({ email: 'worker', EmailFailed: 1 }),
      expect.objectContaining({ outcome: 'dead-lettered', WebhookDeliveryFailed: 1 }),
    ]);
  });
});
