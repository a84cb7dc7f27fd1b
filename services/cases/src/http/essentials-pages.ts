/**
 * The essentials check's pages (issue 14 Deliver 8: "stale ones flagged on the case page, on the
 * caseload and to the team manager"): GET /cases/essentials, the worker's team's open cases with a
 * case summary, chronology, assessment, plan or group supervision stale or missing (one Query of
 * gsi1's team partition: the heads' copies, domain/essentials.ts judging them at the clock's now),
 * and the caseload's read of its cases' heads (caseHeadsOf: one BatchGetItem), since caseload items
 * do not carry the head's copies. The case overview's list is web/essentials-view.ts's.
 */
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { defineRoute, type Route } from '@fsp/shared/http/handler';
import { createUnreadProjection } from '@fsp/shared/inbox/unread-projection';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { parseStoredItem } from '@fsp/shared/stored-item';
import type { PageRenderer } from '@fsp/shared/web/page';
import { workerPageResult } from '@fsp/shared/web/page-result';
import type { CaseRecord } from '../domain/case';
import { createCaseStore } from '../store/case-store';
import { caseItemFamily, caseItemSchema, caseKey, toCaseRecord } from '../store/items/case';
import { teamEssentialsView } from '../web/essentials-view';
import { routes } from './routes';

/** BatchGetItem reads at most 100 keys; a caseload page is 20. */
const MAX_HEADS = 100;

/**
 * The heads of `caseIds` (a page of a caseload), in one BatchGetItem, by case id. Keys DynamoDB
 * leaves unprocessed (throttling) fail the page loudly rather than show cases unflagged.
 */
export async function caseHeadsOf(
  documents: DynamoDBDocumentClient,
  tableName: string,
  caseIds: readonly string[],
): Promise<Map<string, CaseRecord>> {
  const unique = [...new Set(caseIds)];
  if (unique.length === 0) return new Map();
  if (unique.length > MAX_HEADS) throw new Error(`caseHeadsOf reads at most ${MAX_HEADS} cases at once, not ${unique.length}`);
  const found = await documents.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: unique.map(caseKey) } } }));
  const unread = found.UnprocessedKeys?.[tableName]?.Keys?.length ?? 0;
  if (unread > 0) throw new Error(`Reading the heads of ${unique.length} cases left ${unread} keys unread`);
  const heads = (found.Responses?.[tableName] ?? []).map((item) =>
    toCaseRecord(parseStoredItem(caseItemSchema, item, caseItemFamily.description)),
  );
  return new Map(heads.map((head) => [head.caseId, head]));
}

export function essentialsPageRoutes(runtime: Pick<ServiceRuntime, 'documents' | 'tableName' | 'clock'>, renderer: PageRenderer): Route[] {
  const cases = createCaseStore(runtime.documents, runtime.tableName);
  const unread = createUnreadProjection(runtime.documents, runtime.tableName);

  return [
    defineRoute(routes.teamEssentialsPage, {
      handle: async ({ claims }) => {
        const [heads, unreadCount] = await Promise.all([cases.allTeamCases(claims.teamId), unread.unreadCount(claims)]);
        const view = teamEssentialsView(heads, runtime.clock());
        return workerPageResult(renderer, {
          template: 'essentials.njk',
          title: 'Your team’s cases: essentials needing attention',
          area: 'cases',
          backLink: '/cases',
          claims,
          unreadCount,
          data: view,
        });
      },
    }),
  ];
}
