/**
 * The essentials check in words (domain/essentials.ts; issue 14 Deliver 8): on the case overview
 * each essential with a tag for where it stands and a link to where it is put right; on the
 * team's list and the worker's caseload, the essentials needing attention as tags. Pure.
 */
import type { CaseAccess } from '../domain/access';
import type { CaseRecord } from '../domain/case';
import {
  checkEssentials,
  ESSENTIAL_NAMES,
  type Essential,
  type EssentialCheck,
  type EssentialState,
  needsAttention,
} from '../domain/essentials';
import { essentialsFactsOfFile, type FlaggedHead, flaggedHeads } from '../http/essentials-facts';
import type { CaseFile } from '../store/case-store';

export const ESSENTIAL_STATE_TAGS: Readonly<Record<EssentialState, { text: string; classes: string }>> = {
  current: { text: 'Current', classes: 'govuk-tag--green' },
  due: { text: 'Not due yet', classes: 'govuk-tag--blue' },
  stale: { text: 'Stale', classes: 'govuk-tag--orange' },
  missing: { text: 'Missing', classes: 'govuk-tag--red' },
  'not-needed': { text: 'Not needed', classes: 'govuk-tag--grey' },
};

export const teamEssentialsHref = '/cases/essentials';

/** Where each essential is put right; the summary's form only for who may change it, supervision only for who supervision shows it to. */
function hrefOf(essential: Essential, caseId: string, options: { mayChangeSummary: boolean; access: CaseAccess }): string | undefined {
  const base = `/cases/${caseId}`;
  switch (essential) {
    case 'case-summary':
      return options.mayChangeSummary ? `${base}/summary` : `${base}#summary`;
    case 'chronology':
      return `${base}/chronology`;
    case 'assessment':
      return `${base}/path`;
    case 'plan':
      return `${base}/plan`;
    case 'supervision':
      return options.access === 'allocated' || options.access === 'team-member' ? `/supervision/cases/${caseId}` : undefined;
  }
}

/** The overview's list: every essential, its tag, why, and its link. */
export function caseEssentialsView(
  file: Pick<CaseFile, 'record' | 'summary' | 'chronology' | 'plan' | 'path'>,
  now: Date,
  options: { mayChangeSummary: boolean; access: CaseAccess },
) {
  const checks = checkEssentials(essentialsFactsOfFile(file), now);
  return {
    needingAttention: needsAttention(checks).length,
    items: checks.map((check) => {
      const href = hrefOf(check.essential, file.record.caseId, options);
      return {
        name: ESSENTIAL_NAMES[check.essential],
        tag: ESSENTIAL_STATE_TAGS[check.state],
        detail: check.detail,
        ...(href ? { href } : {}),
      };
    }),
  };
}

/**
 * "Plan (stale)", for a tag in a row of a list of cases (the caseload); and the essential's name and
 * a one-word tag apart, for the team's list, where a long tag would wrap into a block.
 */
export const attentionTag = (check: EssentialCheck) => ({
  text: `${ESSENTIAL_NAMES[check.essential]} (${check.state === 'stale' ? 'stale' : 'missing'})`,
  classes: check.state === 'missing' ? 'govuk-tag--red' : 'govuk-tag--orange',
  detail: check.detail,
  name: ESSENTIAL_NAMES[check.essential],
  state: check.state === 'stale' ? 'Stale' : 'Missing',
});

/** The essentials a case's head shows needing attention (closed cases need none), as tags. */
export const headAttentionView = (head: CaseRecord, now: Date) => (flaggedHeads([head], now)[0]?.attention ?? []).map(attentionTag);

/** A page of the team's list (templates/essentials.njk): the flagged cases (http/essentials-facts.ts flaggedHeads), in the team's cases' order. */
export function teamEssentialsView(flagged: readonly FlaggedHead[]) {
  return {
    cases: flagged.map(({ head, attention }) => ({
      href: `/cases/${head.caseId}`,
      reference: head.reference,
      ...(head.socialWorker ? { socialWorker: head.socialWorker.name } : {}),
      attention: attention.map(attentionTag),
    })),
  };
}
