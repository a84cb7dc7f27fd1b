/**
 * The worker's desk: this service's projections of other services' facts that the home page reads
 * (src/domain/desk.ts). Every write is idempotent and every read is one Query, so a fact may arrive
 * twice or out of order and the home still answers in one round of reads.
 *
 * | access pattern                                          | key condition                                                              | index |
 * |---------------------------------------------------------|----------------------------------------------------------------------------|-------|
 * | a referral submitted, reminded or escalated (undecided) | UpdateItem pk=DESK#FRONT-DOOR, sk=REFERRAL#<referralId> if not decided;    | table |
 * |                                                         |   sets gsi1pk=DESK#FRONT-DOOR#OPEN, gsi1sk=<decisionDueBy>#<referralId>    |       |
 * | a referral decided (leaves the index; kept 30 days)     | UpdateItem same key: SET decidedAt, expiresAt REMOVE gsi1pk, gsi1sk        | table |
 * | the front door's undecided referrals due before a time  | Query gsi1pk=DESK#FRONT-DOOR#OPEN AND gsi1sk < "<instant>", soonest first  | gsi1  |
 * | a referral's reference, for the case opened from it     | GetItem pk=DESK#FRONT-DOOR, sk=REFERRAL#<referralId>                       | table |
 * | a case opened for a team (kept 90 days)                 | PutItem pk=DESK#TEAM#<teamId>, sk=CASE#<openedAt>#<caseId>                 | table |
 * | a team's cases opened since a time, newest first        | Query pk=DESK#TEAM#<teamId> AND sk BETWEEN CASE#<since> AND CASE#\uffff    | table |
 * | a supervision scheduled (a later fact wins; 90 days)    | UpdateItem pk=DESK#TEAM#<teamId>, sk=SUPERVISION#<supervisionId> if the    | table |
 * |                                                         |   stored fact is not later; gsi1pk=DESK#TEAM#<teamId>#SUPERVISION,         |       |
 * |                                                         |   gsi1sk=<scheduledFor>#<supervisionId>                                    |       |
 * | a team's supervisions from a time, soonest first        | Query gsi1pk=DESK#TEAM#<teamId>#SUPERVISION AND gsi1sk >= "<instant>"      | gsi1  |
 *
 * A decided referral stays as a marker (out of the index) for 30 days, so that a ReferralSubmitted
 * or a reminder that arrives after the decision cannot put it back on the front door's list. The
 * index is eventually consistent: a decision shows on the home a moment after it is projected.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite } from '@fsp/shared/store';
import { parseStoredItem } from '@fsp/shared/stored-item';
import { TABLE_KEYS } from '@fsp/shared/table';
import * as z from 'zod/mini';
import type { DecidedReferral, OpenedCase, OpenReferral, ReferralClockFact, ScheduledSupervision } from '../domain/desk';

const FRONT_DOOR_PARTITION = 'DESK#FRONT-DOOR';
const FRONT_DOOR_OPEN = 'DESK#FRONT-DOOR#OPEN';
const referralKey = (referralId: string) => ({ pk: FRONT_DOOR_PARTITION, sk: `REFERRAL#${referralId}` });
const teamPartition = (teamId: string) => `DESK#TEAM#${teamId}`;
const CASE_PREFIX = 'CASE#';
const caseKey = (opened: Pick<OpenedCase, 'teamId' | 'openedAt' | 'caseId'>) => ({
  pk: teamPartition(opened.teamId),
  sk: `${CASE_PREFIX}${opened.openedAt}#${opened.caseId}`,
});
const supervisionKey = (teamId: string, supervisionId: string) => ({ pk: teamPartition(teamId), sk: `SUPERVISION#${supervisionId}` });
const teamSupervisions = (teamId: string) => `${teamPartition(teamId)}#SUPERVISION`;

const DAY_SECONDS = 24 * 60 * 60;
const epochSeconds = (instant: string) => Math.floor(new Date(instant).getTime() / 1000);
const DECIDED_KEPT_DAYS = 30;
const TEAM_ITEMS_KEPT_DAYS = 90;

const openReferralSchema = z.lazy(() =>
  z.object({
    referralId: z.string(),
    reference: z.string(),
    receivedAt: z.iso.datetime(),
    decisionDueBy: z.iso.datetime(),
    familySafeguardingFlag: z.boolean(),
    escalatedAt: z.optional(z.iso.datetime()),
  }),
);
export type DeskReferral = OpenReferral & { escalated: boolean };

const openedCaseSchema = z.lazy(() =>
  z.object({
    caseId: z.string(),
    referralId: z.string(),
    teamId: z.string(),
    openedAt: z.iso.datetime(),
    assessmentDueBy: z.iso.datetime(),
    reference: z.optional(z.string()),
  }),
);

const referenceSchema = z.lazy(() => z.object({ reference: z.string() }));

const supervisionSchema = z.lazy(() =>
  z.object({
    supervisionId: z.string(),
    caseId: z.string(),
    teamId: z.string(),
    scheduledFor: z.iso.datetime(),
    dueBy: z.iso.datetime(),
    factAt: z.iso.datetime(),
  }),
);

/** A page of a list: `more` says the list goes on beyond what was asked for. */
export interface Listed<T> {
  items: T[];
  more: boolean;
}

export function createDeskStore(documents: DynamoDBDocumentClient, tableName: string) {
  /** Asks for one more than `limit`, to know whether there are more without a count. */
  async function query<S extends z.ZodMiniType>(
    input: Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName' | 'Limit'>,
    limit: number,
    schema: S,
    description: string,
  ): Promise<Listed<z.infer<S>>> {
    const result = await documents.send(new QueryCommand({ ...input, TableName: tableName, Limit: limit + 1 }));
    const items = (result.Items ?? []).map((item) => parseStoredItem(schema, item, description));
    return { items: items.slice(0, limit), more: items.length > limit };
  }

  return {
    /** The referral is undecided and due by its clock: 'already-decided' when its decision was projected first. */
    async referralAwaitingDecision(fact: ReferralClockFact, now: Date): Promise<'projected' | 'already-decided'> {
      const { referral } = fact;
      const written = await conditionalWrite(() =>
        documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: referralKey(referral.referralId),
            UpdateExpression: [
              'SET #type = :type, referralId = :referralId, #reference = :reference, receivedAt = :receivedAt',
              'decisionDueBy = :decisionDueBy, familySafeguardingFlag = :flag, #gpk = :open, #gsk = :due',
              ...(fact.escalated ? ['escalatedAt = if_not_exists(escalatedAt, :now)'] : []),
            ].join(', '),
            ConditionExpression: 'attribute_not_exists(decidedAt)',
            ExpressionAttributeNames: {
              '#type': 'type',
              '#reference': 'reference',
              '#gpk': TABLE_KEYS.gsi1.partitionKey,
              '#gsk': TABLE_KEYS.gsi1.sortKey,
            },
            ExpressionAttributeValues: {
              ':type': 'DeskReferral',
              ':referralId': referral.referralId,
              ':reference': referral.reference,
              ':receivedAt': referral.receivedAt,
              ':decisionDueBy': referral.decisionDueBy,
              ':flag': referral.familySafeguardingFlag,
              ':open': FRONT_DOOR_OPEN,
              ':due': `${referral.decisionDueBy}#${referral.referralId}`,
              ...(fact.escalated ? { ':now': now.toISOString() } : {}),
            },
          }),
        ),
      );
      return written ? 'projected' : 'already-decided';
    },

    /** The referral leaves the front door's list for good (a repeat changes nothing a reader sees). */
    async referralDecided(decided: DecidedReferral): Promise<void> {
      await documents.send(
        new UpdateCommand({
          TableName: tableName,
          Key: referralKey(decided.referralId),
          UpdateExpression:
            'SET #type = :type, referralId = :referralId, #reference = :reference, decidedAt = :decidedAt, expiresAt = :expiresAt REMOVE #gpk, #gsk',
          ExpressionAttributeNames: {
            '#type': 'type',
            '#reference': 'reference',
            '#gpk': TABLE_KEYS.gsi1.partitionKey,
            '#gsk': TABLE_KEYS.gsi1.sortKey,
          },
          ExpressionAttributeValues: {
            ':type': 'DeskReferral',
            ':referralId': decided.referralId,
            ':reference': decided.reference,
            ':decidedAt': decided.decidedAt,
            ':expiresAt': epochSeconds(decided.decidedAt) + DECIDED_KEPT_DAYS * DAY_SECONDS,
          },
        }),
      );
    },

    /** Undecided referrals due before `before`, soonest (most overdue) first. */
    async referralsDueBefore(before: Date, limit: number): Promise<Listed<DeskReferral>> {
      const listed = await query(
        {
          IndexName: TABLE_KEYS.gsi1.name,
          KeyConditionExpression: '#gpk = :open AND #gsk < :before',
          ExpressionAttributeNames: { '#gpk': TABLE_KEYS.gsi1.partitionKey, '#gsk': TABLE_KEYS.gsi1.sortKey },
          ExpressionAttributeValues: { ':open': FRONT_DOOR_OPEN, ':before': before.toISOString() },
          ScanIndexForward: true,
        },
        limit,
        openReferralSchema,
        'desk referral',
      );
      return {
        items: listed.items.map(({ escalatedAt, ...referral }) => ({ ...referral, escalated: escalatedAt !== undefined })),
        more: listed.more,
      };
    },

    /** The reference of a referral the front door's desk has seen (decided ones for 30 days); undefined otherwise. */
    async referenceOf(referralId: string): Promise<string | undefined> {
      const found = await documents.send(
        new GetCommand({
          TableName: tableName,
          Key: referralKey(referralId),
          ConsistentRead: true,
          ProjectionExpression: 'pk, sk, #reference',
          ExpressionAttributeNames: { '#reference': 'reference' },
        }),
      );
      return found.Item ? parseStoredItem(referenceSchema, found.Item, 'desk referral').reference : undefined;
    },

    /** The same fact always writes the same item: a repeat overwrites it with itself (with the reference, once known). */
    async caseOpened(opened: OpenedCase): Promise<void> {
      await documents.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...caseKey(opened),
            type: 'DeskCase',
            ...opened,
            expiresAt: epochSeconds(opened.openedAt) + TEAM_ITEMS_KEPT_DAYS * DAY_SECONDS,
          },
        }),
      );
    },

    /** A team's cases opened at or after `since`, newest first. */
    async casesOpenedSince(teamId: string, since: Date, limit: number): Promise<Listed<OpenedCase>> {
      return query(
        {
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': teamPartition(teamId),
            ':from': `${CASE_PREFIX}${since.toISOString()}`,
            ':to': `${CASE_PREFIX}\uffff`,
          },
          ScanIndexForward: false,
          ConsistentRead: true,
        },
        limit,
        openedCaseSchema,
        'desk case',
      );
    },

    /** 'stale' when a later fact about this supervision was projected already. */
    async supervisionScheduled(supervision: ScheduledSupervision): Promise<'projected' | 'stale'> {
      const written = await conditionalWrite(() =>
        documents.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...supervisionKey(supervision.teamId, supervision.supervisionId),
              type: 'DeskSupervision',
              ...supervision,
              [TABLE_KEYS.gsi1.partitionKey]: teamSupervisions(supervision.teamId),
              [TABLE_KEYS.gsi1.sortKey]: `${supervision.scheduledFor}#${supervision.supervisionId}`,
              expiresAt: epochSeconds(supervision.dueBy) + TEAM_ITEMS_KEPT_DAYS * DAY_SECONDS,
            },
            ConditionExpression: 'attribute_not_exists(pk) OR factAt <= :factAt',
            ExpressionAttributeValues: { ':factAt': supervision.factAt },
          }),
        ),
      );
      return written ? 'projected' : 'stale';
    },

    /** A team's supervisions scheduled at or after `from`, soonest first. */
    async supervisionsFrom(teamId: string, from: Date, limit: number): Promise<Listed<ScheduledSupervision>> {
      return query(
        {
          IndexName: TABLE_KEYS.gsi1.name,
          KeyConditionExpression: '#gpk = :team AND #gsk >= :from',
          ExpressionAttributeNames: { '#gpk': TABLE_KEYS.gsi1.partitionKey, '#gsk': TABLE_KEYS.gsi1.sortKey },
          ExpressionAttributeValues: { ':team': teamSupervisions(teamId), ':from': from.toISOString() },
          ScanIndexForward: true,
        },
        limit,
        supervisionSchema,
        'desk supervision',
      );
    },
  };
}

export type DeskStore = ReturnType<typeof createDeskStore>;
