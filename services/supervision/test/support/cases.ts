/** Cases as supervision hears of them: opened (CaseOpened), then given their first social worker (CaseAllocated), through the real consumers. */
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { deliverUntilAccepted } from '@fsp/shared/testing/events';
import { createCaseAllocatedConsumer } from '../../src/consumers/case-allocated';
import { createCaseOpenedConsumer } from '../../src/consumers/case-opened';
import { caseAllocated, caseOpened } from './events';

export interface TestCase {
  caseId: string;
  teamId: string;
  openedAt: string;
  /** Absent: announced as CaseOpened v1 was first published, without it. */
  reference?: string | undefined;
  /**
   * When its first social worker was allocated, which its first supervision is due a calendar month
   * from; null for a case nobody has been allocated to yet. Defaults to the opening.
   */
  allocatedAt?: string | null;
}

export async function openAndAllocate(runtime: ServiceRuntime, cases: readonly TestCase[]): Promise<void> {
  await deliverUntilAccepted(
    createCaseOpenedConsumer(runtime),
    cases.map(({ caseId, teamId, openedAt, reference }) => caseOpened({ caseId, teamId, openedAt, reference })),
  );
  const allocated = cases.filter((c) => c.allocatedAt !== null);
  if (allocated.length === 0) return;
  await deliverUntilAccepted(
    createCaseAllocatedConsumer(runtime),
    allocated.map(({ caseId, teamId, openedAt, reference, allocatedAt }) =>
      caseAllocated({ caseId, teamId, reference: reference ?? `FSP-ALLOCATED-${caseId.slice(-6)}`, allocatedAt: allocatedAt ?? openedAt }),
    ),
  );
}
