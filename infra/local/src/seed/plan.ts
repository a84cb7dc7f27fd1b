/**
 * The demo data set (data.ts) as dated steps, oldest first, for a given present. Pure: no I/O, the
 * present passed in, so the plan for any day can be checked without a local cloud.
 *
 * Every step happens at a London wall-clock time a number of working days before the present. The
 * front door's decision reminders run as their schedule would have: just after 12:00 on each working
 * day (ReferralDecisionDue) and just after midnight following it (ReferralDecisionOverdue), and once
 * more at the present. A step that would fall after the present (the data says "today at 9:50am" and
 * the seed runs at 4am) is moved back to just before it, keeping the order of everything.
 */
import type { ReferralSourceCode } from '@fsp/shared/events/codes';
import { addCalendarDays, type LocalDate, localDateFromParts, partsOf } from '@fsp/shared/time/local-date';
import { londonDateOf, londonWallClockInstant } from '@fsp/shared/time/london';
import { addWorkingDays, isWorkingDay } from '@fsp/shared/time/working-days';
import type { Born, Referrer, SeedAllocation, SeedCaseSummary, SeedDecision, SeedFamily, SeedNote, SeedReferral, When } from './data';

export type Step =
  | { kind: 'submit'; at: Date; family: SeedFamily; referral: SeedReferral }
  | { kind: 'screen'; at: Date; family: SeedFamily; referral: SeedReferral }
  | { kind: 'decide'; at: Date; family: SeedFamily; referral: SeedReferral; decision: SeedDecision }
  | { kind: 'allocate'; at: Date; family: SeedFamily; referral: SeedReferral; allocation: SeedAllocation }
  | { kind: 'record'; at: Date; family: SeedFamily; referral: SeedReferral; note: SeedNote }
  | { kind: 'amend'; at: Date; family: SeedFamily; referral: SeedReferral; note: SeedNote }
  | { kind: 'summarise'; at: Date; family: SeedFamily; referral: SeedReferral; summary: SeedCaseSummary }
  | { kind: 'reminders'; at: Date };

/**
 * The same-instant order: a referral is received before it is screened, screened before it is
 * decided, its case opened before it is allocated, allocated before anyone records in it, a note
 * recorded before it is amended.
 */
const KIND_ORDER: Record<Step['kind'], number> = {
  submit: 0,
  screen: 1,
  decide: 2,
  allocate: 3,
  record: 4,
  amend: 5,
  summarise: 6,
  reminders: 7,
};

/** How long before the present a step moved back from the future happens, at the latest. */
export const LATEST_BEFORE_PRESENT_MS = 60_000;
/** The smallest gap kept between two steps moved back, so that their order survives. */
const STEP_GAP_MS = 1_000;
/** The decision-reminder runs: 5 minutes after the moments a reminder falls due (12:00 on the due day, midnight after it). */
const REMINDERS_AT = { due: { hour: 12, minute: 5 }, overdue: { hour: 0, minute: 5 } };

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function instantOf(when: When, present: Date): Date {
  const match = TIME.exec(when.at);
  if (!match || !Number.isSafeInteger(when.workingDaysAgo) || when.workingDaysAgo < 0) {
    throw new RangeError(`not a time the seed understands: ${JSON.stringify(when)}`);
  }
  const day = addWorkingDays(londonDateOf(present), -when.workingDaysAgo);
  return londonWallClockInstant(day, Number(match[1]), Number(match[2]));
}

/** A date of birth from an age: the same for every referral that names the child, whatever its date. */
export function dateOfBirth(born: Born, present: Date): LocalDate {
  const today = londonDateOf(present);
  if ('daysAgo' in born) return addCalendarDays(today, -born.daysAgo);
  const [month, day] = born.on.split('-').map(Number) as [number, number];
  return localDateFromParts({ year: partsOf(today).year - born.yearsAgo, month, day });
}

export const expectedDate = (inDays: number, present: Date): LocalDate => addCalendarDays(londonDateOf(present), inDays);

/** `<family>/<referral>`: how steps and the ready screen name a referral. */
export const referralName = (family: SeedFamily, referral: SeedReferral): string => `${family.key}/${referral.key}`;

/** `<family>/<referral>/<note>`: how steps name a note on the case a referral opened. */
export const noteName = (family: SeedFamily, referral: SeedReferral, note: SeedNote): string =>
  `${referralName(family, referral)}/${note.key}`;

/** The note's narrative as its amendment makes it read: the corrected words put in place of the wrong ones. */
export function amendedNarrative(note: SeedNote): string {
  if (!note.amended) return note.narrative;
  const { from, to } = note.amended.corrects;
  if (note.narrative.split(from).length !== 2)
    throw new Error(`${note.key}: the amendment's words "${from}" are not in the narrative exactly once`);
  return note.narrative.replace(from, to);
}

export function planSteps(families: readonly SeedFamily[], present: Date): Step[] {
  const steps: Step[] = [];
  for (const family of families) {
    for (const referral of family.referrals) {
      steps.push({ kind: 'submit', at: instantOf(referral.received, present), family, referral });
      if (referral.screened) steps.push({ kind: 'screen', at: instantOf(referral.screened, present), family, referral });
      if (referral.decided) {
        steps.push({ kind: 'decide', at: instantOf(referral.decided.at, present), family, referral, decision: referral.decided });
        const allocation = referral.decided.allocated;
        if (allocation) steps.push({ kind: 'allocate', at: instantOf(allocation.at, present), family, referral, allocation });
        for (const note of referral.decided.notes ?? []) {
          steps.push({ kind: 'record', at: instantOf(note.at, present), family, referral, note });
          if (note.amended) steps.push({ kind: 'amend', at: instantOf(note.amended.at, present), family, referral, note });
        }
        const summary = referral.decided.summary;
        if (summary) steps.push({ kind: 'summarise', at: instantOf(summary.at, present), family, referral, summary });
      }
    }
  }
  if (steps.length === 0) return [];
  const first = Math.min(...steps.map((step) => step.at.getTime()));
  for (const at of reminderRuns(new Date(first), present)) steps.push({ kind: 'reminders', at });

  // Stable: steps at the same instant keep the data's order, by kind.
  const ordered = steps
    .map((step, index) => ({ step, index }))
    .sort((a, b) => a.step.at.getTime() - b.step.at.getTime() || KIND_ORDER[a.step.kind] - KIND_ORDER[b.step.kind] || a.index - b.index)
    .map(({ step }) => step);

  // From the last back: nothing after the present, and each strictly before the next.
  let latest = present.getTime() - LATEST_BEFORE_PRESENT_MS;
  for (let index = ordered.length - 1; index >= 0; index -= 1) {
    const step = ordered[index]!;
    if (step.at.getTime() > latest) ordered[index] = { ...step, at: new Date(latest) };
    latest = ordered[index]!.at.getTime() - STEP_GAP_MS;
  }
  // The schedule's run at the present itself: whatever fell due just before the seed finished.
  ordered.push({ kind: 'reminders', at: present });
  return ordered;
}

/** When the decision-reminders schedule would have found something new between `from` and the present. */
function reminderRuns(from: Date, present: Date): Date[] {
  const runs: Date[] = [];
  const last = londonDateOf(present);
  for (let day = londonDateOf(from); day <= last; day = addCalendarDays(day, 1)) {
    if (isWorkingDay(day)) runs.push(londonWallClockInstant(day, REMINDERS_AT.due.hour, REMINDERS_AT.due.minute));
    // A deadline ends at midnight after a working day.
    if (isWorkingDay(addCalendarDays(day, -1)) && day > londonDateOf(from)) {
      runs.push(londonWallClockInstant(day, REMINDERS_AT.overdue.hour, REMINDERS_AT.overdue.minute));
    }
  }
  return runs.filter((at) => at.getTime() > from.getTime() && at.getTime() < present.getTime());
}

/** What the partner API's `POST /v1/referrals` takes (PARTNER-API.md), and what the web form's answers add up to. */
export interface Submission {
  referrer?: Referrer;
  referralSource: ReferralSourceCode;
  children: {
    firstName: string;
    lastName: string;
    dateOfBirth?: string;
    expectedDateOfBirth?: string;
    gender?: string;
    address?: { line1: string; line2?: string; town: string; postcode: string };
    school?: string;
  }[];
  adults?: { firstName: string; lastName: string; dateOfBirth?: string; relationship: string }[];
  concerns: { whatHappened: string; whyNow: string };
  factors: string[];
  consent: { familyKnows: boolean; consentGiven: boolean; withoutConsentReason?: string };
}

/** The referral as its referrer sends it, dated for the present. */
export function submissionOf(family: SeedFamily, referral: SeedReferral, present: Date, agencyReferrer?: Referrer): Submission {
  const knowsDates = referral.knows?.datesOfBirth ?? true;
  const knowsSchools = referral.knows?.schools ?? true;
  const referrer = 'agency' in referral.from ? (referral.from.referrer ?? agencyReferrer) : referral.from.form;
  if ('agency' in referral.from && !referrer) throw new Error(`${referralName(family, referral)}: a partner referral needs a referrer`);
  const adults = referral.adults.map((key) => {
    const adult = family.adults[key];
    if (!adult) throw new Error(`${referralName(family, referral)} names an adult ${key} the family does not have`);
    return {
      firstName: adult.firstName,
      lastName: adult.lastName,
      ...(adult.born && knowsDates ? { dateOfBirth: dateOfBirth(adult.born, present) } : {}),
      relationship: adult.relationship,
    };
  });
  return {
    ...(referrer && referrer !== 'anonymous' ? { referrer } : {}),
    referralSource: referral.referralSource,
    children: referral.children.map((key) => {
      const child = family.children[key];
      if (!child) throw new Error(`${referralName(family, referral)} names a child ${key} the family does not have`);
      return {
        firstName: child.firstName,
        lastName: child.lastName,
        ...(child.born && knowsDates ? { dateOfBirth: dateOfBirth(child.born, present) } : {}),
        ...(child.expectedInDays !== undefined ? { expectedDateOfBirth: expectedDate(child.expectedInDays, present) } : {}),
        ...(child.gender ? { gender: child.gender } : {}),
        address: { ...family.address },
        ...(child.school && knowsSchools ? { school: child.school } : {}),
      };
    }),
    ...(adults.length > 0 ? { adults } : {}),
    concerns: { whatHappened: referral.whatHappened, whyNow: referral.whyNow },
    factors: [...referral.factors],
    consent: { ...referral.consent },
  };
}
