/**
 * Changing a case's family network and its summary: the work the JSON routes (family-record-api.ts)
 * and the pages (family-pages.ts) share once they have read the case file, checked access and
 * parsed what the worker sent. A change made from a version that is no longer current, or that
 * loses the race to write, is answered as stale with the record as it now stands; nothing is
 * overwritten.
 */
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { type Actor, changeNetwork, isRefusal, type NetworkChange, type NetworkRefusal } from '../domain/family-network';
import { type CaseFile, createCaseStore } from '../store/case-store';
import type { NetworkItem } from '../store/items/network';
import type { SummaryItem } from '../store/items/summary';
import { createNetworkStore } from '../store/network-store';
import { createSummaryStore } from '../store/summary-store';
import { currentNetworkOf } from './family-record-access';

/** A field the worker must correct: its path in the change (`['person', 'dateOfBirth']`) and what to do. */
export interface ChangeIssue {
  path: ReadonlyArray<string | number>;
  message: string;
}

export type NetworkChangeOutcome =
  | { kind: 'saved'; item: NetworkItem }
  /** Someone else changed the network first; `current` is it now (undefined: the case has gone). */
  | { kind: 'stale'; current: NetworkItem | undefined }
  | { kind: 'refused'; issue: ChangeIssue };

export type SummaryOutcome = { kind: 'saved'; item: SummaryItem } | { kind: 'stale'; current: SummaryItem | undefined };

const GROUP_WORDS = {
  children: 'children',
  adults: 'adults in the household',
  widerFamily: 'wider family and friends',
  professionals: 'professionals',
};

/** Why the domain refused a change, as the field to correct. */
export function refusalIssue(refusal: NetworkRefusal): ChangeIssue {
  switch (refusal.refused) {
    case 'unknown-person':
      return { path: ['personId'], message: `There is no such person among the ${GROUP_WORDS[refusal.group]} in this family network` };
    case 'person-id-taken':
      return { path: ['person', 'personId'], message: 'Someone in this family network already has this id' };
    case 'person-id-changed':
      return { path: ['person', 'personId'], message: 'A correction keeps the person’s id' };
    case 'unknown-child':
      return { path: ['person', 'relationships'], message: 'Each relationship must be to a child in this family network' };
    case 'date-in-future':
      return { path: ['person', 'dateOfBirth'], message: 'The date of birth must be today or in the past' };
    case 'nothing-changed':
      return { path: ['person'], message: 'Nothing was changed. Change a detail, or go back without saving' };
  }
}

export function createFamilyRecordWork(runtime: Pick<ServiceRuntime, 'documents' | 'tableName'>) {
  const cases = createCaseStore(runtime.documents, runtime.tableName);
  const networks = createNetworkStore(runtime.documents, runtime.tableName);
  const summaries = createSummaryStore(runtime.documents, runtime.tableName);

  /** The case file after a lost race: read again so the worker sees what won. */
  const reread = (caseId: string) => cases.readCase(caseId);

  async function changeFamilyNetwork(
    file: CaseFile,
    readVersion: number,
    change: NetworkChange,
    by: Actor,
    now: Date,
  ): Promise<NetworkChangeOutcome> {
    const current = currentNetworkOf(file);
    // Made from a network someone has changed since: judged against what it was made from, it could undo their change.
    if (readVersion !== current.version) return { kind: 'stale', current };
    const result = changeNetwork(current.network, change, by, now);
    if (isRefusal(result)) return { kind: 'refused', issue: refusalIssue(result) };
    const saved = await networks.saveChange(file.record.caseId, current.version, result.network, result.record);
    if (saved.kind === 'saved') return saved;
    const fresh = await reread(file.record.caseId);
    return { kind: 'stale', current: fresh ? currentNetworkOf(fresh) : undefined };
  }

  async function writeSummary(file: CaseFile, readVersion: number, text: string, by: Actor, now: Date): Promise<SummaryOutcome> {
    const currentVersion = file.summary?.version ?? 0;
    if (readVersion !== currentVersion) return { kind: 'stale', current: file.summary };
    // The same words again change nothing, so they record no change.
    if (file.summary !== undefined && file.summary.text === text) return { kind: 'saved', item: file.summary };
    const saved = await summaries.save(file.record.caseId, file.summary, currentVersion, text, by, now);
    if (saved.kind === 'saved') return saved;
    const fresh = await reread(file.record.caseId);
    return { kind: 'stale', current: fresh?.summary };
  }

  return { changeFamilyNetwork, writeSummary };
}
