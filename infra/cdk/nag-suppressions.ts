/**
 * cdk-nag findings the platform accepts, each with the reason a reviewer needs. cdk-nag 3 uses
 * CDK's own `Validations.of(construct).acknowledge` (the successor of v2's `NagSuppressions`); an
 * acknowledgment covers the construct and everything under it, so each one is placed on the
 * construct the finding is about: the resource itself or the L2 construct wrapping it (a function,
 * a role's DefaultPolicy, a queue), never a stack nor a construct holding several resources
 * (infra/cdk/test/integration/nag-acknowledgments.test.ts walks the tree and fails on one).
 * Anything not acknowledged fails synthesis and the tests.
 */
import { Validations } from 'aws-cdk-lib';
import { Policy } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';

export function acknowledge(construct: IConstruct, id: string, reason: string): void {
  Validations.of(construct).acknowledge({ id, reason });
}

/** Findings that hold for every function the platform builds from a manifest, on that function, with the decision behind each. */
export function acknowledgeFunctionFindings(fn: LambdaFunction): void {
  const runtime =
    'ARCHITECTURE.md pins Node.js 22 everywhere (Lambda nodejs22.x and the local cloud) so that the code tested on a laptop runs on the same major version in AWS; nodejs22.x is in standard support. Moving to 24 is one change for the whole platform, not per function.';
  acknowledge(fn, 'AwsSolutions-L1', runtime);
  acknowledge(fn, 'Serverless-LambdaLatestVersion', runtime);
  acknowledge(
    fn,
    'NIST.800.53.R5-LambdaInsideVPC',
    'The functions reach only AWS APIs (DynamoDB, SQS, EventBridge, Cognito JWKS) over TLS with IAM authorisation and a customer-managed key; there is no private network resource to protect. A VPC would add NAT or endpoint cost and cold-start latency without reducing what a function can reach beyond its IAM policy.',
  );
  acknowledge(
    fn,
    'NIST.800.53.R5-LambdaConcurrency',
    'Reserved concurrency would carve fixed slices out of the account pool and throttle real users at peaks (a referral surge on a Monday morning). Load is bounded at the edges instead: API stage throttling, per-subscription SQS batching, and the schedules run once each.',
  );
}

/**
 * `NIST.800.53.R5-IAMNoInlinePolicy` on each role's own policy under `scope` (its DefaultPolicy):
 * called once a stack is complete, so that every policy is found, each acknowledged where it is.
 */
export function acknowledgeOwnRolePolicies(scope: IConstruct): void {
  for (const policy of scope.node.findAll().filter((construct): construct is Policy => construct instanceof Policy)) {
    acknowledge(
      policy,
      'NIST.800.53.R5-IAMNoInlinePolicy',
      "This role's policy is deliberately its own: it names only this service's table partitions, queues, key use and log group, and is created and deleted with the role. A managed policy would exist to be shared, which least privilege here avoids.",
    );
  }
}
