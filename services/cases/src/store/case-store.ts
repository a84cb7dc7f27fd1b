/**
 * The cases table (this service's only table). Every access is a GetItem, a Query or a
 * transaction on known keys; nothing scans.
 *
 * | access pattern                        | key condition                                                     | index |
 * |---------------------------------------|-------------------------------------------------------------------|-------|
 * | open a case (one per referral)        | Put pk = CASE#<caseId>, sk = CASE + Put pk = REFERRAL#<referralId>, sk = REFERRAL, both if absent, one transaction with the family network (sk NETWORK), the chronology entry and the CaseOpened outbox item | table |
 * | link a referral to an open case       | GetItem CASE + NETWORK, then Update CASE if version = read version + Put REFERRAL#<referralId> if absent + Put chronology entry, with the network (if version = read version) and one history item per person it gained (pk CASE#<caseId>#HISTORY) when the referral brings new people | table |
 * | a case's head (existence, version)    | GetItem pk = CASE#<caseId>, sk = CASE                             | table |
 * | a team's cases, newest first (pages) | Query gsi1pk = TEAM#<teamId>#CASES, descending, Limit n + 1 (written with the head) | gsi1 |
 * | a case file (pages, JSON)             | Query pk = CASE#<caseId>: sk ALLOCATION, CASE, CHRONO#<at>#<entryId> (oldest first), NETWORK, SUMMARY, and the notes and break-glass grants | table |
 * | a supervision held (SupervisionHeld)  | GetItem CASE, then Put chronology entry if absent + Update CASE latestSupervision if version = read version (only when later than the one held) + the CaseChronologyEntryAdded outbox item | table |
 * | the case a referral belongs to        | GetItem pk = REFERRAL#<referralId>, sk = REFERRAL                 | table |
 * | the case's audit trail                | Put only (pk = AUDIT#CASE#<caseId>): store/access-store.ts; read by no function here (IAM) | table |
 * | consumer idempotency records          | pk = IDEMPOTENCY#cases (written by shared/consumer)               | table |
 * | outbox                                | Put pk = OUTBOX#<eventId> (read only by the stream relay)         | table |
 */

import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { failedConditionsOf } from '@fsp/shared/dynamo-errors';
import type { BuildEventContext } from '@fsp/shared/events/build';
import { type OutboundEvent, writeWithOutbox } from '@fsp/shared/outbox';
import { readPartition } from '@fsp/shared/store';
import { parseStoredItem, StoredItemError } from '@fsp/shared/stored-item';
import { TABLE_KEYS } from '@fsp/shared/table';
import type { BreakGlassGrant } from '../domain/access';
import { type CaseOpening, type CaseRecord, type ChronologyEntry, chronologicalOrder } from '../domain/case';
import { addReferralPeople, type FamilyNetwork, networkFromChildIds, type ReferralFamily } from '../domain/family-network';
import type { NoteWithAmendments } from '../domain/notes';
import type { CasePath } from '../domain/path';
import { timersOfPath } from '../domain/path-timescales';
import type { CasePlan } from '../domain/plan';
import { type HeldSupervision, latestSupervisionAfter, supervisionHeldEntry } from '../domain/supervision';
import { type AllocationItem, allocationItemFamily, toAllocationItem } from './items/allocation';
import { breakGlassItemFamily, toBreakGlassGrant } from './items/break-glass';
import {
  caseHeadPut,
  caseIdOfTeamCasesSortKey,
  caseItemFamily,
  caseItemSchema,
  caseKey,
  caseLatestSupervisionUpdate,
  casePartitionKey,
  caseVersionBump,
  teamCasesPartitionKey,
  teamCasesSortKey,
  toCaseRecord,
} from './items/case';
import { caseloadItemFamily } from './items/caseload';
import { chronologyEntryAdded, chronologyEntryItemFamily, chronologyEntryPut, toChronologyEntry } from './items/chronology-entry';
import {
  type NetworkHistoryEntry,
  type NetworkItem,
  networkHistoryPut,
  networkItemFamily,
  networkItemSchema,
  networkKey,
  networkPut,
  networkReplace,
  toNetworkItem,
} from './items/network';
import { noteItemFamily, notesOf } from './items/note';
import { pathItemFamily, pathPut, timerPut, toCasePath, toldItemFamily } from './items/path';
import { planItemFamily, toCasePlan } from './items/plan';
import { linkedCaseIdOf, referralLinkKey, referralLinkPut } from './items/referral-link';
import { type SummaryItem, summaryItemFamily, toSummaryItem } from './items/summary';

/** Bounded: a conflicting writer is rare, and a message that keeps losing is retried by its queue. */
const MAX_LINK_ATTEMPTS = 3;

/** ReferralAccepted(added-to-open-case) named a case this service does not hold; the message must reach the DLQ. */
export class CaseNotFoundError extends Error {
  override readonly name = 'CaseNotFoundError';
  constructor(readonly caseId: string) {
    super(`Case ${caseId} does not exist`);
  }
}

/** The referral is already recorded against a different case: two contradictory facts, for a person to resolve. */
export class ReferralLinkedElsewhereError extends Error {
  override readonly name = 'ReferralLinkedElsewhereError';
  constructor(
    readonly referralId: string,
    readonly linkedCaseId: string,
    readonly requestedCaseId: string,
  ) {
    super(`Referral ${referralId} already belongs to case ${linkedCaseId}, not ${requestedCaseId}`);
  }
}

/** Every attempt found the case changed since it was read. */
export class CaseVersionConflictError extends Error {
  override readonly name = 'CaseVersionConflictError';
  constructor(readonly caseId: string) {
    super(`Case ${caseId} kept changing while a chronology entry was being appended`);
  }
}

/** Everything the case pages and the case JSON show, from one Query of the case's partition. */
export interface CaseFile {
  record: CaseRecord;
  /** Absent for a case opened before networks were kept, until its first change. */
  network?: NetworkItem;
  /** Absent until the case is first allocated. */
  allocation?: AllocationItem;
  /** Absent until a worker first writes it. */
  summary?: SummaryItem;
  /** Every note with its amendments, drafts included: who reads which is domain/notes.ts's (notesForReader). */
  notes: NoteWithAmendments[];
  breakGlass: BreakGlassGrant[];
  /** Oldest first. */
  chronology: ChronologyEntry[];
  /** The statutory path; absent for a case opened before paths were kept, until its first step. */
  path?: CasePath;
  /** The timescale moments told so far ('<targetId>#<moment>'). */
  told: string[];
  /** The plan agreed with the family; absent until one is. */
  plan?: CasePlan;
}

/** A page of a team's cases, newest first; `next` is where the following page starts (an opaque position). */
export interface TeamCasesPage {
  cases: CaseRecord[];
  next?: string;
}

export interface CaseStore {
  /**
   * Opens the case, links the referral to it, records the opening in the chronology and puts
   * `events` (CaseOpened and the opening's CaseChronologyEntryAdded) in the outbox, in one transaction. 'already-open' when this referral's case exists
   * (a repeated fact): nothing is written and nothing is published again.
   */
  openCase(opening: CaseOpening, network: FamilyNetwork, events: readonly OutboundEvent[], now: Date): Promise<'opened' | 'already-open'>;
  /**
   * Adds a referral to an open case: the chronology entry, the referral link, and a version bump of
   * the case conditional on the version just read, so a concurrent writer of the case conflicts
   * instead of being overwritten. The referral's people (`family`, when the event carried them) join
   * the case's network in the same transaction, on the network's version just read (a worker's
   * concurrent change conflicts, and the link is tried again from a fresh read). The entry's
   * CaseChronologyEntryAdded goes in the outbox in the same transaction. Retries a lost race a few
   * times with a fresh read.
   */
  linkReferral(
    entry: ChronologyEntry,
    context: BuildEventContext,
    now: Date,
    family?: ReferralFamily,
  ): Promise<'linked' | 'already-linked'>;
  /**
   * A supervision held, in one transaction: its chronology entry (once per supervision), the
   * case's latest supervision when this one is later than the one it holds (with the head's
   * version moved on), and the entry's CaseChronologyEntryAdded. 'already-recorded' when the
   * entry is there (a repeated fact): nothing is written. A case this service does not hold is a
   * CaseNotFoundError.
   */
  recordSupervision(
    held: HeldSupervision,
    context: BuildEventContext & { sourceEventId: string },
  ): Promise<'recorded' | 'already-recorded'>;
  /** The case file (its head, network, allocation, summary, notes, grants and chronology) in one Query of the case's partition. */
  readCase(caseId: string): Promise<CaseFile | undefined>;
  caseIdOfReferral(referralId: string, options?: { consistent: boolean }): Promise<string | undefined>;
  /**
   * A team's cases, newest opened first, `limit` at most, from `after` (a `next` this gave out) when
   * given. One Query of gsi1. A position that is not one of this team's gives undefined.
   */
  teamCases(teamId: string, limit: number, after?: string): Promise<TeamCasesPage | undefined>;
}

export function createCaseStore(documents: DynamoDBDocumentClient, tableName: string): CaseStore {
  async function caseHead(caseId: string): Promise<CaseRecord | undefined> {
    const found = await documents.send(new GetCommand({ TableName: tableName, Key: caseKey(caseId), ConsistentRead: true }));
    return found.Item ? toCaseRecord(parseStoredItem(caseItemSchema, found.Item, caseItemFamily.description)) : undefined;
  }

  async function caseIdOfReferral(referralId: string, options = { consistent: false }): Promise<string | undefined> {
    const found = await documents.send(
      new GetCommand({ TableName: tableName, Key: referralLinkKey(referralId), ConsistentRead: options.consistent }),
    );
    return found.Item ? linkedCaseIdOf(found.Item) : undefined;
  }

  async function networkOf(caseId: string): Promise<NetworkItem | undefined> {
    const found = await documents.send(new GetCommand({ TableName: tableName, Key: networkKey(caseId), ConsistentRead: true }));
    return found.Item ? toNetworkItem(parseStoredItem(networkItemSchema, found.Item, networkItemFamily.description)) : undefined;
  }

  async function openCase(
    opening: CaseOpening,
    network: FamilyNetwork,
    events: readonly OutboundEvent[],
    now: Date,
  ): Promise<'opened' | 'already-open'> {
    const { record, openingEntry } = opening;
    const networkItem: NetworkItem = { caseId: record.caseId, network, version: 1, updatedAt: now.toISOString() };
    try {
      await writeWithOutbox(documents, {
        tableName,
        now,
        writes: [
          caseHeadPut(tableName, record, now),
          referralLinkPut(tableName, record, now),
          chronologyEntryPut(tableName, openingEntry),
          networkPut(tableName, networkItem),
          pathPut(tableName, opening.path, 0, now),
          ...timersOfPath(opening.path).map((timer) => timerPut(tableName, timer)),
        ],
        events,
      });
      return 'opened';
    } catch (error) {
      // Only a failed condition can mean "already done"; a conflict with a concurrent transaction
      // (the same referral being opened right now) is rethrown, and the queue retries it.
      if (failedConditionsOf(error) === undefined) throw error;
      const linkedCaseId = await caseIdOfReferral(record.referralId, { consistent: true });
      if (linkedCaseId === record.caseId) return 'already-open';
      if (linkedCaseId !== undefined) throw new ReferralLinkedElsewhereError(record.referralId, linkedCaseId, record.caseId);
      throw new Error(`Opening case ${record.caseId} was refused, yet referral ${record.referralId} is linked to no case`, {
        cause: error,
      });
    }
  }

  /** The network writes a linked referral brings: none when it brings nobody new. */
  function networkWritesOf(head: CaseRecord, current: NetworkItem | undefined, family: ReferralFamily, referralId: string, now: Date) {
    const { network, added, extended } = addReferralPeople(current?.network ?? networkFromChildIds(head.children), family, referralId);
    if (added.length === 0 && extended.length === 0) return [];
    const at = now.toISOString();
    const readVersion = current?.version ?? 0;
    const version = readVersion + 1;
    const history = (entry: Omit<NetworkHistoryEntry, 'caseId' | 'changeId' | 'version' | 'at' | 'referralId'>) =>
      networkHistoryPut(tableName, { caseId: head.caseId, changeId: randomUUID(), version, at, referralId, ...entry });
    return [
      // No worker made this change: the network's last change is the referral's (updatedBy absent).
      networkReplace(tableName, { caseId: head.caseId, network, version, updatedAt: at }, readVersion),
      ...added.map(({ group, person }) => history({ kind: 'add', group, personId: person.personId, after: person })),
      ...extended.map(({ before, after }) => history({ kind: 'correct', group: 'adults', personId: before.personId, before, after })),
    ];
  }

  async function linkReferral(
    entry: ChronologyEntry,
    context: BuildEventContext,
    now: Date,
    family?: ReferralFamily,
  ): Promise<'linked' | 'already-linked'> {
    for (let attempt = 1; attempt <= MAX_LINK_ATTEMPTS; attempt += 1) {
      const [head, network] = await Promise.all([caseHead(entry.caseId), family ? networkOf(entry.caseId) : undefined]);
      if (!head) {
        // A referral linked earlier to a case that has since gone would also land here: loud either way.
        throw new CaseNotFoundError(entry.caseId);
      }
      try {
        await writeWithOutbox(documents, {
          tableName,
          now,
          writes: [
            caseVersionBump(tableName, head, now),
            referralLinkPut(tableName, entry, now),
            chronologyEntryPut(tableName, entry),
            ...(family ? networkWritesOf(head, network, family, entry.referralId, now) : []),
          ],
          // After the writes: the positions below are the writes'.
          events: [chronologyEntryAdded(entry, head, context)],
        });
        return 'linked';
      } catch (error) {
        const failed = failedConditionsOf(error);
        if (failed === undefined) throw error;
        // Positions as sent: 1 is the referral link, 2 the chronology entry.
        if (failed.includes(1) || failed.includes(2)) {
          const linkedCaseId = await caseIdOfReferral(entry.referralId, { consistent: true });
          if (linkedCaseId === entry.caseId) return 'already-linked';
          if (linkedCaseId !== undefined) throw new ReferralLinkedElsewhereError(entry.referralId, linkedCaseId, entry.caseId);
          throw new Error(`Linking referral ${entry.referralId} to case ${entry.caseId} was refused for no recorded reason`, {
            cause: error,
          });
        }
        // Only a version moved (the case's or its network's): read again and retry.
      }
    }
    throw new CaseVersionConflictError(entry.caseId);
  }

  async function recordSupervision(
    held: HeldSupervision,
    context: BuildEventContext & { sourceEventId: string },
  ): Promise<'recorded' | 'already-recorded'> {
    const now = context.clock();
    for (let attempt = 1; attempt <= MAX_LINK_ATTEMPTS; attempt += 1) {
      const head = await caseHead(held.caseId);
      // Supervision knows of a case only from cases' own events, so cases holds it unless its
      // events ran ahead of its table (a restore): thrown, the queue retries, then parks it in the DLQ.
      if (!head) throw new CaseNotFoundError(held.caseId);
      const entry = supervisionHeldEntry(head, held, context);
      const latest = latestSupervisionAfter(head.latestSupervision, held);
      try {
        await writeWithOutbox(documents, {
          tableName,
          now,
          writes: [
            // Position 0: the entry, whose id is the supervision's; taken means recorded already.
            chronologyEntryPut(tableName, entry),
            ...(latest ? [caseLatestSupervisionUpdate(tableName, head, latest, now)] : []),
          ],
          events: [chronologyEntryAdded(entry, head, context)],
        });
        return 'recorded';
      } catch (error) {
        const failed = failedConditionsOf(error);
        if (failed === undefined) throw error;
        if (failed.includes(0)) return 'already-recorded';
        // Only the head moved (a later supervision, an allocation): read again and decide again.
      }
    }
    throw new CaseVersionConflictError(held.caseId);
  }

  async function readCase(caseId: string): Promise<CaseFile | undefined> {
    const { head, network, allocation, summary, chronology, breakGlass, notes, path, told, plan } = await readPartition(
      documents,
      { tableName, pk: casePartitionKey(caseId), consistentRead: true },
      {
        head: caseItemFamily,
        network: networkItemFamily,
        allocation: allocationItemFamily,
        summary: summaryItemFamily,
        chronology: chronologyEntryItemFamily,
        breakGlass: breakGlassItemFamily,
        notes: noteItemFamily,
        // Written with the allocation, for the workers' caseloads (gsi1); the case file shows the allocation instead.
        caseload: caseloadItemFamily,
        path: pathItemFamily,
        told: toldItemFamily,
        plan: planItemFamily,
      },
    );
    const [record] = head;
    if (!record) {
      if (chronology.length > 0 || network.length > 0) throw new StoredItemError(`Case ${caseId} has items but no case item`);
      return undefined;
    }
    const [networkItem] = network;
    const [allocationItem] = allocation;
    const [summaryItem] = summary;
    return {
      record: toCaseRecord(record),
      ...(networkItem ? { network: toNetworkItem(networkItem) } : {}),
      ...(allocationItem ? { allocation: toAllocationItem(allocationItem) } : {}),
      ...(summaryItem ? { summary: toSummaryItem(summaryItem) } : {}),
      notes: notesOf(notes),
      breakGlass: breakGlass.map(toBreakGlassGrant),
      // The sort key orders entries already; sorting again keeps the promise if the key ever changes.
      chronology: chronology.map(toChronologyEntry).sort(chronologicalOrder),
      ...(path[0] ? { path: toCasePath(path[0]) } : {}),
      told: told.map((marker) => `${marker.targetId}#${marker.moment}`),
      ...(plan[0] ? { plan: toCasePlan(plan[0]) } : {}),
    };
  }

  async function teamCases(teamId: string, limit: number, after?: string): Promise<TeamCasesPage | undefined> {
    const afterCaseId = after === undefined ? undefined : caseIdOfTeamCasesSortKey(after);
    if (after !== undefined && afterCaseId === undefined) return undefined;
    const gsi1pk = teamCasesPartitionKey(teamId);
    // One more than asked: whether a next page exists is known without a second, empty, page.
    const found = await documents.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: TABLE_KEYS.gsi1.name,
        KeyConditionExpression: 'gsi1pk = :team',
        ExpressionAttributeValues: { ':team': gsi1pk },
        ScanIndexForward: false,
        Limit: limit + 1,
        ...(after !== undefined && afterCaseId !== undefined
          ? { ExclusiveStartKey: { ...caseKey(afterCaseId), gsi1pk, gsi1sk: after } }
          : {}),
      }),
    );
    const records = (found.Items ?? []).map((item) => toCaseRecord(parseStoredItem(caseItemSchema, item, caseItemFamily.description)));
    const cases = records.slice(0, limit);
    const last = cases.at(-1);
    return { cases, ...(records.length > limit && last ? { next: teamCasesSortKey(last) } : {}) };
  }

  return { openCase, linkReferral, recordSupervision, readCase, caseIdOfReferral, teamCases };
}
