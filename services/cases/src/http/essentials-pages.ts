/**
 * The essentials check's pages (issue 14 Deliver 8: "stale ones flagged on the case page, on the
 * caseload and to the team manager"): GET /cases/essentials, the worker's team's open cases with a
 * case summary, chronology, assessment, plan or group supervision stale or missing, 20 a page in
 * the order of the team's cases (/cases: without a social worker first, then newest opened first),
 * paged with the same positions and GOV.UK pagination; and the caseload's read of its cases' heads
 * (caseHeadsOf: one BatchGetItem), since caseload items do not carry the head's copies. The case
 * overview's list is web/essentials-view.ts's.
 *
 * Which cases are flagged depends on the clock (domain/essentials.ts judges the heads' copies at
 * now), so no index holds them: a page reads gsi1's team partition from its position in Queries of
 * 100 until it has found a page of flagged cases and one more (so it knows a next page exists), or
 * the team's cases run out. The JSON route (plan-api.ts) reads the same pages.
 */
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { defineRoute, type Route } from '@fsp/shared/http/handler';
import { createUnreadProjection } from '@fsp/shared/inbox/unread-projection';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { parseStoredItem } from '@fsp/shared/stored-item';
import type { PageRenderer } from '@fsp/shared/web/page';
import { workerPageResult } from '@fsp/shared/web/page-result';
import { paginationOf, positionOf } from '@fsp/shared/web/paging';
import * as z from 'zod/mini';
import type { CaseRecord } from '../domain/case';
import { type CaseStore, createCaseStore } from '../store/case-store';
import { caseItemFamily, caseItemSchema, caseKey, teamCasesSortKey, toCaseRecord } from '../store/items/case';
import { teamEssentialsHref, teamEssentialsView } from '../web/essentials-view';
import { decodeCursor, encodeCursor } from './allocation-api';
import { lenientParameter, type Problem, problemPage } from './case-page-common';
import { type FlaggedHead, flaggedHeads } from './essentials-facts';
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

/** A page of the team's flagged cases: 20, as on /cases. */
export const ESSENTIALS_PAGE_SIZE = 20;
/** How many of the team's cases each Query reads while looking for flagged ones. */
const READ_BATCH = 100;

export interface FlaggedCases {
  flagged: FlaggedHead[];
  /** The store's position after the last case shown, when more flagged cases follow. */
  next?: string;
}

/**
 * The team's open cases with an essential stale or missing at `now`, `pageSize` at most, from
 * `after` (a `next` this gave out; undefined for the first page), in the team's cases' order.
 * Undefined for a position that is not one of this team's.
 */
export async function flaggedTeamCases(
  cases: Pick<CaseStore, 'teamCases'>,
  teamId: string,
  now: Date,
  after?: string,
  pageSize = ESSENTIALS_PAGE_SIZE,
): Promise<FlaggedCases | undefined> {
  const flagged: FlaggedHead[] = [];
  let position = after;
  for (;;) {
    const batch = await cases.teamCases(teamId, READ_BATCH, position);
    if (!batch) return undefined;
    flagged.push(...flaggedHeads(batch.cases, now));
    if (flagged.length > pageSize || batch.next === undefined) break;
    position = batch.next;
  }
  // One more than a page says a next page exists; it starts after the last case shown.
  const page = flagged.slice(0, pageSize);
  const last = page.at(-1);
  return { flagged: page, ...(flagged.length > pageSize && last ? { next: teamCasesSortKey(last.head) } : {}) };
}

const PAGE_GONE: Problem = {
  heading: 'That page of essentials needing attention no longer exists',
  paragraphs: ['The link you followed points to a page of the list that cannot be shown.'],
  link: { href: teamEssentialsHref, text: 'Go to the start of the list' },
};

export function essentialsPageRoutes(runtime: Pick<ServiceRuntime, 'documents' | 'tableName' | 'clock'>, renderer: PageRenderer): Route[] {
  const cases = createCaseStore(runtime.documents, runtime.tableName);
  const unread = createUnreadProjection(runtime.documents, runtime.tableName);

  return [
    defineRoute(routes.teamEssentialsPage, {
      query: z.object({ cursor: lenientParameter, back: lenientParameter }),
      handle: async ({ query, claims }) => {
        const now = runtime.clock();
        const decoded = positionOf(query, decodeCursor);
        const [page, unreadCount] = await Promise.all([
          decoded ? flaggedTeamCases(cases, claims.teamId, now, decoded.from) : undefined,
          unread.unreadCount(claims),
        ]);
        if (!decoded || !page) return problemPage(renderer, claims, unreadCount, PAGE_GONE);
        const firstPage = decoded.position.cursor === undefined;
        return workerPageResult(renderer, {
          template: 'essentials.njk',
          title: firstPage ? 'Your team’s cases: essentials needing attention' : 'Your team’s cases: essentials needing attention (more)',
          area: 'cases',
          backLink: '/cases',
          claims,
          unreadCount,
          data: {
            ...teamEssentialsView(page.flagged),
            firstPage,
            pagination: paginationOf(teamEssentialsHref, decoded.position, page.next === undefined ? undefined : encodeCursor(page.next), {
              previous: 'Previous cases',
              next: 'More cases',
            }),
          },
        });
      },
    }),
  ];
}
