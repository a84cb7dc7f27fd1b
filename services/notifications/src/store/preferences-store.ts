/**
 * Each worker's notification preference (src/domain/preferences.ts): one item per worker, absent
 * until they first choose, versioned so that a change made in another tab is never overwritten unseen.
 *
 * | access pattern                  | key condition                                                              | index |
 * |---------------------------------|----------------------------------------------------------------------------|-------|
 * | a worker's preference           | GetItem pk=PREFERENCES#<userId>, sk=PREFERENCES                            | table |
 * | save it over the version seen   | PutItem the same key if version = the version seen (absent for version 0) | table |
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite } from '@fsp/shared/store';
import { parseStoredItem } from '@fsp/shared/stored-item';
import * as z from 'zod/mini';
import { type NotificationPreference, preferenceSchema } from '../domain/preferences';

export const preferencesKey = (userId: string) => ({ pk: `PREFERENCES#${userId}`, sk: 'PREFERENCES' });

const storedPreferenceSchema = z.lazy(() =>
  z.object({
    userId: z.string(),
    preference: preferenceSchema,
    version: z.int().check(z.gte(1)),
    updatedAt: z.iso.datetime(),
  }),
);

export interface StoredPreference {
  preference: NotificationPreference;
  /** 1 for the first saved choice, one more for each change. */
  version: number;
  updatedAt: string;
}

/** The preference changed since the writer read it: nothing was written; `current` is what holds now. */
export interface PreferenceConflict {
  conflict: 'preference-changed';
  current: StoredPreference | undefined;
}

export interface PreferencesStore {
  /** The worker's saved preference, or undefined when they have not chosen (their role's default applies). */
  get(userId: string, options?: { consistent?: boolean }): Promise<StoredPreference | undefined>;
  /** Saves it over `expectedVersion` (0: nothing saved yet); the new version, or the conflict. */
  put(
    userId: string,
    preference: NotificationPreference,
    expectedVersion: number,
    now: Date,
  ): Promise<StoredPreference | PreferenceConflict>;
}

export const isPreferenceConflict = (result: StoredPreference | PreferenceConflict): result is PreferenceConflict => 'conflict' in result;

export function createPreferencesStore(documents: DynamoDBDocumentClient, tableName: string): PreferencesStore {
  async function get(userId: string, options: { consistent?: boolean } = {}): Promise<StoredPreference | undefined> {
    const found = await documents.send(
      new GetCommand({ TableName: tableName, Key: preferencesKey(userId), ConsistentRead: options.consistent ?? false }),
    );
    if (!found.Item) return undefined;
    const { preference, version, updatedAt } = parseStoredItem(storedPreferenceSchema, found.Item, 'notification preference');
    return { preference, version, updatedAt };
  }

  return {
    get,
    async put(userId, preference, expectedVersion, now) {
      if (!Number.isSafeInteger(expectedVersion) || expectedVersion < 0)
        throw new RangeError(`not a preference version: ${expectedVersion}`);
      const stored: StoredPreference = {
        preference: z.parse(preferenceSchema, preference),
        version: expectedVersion + 1,
        updatedAt: now.toISOString(),
      };
      const written = await conditionalWrite(() =>
        documents.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...preferencesKey(userId), type: 'NotificationPreference', userId, ...stored },
            ...(expectedVersion === 0
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : {
                  ConditionExpression: '#version = :seen',
                  ExpressionAttributeNames: { '#version': 'version' },
                  ExpressionAttributeValues: { ':seen': expectedVersion },
                }),
          }),
        ),
      );
      return written ? stored : { conflict: 'preference-changed', current: await get(userId, { consistent: true }) };
    },
  };
}
