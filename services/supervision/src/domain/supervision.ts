/**
 * Group supervision (DOMAIN.md, Group supervision): every open case is discussed monthly, and the
 * first discussion is scheduled when the case is allocated: at its first social worker (CaseAllocated
 * with role social-worker and no previous holder; ADR 0014 §3). An adult specialist joining, or a
 * change of social worker, schedules nothing: the case already has its first supervision. Pure: no
 * AWS, no I/O; instants are passed in.
 *
 * The first supervision's timescale:
 * - Allocation day: the London calendar day on which the case's first social worker was allocated.
 * - Due date: one calendar month after the allocation day (`addCalendarMonths`: 31 January → 28/29
 *   February). `dueBy` is the last instant of that London day. Like every calendar-month
 *   timescale (ADR 0003) it is not moved off weekends or bank holidays: moving it later would
 *   breach "monthly".
 * - Scheduled date: the last working day (Monday to Friday, not an England and Wales bank holiday)
 *   on or before the due date and not before the allocation day, so the team has the most time to
 *   prepare while still meeting the timescale. The window is at least 28 days long and England
 *   and Wales never have more than four non-working days in a row, so such a day always exists;
 *   should the bank-holiday data ever make the window empty, the due date itself is used, because a
 *   discussion on a non-working day is better than one scheduled after its due date.
 * - Scheduled time: 10:00 London wall-clock time on the scheduled date (BST or GMT as in force).
 */
import { createHash } from 'node:crypto';
import { addCalendarDays, addCalendarMonths, compareLocalDates, type LocalDate } from '@fsp/shared/time/local-date';
import { londonDateOf, londonWallClockInstant } from '@fsp/shared/time/london';
import { calendarDayDeadline, isWorkingDay } from '@fsp/shared/time/working-days';
import type { Supervision, SupervisionRating } from './model';

export { SUPERVISION_STATUSES, type SupervisionStatus } from './model';

/** Group supervision starts at 10:00 London time: after the morning's urgent work, with the day left for actions. */
export const SUPERVISION_START = { hour: 10, minute: 0 } as const;

/** The first supervision of a case is number 1; later ones count on. */
export const FIRST_SUPERVISION = 1;

export interface SupervisionTimes {
  dueDate: LocalDate;
  dueBy: Date;
  scheduledDate: LocalDate;
  scheduledFor: Date;
}

export type { CaseHead, SupervisedCase, Supervision } from './model';

/** A case's first social worker, as CaseAllocated tells it: what its first supervision is scheduled from. */
export interface FirstAllocation {
  caseId: string;
  teamId: string;
  reference: string;
  /** When the first social worker was allocated: the timescale's start. */
  allocatedAt: string;
}

/** What CaseAllocated says of the slot filled: which role, and who held it before (absent at its first allocation). */
export interface AllocationFact {
  role: 'social-worker' | 'adult-specialist';
  previousWorkerId?: string;
}

/**
 * Whether an allocation schedules the case's first group supervision: only the case's first social
 * worker does (DOMAIN.md: "The first is scheduled when a case is allocated"). A specialist is
 * allocated to a case that has, or will have, its social worker; a change of social worker keeps
 * the supervision the case already has (the next one follows the one held).
 */
export const isFirstSocialWorker = (allocation: AllocationFact): boolean =>
  allocation.role === 'social-worker' && allocation.previousWorkerId === undefined;

/** The last working day in [from, to], or undefined when the range holds none. */
function lastWorkingDayBetween(from: LocalDate, to: LocalDate): LocalDate | undefined {
  for (let day = to; compareLocalDates(day, from) >= 0; day = addCalendarDays(day, -1)) {
    if (isWorkingDay(day)) return day;
  }
  return undefined;
}

/**
 * The timescale of a supervision counted from `startDay`: the day the case's first social worker was
 * allocated (the first supervision), or the day the previous one was held (every later one). See
 * the module comment for the rule. Throws BankHolidaysNotCoveredError outside the shipped
 * bank-holiday years.
 */
export function supervisionTimesFrom(startDay: LocalDate): SupervisionTimes {
  const { dueDate, dueBy } = calendarDayDeadline(addCalendarMonths(startDay, 1));
  const scheduledDate = lastWorkingDayBetween(startDay, dueDate) ?? dueDate;
  return { dueDate, dueBy, scheduledDate, scheduledFor: supervisionStartOn(scheduledDate) };
}

/** 10:00 London on `day` (BST or GMT as in force). */
export const supervisionStartOn = (day: LocalDate): Date => londonWallClockInstant(day, SUPERVISION_START.hour, SUPERVISION_START.minute);

/** The first supervision's timescale, from the London day the first social worker was allocated. */
export function firstSupervisionTimes(allocatedAt: Date): SupervisionTimes {
  return supervisionTimesFrom(londonDateOf(allocatedAt));
}

/**
 * Derived from the case and the sequence number, never random: every delivery of the first
 * allocation aims at the same supervision, so a conditional put lets exactly one through. Hashed to
 * stay within the 64-character id rule whatever the case id's length.
 */
export function supervisionIdFor(caseId: string, sequence: number): string {
  const digest = createHash('sha256').update(`${caseId}#${sequence}`).digest('hex').slice(0, 32);
  return `sup-${digest}`;
}

export function scheduleFirstSupervision(allocation: FirstAllocation): Supervision {
  const times = firstSupervisionTimes(new Date(allocation.allocatedAt));
  return {
    supervisionId: supervisionIdFor(allocation.caseId, FIRST_SUPERVISION),
    caseId: allocation.caseId,
    teamId: allocation.teamId,
    sequence: FIRST_SUPERVISION,
    status: 'scheduled',
    dueDate: times.dueDate,
    dueBy: times.dueBy.toISOString(),
    scheduledDate: times.scheduledDate,
    scheduledFor: times.scheduledFor.toISOString(),
    caseReference: allocation.reference,
  };
}

/** Supervision records are the team's: only its members see a case's supervisions or the team's agenda. */
export const isTeamMember = (worker: { teamId: string }, teamId: string): boolean => worker.teamId === teamId;

/** Earliest due first; ties in a stable order. */
export const byDueBy = (a: Supervision, b: Supervision): number =>
  a.dueBy < b.dueBy ? -1 : a.dueBy > b.dueBy ? 1 : a.supervisionId < b.supervisionId ? -1 : a.supervisionId > b.supervisionId ? 1 : 0;

/** What completing a supervision tells the next one: the case, the day held, a proposed date, the rating given. */
export interface HeldSupervision {
  caseId: string;
  teamId: string;
  caseReference?: string | undefined;
  sequence: number;
  heldOn: LocalDate;
  /** The chair's proposed date (checked: a working day after heldOn, on or before the next due date). */
  nextDate?: LocalDate | undefined;
  rating: SupervisionRating;
}

/**
 * The next supervision after one held: due a calendar month after the day held (the same rule as
 * the first), planned for the chair's proposed date if given, else the last working day on or
 * before it. It carries the rating just given, which the agenda shows.
 */
export function scheduleNextSupervision(held: HeldSupervision): Supervision {
  const times = supervisionTimesFrom(held.heldOn);
  const scheduledDate = held.nextDate ?? times.scheduledDate;
  const sequence = held.sequence + 1;
  return {
    supervisionId: supervisionIdFor(held.caseId, sequence),
    caseId: held.caseId,
    teamId: held.teamId,
    sequence,
    status: 'scheduled',
    dueDate: times.dueDate,
    dueBy: times.dueBy.toISOString(),
    scheduledDate,
    scheduledFor: supervisionStartOn(scheduledDate).toISOString(),
    ...(held.caseReference !== undefined ? { caseReference: held.caseReference } : {}),
    previousRating: held.rating,
    reschedules: [],
    agenda: { changes: [] },
    version: 1,
  };
}
