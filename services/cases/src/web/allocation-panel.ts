/**
 * The allocation panel of the case overview (templates/partials/allocation-panel.njk): who is
 * allocated to the case, and how many times its social worker has changed (a key measure:
 * families stop investing in relationships when workers churn). The team manager of the holding
 * team gets the link to the allocation form. Pure.
 */
import { SPECIALISMS } from '../domain/allocation';
import { SLOT_NAMES } from '../domain/allocation-change';
import type { CaseFile } from '../store/case-store';

export interface AllocationPanelView {
  socialWorker?: string;
  /** In the order the form lists specialisms. */
  specialists: Array<{ role: string; name: string }>;
  socialWorkerChanges: number;
  /** The allocation form, for the team manager of the holding team. */
  allocateHref?: string;
  /** The link's words: "Allocate workers" before the first allocation, "Change the allocation" after. */
  allocateText?: string;
}

export function allocationPanelView(
  file: Pick<CaseFile, 'record' | 'allocation'>,
  options: { mayAllocate?: boolean } = {},
): AllocationPanelView {
  const allocation = file.allocation?.allocation;
  return {
    ...(allocation?.socialWorker ? { socialWorker: allocation.socialWorker.name } : {}),
    specialists: SPECIALISMS.flatMap((specialism) => {
      const worker = allocation?.specialists[specialism];
      return worker ? [{ role: SLOT_NAMES[specialism], name: worker.name }] : [];
    }),
    socialWorkerChanges: allocation?.socialWorkerChanges ?? 0,
    ...(options.mayAllocate
      ? {
          allocateHref: `/cases/${file.record.caseId}/allocation`,
          allocateText: allocation?.socialWorker ? 'Change the allocation' : 'Allocate workers',
        }
      : {}),
  };
}
