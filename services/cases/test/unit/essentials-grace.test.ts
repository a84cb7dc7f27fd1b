/**
 * The essentials' grace (domain/essentials.ts ESSENTIALS_GRACE): a case is not flagged for what
 * nobody could have written yet. A brand-new case shows each essential "Not due yet" with the day
 * it is due by, on its overview, and nothing on the caseload or the team manager's list, until
 * that day has passed in London; the days are counted in working days across weekends, bank
 * holidays and the clocks changing, with the clock injected.
 */
import { addCalendarDays, addCalendarMonths, fromEpochDay, type LocalDate, parseLocalDate, toEpochDay } from '@fsp/shared/time/local-date';
import { endOfLondonDay, londonDateOf, startOfLondonDay } from '@fsp/shared/time/london';
import { addWorkingDays, isWorkingDay, workingDaysBetween } from '@fsp/shared/time/working-days';
import fc from 'fast-check';
import type { CaseRecord } from '../../src/domain/case';
import { checkEssentials, ESSENTIALS_GRACE, essentialDueDays, needsAttention } from '../../src/domain/essentials';
import { essentialsFactsOfHead, flaggedHeads } from '../../src/http/essentials-facts';
import { caseEssentialsView, headAttentionView, teamEssentialsView } from '../../src/web/essentials-view';

const d = parseLocalDate;

/** A case as it opens: in assessment, nothing written yet but the chronology's opening entry. */
function newCase(openedAt: Date): CaseRecord {
  const openedOn = londonDateOf(openedAt);
  return {
    caseId: 'case-01JGZB7XQ2',
    referralId: 'ref-01JGZB7XQ2',
    reference: 'FSP-2026-000123',
    status: 'assessment',
    teamId: 'team-north-1',
    urgent: false,
    openedAt: openedAt.toISOString(),
    assessmentDueDate: addWorkingDays(openedOn, 45),
    assessmentDueBy: endOfLondonDay(addWorkingDays(openedOn, 45)).toISOString(),
    children: [],
    version: 1,
  };
}

const fileOf = (record: CaseRecord) => ({
  record,
  chronology: [
    {
      entryId: 'case-opened',
      caseId: record.caseId,
      kind: 'case-opened' as const,
      at: record.openedAt,
      text: 'Case opened',
      referralId: record.referralId,
      sourceEventId: 'event-1',
    },
  ],
});

const overviewOf = (record: CaseRecord, now: Date) =>
  caseEssentialsView(fileOf(record), now, { mayChangeSummary: true, access: 'allocated' }).items.map((item) => [
    item.name,
    item.tag.text,
    item.detail,
  ]);

describe('a new case is not flagged for what is not yet due', () => {
  // 11:30pm UTC on Wednesday 1 April 2026 is 12:30am on Thursday 2 April in London (summer time);
  // Good Friday (3 April) and Easter Monday (6 April) are bank holidays.
  const opened = new Date('2026-04-01T23:30:00.000Z');
  const record = newCase(opened);

  it('on its overview, each essential says by when it is due, in words, and nothing needs attention', () => {
    const view = caseEssentialsView(fileOf(record), new Date('2026-04-02T08:00:00.000Z'), {
      mayChangeSummary: true,
      access: 'allocated',
    });
    expect(view.needingAttention).toBe(0);
    expect(overviewOf(record, new Date('2026-04-02T08:00:00.000Z'))).toEqual([
      ['Case summary', 'Not due yet', 'Due by Monday 13 April 2026, 5 working days after the case opened'],
      ['Chronology', 'Current', 'Kept up to date from the case’s events and significant notes'],
      ['Assessment', 'Not due yet', 'Due by Wednesday 10 June 2026, 45 working days from the referral date'],
      ['Plan', 'Not needed', 'Agreed after the assessment'],
      ['Latest group supervision', 'Not due yet', 'Scheduled when a social worker is allocated, to be held within a month'],
    ]);
  });

  it('once a social worker is allocated, the first group supervision is due a calendar month after that London day, then missing', () => {
    // Allocated at 11:30pm UTC on Thursday 2 April 2026: Friday 3 April in London (summer time).
    const allocated: CaseRecord = {
      ...record,
      summaryUpdatedAt: '2026-04-03T09:00:00.000Z',
      socialWorker: { userId: 'sw-0001', name: 'Sam Okafor' },
      socialWorkerChanges: 0,
      firstAllocatedOn: '2026-04-03',
    };
    expect(overviewOf(allocated, new Date('2026-04-06T09:00:00.000Z')).at(-1)).toEqual([
      'Latest group supervision',
      'Not due yet',
      'Due by Sunday 3 May 2026, a month after the first social worker was allocated',
    ]);
    // The last minute of Sunday 3 May in London (BST) is 10:59pm UTC.
    expect(headAttentionView(allocated, new Date('2026-05-03T22:59:59.999Z'))).toEqual([]);
    expect(headAttentionView(allocated, new Date('2026-05-03T23:00:00.000Z')).map((tag) => [tag.text, tag.detail])).toEqual([
      [
        'Latest group supervision (missing)',
        'The case has not been discussed in group supervision; the first was due by Sunday 3 May 2026',
      ],
    ]);
  });

  it('the caseload and the team manager’s list show nothing until the summary’s day has passed in London, then "Case summary (missing)"', () => {
    // The last minute of Monday 13 April in London (BST) is 10:59pm UTC.
    expect(headAttentionView(record, new Date('2026-04-13T22:59:59.999Z'))).toEqual([]);
    expect(teamEssentialsView(flaggedHeads([record], new Date('2026-04-13T22:59:59.999Z'))).cases).toEqual([]);
    const late = new Date('2026-04-13T23:00:00.000Z');
    expect(headAttentionView(record, late).map((tag) => [tag.text, tag.classes])).toEqual([['Case summary (missing)', 'govuk-tag--red']]);
    expect(headAttentionView(record, late)[0]?.detail).toBe('No case summary has been written, and it was due by Monday 13 April 2026');
    expect(teamEssentialsView(flaggedHeads([record], late)).cases.map((row) => row.reference)).toEqual(['FSP-2026-000123']);
  });

  it('across Christmas and New Year: opened on Christmas Eve 2026, the summary is due by Tuesday 5 January 2027', () => {
    const christmas = newCase(new Date('2026-12-24T16:00:00.000Z'));
    expect(essentialDueDays({ openedOn: d('2026-12-24'), assessmentDueDate: d(christmas.assessmentDueDate) }).caseSummary).toBe(
      '2027-01-05',
    );
    expect(headAttentionView(christmas, new Date('2027-01-05T23:59:59.999Z'))).toEqual([]);
    expect(headAttentionView(christmas, new Date('2027-01-06T00:00:00.000Z')).map((tag) => tag.text)).toEqual(['Case summary (missing)']);
  });

  it('a plan is due 10 working days after the assessment is authorised: a CIN case authorised on Thursday 21 May 2026 (bank holiday on the 25th)', () => {
    const cin = {
      ...record,
      status: 'child-in-need' as const,
      summaryUpdatedAt: '2026-04-08T10:00:00.000Z',
      assessmentCompletedOn: '2026-05-21',
      latestSupervision: { rating: 'green' as const, heldOn: '2026-05-01', sequence: 1 },
    };
    // 22, 26, 27, 28, 29 May, 1, 2, 3, 4, 5 June: due by Friday 5 June.
    expect(headAttentionView(cin, endOfLondonDay(d('2026-06-05')))).toEqual([]);
    expect(headAttentionView(cin, startOfLondonDay(d('2026-06-06'))).map((tag) => tag.text)).toEqual(['Plan (missing)']);
  });
});

describe('the grace, for any case opened in 2025–2027', () => {
  const BASE = toEpochDay(d('2025-01-01'));
  const openedAt = fc
    .integer({ min: 0, max: 3 * 365 * 24 * 60 - 1 })
    .map((minutes) => new Date(startOfLondonDay(fromEpochDay(BASE)).getTime() + minutes * 60_000));

  it('the summary is due on a working day 5 working days after the London day the case opened', () => {
    fc.assert(
      fc.property(openedAt, (at) => {
        const openedOn = londonDateOf(at);
        const due = essentialDueDays({ openedOn, assessmentDueDate: addWorkingDays(openedOn, 45) }).caseSummary;
        return isWorkingDay(due) && workingDaysBetween(openedOn, due) === ESSENTIALS_GRACE.caseSummaryWorkingDays;
      }),
      { numRuns: 300 },
    );
  });

  it('a new case needs no attention from the moment it opens to the end of its summary’s due day, and its summary is missing from the next London midnight', () => {
    fc.assert(
      fc.property(openedAt, fc.double({ min: 0, max: 1, noNaN: true }), (at, fraction) => {
        const record = newCase(at);
        const due: LocalDate = addWorkingDays(londonDateOf(at), ESSENTIALS_GRACE.caseSummaryWorkingDays);
        const end = endOfLondonDay(due).getTime();
        const within = new Date(at.getTime() + Math.floor((end - at.getTime()) * fraction));
        const file = fileOf(record);
        const overview = caseEssentialsView(file, within, { mayChangeSummary: true, access: 'allocated' });
        if (overview.needingAttention !== 0 || headAttentionView(record, within).length !== 0) return false;
        const after = startOfLondonDay(addCalendarDays(due, 1));
        return (
          headAttentionView(record, after)
            .map((tag) => tag.text)
            .join() === 'Case summary (missing)'
        );
      }),
      { numRuns: 300 },
    );
  });

  it('the first group supervision is due through the London day a calendar month after the first allocation, and missing from the next London midnight', () => {
    fc.assert(
      fc.property(openedAt, fc.integer({ min: 0, max: 30 * 24 * 60 }), (at, minutesLater) => {
        const allocatedAt = new Date(at.getTime() + minutesLater * 60_000);
        const firstOn = londonDateOf(allocatedAt);
        const head: CaseRecord = {
          ...newCase(at),
          socialWorker: { userId: 'sw-0001', name: 'Sam Okafor' },
          socialWorkerChanges: 0,
          firstAllocatedOn: firstOn,
        };
        const due = addCalendarMonths(firstOn, 1);
        const supervisionTags = (now: Date) =>
          headAttentionView(head, now)
            .map((tag) => tag.text)
            .filter((text) => text.startsWith('Latest group supervision'));
        const dueCheck = checkEssentials(essentialsFactsOfHead(head), allocatedAt).find((check) => check.essential === 'supervision');
        return (
          dueCheck?.state === 'due' &&
          dueCheck.dueOn === due &&
          supervisionTags(endOfLondonDay(due)).length === 0 &&
          supervisionTags(startOfLondonDay(addCalendarDays(due, 1))).join() === 'Latest group supervision (missing)'
        );
      }),
      { numRuns: 300 },
    );
  });

  it('an essential within its grace is "due" with its day, never missing, and the day is not before today', () => {
    fc.assert(
      fc.property(openedAt, fc.integer({ min: 0, max: 60 * 24 }), (at, hoursLater) => {
        const record = newCase(at);
        const now = new Date(at.getTime() + hoursLater * 3_600_000);
        const today = londonDateOf(now);
        const facts = {
          status: record.status,
          openedOn: londonDateOf(at),
          lastChronologyOn: londonDateOf(at),
          assessmentDueDate: d(record.assessmentDueDate),
        };
        const checks = checkEssentials(facts, now);
        // Not allocated yet: the first supervision is not scheduled, so it is due with no day, never missing.
        const supervision = checks.find((check) => check.essential === 'supervision');
        return (
          supervision?.state === 'due' &&
          supervision.dueOn === undefined &&
          checks
            .filter((check) => check !== supervision)
            .every((check) => (check.state === 'due' ? check.dueOn !== undefined && check.dueOn >= today : check.dueOn === undefined)) &&
          needsAttention(checks).every((check) => check.state === 'missing')
        );
      }),
      { numRuns: 300 },
    );
  });
});
