/**
 * cdk-nag findings the platform accepts, each with the reason a reviewer needs. cdk-nag 3 uses
 * CDK's own `Validations.of(construct).acknowledge` (the successor of v2's `NagSuppressions`); an
 * acknowledgment covers the construct and everything under it, so each one is placed as low in
 * the tree as the finding allows. Anything not acknowledged fails synthesis and the tests.
 */
import { type Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export function acknowledge(construct: IConstruct, id: string, reason: string): void {
  Validations.of(construct).acknowledge({ id, reason });
}

/** Findings that hold for every function of a service stack, with the decision behind each. */
export function acknowledgeServiceStackFindings(stack: Stack): void {
  const runtime =
    'ARCHITECTURE.md pins Node.js 22 everywhere (Lambda nodejs22.x and the local cloud) so that the code tested on a laptop runs on the same major version in AWS; nodejs22.x is in standard support. Moving to 24 is one change for the whole platform, not per function.';
  acknowledge(stack, 'AwsSolutions-L1', runtime);
  acknowledge(stack, 'Serverless-LambdaLatestVersion', runtime);
  acknowledge(
    stack,
    'NIST.800.53.R5-LambdaInsideVPC',
    'The functions reach only AWS APIs (DynamoDB, SQS, EventBridge, Cognito JWKS) over TLS with IAM authorisation and a customer-managed key; there is no private network resource to protect. A VPC would add NAT or endpoint cost and cold-start latency without reducing what a function can reach beyond its IAM policy.',
  );
  acknowledge(
    stack,
    'NIST.800.53.R5-LambdaConcurrency',
    'Reserved concurrency would carve fixed slices out of the account pool and throttle real users at peaks (a referral surge on a Monday morning). Load is bounded at the edges instead: API stage throttling, per-subscription SQS batching, and the schedules run once each.',
  );
  acknowledge(
    stack,
    'NIST.800.53.R5-IAMNoInlinePolicy',
    "Each role's policy is deliberately its own: it names only this service's table, queues, key use and log group, and is created and deleted with the role. A managed policy would exist to be shared, which least privilege here avoids.",
  );
}
