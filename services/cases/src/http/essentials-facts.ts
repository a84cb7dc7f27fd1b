/**
 * What the essentials check (domain/essentials.ts) reads of a case: the whole case file on its page,
 * the head's copies in the team's list (where the chronology is not read).
 */
import { parseLocalDate } from '@fsp/shared/time/local-date';
import { londonDateOf } from '@fsp/shared/time/london';
import type { CaseRecord } from '../domain/case';
import { checkEssentials, type EssentialCheck, type EssentialsFacts, needsAttention } from '../domain/essentials';
import { planLastReviewedOn } from '../domain/plan';
import type { CaseFile } from '../store/case-store';

const dayOf = (instant: string) => londonDateOf(new Date(instant));

export function essentialsFactsOfHead(head: CaseRecord): EssentialsFacts {
  return {
    status: head.status,
    openedOn: dayOf(head.openedAt),
    ...(head.summaryUpdatedAt ? { summaryUpdatedOn: dayOf(head.summaryUpdatedAt) } : {}),
    lastChronologyOn: 'not-read',
    assessmentDueDate: parseLocalDate(head.assessmentDueDate),
    ...(head.assessmentCompletedOn ? { assessmentCompletedOn: parseLocalDate(head.assessmentCompletedOn) } : {}),
    ...(head.planLastReviewedOn && head.planNextReviewDate
      ? { plan: { lastReviewedOn: parseLocalDate(head.planLastReviewedOn), nextReviewDate: parseLocalDate(head.planNextReviewDate) } }
      : {}),
    ...(head.latestSupervision ? { latestSupervisionOn: parseLocalDate(head.latestSupervision.heldOn) } : {}),
    ...(head.socialWorker
      ? { socialWorkerAllocated: head.firstAllocatedOn ? { firstOn: parseLocalDate(head.firstAllocatedOn) } : {} }
      : {}),
  };
}

/** A case in the team's list with the essentials that need attention at `now` (none for a closed case). */
export interface FlaggedHead {
  head: CaseRecord;
  attention: EssentialCheck[];
}

/** Of `heads`, in their order, the open ones with an essential stale or missing at `now`, judged from the heads' copies. */
export function flaggedHeads(heads: readonly CaseRecord[], now: Date): FlaggedHead[] {
  return heads
    .filter((head) => head.status !== 'closed')
    .map((head) => ({ head, attention: needsAttention(checkEssentials(essentialsFactsOfHead(head), now)) }))
    .filter(({ attention }) => attention.length > 0);
}

export function essentialsFactsOfFile(file: Pick<CaseFile, 'record' | 'summary' | 'chronology' | 'plan' | 'path'>): EssentialsFacts {
  const fromHead = essentialsFactsOfHead(file.record);
  const last = file.chronology.at(-1);
  const { summaryUpdatedOn: _copied, plan: _copiedPlan, ...rest } = fromHead;
  return {
    ...rest,
    ...(file.summary ? { summaryUpdatedOn: dayOf(file.summary.updatedAt) } : {}),
    ...(last ? { lastChronologyOn: dayOf(last.at) } : { lastChronologyOn: undefined }),
    ...(file.path?.assessment ? { assessmentCompletedOn: file.path.assessment.completedOn } : {}),
    ...(file.plan ? { plan: { lastReviewedOn: planLastReviewedOn(file.plan), nextReviewDate: file.plan.nextReviewDate } } : {}),
  };
}
