import { FAMILY_SAFEGUARDING_ADULT_FACTORS, type FactorCode } from '@fsp/shared/events/codes';
import { type LocalDate, partsOf } from '@fsp/shared/time/local-date';

const FAMILY_SAFEGUARDING_AGE_LIMIT = 13;
const adultFactors: ReadonlySet<FactorCode> = new Set(FAMILY_SAFEGUARDING_ADULT_FACTORS);

export interface ChildAge {
  dateOfBirth?: LocalDate;
  unborn: boolean;
}

/** Completed years on `on`; someone born on 29 February turns a year older on 1 March in other years. */
export function ageInYears(dateOfBirth: LocalDate, on: LocalDate): number {
  const born = partsOf(dateOfBirth);
  const today = partsOf(on);
  const hadBirthday = today.month > born.month || (today.month === born.month && today.day >= born.day);
  return today.year - born.year - (hadBirthday ? 0 : 1);
}

/**
 * DOMAIN.md: flagged when adults in the household present domestic abuse, substance misuse and/or
 * mental-health factors and a child is under 13. A child whose date of birth the referrer did not
 * know counts as possibly under 13: the flag asks the front door to look, and missing it costs
 * more than a second look (it is confirmed at the end of the assessment).
 */
export function isFamilySafeguardingEligible(
  factors: readonly FactorCode[],
  children: readonly ChildAge[],
  receivedOn: LocalDate,
): boolean {
  if (!factors.some((factor) => adultFactors.has(factor))) return false;
  return children.some(
    (child) => child.unborn || child.dateOfBirth === undefined || ageInYears(child.dateOfBirth, receivedOn) < FAMILY_SAFEGUARDING_AGE_LIMIT,
  );
}
