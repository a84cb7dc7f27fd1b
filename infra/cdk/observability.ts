/**
 * What an operator sees and is told (issue 16, Deliver 5; ADR 0022): a CloudWatch dashboard per
 * service and one for the platform, and the alarms an on-call engineer must act on, each telling
 * the platform's alarms topic.
 *
 * A service's dashboard: its functions' errors, throttles and p95 duration, its subscription
 * queues' oldest message, its dead-letter queues' depth, and the business metrics its functions
 * write (shared/src/metrics.ts, EMF in the `FamilySafeguarding` namespace by service and stage).
 * Its alarms: any function error (a crash, a timeout, a failed start: the handlers answer every
 * request and report every failed record themselves, so a Lambda error is always a fault), a
 * subscription queue whose oldest message has waited too long (its consumer is stuck), and, for
 * the service that sends them, email and webhook failures. Every DLQ already alarms when not
 * empty (service-stack.ts buildDeadLetterQueue); nothing here repeats it.
 *
 * The platform's dashboard follows the flow end to end: referrals received and decided, cases
 * opened, inbox items delivered, the total in every dead-letter queue of the stage, the API's
 * requests, 4xx and 5xx, and the edge's WAF blocks. Its alarm: the API's 5xx rate.
 */
import type { ResolvedManifest } from '@fsp/shared/manifest-resolve';
import { BUSINESS_METRICS, type BusinessMetric, type BusinessMetricDimensions, METRICS_NAMESPACE } from '@fsp/shared/metrics';
import { Duration, type Stack } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  SearchExpression,
  Stats,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EDGE_SECURITY_REGION } from './edge-security-stack';
import { functionNameOf, prefixOf, queueNameOf, type Stage } from './naming';

/** A subscription queue whose oldest message has waited this long has a consumer that is stuck or failing every receive. */
export const OLDEST_MESSAGE_ALARM_SECONDS = 10 * 60;
/** The API's 5xx share (percent) over five minutes that pages, once at least this many requests came. */
export const API_5XX_ALARM_PERCENT = 5;
export const API_5XX_MIN_REQUESTS = 20;
/** Failed emails (of one kind) in 15 minutes that page: a few are retried and pass; this many is SES or the templates. */
export const EMAIL_FAILED_ALARM_COUNT = 5;
/** Failed webhook attempts in 15 minutes that page: an agency's endpoint refusing, or the platform's sender broken. */
export const WEBHOOK_FAILED_ALARM_COUNT = 10;

/**
 * The business metrics only one service writes, and which: every service writes EventsPublished
 * (for what it publishes) and EventsConsumed (for its subscriptions). Typed so that a new metric
 * must be placed here.
 */
export const BUSINESS_METRIC_OWNERS: Record<Exclude<BusinessMetric, 'EventsPublished' | 'EventsConsumed'>, string> = {
  ReferralsReceived: 'referrals',
  ReferralsDecided: 'referrals',
  WebhookDeliveryFailed: 'notifications',
  EmailFailed: 'notifications',
};

/** The alarms a service's business metrics raise: the metric, its dimensions (beyond service and stage), and when. */
const BUSINESS_ALARMS: {
  [M in BusinessMetric]?: { dimensions: BusinessMetricDimensions[M]; threshold: number; description: string; name: string }[];
} = {
  EmailFailed: [
    {
      name: 'referrer-email-failed',
      dimensions: { email: 'referrer' },
      threshold: EMAIL_FAILED_ALARM_COUNT,
      description: `${EMAIL_FAILED_ALARM_COUNT} or more referrer emails failed to send in 15 minutes (each is retried, then dead-lettered with its fact): check SES sending, the notifications logs ("Sending the referrer email failed") and the referral-decided DLQ.`,
    },
    {
      name: 'worker-email-failed',
      dimensions: { email: 'worker' },
      threshold: EMAIL_FAILED_ALARM_COUNT,
      description: `${EMAIL_FAILED_ALARM_COUNT} or more workers' emails were refused, failed or bounced in 15 minutes: check SES (sending, suppression list, the configuration set) and the failed workers' email page (/notifications/admin/worker-mail).`,
    },
  ],
  WebhookDeliveryFailed: [
    {
      name: 'webhook-attempts-failing',
      dimensions: { outcome: 'retrying' },
      threshold: WEBHOOK_FAILED_ALARM_COUNT,
      description: `${WEBHOOK_FAILED_ALARM_COUNT} or more webhook attempts failed in 15 minutes: an agency's endpoint is refusing or unreachable (GET /api/admin/webhook-deliveries lists them); contact the agency before its deliveries are dead-lettered after 24 hours.`,
    },
  ],
};

/** The metrics a service writes: the owners' table above, and EventsPublished / EventsConsumed where it publishes or subscribes. */
export function businessMetricsOf(manifest: ResolvedManifest): BusinessMetric[] {
  const metrics: BusinessMetric[] = [];
  if (manifest.publishes.length > 0) metrics.push('EventsPublished');
  if (manifest.subscriptions.length > 0) metrics.push('EventsConsumed');
  for (const [metric, owner] of Object.entries(BUSINESS_METRIC_OWNERS)) {
    if (owner === manifest.name) metrics.push(metric as BusinessMetric);
  }
  return metrics;
}

/** Every series of one business metric in a stage (of one service, when given), by its own dimensions. */
export function businessMetricSearch(metric: BusinessMetric, stage: Stage, service?: string, where: Record<string, string> = {}): string {
  const schema = [METRICS_NAMESPACE, 'service', 'stage', ...(BUSINESS_METRICS[metric] as readonly string[])].join(',');
  const terms = [
    `MetricName="${metric}"`,
    `stage="${stage}"`,
    ...(service === undefined ? [] : [`service="${service}"`]),
    ...Object.entries(where).map(([name, value]) => `${name}="${value}"`),
  ];
  return `SEARCH('{${schema}} ${terms.join(' ')}', 'Sum', 300)`;
}

const search = (expression: string, label: string, region?: string): SearchExpression =>
  new SearchExpression({ expression, label, period: Duration.minutes(5), ...(region === undefined ? {} : { searchRegion: region }) });

function alarmTo(topic: ITopic, alarm: Alarm): Alarm {
  alarm.addAlarmAction(new SnsAction(topic));
  alarm.addOkAction(new SnsAction(topic));
  return alarm;
}

export interface ServiceObservabilityProps {
  stage: Stage;
  manifest: ResolvedManifest;
  /** Every function of the service, by manifest name (the partner authorizer included). */
  functions: ReadonlyMap<string, IFunction>;
  alarmTopicArn: string;
}

/**
 * A service's dashboard and alarms, added to its stack. Its queues are found in the stack: the
 * subscription queues by their construct ids (`Queue-<subscription>`), the dead-letter queues by
 * theirs (`Dlq-…`), as service-stack.ts names them.
 */
export class ServiceObservability extends Construct {
  readonly dashboard: Dashboard;
  readonly alarms: Alarm[] = [];

  constructor(scope: Stack, id: string, props: ServiceObservabilityProps) {
    super(scope, id);
    const { stage, manifest } = props;
    const topic = Topic.fromTopicArn(this, 'AlarmTopic', props.alarmTopicArn);
    const period = Duration.minutes(5);

    const functions = [...props.functions.entries()];
    for (const [name, fn] of functions) {
      const functionName = functionNameOf(stage, manifest.name, name);
      this.alarms.push(
        alarmTo(
          topic,
          new Alarm(this, `Errors-${name}`, {
            alarmName: `${functionName}-errors`,
            alarmDescription: `${manifest.name}: ${functionName} failed (an unhandled error, a timeout or a failed start) in the last 5 minutes; read its log group /aws/lambda/${functionName}.`,
            metric: fn.metricErrors({ period, statistic: Stats.SUM }),
            threshold: 1,
            evaluationPeriods: 1,
            comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treatMissingData: TreatMissingData.NOT_BREACHING,
          }),
        ),
      );
    }

    const queues = manifest.subscriptions.map((subscription) => {
      const queue = scope.node.tryFindChild(`Queue-${subscription.name}`);
      if (!(queue instanceof Queue)) throw new Error(`service ${manifest.name}: no queue for subscription ${subscription.name}`);
      return { name: subscription.name, queue };
    });
    for (const { name, queue } of queues) {
      const queueName = queueNameOf(stage, manifest.name, name);
      this.alarms.push(
        alarmTo(
          topic,
          new Alarm(this, `OldestMessage-${name}`, {
            alarmName: `${queueName}-oldest-message`,
            alarmDescription: `${manifest.name}: the oldest message in ${queueName} has waited ${OLDEST_MESSAGE_ALARM_SECONDS / 60} minutes or more; its consumer is stuck or failing every receive (read its function's log group; the messages go to the DLQ after their last receive).`,
            metric: queue.metricApproximateAgeOfOldestMessage({ period, statistic: Stats.MAXIMUM }),
            threshold: OLDEST_MESSAGE_ALARM_SECONDS,
            evaluationPeriods: 1,
            comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treatMissingData: TreatMissingData.NOT_BREACHING,
          }),
        ),
      );
    }
    const deadLetterQueues = scope.node.children.filter(
      (child): child is Queue => child instanceof Queue && child.node.id.startsWith('Dlq-'),
    );

    const metrics = businessMetricsOf(manifest);
    for (const metric of metrics) {
      for (const alarm of (BUSINESS_ALARMS[metric] ?? []) as {
        dimensions: Record<string, string>;
        threshold: number;
        description: string;
        name: string;
      }[]) {
        this.alarms.push(
          alarmTo(
            topic,
            new Alarm(this, `Business-${alarm.name}`, {
              alarmName: `${prefixOf(stage)}-${manifest.name}-${alarm.name}`,
              alarmDescription: `${manifest.name}: ${alarm.description}`,
              metric: new Metric({
                namespace: METRICS_NAMESPACE,
                metricName: metric,
                dimensionsMap: { service: manifest.name, stage, ...alarm.dimensions },
                statistic: Stats.SUM,
                period: Duration.minutes(15),
              }),
              threshold: alarm.threshold,
              evaluationPeriods: 1,
              comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
              treatMissingData: TreatMissingData.NOT_BREACHING,
            }),
          ),
        );
      }
    }

    const byFunction = (metric: (fn: IFunction) => IMetric): IMetric[] => functions.map(([, fn]) => metric(fn));
    const width = 8;
    const height = 6;
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${prefixOf(stage)}-${manifest.name}`,
      defaultInterval: Duration.hours(3),
      widgets: [
        [
          new TextWidget({
            markdown: `# ${manifest.name} (${stage})\nFunctions, queues and the business metrics of the ${manifest.name} service. Alarms go to the ${prefixOf(stage)}-alarms topic.`,
            width: 24,
            height: 2,
          }),
        ],
        [
          new GraphWidget({
            title: 'Function errors (sum)',
            left: byFunction((fn) => fn.metricErrors({ period, statistic: Stats.SUM })),
            width,
            height,
          }),
          new GraphWidget({
            title: 'Function throttles (sum)',
            left: byFunction((fn) => fn.metricThrottles({ period, statistic: Stats.SUM })),
            width,
            height,
          }),
          new GraphWidget({
            title: 'Function duration (p95, ms)',
            left: byFunction((fn) => fn.metricDuration({ period, statistic: Stats.p(95) })),
            width,
            height,
          }),
        ],
        [
          new GraphWidget({
            title: 'Subscription queues: oldest message (s)',
            left: queues.map(({ name, queue }) =>
              queue.metricApproximateAgeOfOldestMessage({ period, statistic: Stats.MAXIMUM, label: name }),
            ),
            width: 12,
            height,
          }),
          new GraphWidget({
            title: 'Dead-letter queues: messages',
            left: deadLetterQueues.map((dlq) =>
              dlq.metricApproximateNumberOfMessagesVisible({ period, statistic: Stats.MAXIMUM, label: dlq.node.id.slice('Dlq-'.length) }),
            ),
            width: 12,
            height,
          }),
        ],
        metrics.map(
          (metric) =>
            new GraphWidget({
              title: `${metric} (sum per 5 minutes)`,
              left: [search(businessMetricSearch(metric, stage, manifest.name), '')],
              width,
              height,
            }),
        ),
      ],
    });
  }
}

export interface PlatformObservabilityProps {
  stage: Stage;
  httpApi: IHttpApi;
  alarmTopic: ITopic;
}

/** The platform's dashboard (the flow end to end) and the API's 5xx-rate alarm, added to the platform stack. */
export class PlatformObservability extends Construct {
  readonly dashboard: Dashboard;
  readonly apiServerErrors: Alarm;

  constructor(scope: Construct, id: string, props: PlatformObservabilityProps) {
    super(scope, id);
    const { stage, httpApi } = props;
    const prefix = prefixOf(stage);
    const period = Duration.minutes(5);
    const requests = httpApi.metricCount({ period, statistic: Stats.SUM });
    const clientErrors = httpApi.metricClientError({ period, statistic: Stats.SUM });
    const serverErrors = httpApi.metricServerError({ period, statistic: Stats.SUM });
    const serverErrorRate = new MathExpression({
      expression: `IF(requests >= ${API_5XX_MIN_REQUESTS}, 100 * errors / requests, 0)`,
      usingMetrics: { requests, errors: serverErrors },
      label: 'API 5xx (% of requests)',
      period,
    });
    this.apiServerErrors = alarmTo(
      props.alarmTopic,
      new Alarm(this, 'ApiServerErrorRate', {
        alarmName: `${prefix}-api-5xx-rate`,
        alarmDescription: `The HTTP API answered ${API_5XX_ALARM_PERCENT} % or more of its requests (at least ${API_5XX_MIN_REQUESTS} in 5 minutes) with a 5xx: read the access log group /aws/apigateway/${prefix} (integrationError) and the functions' errors on the services' dashboards.`,
        metric: serverErrorRate,
        threshold: API_5XX_ALARM_PERCENT,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );

    const width = 8;
    const height = 6;
    const events = (event: string, label: string) => search(businessMetricSearch('EventsPublished', stage, undefined, { event }), label);
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${prefix}-platform`,
      defaultInterval: Duration.hours(6),
      widgets: [
        [
          new TextWidget({
            markdown: `# Family Safeguarding Platform (${stage})\nThe flow end to end: referrals in, decided, cases opened, workers told; what failed (dead-letter queues, API errors, WAF blocks). Each service has its own dashboard (${prefix}-<service>).`,
            width: 24,
            height: 2,
          }),
        ],
        [
          new GraphWidget({
            title: 'Referrals received, by channel',
            left: [search(businessMetricSearch('ReferralsReceived', stage), '')],
            width,
            height,
          }),
          new GraphWidget({
            title: 'Referrals decided, by outcome and timeliness',
            left: [search(businessMetricSearch('ReferralsDecided', stage), '')],
            width,
            height,
          }),
          new GraphWidget({
            title: 'Cases opened, inbox items delivered',
            left: [events('CaseOpened', 'cases opened'), events('InboxItemDelivered', 'inbox items')],
            width,
            height,
          }),
        ],
        [
          new GraphWidget({
            title: 'Events published and consumed (all services)',
            left: [
              new MathExpression({
                expression: `SUM(${businessMetricSearch('EventsPublished', stage)})`,
                label: 'published',
                period,
                usingMetrics: {},
              }),
              new MathExpression({
                expression: `SUM(${businessMetricSearch('EventsConsumed', stage)})`,
                label: 'consumed',
                period,
                usingMetrics: {},
              }),
            ],
            width,
            height,
          }),
          new GraphWidget({
            title: 'Messages in dead-letter queues (all services)',
            left: [
              new MathExpression({
                // Every queue of the stage whose name has the tokens fsp, <stage> and dlq (service-stack.ts names them fsp-<stage>-<service>-<name>-dlq).
                expression: `SUM(SEARCH('{AWS/SQS,QueueName} MetricName="ApproximateNumberOfMessagesVisible" fsp ${stage} dlq', 'Maximum', 300))`,
                label: 'messages',
                period,
                usingMetrics: {},
              }),
            ],
            width,
            height,
          }),
          new GraphWidget({
            title: 'Email and webhook failures',
            left: [
              search(businessMetricSearch('EmailFailed', stage), ''),
              search(businessMetricSearch('WebhookDeliveryFailed', stage), ''),
            ],
            width,
            height,
          }),
        ],
        [
          new GraphWidget({
            title: 'API requests, 4xx and 5xx',
            left: [requests.with({ label: 'requests' })],
            right: [clientErrors.with({ label: '4xx' }), serverErrors.with({ label: '5xx' })],
            width,
            height,
          }),
          new GraphWidget({ title: 'API 5xx rate (%)', left: [serverErrorRate], width, height }),
          new GraphWidget({
            title: 'Requests the edge blocked (WAF)',
            // The web ACL's own metric (edge-security-stack.ts: visibility metric `<prefix>-edge-all`), in us-east-1 with CloudFront.
            left: [
              search(
                `SEARCH('{AWS/WAFV2,Rule,WebACL} MetricName="BlockedRequests" WebACL="${prefix}-edge-all"', 'Sum', 300)`,
                '',
                EDGE_SECURITY_REGION,
              ),
            ],
            region: EDGE_SECURITY_REGION,
            width,
            height,
          }),
        ],
      ],
    });
  }
}
