/**
 * Recording workers' mail intents (worker-mail-store.ts has the whole access-pattern table): the
 * one thing the notification consumers need of workers' email, in a module of its own so that
 * their bundles hold none of the gathering, claiming and sending (ADR 0039).
 *
 * | access pattern         | key condition                                                                | index |
 * |------------------------|------------------------------------------------------------------------------|-------|
 * | record an intent once  | PutItem pk=WORKER-MAIL#<userId>, sk=INTENT#<mode>#<notificationId> if absent | table |
 */
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite } from '@fsp/shared/store';
import { TABLE_KEYS } from '@fsp/shared/table';
import * as z from 'zod/mini';
import { NOTIFICATION_KINDS } from '../domain/notification';
import { MAIL_MODES, type MailMode, type WorkerMailIntent, type WorkerMailIntents } from '../domain/worker-mail';

export const intentKey = (userId: string, mode: MailMode, notificationId: string) => ({
  pk: `WORKER-MAIL#${userId}`,
  sk: `INTENT#${mode}#${notificationId}`,
});
/** gsi1's partition of the intents waiting to be gathered into mails, sorted by `sortAt(sendAt, …)`. */
export const INTENTS_DUE = 'WORKER-MAIL-INTENTS#due';
export const sortAt = (at: string, id: string) => `${at}#${id}`;

export const intentSchema = z.lazy(() =>
  z.object({
    notificationId: z.string().check(z.minLength(1)),
    userId: z.string().check(z.minLength(1)),
    mode: z.enum(MAIL_MODES),
    sendAt: z.iso.datetime(),
    kind: z.enum(NOTIFICATION_KINDS),
    title: z.string(),
    link: z.string().check(z.regex(/^\/(?!\/)/)),
    reference: z.optional(z.string()),
    urgent: z.boolean(),
    createdAt: z.iso.datetime(),
  }),
);

export function createWorkerMailIntentsStore(documents: DynamoDBDocumentClient, tableName: string): WorkerMailIntents {
  return {
    /** Records each intent once; a repeat of (notificationId, userId, mode) changes nothing. */
    async record(intents: readonly WorkerMailIntent[], now: Date): Promise<void> {
      const valid = intents.map((intent) => {
        const parsed = z.safeParse(intentSchema, intent);
        if (!parsed.success) {
          const fields = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
          throw new Error(`A worker mail intent is not valid: ${fields}`);
        }
        return parsed.data;
      });
      await Promise.all(
        valid.map((intent) =>
          conditionalWrite(() =>
            documents.send(
              new PutCommand({
                TableName: tableName,
                Item: {
                  ...intentKey(intent.userId, intent.mode, intent.notificationId),
                  type: 'WorkerMailIntent',
                  ...intent,
                  state: 'due',
                  recordedAt: now.toISOString(),
                  [TABLE_KEYS.gsi1.partitionKey]: INTENTS_DUE,
                  [TABLE_KEYS.gsi1.sortKey]: sortAt(intent.sendAt, `${intent.userId}#${intent.mode}#${intent.notificationId}`),
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              }),
            ),
          ),
        ),
      );
    },
  };
}
