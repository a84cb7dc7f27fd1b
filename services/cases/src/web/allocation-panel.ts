/**
 * The allocation panel of the case overview (templates/partials/allocation-panel.njk): who is
 * allocated to the case, and how many times its social worker has changed. A first version
 * written with the overview (helper B1); helper B2 owns it and grows it with the allocation work
 * (the team manager's link to the allocation form). Pure.
 */
import { SPECIALISM_NAMES, type Specialism } from '../domain/allocation';
import type { CaseFile } from '../store/case-store';

export interface AllocationPanelView {
  socialWorker?: string;
  specialists: Array<{ role: string; name: string }>;
  socialWorkerChanges: number;
  /** The allocation form, for the team manager of the holding team (set by the route). */
  allocateHref?: string;
}

export function allocationPanelView(file: Pick<CaseFile, 'allocation'>): AllocationPanelView {
  const allocation = file.allocation?.allocation;
  return {
    ...(allocation?.socialWorker ? { socialWorker: allocation.socialWorker.name } : {}),
    specialists: Object.entries(allocation?.specialists ?? {}).flatMap(([specialism, worker]) =>
      worker ? [{ role: SPECIALISM_NAMES[specialism as Specialism], name: worker.name }] : [],
    ),
    socialWorkerChanges: allocation?.socialWorkerChanges ?? 0,
  };
}
