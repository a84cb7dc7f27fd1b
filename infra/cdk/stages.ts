/**
 * Everything that differs between the stages (`-c stage=dev|staging|prod`), in one place (ADR 0020).
 * `buildFspApp` reads a stage's settings once and hands them to every stack as a prop; no stack
 * asks "is this prod?" itself.
 *
 * | setting                | dev                | staging            | prod                                      |
 * | ---------------------- | ------------------ | ------------------ | ----------------------------------------- |
 * | stateful resources     | DESTROY            | RETAIN             | RETAIN                                    |
 * | deletion protection    | off                | on                 | on                                        |
 * | point-in-time recovery | on, 7 days         | on, 35 days        | on, 35 days                               |
 * | log retention          | 1 month            | 1 month            | 1 year                                    |
 * | AWS Backup             | none               | daily, 7 days      | daily 35 days; monthly 7 years, cold at 90 days |
 * | backup vault           | —                  | no lock            | vault lock (governance) and no deletion   |
 * | own domain (ADR 0018)  | optional           | optional           | required                                  |
 *
 * "Stateful resources" are the tables, log groups, the user pool and the session keys; the KMS keys
 * and the S3 buckets are kept in every stage whatever this says (losing a key loses every table).
 * What is deliberately the same everywhere: the WAF's rules and rate limits, the API's throttling,
 * and the alarms (staging must prove the alarms prod relies on; nobody is subscribed to a dev
 * stage's topic unless they choose to be).
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as z from 'zod/mini';
import type { EdgeDomain } from './edge-domain';
import { EDGE_DOMAIN_CONTEXT_KEYS } from './edge-domain';
import { STAGES, type Stage } from './naming';

/** CloudWatch Logs accepts only these retention periods (days). */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** AWS Backup keeps a recovery point in cold storage at least this long before it may be deleted. */
export const COLD_STORAGE_MINIMUM_DAYS = 90;

const days = (min: number, max: number) => z.int().check(z.gte(min), z.lte(max));

const backupSchema = z.discriminatedUnion('enabled', [
  z.object({ enabled: z.literal(false) }),
  z.object({
    enabled: z.literal(true),
    /** Every night: the recent past, for a mistake found within weeks. */
    daily: z.object({ retentionDays: days(7, 35) }),
    /** The first of each month: the long tail, for a loss found late (ADR 0020). */
    monthly: z.optional(
      z.object({ moveToColdStorageAfterDays: days(1, 36_500), retentionDays: days(30, 36_500) }).check(
        z.refine((monthly) => monthly.retentionDays >= monthly.moveToColdStorageAfterDays + COLD_STORAGE_MINIMUM_DAYS, {
          message: `must be at least ${COLD_STORAGE_MINIMUM_DAYS} days after backup.monthly.moveToColdStorageAfterDays (AWS Backup's cold storage minimum)`,
          path: ['retentionDays'],
        }),
      ),
    ),
    /** Prod: the vault refuses to delete or shorten a recovery point, and locks its retention range (governance mode). */
    lockVault: z.boolean(),
  }),
]);

export const stageSettingsSchema = z
  .object({
    stage: z.enum(STAGES),
    /** Tables, log groups, the user pool and the session keys on stack deletion or replacement. */
    statefulResources: z.enum(['retain', 'destroy']),
    /** Tables' and the user pool's deletion protection. */
    deletionProtection: z.boolean(),
    /** DynamoDB point-in-time recovery, on in every stage (QUALITY.md, security 5); how far back it reaches. */
    pointInTimeRecovery: z.object({ recoveryPeriodDays: days(1, 35) }),
    logRetentionDays: z.literal(LOG_RETENTION_DAYS),
    backup: backupSchema,
    /** Whether the stage must have its own domain (ADR 0018): without one, the API's execute-api address bypasses the WAF. */
    domain: z.enum(['required', 'optional']),
  })
  .check(
    z.refine((settings) => !(settings.statefulResources === 'destroy' && settings.deletionProtection), {
      message: 'must be off where statefulResources is destroy: CloudFormation cannot delete a protected table',
      path: ['deletionProtection'],
    }),
    z.refine((settings) => !(settings.stage === 'prod' && settings.statefulResources !== 'retain'), {
      message: "must be retain in prod: children's records are never removed by a stack operation",
      path: ['statefulResources'],
    }),
  );

export type StageSettings = z.infer<typeof stageSettingsSchema>;
export type BackupSettings = Extract<StageSettings['backup'], { enabled: true }>;

const SEVEN_YEARS = 2557;

const DECLARED: Record<Stage, z.input<typeof stageSettingsSchema>> = {
  dev: {
    stage: 'dev',
    statefulResources: 'destroy',
    deletionProtection: false,
    pointInTimeRecovery: { recoveryPeriodDays: 7 },
    logRetentionDays: 30,
    backup: { enabled: false },
    domain: 'optional',
  },
  staging: {
    stage: 'staging',
    statefulResources: 'retain',
    deletionProtection: true,
    pointInTimeRecovery: { recoveryPeriodDays: 35 },
    logRetentionDays: 30,
    backup: { enabled: true, daily: { retentionDays: 7 }, lockVault: false },
    domain: 'optional',
  },
  prod: {
    stage: 'prod',
    statefulResources: 'retain',
    deletionProtection: true,
    pointInTimeRecovery: { recoveryPeriodDays: 35 },
    logRetentionDays: 365,
    backup: {
      enabled: true,
      daily: { retentionDays: 35 },
      monthly: { moveToColdStorageAfterDays: 90, retentionDays: SEVEN_YEARS },
      lockVault: true,
    },
    domain: 'required',
  },
};

/** Checks declared settings, naming the field at fault. Exported for the tests; the app uses `stageSettingsOf`. */
export function checkedStageSettings(declared: unknown): StageSettings {
  const parsed = z.safeParse(stageSettingsSchema, declared);
  if (!parsed.success) {
    throw new Error(`stage settings: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  }
  return parsed.data;
}

const SETTINGS: Record<Stage, StageSettings> = {
  dev: checkedStageSettings(DECLARED.dev),
  staging: checkedStageSettings(DECLARED.staging),
  prod: checkedStageSettings(DECLARED.prod),
};

/** The `stage` context value's settings; an unknown stage is refused, naming `stage`. */
export function stageSettingsOf(stage: unknown): StageSettings {
  const parsed = z.safeParse(z.enum(STAGES), stage);
  if (!parsed.success) throw new Error(`stage must be one of ${STAGES.join(', ')}; got ${JSON.stringify(stage)}`);
  return SETTINGS[parsed.data];
}

/** Tables, log groups, the user pool and the session keys: what a stack operation may do to them. */
export const removalPolicyOf = (settings: StageSettings): RemovalPolicy =>
  settings.statefulResources === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

export const logRetentionOfSettings = (settings: StageSettings): RetentionDays => settings.logRetentionDays as RetentionDays;

/** A stage that needs its own domain is refused without one, naming the stage and the context keys. */
export function checkDomainForStage(settings: StageSettings, domain: EdgeDomain | undefined): void {
  if (settings.domain === 'required' && domain === undefined) {
    throw new Error(
      `stage ${settings.stage} needs its own domain (ADR 0018): give ${EDGE_DOMAIN_CONTEXT_KEYS.map((key) => `-c ${key}=…`).join(' ')}; without one the API's execute-api address would bypass the WAF`,
    );
  }
}
