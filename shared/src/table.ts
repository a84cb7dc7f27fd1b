/**
 * The one table definition every service uses (single-table design inside each service's own
 * table). CDK builds `AWS::DynamoDB::Table` from it; the local cloud creates DynamoDB Local
 * tables from it. Keep both readers in mind when changing it.
 */
export const TABLE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  gsi1: { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  /** Epoch seconds; DynamoDB deletes the item some time after (ephemeral items only). */
  timeToLive: 'expiresAt',
} as const;

export const TABLE_STREAM_VIEW = 'NEW_IMAGE' as const;

/**
 * Audit items live in partitions whose key starts so (`AUDIT#CASE#<id>`, and gsi1's `AUDIT#USER#<id>`;
 * ADR 0014 §7). They are written once (a Put on condition the item is new) and never carry
 * `expiresAt`. IAM (infra/cdk/service-stack.ts) keeps every function but a declared audit reader
 * (manifest `permissions.readAudit`) from reading them, and every function from updating or
 * deleting them; IAM can tell items apart only by partition key, so nothing else may live there.
 */
export const AUDIT_PARTITION_PREFIX = 'AUDIT#';

/** `fsp-<stage>-<service>` in AWS; the local cloud may add a prefix so that tests can share one DynamoDB Local. */
export const tableNameFor = (stage: string, service: string, prefix = ''): string => `${prefix}fsp-${stage}-${service}`;

/** The CreateTable input shape, without a name: used by the local cloud and by store tests. */
export function createTableInput(tableName: string) {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [
      { AttributeName: TABLE_KEYS.partitionKey, AttributeType: 'S' as const },
      { AttributeName: TABLE_KEYS.sortKey, AttributeType: 'S' as const },
      { AttributeName: TABLE_KEYS.gsi1.partitionKey, AttributeType: 'S' as const },
      { AttributeName: TABLE_KEYS.gsi1.sortKey, AttributeType: 'S' as const },
    ],
    KeySchema: [
      { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: TABLE_KEYS.gsi1.name,
        KeySchema: [
          { AttributeName: TABLE_KEYS.gsi1.partitionKey, KeyType: 'HASH' as const },
          { AttributeName: TABLE_KEYS.gsi1.sortKey, KeyType: 'RANGE' as const },
        ],
        Projection: { ProjectionType: 'ALL' as const },
      },
    ],
    StreamSpecification: { StreamEnabled: true, StreamViewType: TABLE_STREAM_VIEW },
  };
}
