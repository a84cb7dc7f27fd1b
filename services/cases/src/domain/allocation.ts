/**
 * Allocation (ADR 0014 §3, issue 12 Deliver 2; DOMAIN.md, Cases): one social worker plus the adult
 * specialists the family needs, chosen by the team manager from the team that holds the case.
 * Each change of social worker is recorded with its reason and counted, because families stop
 * investing in relationships when workers churn and the count is a key measure. Pure: the
 * directory's answer and the time are passed in; the store writes the allocation, its history
 * record and the CaseAllocated events in one transaction, on the version `current` was read at.
 */
import type { DirectoryWorker } from '@fsp/shared/directory';
import { onFirstUse } from '@fsp/shared/first-use';
import { plainText } from '@fsp/shared/text';
import * as z from 'zod/mini';
import type { Actor } from './family-network';

/**
 * Family Safeguarding's adult specialists (DOMAIN.md, People and roles). The platform has one
 * role for them all ('adult-specialist' in shared/src/people.ts); which specialism a person
 * practises is not in the directory, so the case names the specialism it allocates them to.
 */
export const SPECIALISMS = ['domestic-abuse-victim', 'domestic-abuse-perpetrator', 'mental-health', 'substance-misuse'] as const;
export type Specialism = (typeof SPECIALISMS)[number];

export const SPECIALISM_NAMES: Record<Specialism, string> = {
  'domestic-abuse-victim': 'Domestic abuse worker (victims)',
  'domestic-abuse-perpetrator': 'Domestic abuse worker (perpetrators)',
  'mental-health': 'Mental health worker',
  'substance-misuse': 'Substance misuse worker',
};

export interface AllocatedWorker {
  userId: string;
  /** As the directory named them when allocated: what pages show, and still true of a leaver. */
  name: string;
  allocatedAt: string;
  allocatedBy: string;
}

export interface Allocation {
  caseId: string;
  /** The team that holds the case: workers are chosen from it. */
  teamId: string;
  socialWorker?: AllocatedWorker;
  specialists: Partial<Record<Specialism, AllocatedWorker>>;
  /** Changes of social worker since the first allocation (the first is not a change). */
  socialWorkerChanges: number;
}

/** A case nobody has been allocated to yet: how every case opens. */
export const unallocated = (caseId: string, teamId: string): Allocation => ({ caseId, teamId, specialists: {}, socialWorkerChanges: 0 });

/**
 * What the team manager submits: the whole allocation as it should be (the form shows every slot),
 * so a specialism left out is one the family no longer needs.
 */
export interface AllocationRequest {
  socialWorkerId: string;
  /** Required when the social worker changes; ignored otherwise. */
  reason?: string;
  specialists: Partial<Record<Specialism, string>>;
}

const REASON_MAX = 1000;

/** Built on first use: only the allocation route needs it. */
const buildRequestSchema = onFirstUse(() =>
  z.object({
    socialWorkerId: z.string().check(z.trim(), z.minLength(1, 'Select a social worker')),
    reason: z.optional(
      z.string().check(
        z.trim(),
        z.maxLength(REASON_MAX, `The reason for the change of social worker must be ${REASON_MAX} characters or fewer`),
        plainText({
          multiline: true,
          message: 'The reason for the change of social worker must not contain invisible or control characters',
        }),
      ),
    ),
    specialists: z.partialRecord(
      z.enum(SPECIALISMS, 'Choose a specialism the platform knows'),
      z.string().check(z.trim(), z.minLength(1, 'Select a worker')),
    ),
  }),
);
export const allocationRequestSchema = z.lazy(() => buildRequestSchema());

/** One field the team manager must correct: `field` is the form's field name, the message is for the error summary. */
export interface AllocationIssue {
  field: 'socialWorkerId' | 'reason' | `specialists.${Specialism}`;
  message: string;
}

export type AllocationRefusal = { refused: 'invalid'; issues: AllocationIssue[] } | { refused: 'nothing-changed' };

export type AllocationRole = 'social-worker' | 'adult-specialist';

/**
 * CaseAllocated v1's data (ADR 0014 §3): one per worker newly allocated, so notifications tells
 * each, and supervision schedules the first group supervision when the first social worker is
 * allocated (role social-worker, no previous holder). shared/src/events adopts this shape.
 */
export interface CaseAllocatedData {
  caseId: string;
  teamId: string;
  workerId: string;
  role: AllocationRole;
  /** Present for an adult specialist. */
  specialism?: Specialism;
  /** Who held the slot before; absent at its first allocation. */
  previousWorkerId?: string;
  /** Present when a social worker replaced another. */
  reason?: string;
  /** Changes of social worker so far, this one included. */
  socialWorkerChanges: number;
  allocatedAt: string;
  allocatedBy: string;
}

export interface SlotChange {
  slot: 'social-worker' | Specialism;
  before?: AllocatedWorker;
  after?: AllocatedWorker;
}

/** The history item beside the allocation: who changed it, when, each slot before and after, and why. */
export interface AllocationHistoryRecord {
  caseId: string;
  by: Actor;
  at: string;
  changes: SlotChange[];
  reason?: string;
  socialWorkerChanges: number;
}

export type AllocationResult =
  | { allocation: Allocation; history: AllocationHistoryRecord; events: CaseAllocatedData[] }
  | AllocationRefusal;

export const isAllocationRefusal = (result: AllocationResult): result is AllocationRefusal => 'refused' in result;

/**
 * Why this person cannot hold the slot, or undefined when they can. `directoryMembers` is the
 * team's listing, but each member is checked again here: a stale or wider listing must not let a
 * worker from another team, a leaver or the wrong role onto the family's record.
 */
function unsuitability(member: DirectoryWorker | undefined, teamId: string, role: AllocationRole): string | undefined {
  const as = role === 'social-worker' ? 'a social worker' : 'an adult specialist';
  if (member === undefined || member.teamId !== teamId) return `Select ${as} from the team that holds this case`;
  if (!member.enabled) return `${member.name} can no longer use the platform: select someone else`;
  if (!member.roles.includes(role)) return `${member.name} is not ${as}: select ${as}`;
  return undefined;
}

export function allocate(
  current: Allocation,
  request: AllocationRequest,
  directoryMembers: readonly DirectoryWorker[],
  who: Actor,
  at: Date,
): AllocationResult {
  const allocatedAt = at.toISOString();
  const byId = new Map(directoryMembers.map((member) => [member.userId, member]));
  const issues: AllocationIssue[] = [];

  const previousSocialWorker = current.socialWorker;
  // Only a worker chosen now is checked: one who already holds the slot keeps it until replaced,
  // so a leaver or someone who moved team does not block adding a specialist meanwhile.
  const socialWorkerProblem =
    previousSocialWorker?.userId === request.socialWorkerId
      ? undefined
      : unsuitability(byId.get(request.socialWorkerId), current.teamId, 'social-worker');
  if (socialWorkerProblem) issues.push({ field: 'socialWorkerId', message: socialWorkerProblem });

  const socialWorkerChanged = previousSocialWorker !== undefined && previousSocialWorker.userId !== request.socialWorkerId;
  const reason = request.reason?.trim();
  if (socialWorkerChanged && !reason) issues.push({ field: 'reason', message: 'Enter the reason for the change of social worker' });

  for (const specialism of SPECIALISMS) {
    const workerId = request.specialists[specialism];
    if (workerId === undefined || current.specialists[specialism]?.userId === workerId) continue;
    const problem = unsuitability(byId.get(workerId), current.teamId, 'adult-specialist');
    if (problem) issues.push({ field: `specialists.${specialism}`, message: problem });
  }
  // Family Safeguarding keeps the victim's worker and the perpetrator's worker apart: one person
  // holding both would carry each side's disclosures to the other.
  const victimWorker = request.specialists['domestic-abuse-victim'];
  if (victimWorker !== undefined && victimWorker === request.specialists['domestic-abuse-perpetrator']) {
    issues.push({
      field: 'specialists.domestic-abuse-perpetrator',
      message: 'Select a different worker for perpetrators from the one for victims',
    });
  }
  if (issues.length > 0) return { refused: 'invalid', issues };

  const holder = (userId: string, keep: AllocatedWorker | undefined): AllocatedWorker =>
    keep?.userId === userId ? keep : { userId, name: (byId.get(userId) as DirectoryWorker).name, allocatedAt, allocatedBy: who.userId };

  const socialWorker = holder(request.socialWorkerId, previousSocialWorker);
  const socialWorkerChanges = current.socialWorkerChanges + (socialWorkerChanged ? 1 : 0);
  const specialists: Partial<Record<Specialism, AllocatedWorker>> = {};
  for (const specialism of SPECIALISMS) {
    const workerId = request.specialists[specialism];
    if (workerId !== undefined) specialists[specialism] = holder(workerId, current.specialists[specialism]);
  }

  const changes: SlotChange[] = [];
  const events: CaseAllocatedData[] = [];
  const base = { caseId: current.caseId, teamId: current.teamId, socialWorkerChanges, allocatedAt, allocatedBy: who.userId };
  if (socialWorker !== previousSocialWorker) {
    changes.push({ slot: 'social-worker', ...(previousSocialWorker ? { before: previousSocialWorker } : {}), after: socialWorker });
    events.push({
      ...base,
      workerId: socialWorker.userId,
      role: 'social-worker',
      ...(previousSocialWorker ? { previousWorkerId: previousSocialWorker.userId } : {}),
      ...(socialWorkerChanged && reason ? { reason } : {}),
    });
  }
  for (const specialism of SPECIALISMS) {
    const before = current.specialists[specialism];
    const after = specialists[specialism];
    if (before === after) continue;
    changes.push({ slot: specialism, ...(before ? { before } : {}), ...(after ? { after } : {}) });
    // A specialism no longer needed allocates nobody: there is nobody to tell, and the history keeps it.
    if (after) {
      events.push({
        ...base,
        workerId: after.userId,
        role: 'adult-specialist',
        specialism,
        ...(before ? { previousWorkerId: before.userId } : {}),
      });
    }
  }
  if (changes.length === 0) return { refused: 'nothing-changed' };

  return {
    allocation: { ...current, socialWorker, specialists, socialWorkerChanges },
    history: {
      caseId: current.caseId,
      by: who,
      at: allocatedAt,
      changes,
      ...(socialWorkerChanged && reason ? { reason } : {}),
      socialWorkerChanges,
    },
    events,
  };
}
