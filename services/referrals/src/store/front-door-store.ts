/**
 * The front door's background writes on referrals: the decision reminders (each published once)
 * and the case opened from a referral (the referral item's keys and writes: items/referral.ts). Both are conditional updates of the referral item that bump
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
import { failedConditionsOf } from '@fsp/shared/dynamo-errors';
import { type OutboundEvent, writeWithOutbox } from '@fsp/shared/outbox';
import { queryAll } from '@fsp/shared/query';
import { conditionalWrite } from '@fsp/shared/store';
import type { DecisionReminder } from '../domain/decision';
import type { OpenCase, Referral } from '../domain/referral';
import { FRONT_DOOR_QUEUE, NOT_TOLD_OVERDUE, openCaseUpdate, referralKey, reminderSentUpdate, toStoredReferral } from './items/referral';

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
        FilterExpression: NOT_TOLD_OVERDUE,
        ExpressionAttributeValues: { ':queue': FRONT_DOOR_QUEUE, ':upper': dueBefore.toISOString() },
      });
      return items.map(toStoredReferral);
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
          writes: [reminderSentUpdate(tableName, referralId, reminder, now)],
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
      if (await conditionalWrite(() => documents.send(new UpdateCommand(openCaseUpdate(tableName, referralId, openCase)))))
        return 'recorded';
      const found = await documents.send(new GetCommand({ TableName: tableName, Key: referralKey(referralId), ConsistentRead: true }));
      if (!found.Item) return 'no-such-referral';
      return toStoredReferral(found.Item).openCase?.caseId === openCase.caseId ? 'already-recorded' : 'another-case-recorded';
    },
  };
}

export type FrontDoorStore = ReturnType<typeof createFrontDoorStore>;
