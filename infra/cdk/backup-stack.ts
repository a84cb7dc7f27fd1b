/**
 * AWS Backup for the services' tables (ADR 0020), in stages whose settings ask for it (stages.ts):
 * a vault encrypted with a key of its own, one plan (daily, and monthly where the stage keeps a long
 * tail, moved to cold storage), and the role AWS Backup takes to copy the tables. Each service stack
 * selects its own table into the plan (service-stack.ts), so a new service is backed up by being
 * deployed, and this stack never names a service.
 *
 * In prod the vault is locked (governance mode: no recovery point may be kept shorter than the
 * daily rule or longer than the monthly one) and its access policy denies deleting a recovery
 * point or shortening its life to everyone, operators included.
 */
import { Aws, Duration, RemovalPolicy, Stack, type StackProps, TimeZone } from 'aws-cdk-lib';
import { BackupPlan, BackupPlanRule, BackupVault } from 'aws-cdk-lib/aws-backup';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { acknowledge } from './nag-suppressions';
import { prefixOf, type Stage } from './naming';
import { type BackupSettings, removalPolicyOf, type StageSettings } from './stages';

export const backupStackNameOf = (stage: Stage): string => `${prefixOf(stage)}-backup`;
export const backupVaultNameOf = (stage: Stage): string => prefixOf(stage);
export const backupPlanNameOf = (stage: Stage): string => `${prefixOf(stage)}-tables`;

/** When the copies are taken: 01:00 in the councils' own time, after the evening's work and before the morning's. */
export const BACKUP_TIME_ZONE = 'Europe/London';

/** The AWS managed policy AWS Backup's role carries (see the acknowledgement below for why it is not hand-written). */
export const BACKUP_SERVICE_POLICY = 'service-role/AWSBackupServiceRolePolicyForBackup';

/** What the vault's access policy denies to every principal in prod (BackupVault's blockRecoveryPointDeletion). */
export const VAULT_DENIED_ACTIONS = ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'] as const;

export interface BackupStackProps extends StackProps {
  stage: Stage;
  settings: StageSettings;
  backup: BackupSettings;
}

/** What a service stack needs to select its table into the plan. */
export interface BackupReferences {
  planId: string;
  roleArn: string;
}

export class BackupStack extends Stack {
  readonly vault: BackupVault;
  readonly plan: BackupPlan;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: BackupStackProps) {
    super(scope, id, props);
    const prefix = prefixOf(props.stage);
    const { backup } = props;

    const key = new Key(this, 'Key', {
      alias: `alias/${prefix}-backup`,
      description: `Family Safeguarding Platform (${props.stage}): the backup vault's recovery points`,
      enableKeyRotation: true,
      // Losing the key loses every recovery point: never deleted with the stack, whatever the stage.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const longest = backup.monthly?.retentionDays ?? backup.daily.retentionDays;
    this.vault = new BackupVault(this, 'Vault', {
      backupVaultName: backupVaultNameOf(props.stage),
      encryptionKey: key,
      // AWS Backup refuses to delete a vault that holds recovery points in any case.
      removalPolicy: removalPolicyOf(props.settings),
      blockRecoveryPointDeletion: backup.lockVault,
      ...(backup.lockVault
        ? { lockConfiguration: { minRetention: Duration.days(backup.daily.retentionDays), maxRetention: Duration.days(longest) } }
        : {}),
    });

    const rules = [
      new BackupPlanRule({
        ruleName: 'daily',
        scheduleExpression: Schedule.cron({ minute: '0', hour: '1' }),
        scheduleExpressionTimezone: TimeZone.of(BACKUP_TIME_ZONE),
        startWindow: Duration.hours(1),
        completionWindow: Duration.hours(6),
        deleteAfter: Duration.days(backup.daily.retentionDays),
      }),
    ];
    if (backup.monthly !== undefined) {
      rules.push(
        new BackupPlanRule({
          ruleName: 'monthly',
          scheduleExpression: Schedule.cron({ minute: '0', hour: '2', day: '1' }),
          scheduleExpressionTimezone: TimeZone.of(BACKUP_TIME_ZONE),
          startWindow: Duration.hours(1),
          completionWindow: Duration.hours(6),
          moveToColdStorageAfter: Duration.days(backup.monthly.moveToColdStorageAfterDays),
          deleteAfter: Duration.days(backup.monthly.retentionDays),
        }),
      );
    }
    this.plan = new BackupPlan(this, 'Plan', {
      backupPlanName: backupPlanNameOf(props.stage),
      backupVault: this.vault,
      backupPlanRules: rules,
    });

    this.role = new Role(this, 'Role', {
      roleName: `${prefix}-backup`,
      description: `${prefix}: AWS Backup copies the services' tables into the ${backupVaultNameOf(props.stage)} vault`,
      assumedBy: new ServicePrincipal('backup.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } } }),
      managedPolicies: [ManagedPolicy.fromAwsManagedPolicyName(BACKUP_SERVICE_POLICY)],
    });
    acknowledge(
      this.role,
      `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${BACKUP_SERVICE_POLICY}]`,
      "AWS Backup's own service policy: AWS keeps the DynamoDB, KMS and tagging actions a backup job needs in step with the service, where a hand-written copy would fail jobs silently when they change (and nobody reads a backup until it is needed). Only backup.amazonaws.com in this account may take the role, and it backs up only what the plan's selections name: each service's own table.",
    );
  }

  get references(): BackupReferences {
    return { planId: this.plan.backupPlanId, roleArn: this.role.roleArn };
  }
}
