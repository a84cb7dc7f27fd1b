/**
 * The demo data set (data.ts) as dated steps, oldest first, for a given present. Pure: no I/O, the
 * present passed in, so the plan for any day can be checked without a local cloud.
 *
 * Every step happens at a London wall-clock time a number of working days before the present. The
 * front door's decision reminders run as their schedule would have: just after 12:00 on each working
 * day (ReferralDecisionDue) and just after midnight following it (ReferralDecisionOverdue), while a
 * referral awaits a decision (at other times they find nothing), and once more at the present. A
 * step that would fall after the present (the data says "today at 9:50am" and the seed runs at 4am)
 * is moved back to just before it, keeping the order of everything.
 *
 * Group supervision follows the platform's own timescale (ADR 0015 §1): each is held on the day it
 * was scheduled for, worked out here as the platform works it out, from the allocation and then from
 * the day the one before was held; its actions are done by their owners on the days the data says.
 * The supervision-timescales schedule runs just after each moment it has something to tell: a
 * supervision not held by its due date, an action still open after its due date (its owner) and two
 * working days later (the team manager). Not every 15 minutes: between those moments it finds nothing.
 */
import type { ReferralSourceCode } from '@fsp/shared/events/codes';
import {
  addCalendarDays,
  addCalendarMonths,
  compareLocalDates,
  type LocalDate,
  localDateFromParts,
  partsOf,
} from '@fsp/shared/time/local-date';
import { endOfLondonDay, londonDateOf, londonWallClockInstant } from '@fsp/shared/time/london';
import { addWorkingDays, isWorkingDay } from '@fsp/shared/time/working-days';
import type {
  Born,
  Referrer,
  SeedAllocation,
  SeedCaseSummary,
  SeedDecision,
  SeedFamily,
  SeedNote,
  SeedPracticeStep,
  SeedReferral,
  SeedSupervision,
  SeedSupervisionAction,
  When,
} from './data';

export type Step =
  | { kind: 'submit'; at: Date; family: SeedFamily; referral: SeedReferral }
  | { kind: 'screen'; at: Date; family: SeedFamily; referral: SeedReferral }
  | { kind: 'decide'; at: Date; family: SeedFamily; referral: SeedReferral; decision: SeedDecision }
  | { kind: 'allocate'; at: Date; family: SeedFamily; referral: SeedReferral; allocation: SeedAllocation }
  | { kind: 'record'; at: Date; family: SeedFamily; referral: SeedReferral; note: SeedNote }
  | { kind: 'amend'; at: Date; family: SeedFamily; referral: SeedReferral; note: SeedNote }
  | { kind: 'summarise'; at: Date; family: SeedFamily; referral: SeedReferral; summary: SeedCaseSummary }
  | { kind: 'practise'; at: Date; family: SeedFamily; referral: SeedReferral; practice: SeedPracticeStep }
  | {
      kind: 'supervise';
      at: Date;
      family: SeedFamily;
      referral: SeedReferral;
      sequence: number;
      heldOn: LocalDate;
      supervision: SeedSupervision;
    }
  | {
      kind: 'complete-action';
      at: Date;
      family: SeedFamily;
      referral: SeedReferral;
      sequence: number;
      heldOn: LocalDate;
      action: SeedSupervisionAction;
    }
  | { kind: 'reminders'; at: Date }
  | { kind: 'timescales'; at: Date };

/** The steps that run a schedule's function, rather than act for a referral's family. */
export type ScheduleStep = Extract<Step, { kind: 'reminders' | 'timescales' }>;
export const isScheduleStep = (step: Step): step is ScheduleStep => step.kind === 'reminders' || step.kind === 'timescales';

/**
 * The same-instant order: a referral is received before it is screened, screened before it is
 * decided, its case opened before it is allocated, allocated before anyone records in it, a note
 * recorded before it is amended, a supervision held before its actions are done; the schedules
 * after what happened at their moment.
 */
const KIND_ORDER: Record<Step['kind'], number> = {
  submit: 0,
  screen: 1,
  decide: 2,
  allocate: 3,
  record: 4,
  amend: 5,
  summarise: 6,
  practise: 7,
  supervise: 8,
  'complete-action': 9,
  reminders: 10,
  timescales: 11,
};

/** How long before the present a step moved back from the future happens, at the latest. */
export const LATEST_BEFORE_PRESENT_MS = 60_000;
/** The smallest gap kept between two steps moved back, so that their order survives. */
const STEP_GAP_MS = 1_000;
/** The decision-reminder runs: 5 minutes after the moments a reminder falls due (12:00 on the due day, midnight after it). */
const REMINDERS_AT = { due: { hour: 12, minute: 5 }, overdue: { hour: 0, minute: 5 } };
/** The supervision-timescales runs: 5 minutes after the end of the London day a thing was due by (its schedule runs every 15). */
const TIMESCALES_AFTER_MIDNIGHT_MINUTES = 5;
/** Group supervision starts at 10:00 London on its scheduled day (the platform's SUPERVISION_START). */
export const SUPERVISION_START = '10:00';
/** An action still open this many working days after its due date goes to the team manager (ADR 0015 §5). */
export const ACTION_MANAGER_ESCALATION_WORKING_DAYS = 2;

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

/** How the log and errors name a step's subject: the referral, or the schedule. */
export const stepSubject = (step: Step): string =>
  step.kind === 'reminders'
    ? 'the decision reminders'
    : step.kind === 'timescales'
      ? 'the supervision timescales'
      : referralName(step.family, step.referral);

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
  const timescales = new Set<number>();
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
        for (const practice of referral.decided.practice ?? []) {
          steps.push({ kind: 'practise', at: instantOf(practice.at, present), family, referral, practice });
        }
        const supervised = supervisionsOf(referral.decided, present);
        for (const held of supervised?.held ?? []) {
          const { sequence, heldOn, supervision } = held;
          steps.push({ kind: 'supervise', at: held.recordedAt, family, referral, sequence, heldOn, supervision });
          for (const action of supervision.actions) {
            if (action.done) {
              const at = atWorkingDaysAfter(heldOn, action.done.workingDaysAfterHeld, action.done.at);
              steps.push({ kind: 'complete-action', at, family, referral, sequence, heldOn, action });
            }
          }
        }
        for (const at of supervised ? timescalesMoments(supervised) : []) timescales.add(at.getTime());
      }
    }
  }
  if (steps.length === 0) return [];
  const first = Math.min(...steps.map((step) => step.at.getTime()));
  const awaiting = decisionWindows(families, present);
  for (const at of reminderRuns(new Date(first), present)) {
    if (awaiting.some(({ from, to }) => from < at.getTime() && at.getTime() < to)) steps.push({ kind: 'reminders', at });
  }
  for (const at of [...timescales].sort((a, b) => a - b)) {
    if (at < present.getTime()) steps.push({ kind: 'timescales', at: new Date(at) });
  }

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

/** While each referral awaited its decision: from its receipt to its decision (or the present). */
function decisionWindows(families: readonly SeedFamily[], present: Date): { from: number; to: number }[] {
  return families.flatMap((family) =>
    family.referrals.map((referral) => ({
      from: instantOf(referral.received, present).getTime(),
      to: referral.decided ? instantOf(referral.decided.at, present).getTime() : Number.POSITIVE_INFINITY,
    })),
  );
}

/** `at` (HH:MM, London) on the working day `workingDays` after `day`. */
function atWorkingDaysAfter(day: LocalDate, workingDays: number, at: string): Date {
  const match = TIME.exec(at);
  if (!match || !Number.isSafeInteger(workingDays) || workingDays < 0) {
    throw new RangeError(`not a time the seed understands: ${workingDays} working days after ${day} at ${at}`);
  }
  return londonWallClockInstant(addWorkingDays(day, workingDays), Number(match[1]), Number(match[2]));
}

/**
 * The platform's group supervision timescale (ADR 0015 §1; services/supervision's
 * supervisionTimesFrom), counted from the day the case's first social worker was allocated or the
 * day the one before was held: due by the end of the day a calendar month later, scheduled for the
 * last working day on or before that and not before the start.
 */
export function supervisionTimesFrom(startDay: LocalDate): { dueDate: LocalDate; dueBy: Date; scheduledDate: LocalDate } {
  const dueDate = addCalendarMonths(startDay, 1);
  let scheduledDate = dueDate;
  for (let day = dueDate; compareLocalDates(day, startDay) >= 0; day = addCalendarDays(day, -1)) {
    if (isWorkingDay(day)) {
      scheduledDate = day;
      break;
    }
  }
  return { dueDate, dueBy: endOfLondonDay(dueDate), scheduledDate };
}

export interface HeldSupervision {
  sequence: number;
  /** The day it was scheduled for. */
  heldOn: LocalDate;
  /** When its chair completed the record, that day. */
  recordedAt: Date;
  supervision: SeedSupervision;
}

export interface CaseSupervisions {
  held: HeldSupervision[];
  /** The one left scheduled after them. */
  next: { sequence: number; dueDate: LocalDate; dueBy: Date; scheduledDate: LocalDate };
}

/** A case's supervisions, dated: each held on its scheduled day, then the next one scheduled. Undefined for a case not allocated. */
export function supervisionsOf(decision: SeedDecision, present: Date): CaseSupervisions | undefined {
  if (!decision.allocated) return undefined;
  let times = supervisionTimesFrom(londonDateOf(instantOf(decision.allocated.at, present)));
  const held: HeldSupervision[] = [];
  for (const [index, supervision] of (decision.supervisions ?? []).entries()) {
    const heldOn = times.scheduledDate;
    held.push({ sequence: index + 1, heldOn, recordedAt: atWorkingDaysAfter(heldOn, 0, supervision.recordedAt), supervision });
    times = supervisionTimesFrom(heldOn);
  }
  return { held, next: { sequence: held.length + 1, ...times } };
}

/** The day an action is due: its working days after the day it was set. */
export const actionDueDate = (heldOn: LocalDate, action: SeedSupervisionAction): LocalDate =>
  addWorkingDays(heldOn, action.dueInWorkingDays);

/** When an open action is escalated: its owner once its due date has passed, the team manager two working days later. */
export function actionEscalations(dueDate: LocalDate): { owner: Date; teamManager: Date } {
  return {
    owner: endOfLondonDay(dueDate),
    teamManager: endOfLondonDay(addWorkingDays(dueDate, ACTION_MANAGER_ESCALATION_WORKING_DAYS)),
  };
}

/** Just after a moment the supervision-timescales schedule finds something due: the end of a London day. */
const runAfter = (endOfDay: Date): Date => new Date(endOfDay.getTime() + 1 + TIMESCALES_AFTER_MIDNIGHT_MINUTES * 60_000);

/**
 * The moments the supervision-timescales schedule has something to tell about a case: its next
 * supervision's due date passing unheld, and each action left open passing its due date and then
 * its team manager's. (Actions done are done on time, before either.)
 */
function timescalesMoments(supervised: CaseSupervisions): Date[] {
  const moments = [runAfter(supervised.next.dueBy)];
  for (const { heldOn, supervision } of supervised.held) {
    for (const action of supervision.actions) {
      if (action.done) continue;
      const { owner, teamManager } = actionEscalations(actionDueDate(heldOn, action));
      moments.push(runAfter(owner), runAfter(teamManager));
    }
  }
  return moments;
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

/** A practice step's fields with its days filled in: 'DAY' is the step's London day, `{ daysAfter: n }` n calendar days after it. */
export function practiceFields(fields: unknown, day: LocalDate): unknown {
  if (fields === 'DAY') return day;
  if (Array.isArray(fields)) return fields.map((each) => practiceFields(each, day));
  if (fields !== null && typeof fields === 'object') {
    const entries = Object.entries(fields);
    if (entries.length === 1 && entries[0]?.[0] === 'daysAfter' && typeof entries[0][1] === 'number')
      return addCalendarDays(day, entries[0][1]);
    return Object.fromEntries(entries.map(([key, value]) => [key, practiceFields(value, day)]));
  }
  return fields;
}
