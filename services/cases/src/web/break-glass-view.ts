/**
 * What the team manager is shown of break-glass uses on a case (ADR 0014 §6, "recorded and told
 * to the team manager"): for the team manager of the team that holds the case only (the case
 * overview includes templates/partials/break-glass-uses.njk with this as `breakGlassUses`), every
 * grant newest first: who, when, their reason, and until when it is open if it still is.
 */
import { mojDate } from '@fsp/shared/web/dates';
import {
  type BreakGlassGrant,
  breakGlassExpiresAt,
  breakGlassUsesNewestFirst,
  type CaseReader,
  isBreakGlassValid,
  mayAllocate,
} from '../domain/access';

export interface BreakGlassUseView {
  name: string;
  /** "Tuesday 3 December 2026 at 2:30pm" */
  when: string;
  reason: string;
  /** "6:30pm" (or the date too, when it ends another day) while the grant is open; absent once it has lapsed. */
  until?: string;
}

export interface BreakGlassUsesView {
  uses: BreakGlassUseView[];
}

/** The uses for `reader` to see, or undefined: only the holding team's manager sees them. */
export function breakGlassUsesView(
  grants: readonly BreakGlassGrant[],
  caseTeamId: string,
  reader: CaseReader,
  now: Date,
): BreakGlassUsesView | undefined {
  if (!mayAllocate(reader, { teamId: caseTeamId })) return undefined;
  return {
    uses: breakGlassUsesNewestFirst(grants).map((grant) => {
      const expires = breakGlassExpiresAt(grant);
      const sameDay = mojDate(expires, 'date') === mojDate(now, 'date');
      return {
        name: grant.name,
        when: mojDate(grant.at, 'datetime'),
        reason: grant.reason,
        ...(isBreakGlassValid(grant, now) ? { until: mojDate(expires, sameDay ? 'time' : 'datetime') } : {}),
      };
    }),
  };
}
