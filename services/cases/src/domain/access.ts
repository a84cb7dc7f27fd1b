/**
 * Access by legitimate relationship (DOMAIN.md, People and roles; ADR 0014 §6; issue 12 Deliver 6):
 * a worker sees a family's record only when allocated to the case, as a case-working member of
 * the team that holds it, through an unexpired break-glass grant they recorded with a reason, or,
 * for the front door, through a referral it is handling that belongs to this case (and then
 * without the case's notes). An administrator, or anyone without a case-working role, sees
 * nothing. Anyone without a relationship is answered exactly as for a case that does not exist,
 * and the attempt is audited as denied. Pure: no I/O; the time is passed in.
 */
import { onFirstUse } from '@fsp/shared/first-use';
import { CASE_WORKING_ROLES, type Role } from '@fsp/shared/people';
import { plainText } from '@fsp/shared/text';
import * as z from 'zod/mini';
import type { AllocatedWorker, Allocation } from './allocation';

/** The relationship a read rests on, closest first; it is the "why" of the read's audit item. */
export const CASE_ACCESS_KINDS = ['allocated', 'team-member', 'break-glass', 'front-door-referral'] as const;
export type CaseAccess = (typeof CASE_ACCESS_KINDS)[number];

/** The signed-in worker, as their session or token says. */
export interface CaseReader {
  userId: string;
  teamId: string;
  roles: readonly Role[];
}

/** A break-glass grant as the case keeps it (pk CASE#<caseId>, sk BREAKGLASS#<at>#<userId>): all are kept. */
export interface BreakGlassGrant {
  caseId: string;
  userId: string;
  /** As the session named them when they broke the glass: what the team manager is shown. */
  name: string;
  /** Why they needed the case, in their words. */
  reason: string;
  /** When the grant was made (ISO 8601); it lasts {@link BREAK_GLASS_HOURS} from then. */
  at: string;
  requestId: string;
}

/** A grant lasts one working session (a session is 8 hours at most, WEB.md): long enough for the task, never standing. */
export const BREAK_GLASS_HOURS = 8;
const BREAK_GLASS_MS = BREAK_GLASS_HOURS * 60 * 60 * 1000;

/** The last instant a grant is valid at is just before this. */
export const breakGlassExpiresAt = (grant: Pick<BreakGlassGrant, 'at'>): Date => new Date(Date.parse(grant.at) + BREAK_GLASS_MS);

/** True from the grant's instant until {@link BREAK_GLASS_HOURS} later (exclusive). A grant dated in the future is not valid. */
export const isBreakGlassValid = (grant: Pick<BreakGlassGrant, 'at'>, now: Date): boolean => {
  const at = Date.parse(grant.at);
  return at <= now.getTime() && now.getTime() < at + BREAK_GLASS_MS;
};

/** What of a case the access rule reads: all of it in the case's one partition (the head, the allocation item, the grants). */
export interface CaseAccessFacts {
  caseId: string;
  /** The team that holds the case. */
  teamId: string;
  allocation?: Pick<Allocation, 'socialWorker' | 'specialists'>;
  breakGlass: readonly Pick<BreakGlassGrant, 'userId' | 'at'>[];
}

/**
 * How the front door came to the case: the referral the request names (`?referralId=`), and the
 * case that referral belongs to as the referral link says (undefined: it belongs to none).
 */
export interface ReferralRoute {
  referralId: string;
  caseIdOfReferral: string | undefined;
}

const CASE_WORKING: ReadonlySet<Role> = new Set(CASE_WORKING_ROLES);
export const isCaseWorker = (reader: Pick<CaseReader, 'roles'>): boolean => reader.roles.some((role) => CASE_WORKING.has(role));

/** Every worker allocated to the case, the social worker and each specialist. */
export const allocatedWorkers = (allocation: CaseAccessFacts['allocation']): AllocatedWorker[] =>
  allocation === undefined
    ? []
    : [
        ...(allocation.socialWorker ? [allocation.socialWorker] : []),
        ...Object.values(allocation.specialists).filter((w) => w !== undefined),
      ];

/**
 * The relationship `reader` has with the case, closest first, or undefined: none, which callers
 * answer exactly as a case that does not exist (404) and audit as denied.
 *
 * Allocation, team membership and break-glass are a case worker's: a worker allocated to the case
 * whose roles no longer include a case-working one (moved to administration, say) sees nothing.
 * The front door's way in is only the referral it names, and only when that referral belongs to
 * this case.
 */
export function caseAccess(reader: CaseReader, facts: CaseAccessFacts, now: Date, via?: ReferralRoute): CaseAccess | undefined {
  if (isCaseWorker(reader)) {
    if (allocatedWorkers(facts.allocation).some((worker) => worker.userId === reader.userId)) return 'allocated';
    if (reader.teamId === facts.teamId) return 'team-member';
    if (facts.breakGlass.some((grant) => grant.userId === reader.userId && isBreakGlassValid(grant, now))) return 'break-glass';
  }
  if (reader.roles.includes('front-door') && via !== undefined && via.caseIdOfReferral === facts.caseId) return 'front-door-referral';
  return undefined;
}

/** Notes, the network and the summary are recorded by the people working with the family; break-glass and the front door only read. */
export const mayWrite = (access: CaseAccess | undefined): access is 'allocated' | 'team-member' =>
  access === 'allocated' || access === 'team-member';

/** The front door follows a referral to its case to see where the family is, not the workers' recording. */
export const mayReadNotes = (access: CaseAccess | undefined): boolean => access !== undefined && access !== 'front-door-referral';

/** Allocation is the team manager's of the team that holds the case (DOMAIN.md, People and roles). */
export const mayAllocate = (reader: CaseReader, facts: Pick<CaseAccessFacts, 'teamId'>): boolean =>
  reader.roles.includes('team-manager') && reader.teamId === facts.teamId;

/** Who may ask for break-glass access at all: the case-working roles (not the front door, not administrators). */
export const mayBreakGlass = (reader: Pick<CaseReader, 'roles'>): boolean => isCaseWorker(reader);

export const BREAK_GLASS_REASON_MAX = 1000;

/** Built on first use: only the break-glass routes need it. */
const buildBreakGlassSchema = onFirstUse(() =>
  z.object({
    reason: z
      .string('Enter why you need to see this case')
      .check(
        z.trim(),
        z.minLength(1, 'Enter why you need to see this case'),
        z.maxLength(BREAK_GLASS_REASON_MAX, `Why you need to see this case must be ${BREAK_GLASS_REASON_MAX} characters or fewer`),
        plainText({ multiline: true, message: 'Why you need to see this case must not contain invisible or control characters' }),
      ),
  }),
);
/** The break-glass request (page form and JSON body): the reason, required, plain text, at most 1000 characters. */
export const breakGlassRequestSchema = z.lazy(() => buildBreakGlassSchema());
export type BreakGlassRequest = z.infer<typeof breakGlassRequestSchema>;

/** The grant `reader` makes by giving `reason` (already validated) for case `caseId` at `now`. */
export const breakGlassGrant = (
  caseId: string,
  reader: Pick<CaseReader, 'userId'> & { name: string },
  reason: string,
  now: Date,
  requestId: string,
): BreakGlassGrant => ({ caseId, userId: reader.userId, name: reader.name, reason, at: now.toISOString(), requestId });

/** Every grant, newest first: what the team manager is shown of break-glass uses on the case. */
export const breakGlassUsesNewestFirst = (grants: readonly BreakGlassGrant[]): BreakGlassGrant[] =>
  [...grants].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
