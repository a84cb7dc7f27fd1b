/**
 * Dashboards and alarms (issue 16, Deliver 5; ADR 0022) in the synthesised templates of every real
 * manifest: each service stack has its dashboard, the platform stack its own; every alarm tells the
 * platform's alarms topic; every dead-letter queue, every function and every subscription queue is
 * alarmed; the business alarms are where their metrics are written.
 */
import { loadServiceManifests } from '@fsp/shared/manifest-loader';
import type { ResolvedManifest } from '@fsp/shared/manifest-resolve';
import { METRICS_NAMESPACE } from '@fsp/shared/metrics';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnTopic } from 'aws-cdk-lib/aws-sns';
import { functionNameOf, queueNameOf } from '../../naming';
import { API_5XX_ALARM_PERCENT, OLDEST_MESSAGE_ALARM_SECONDS } from '../../observability';
import { type Resource, resourcesOf, type SynthesisedApp, synthesiseWithoutBundling } from './support';

let manifests: ResolvedManifest[];
let synthesised: SynthesisedApp;
let platform: Template;
let topicId: string;

beforeAll(async () => {
  manifests = await loadServiceManifests();
  synthesised = synthesiseWithoutBundling(manifests);
  platform = Template.fromStack(synthesised.stacks.platform);
  const { platform: stack } = synthesised.stacks;
  topicId = stack.getLogicalId(stack.alarmTopic.node.defaultChild as CfnTopic);
});

const alarmsOf = (template: Template) => resourcesOf(template, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties);
const dashboardBodyOf = ([, dashboard]: [string, Resource]): string => JSON.stringify(dashboard.Properties.DashboardBody);
/** The platform's alarms topic as a service stack's template names it: the platform's export of its Ref. */
const isTopicFromPlatform = (action: unknown): boolean => {
  const imported = (action as { 'Fn::ImportValue'?: unknown })['Fn::ImportValue'];
  return typeof imported === 'string' && imported.startsWith('fsp-dev-platform:') && imported.includes(`Ref${topicId}`);
};
const queueNameDimension = (alarm: Record<string, unknown>) =>
  (alarm.Dimensions as { Name: string; Value: unknown }[] | undefined)?.find((dimension) => dimension.Name === 'QueueName')?.Value;

describe('dashboards', () => {
  it('gives each service stack one dashboard, fsp-<stage>-<service>, with its functions, queues and business metrics', () => {
    for (const manifest of manifests) {
      const template = synthesised.templateOf(manifest.name);
      const dashboards = resourcesOf(template, 'AWS::CloudWatch::Dashboard');
      expect(dashboards).toHaveLength(1);
      const [dashboard] = dashboards as [[string, Resource]];
      expect(dashboard[1].Properties.DashboardName).toBe(`fsp-dev-${manifest.name}`);
      const body = dashboardBodyOf(dashboard);
      for (const [id, fn] of resourcesOf(template, 'AWS::Lambda::Function')) {
        if (String(fn.Properties.FunctionName).startsWith('fsp-dev-')) expect(body).toContain(`{"Ref":"${id}"}`);
      }
      for (const metric of ['Errors', 'Throttles', 'Duration']) expect(body).toContain(`\\"AWS/Lambda\\",\\"${metric}\\"`);
      expect(body).toContain('p95');
      expect(body).toContain('ApproximateAgeOfOldestMessage');
      expect(body).toContain('ApproximateNumberOfMessagesVisible');
      // Its business metrics, by its own service and the stage.
      expect(body).toContain(`{${METRICS_NAMESPACE},service,stage,subscription} MetricName=\\\\\\"EventsConsumed\\\\\\"`);
      expect(body).toContain(`service=\\\\\\"${manifest.name}\\\\\\"`);
    }
    const referrals = dashboardBodyOf(
      resourcesOf(synthesised.templateOf('referrals'), 'AWS::CloudWatch::Dashboard')[0] as [string, Resource],
    );
    expect(referrals).toContain('MetricName=\\\\\\"ReferralsReceived\\\\\\"');
    expect(referrals).toContain('MetricName=\\\\\\"ReferralsDecided\\\\\\"');
    expect(referrals).not.toContain('MetricName=\\\\\\"EmailFailed\\\\\\"');
  });

  it('gives the platform one dashboard of the flow end to end', () => {
    const dashboards = resourcesOf(platform, 'AWS::CloudWatch::Dashboard');
    expect(dashboards).toHaveLength(1);
    const [dashboard] = dashboards as [[string, Resource]];
    expect(dashboard[1].Properties.DashboardName).toBe('fsp-dev-platform');
    const body = dashboardBodyOf(dashboard);
    for (const metric of [
      'ReferralsReceived',
      'ReferralsDecided',
      'EventsPublished',
      'EventsConsumed',
      'EmailFailed',
      'WebhookDeliveryFailed',
    ]) {
      expect(body).toContain(`MetricName=\\\\\\"${metric}\\\\\\"`);
    }
    for (const event of ['CaseOpened', 'InboxItemDelivered']) expect(body).toContain(`event=\\\\\\"${event}\\\\\\"`);
    // Every DLQ of the stage, the API's 4xx and 5xx, and the edge's WAF blocks (in us-east-1).
    expect(body).toContain('ApproximateNumberOfMessagesVisible');
    expect(body).toContain('fsp dev dlq');
    for (const metric of ['4xx', '5xx', 'Count']) expect(body).toContain(`\\"AWS/ApiGateway\\",\\"${metric}\\"`);
    expect(body).toContain('BlockedRequests');
    expect(body).toContain('WebACL=\\\\\\"fsp-dev-edge-all\\\\\\"');
    expect(body).toContain('us-east-1');
  });
});

describe('alarms', () => {
  it('tell the platform alarms topic, every one, when they fire and when they clear', () => {
    const serviceAlarms = manifests.flatMap((manifest) => alarmsOf(synthesised.templateOf(manifest.name)));
    expect(serviceAlarms.length).toBeGreaterThan(manifests.length * 3);
    for (const alarm of serviceAlarms) {
      expect(alarm.AlarmActions).toHaveLength(1);
      expect((alarm.AlarmActions as unknown[]).every(isTopicFromPlatform)).toBe(true);
    }
    const platformAlarms = alarmsOf(platform);
    expect(platformAlarms.length).toBeGreaterThanOrEqual(2);
    for (const alarm of platformAlarms) expect(alarm.AlarmActions).toEqual([{ Ref: topicId }]);
    // The ones this module adds also say when they clear.
    for (const alarm of [...serviceAlarms, ...platformAlarms].filter((a) => !String(a.AlarmName).endsWith('-dlq-not-empty'))) {
      expect(alarm.OKActions).toEqual(alarm.AlarmActions);
    }
  });

  it('watch every dead-letter queue, in every stack, from its first message', () => {
    const templates = [platform, ...manifests.map((manifest) => synthesised.templateOf(manifest.name))];
    let deadLetterQueues = 0;
    for (const template of templates) {
      const alarms = alarmsOf(template);
      for (const [id, queue] of resourcesOf(template, 'AWS::SQS::Queue')) {
        if (!String(queue.Properties.QueueName).endsWith('-dlq')) continue;
        deadLetterQueues += 1;
        const watching = alarms.filter(
          (alarm) =>
            alarm.MetricName === 'ApproximateNumberOfMessagesVisible' &&
            JSON.stringify(queueNameDimension(alarm)) === JSON.stringify({ 'Fn::GetAtt': [id, 'QueueName'] }),
        );
        expect({ queue: queue.Properties.QueueName, alarms: watching.length }).toEqual({ queue: queue.Properties.QueueName, alarms: 1 });
        expect(watching[0]).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', EvaluationPeriods: 1 });
      }
    }
    // One per subscription, per outbox pipe, per schedule and per scheduled function's failed runs, and SES events'.
    const expected = manifests.reduce((sum, m) => sum + m.subscriptions.length + 1 + 2 * m.schedules.length, 1);
    expect(deadLetterQueues).toBe(expected);
  });

  it('page on any error of any function, and on a subscription queue whose oldest message has waited 10 minutes', () => {
    for (const manifest of manifests) {
      const template = synthesised.templateOf(manifest.name);
      const alarms = alarmsOf(template);
      for (const [id, fn] of resourcesOf(template, 'AWS::Lambda::Function')) {
        const name = String(fn.Properties.FunctionName);
        if (!name.startsWith(`fsp-dev-${manifest.name}-`)) continue;
        const errors = alarms.filter(
          (alarm) =>
            alarm.Namespace === 'AWS/Lambda' &&
            alarm.MetricName === 'Errors' &&
            JSON.stringify(alarm.Dimensions) === JSON.stringify([{ Name: 'FunctionName', Value: { Ref: id } }]),
        );
        expect(errors).toEqual([expect.objectContaining({ AlarmName: `${name}-errors`, Threshold: 1, Statistic: 'Sum', Period: 300 })]);
      }
      for (const fn of manifest.functions) {
        expect(alarms.some((alarm) => alarm.AlarmName === `${functionNameOf('dev', manifest.name, fn.name)}-errors`)).toBe(true);
      }
      for (const subscription of manifest.subscriptions) {
        const queueName = queueNameOf('dev', manifest.name, subscription.name);
        const [queueId] = resourcesOf(template, 'AWS::SQS::Queue').find(([, queue]) => queue.Properties.QueueName === queueName) ?? [];
        expect(alarms.filter((alarm) => alarm.MetricName === 'ApproximateAgeOfOldestMessage')).toContainEqual(
          expect.objectContaining({
            AlarmName: `${queueName}-oldest-message`,
            Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
            Threshold: OLDEST_MESSAGE_ALARM_SECONDS,
            Statistic: 'Maximum',
          }),
        );
      }
    }
  });

  it('page on email and webhook failures in notifications, which writes them, and nowhere else', () => {
    const businessAlarms = (service: string) =>
      alarmsOf(synthesised.templateOf(service)).filter((alarm) => alarm.Namespace === METRICS_NAMESPACE);
    const dimensionsOf = (alarm: Record<string, unknown>) =>
      Object.fromEntries((alarm.Dimensions as { Name: string; Value: string }[]).map((d) => [d.Name, d.Value]));
    const described = businessAlarms('notifications').map((alarm) => [alarm.MetricName, dimensionsOf(alarm)]);
    expect(described.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([
      ['EmailFailed', { service: 'notifications', stage: 'dev', email: 'referrer' }],
      ['EmailFailed', { service: 'notifications', stage: 'dev', email: 'worker' }],
      ['WebhookDeliveryFailed', { service: 'notifications', stage: 'dev', outcome: 'retrying' }],
    ]);
    for (const service of manifests.map((m) => m.name).filter((name) => name !== 'notifications')) {
      expect(businessAlarms(service)).toEqual([]);
    }
  });

  it("page on the API's 5xx rate, once enough requests came", () => {
    const [alarm] = alarmsOf(platform).filter((a) => a.AlarmName === 'fsp-dev-api-5xx-rate');
    expect(alarm).toMatchObject({ Threshold: API_5XX_ALARM_PERCENT, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    const metrics = alarm?.Metrics as {
      Id: string;
      Expression?: string;
      MetricStat?: { Metric: { MetricName: string; Namespace: string } };
    }[];
    expect(metrics.find((metric) => metric.Expression !== undefined)?.Expression).toMatch(
      /^IF\(requests >= \d+, 100 \* errors \/ requests, 0\)$/,
    );
    expect(
      metrics
        .filter((metric) => metric.MetricStat)
        .map((metric) => metric.MetricStat?.Metric.MetricName)
        .sort(),
    ).toEqual(['5xx', 'Count']);
    expect(metrics.every((metric) => !metric.MetricStat || metric.MetricStat.Metric.Namespace === 'AWS/ApiGateway')).toBe(true);
  });
});
