/**
 * The stages' differences (stages.ts, ADR 0020), read from the synthesized templates of every real
 * service: prod and staging keep their records (RETAIN, deletion protection, 35 days of PITR) and
 * select every table into the AWS Backup plan; prod's vault is locked and denies deleting a
 * recovery point; dev is torn down whole and has no plan. cdk-nag passes on every stack of each.
 */
import { loadServiceManifests } from '@fsp/shared/manifest-loader';
import type { ResolvedManifest } from '@fsp/shared/manifest-resolve';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, NIST80053R5Checks, ServerlessChecks } from 'cdk-nag';
import { BACKUP_SERVICE_POLICY, BACKUP_TIME_ZONE, VAULT_DENIED_ACTIONS } from '../../backup-stack';
import type { EdgeDomain } from '../../edge-domain';
import { buildFspApp, FSP_APP_CONTEXT, type FspStacks } from '../../fsp-app';
import { parseStage } from '../../naming';
import { checkedStageSettings, stageSettingsOf } from '../../stages';
import { resourcesOf, type SynthesisedApp, synthesiseWithoutBundling } from './support';

const DOMAIN: EdgeDomain = {
  domainName: 'fsp.council.example',
  certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
  apiCertificateArn: 'arn:aws:acm:eu-west-2:123456789012:certificate/66666666-7777-8888-9999-000000000000',
};

let manifests: ResolvedManifest[];
let prod: SynthesisedApp;
let staging: SynthesisedApp;
let dev: SynthesisedApp;

beforeAll(async () => {
  manifests = await loadServiceManifests();
  prod = synthesiseWithoutBundling(manifests, { stage: 'prod', domain: DOMAIN });
  staging = synthesiseWithoutBundling(manifests, { stage: 'staging' });
  dev = synthesiseWithoutBundling(manifests, { stage: 'dev' });
});

const allStacks = (stacks: FspStacks) => [
  stacks.platform,
  stacks.edgeSecurity,
  stacks.edge,
  stacks.signIn,
  ...(stacks.backup === undefined ? [] : [stacks.backup]),
  ...stacks.services,
];

/** The table's logical id in a service template (there is exactly one). */
function tableIdOf(template: Template): string {
  const tables = resourcesOf(template, 'AWS::DynamoDB::Table');
  expect(tables).toHaveLength(1);
  return tables[0]![0];
}

/** Every Lambda, pipe and API log group of a stage's stacks, with its deletion policy and retention. */
function logGroupsOf(stacks: FspStacks): Array<{ name: unknown; deletionPolicy: unknown; retention: unknown }> {
  return allStacks(stacks).flatMap((stack) =>
    resourcesOf(Template.fromStack(stack), 'AWS::Logs::LogGroup').map(([, group]) => ({
      name: group.Properties.LogGroupName,
      deletionPolicy: (group as { DeletionPolicy?: string }).DeletionPolicy,
      retention: group.Properties.RetentionInDays,
    })),
  );
}

describe('the stage from context', () => {
  test('an unknown stage is refused, naming stage and the stages there are', () => {
    expect(() => parseStage('production')).toThrow(/^stage must be one of dev, staging, prod; got "production"$/);
    expect(() => stageSettingsOf('Prod')).toThrow(/^stage must be one of dev, staging, prod; got "Prod"$/);
    expect(() => stageSettingsOf(undefined)).toThrow(/^stage must be one of/);
    expect(stageSettingsOf('staging').stage).toBe('staging');
  });

  test('prod without its own domain is refused, naming the stage and the context keys (the API would bypass the WAF)', () => {
    const app = new App({ context: { ...FSP_APP_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
    expect(() => buildFspApp(app, { stage: 'prod', manifests })).toThrow(
      /stage prod needs its own domain \(ADR 0018\): give -c domainName=… -c certificateArn=… -c apiCertificateArn=…/,
    );
  });

  test('settings that contradict themselves are refused, naming the field', () => {
    const base = {
      stage: 'dev',
      statefulResources: 'destroy',
      deletionProtection: false,
      pointInTimeRecovery: { recoveryPeriodDays: 7 },
      logRetentionDays: 30,
      backup: { enabled: false },
      domain: 'optional',
    };
    expect(checkedStageSettings(base).statefulResources).toBe('destroy');
    expect(() => checkedStageSettings({ ...base, deletionProtection: true })).toThrow(
      /deletionProtection: .*cannot delete a protected table/,
    );
    expect(() => checkedStageSettings({ ...base, stage: 'prod' })).toThrow(/statefulResources: must be retain in prod/);
    expect(() => checkedStageSettings({ ...base, logRetentionDays: 31 })).toThrow(/logRetentionDays/);
    expect(() => checkedStageSettings({ ...base, pointInTimeRecovery: { recoveryPeriodDays: 36 } })).toThrow(
      /pointInTimeRecovery\.recoveryPeriodDays/,
    );
    expect(() =>
      checkedStageSettings({
        ...base,
        backup: {
          enabled: true,
          daily: { retentionDays: 35 },
          monthly: { moveToColdStorageAfterDays: 90, retentionDays: 120 },
          lockVault: false,
        },
      }),
    ).toThrow(/backup\.monthly\.retentionDays: .*at least 90 days after/);
  });
});

describe('prod', () => {
  test('every table is kept: RETAIN, deletion protection and 35 days of point-in-time recovery', () => {
    expect(prod.serviceTemplates()).toHaveLength(manifests.length);
    for (const template of prod.serviceTemplates()) {
      template.hasResource('AWS::DynamoDB::Table', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: Match.objectLike({
          DeletionProtectionEnabled: true,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 35 },
        }),
      });
    }
  });

  test("every service's table is selected into the stage's backup plan, with the backup role, by its own stack", () => {
    for (const manifest of manifests) {
      const template = prod.templateOf(manifest.name);
      const tableId = tableIdOf(template);
      template.resourceCountIs('AWS::Backup::BackupSelection', 1);
      template.hasResourceProperties('AWS::Backup::BackupSelection', {
        BackupPlanId: { 'Fn::ImportValue': Match.stringLikeRegexp('^fsp-prod-backup:ExportsOutputFnGetAttPlan') },
        BackupSelection: {
          SelectionName: `fsp-prod-${manifest.name}`,
          IamRoleArn: { 'Fn::ImportValue': Match.stringLikeRegexp('^fsp-prod-backup:ExportsOutputFnGetAttRole') },
          Resources: [{ 'Fn::GetAtt': [tableId, 'Arn'] }],
        },
      });
    }
  });

  test('the plan copies every night (35 days) and on the first of the month (cold after 90 days, kept 7 years), in London time', () => {
    const backup = Template.fromStack(prod.stacks.backup!);
    expect(prod.stacks.backup!.stackName).toBe('fsp-prod-backup');
    backup.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanName: 'fsp-prod-tables',
        BackupPlanRule: [
          Match.objectLike({
            RuleName: 'daily',
            ScheduleExpression: 'cron(0 1 * * ? *)',
            ScheduleExpressionTimezone: BACKUP_TIME_ZONE,
            Lifecycle: { DeleteAfterDays: 35 },
            TargetBackupVault: Match.anyValue(),
          }),
          Match.objectLike({
            RuleName: 'monthly',
            ScheduleExpression: 'cron(0 2 1 * ? *)',
            ScheduleExpressionTimezone: BACKUP_TIME_ZONE,
            Lifecycle: { MoveToColdStorageAfterDays: 90, DeleteAfterDays: 2557 },
          }),
        ],
      },
    });
  });

  test('the vault is encrypted with its own kept key, locked to the rules’ retention, and denies deleting or shortening a recovery point', () => {
    const backup = Template.fromStack(prod.stacks.backup!);
    const [keyId] = resourcesOf(backup, 'AWS::KMS::Key').map(([id]) => id);
    backup.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ EnableKeyRotation: true }) });
    backup.hasResource('AWS::Backup::BackupVault', {
      DeletionPolicy: 'Retain',
      Properties: {
        BackupVaultName: 'fsp-prod',
        EncryptionKeyArn: { 'Fn::GetAtt': [keyId, 'Arn'] },
        LockConfiguration: { MinRetentionDays: 35, MaxRetentionDays: 2557 },
        AccessPolicy: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: [...VAULT_DENIED_ACTIONS],
              Resource: '*',
            },
          ],
        },
      },
    });
  });

  test('the backup role is taken only by AWS Backup in this account, with its service policy and nothing else', () => {
    const backup = Template.fromStack(prod.stacks.backup!);
    backup.resourceCountIs('AWS::IAM::Role', 1);
    backup.resourceCountIs('AWS::IAM::Policy', 0);
    backup.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'fsp-prod-backup',
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'backup.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          },
        ],
      },
      ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::aws:policy/${BACKUP_SERVICE_POLICY}`]] }],
    });
  });

  test('log groups are kept a year and never deleted with their stack; the user pool is protected', () => {
    const groups = logGroupsOf(prod.stacks);
    expect(groups.length).toBeGreaterThan(manifests.length);
    for (const group of groups) expect(group).toEqual({ name: group.name, deletionPolicy: 'Retain', retention: 365 });
    Template.fromStack(prod.stacks.platform).hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtection: 'ACTIVE' }),
    });
  });

  test('the API is reached only through the edge: its execute-api endpoint is off', () => {
    Template.fromStack(prod.stacks.platform).hasResourceProperties('AWS::ApiGatewayV2::Api', { DisableExecuteApiEndpoint: true });
  });
});

describe('staging', () => {
  test('tables are kept and protected like prod, and selected into a plan of nightly copies kept 7 days, in an unlocked vault', () => {
    for (const manifest of manifests) {
      const template = staging.templateOf(manifest.name);
      template.hasResource('AWS::DynamoDB::Table', {
        DeletionPolicy: 'Retain',
        Properties: Match.objectLike({
          DeletionProtectionEnabled: true,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 35 },
        }),
      });
      template.hasResourceProperties('AWS::Backup::BackupSelection', {
        BackupSelection: Match.objectLike({ Resources: [{ 'Fn::GetAtt': [tableIdOf(template), 'Arn'] }] }),
      });
    }
    const backup = Template.fromStack(staging.stacks.backup!);
    backup.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanName: 'fsp-staging-tables',
        BackupPlanRule: [Match.objectLike({ RuleName: 'daily', Lifecycle: { DeleteAfterDays: 7 } })],
      },
    });
    const [, vault] = resourcesOf(backup, 'AWS::Backup::BackupVault')[0]!;
    expect(vault.Properties.LockConfiguration).toBeUndefined();
    expect(vault.Properties.AccessPolicy).toBeUndefined();
  });

  test('log groups are kept with their stack, a month', () => {
    for (const group of logGroupsOf(staging.stacks)) expect(group).toEqual({ name: group.name, deletionPolicy: 'Retain', retention: 30 });
  });
});

describe('dev', () => {
  test('tables, log groups and the user pool go with their stack; PITR still covers 7 days; there is no backup plan', () => {
    expect(dev.stacks.backup).toBeUndefined();
    for (const template of dev.serviceTemplates()) {
      template.hasResource('AWS::DynamoDB::Table', {
        DeletionPolicy: 'Delete',
        Properties: Match.objectLike({
          DeletionProtectionEnabled: false,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 7 },
        }),
      });
      template.resourceCountIs('AWS::Backup::BackupSelection', 0);
    }
    for (const group of logGroupsOf(dev.stacks)) expect(group).toEqual({ name: group.name, deletionPolicy: 'Delete', retention: 30 });
    Template.fromStack(dev.stacks.platform).hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ DeletionProtection: 'INACTIVE' }),
    });
    for (const stack of allStacks(dev.stacks)) expect(Template.fromStack(stack).findResources('AWS::Backup::BackupVault')).toEqual({});
  });
});

describe('cdk-nag', () => {
  test.each([
    ['AwsSolutions', () => new AwsSolutionsChecks(undefined, { verbose: true })],
    ['Serverless', () => new ServerlessChecks(undefined, { verbose: true })],
    ['NIST 800-53 rev 5', () => new NIST80053R5Checks(undefined, { verbose: true })],
  ])('%s reports no unacknowledged finding on any stack of prod or staging', (_pack, create) => {
    for (const synthesised of [prod, staging]) {
      for (const stack of allStacks(synthesised.stacks)) {
        const report = create().validateScope(stack);
        const findings = report.violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
        expect({ stack: stack.stackName, findings }).toEqual({ stack: stack.stackName, findings: [] });
      }
    }
  });

  test('a prod table left out of the plan is a finding: only a stage without backups acknowledges it', () => {
    const app = new App({ context: { ...FSP_APP_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
    const stacks = buildFspApp(app, { stage: 'prod', manifests: manifests.slice(0, 1), domain: DOMAIN });
    const service = stacks.services[0]!;
    const backupPlanFindings = () =>
      new NIST80053R5Checks(undefined, { verbose: true })
        .validateScope(service)
        .violations.filter((v) => v.ruleName === 'NIST.800.53.R5-DynamoDBInBackupPlan');
    expect(backupPlanFindings()).toEqual([]);
    expect(service.node.tryRemoveChild('BackupSelection')).toBe(true);
    expect(backupPlanFindings()).toHaveLength(1);
  });
});
