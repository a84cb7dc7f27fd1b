/**
 * The front door's background writes on referrals: the decision reminders (each published once)
 * and the case opened from a referral. Both are conditional updates of the referral item that bump
 * its version, so a screening or decision saved from an older read is refused (409), never allowed
 * to overwrite them.
 *
 * | access pattern                                    | key condition                                              | index |
 * |---------------------------------------------------|------------------------------------------------------------|-------|
 * | undecided referrals due before an instant, soonest first, not yet told overdue | gsi1pk = FRONT-DOOR#AWAITING, gsi1sk < <instant> (filter: no decisionOverdueNotifiedAt) | gsi1 |
 * | mark a reminder sent, with its event              | Update pk = REFERRAL#<id>, sk = REFERRAL + outbox Put, one transaction | table |
 * | record the case opened from a referral            | Update pk = REFERRAL#<id>, sk = REFERRAL                   | table |
 */
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { failedConditionsOf, isConditionalCheckFailed } from '@fsp/shared/dynamo-errors';
import { type OutboundEvent, writeWithOutbox } from '@fsp/shared/outbox';
import { queryAll } from '@fsp/shared/query';
import type { DecisionReminder } from '../domain/decision';
import type { OpenCase, Referral } from '../domain/referral';
import { referralFromItem } from './referrals-store';

const FRONT_DOOR_QUEUE = 'FRONT-DOOR#AWAITING';
const referralKey = (referralId: string) => ({ pk: `REFERRAL#${referralId}`, sk: 'REFERRAL' });

const FLAG: Record<DecisionReminder, 'decisionDueNotifiedAt' | 'decisionOverdueNotifiedAt'> = {
  due: 'decisionDueNotifiedAt',
  overdue: 'decisionOverdueNotifiedAt',
};

export type OpenCaseRecorded = 'recorded' | 'already-recorded' | 'another-case-recorded' | 'no-such-referral';

export function createFrontDoorStore(documents: DynamoDBDocumentClient, tableName: string) {
  return {
    /**
     * Undecided referrals whose deadline is before `dueBefore`, except those already told overdue
     * (they need nothing more). Reads only the due end of the queue index: never a Scan.
     */
    async dueBefore(dueBefore: Date): Promise<Referral[]> {
      const items = await queryAll(documents, {
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :queue AND gsi1sk < :upper',
        FilterExpression: 'attribute_not_exists(decisionOverdueNotifiedAt)',
        ExpressionAttributeValues: { ':queue': FRONT_DOOR_QUEUE, ':upper': dueBefore.toISOString() },
      });
      return items.map(referralFromItem);
    },

    /**
     * Marks the reminder sent and puts its event in the outbox, in one transaction, if it was not
     * sent already and the referral is still undecided. 'already' when another run (or an earlier
     * one) got there first, or the referral was decided meanwhile: nothing is published then.
     */
    async markReminded(referralId: string, reminder: DecisionReminder, event: OutboundEvent, now: Date): Promise<'published' | 'already'> {
      try {
        await writeWithOutbox(documents, {
          tableName,
          now,
          writes: [
            {
              Update: {
                TableName: tableName,
                Key: referralKey(referralId),
                UpdateExpression: 'SET #flag = :now, version = version + :one',
                ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#flag) AND #status <> :decided',
                ExpressionAttributeNames: { '#flag': FLAG[reminder], '#status': 'status' },
                ExpressionAttributeValues: { ':now': now.toISOString(), ':one': 1, ':decided': 'decided' },
              },
            },
          ],
          events: [event],
        });
        return 'published';
      } catch (error) {
        if (failedConditionsOf(error)?.includes(0)) return 'already';
        throw error;
      }
    },

    /** Records the case opened from a referral, once; a second, different case is reported, not recorded. */
    async recordOpenCase(referralId: string, openCase: OpenCase): Promise<OpenCaseRecorded> {
      try {
        await documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: referralKey(referralId),
            UpdateExpression: 'SET openCase = :case, version = version + :one',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(openCase)',
            ExpressionAttributeValues: { ':case': openCase, ':one': 1 },
          }),
        );
        return 'recorded';
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
      }
      const found = await documents.send(new GetCommand({ TableName: tableName, Key: referralKey(referralId), ConsistentRead: true }));
      if (!found.Item) return 'no-such-referral';
      return referralFromItem(found.Item).openCase?.caseId === openCase.caseId ? 'already-recorded' : 'another-case-recorded';
    },
  };
}

export type FrontDoorStore = ReturnType<typeof createFrontDoorStore>;
