/**
 * The front door's pages' pure parts: the decision clock in words, the queue's filter, order and
 * pages, the decision form's checks (with fast-check: whatever is posted, the form either refuses
 * it naming fields or gives what the JSON API's schema accepts), the census words, and the
 * case-holding teams' configuration.
 */
import { ConfigurationError } from '@fsp/shared/environment';
import { FACTOR_CODES, REFERRAL_OUTCOMES, REFERRAL_SOURCE_CODES } from '@fsp/shared/events/codes';
import fc from 'fast-check';
import * as z from 'zod/mini';
import { caseHoldingTeamsConfig } from '../../src/config';
import { decisionInputSchema } from '../../src/domain/decision';
import { decisionClock, decisionClockText } from '../../src/domain/decision-clock';
import type { KnownFamilyMatch } from '../../src/domain/known-family';
import type { QueueEntry } from '../../src/store/referrals-store';
import {
  caseChoices,
  checkDecisionForm,
  DECISION_FIELDS,
  decisionFormValues,
  offeredOutcomes,
} from '../../src/web/front-door/decision-form';
import { pageNumbers, QUEUE_PAGE_SIZE, queueFilterOf, queueHref, queueView } from '../../src/web/front-door/queue-view';
import { ageText } from '../../src/web/front-door/referral-view';
import { factorText, sourceText } from '../../src/web/front-door/words';

const TEAMS = [
  { id: 'north', name: 'North team' },
  { id: 'south', name: 'South team' },
];

describe('the decision clock', () => {
  // Received Monday 23 November 2026: due by the end of Tuesday 24th (London, GMT).
  const dueBy = '2026-11-24T23:59:59.999Z';
  const textAt = (now: string, decidedAt?: string) =>
    decisionClockText(
      decisionClock(
        {
          decisionDueBy: dueBy,
          ...(decidedAt ? { decision: { outcome: 'early-help', reason: 'r', decidedAt, decidedBy: 'u' } } : {}),
        },
        new Date(now),
      ),
    );

  it('counts working days left, then working days overdue, in London', () => {
    expect(textAt('2026-11-23T09:00:00Z')).toBe('due in 1 working day');
    expect(textAt('2026-11-24T08:00:00Z')).toBe('due today');
    expect(textAt('2026-11-24T23:59:59Z')).toBe('due today');
    expect(textAt('2026-11-25T00:00:01Z')).toBe('overdue by 1 working day');
    expect(textAt('2026-11-27T15:00:00Z')).toBe('overdue by 3 working days');
    // The weekend after is not counted: Saturday and Sunday are still 3, Monday 4.
    expect(textAt('2026-11-29T12:00:00Z')).toBe('overdue by 3 working days');
    expect(textAt('2026-11-30T12:00:00Z')).toBe('overdue by 4 working days');
  });

  it('reads as overdue by at least 1 working day once past, even on the weekend after a Friday deadline', () => {
    const friday = { decisionDueBy: '2026-11-27T23:59:59.999Z' };
    expect(decisionClockText(decisionClock(friday, new Date('2026-11-28T10:00:00Z')))).toBe('overdue by 1 working day');
  });

  it('says whether a decision was in time, or how late', () => {
    expect(textAt('2026-12-10T09:00:00Z', '2026-11-24T16:00:00Z')).toBe('decided in time');
    expect(textAt('2026-12-10T09:00:00Z', '2026-11-26T10:00:00Z')).toBe('decided 2 working days late');
  });

  it('counts across bank holidays: due on the working day after Christmas', () => {
    // Received Thursday 24 December 2026: due by the end of Tuesday 29th (25th, 26th-28th are not working days).
    const clock = { decisionDueBy: '2026-12-29T23:59:59.999Z' };
    expect(decisionClockText(decisionClock(clock, new Date('2026-12-24T15:00:00Z')))).toBe('due in 1 working day');
    expect(decisionClockText(decisionClock(clock, new Date('2026-12-28T15:00:00Z')))).toBe('due in 1 working day');
  });
});

const entry = (n: number, overrides: Partial<QueueEntry> = {}): QueueEntry => ({
  referralId: `r-${String(n).padStart(3, '0')}`,
  reference: `FSP-2026-${String(n).padStart(6, '0')}`,
  receivedAt: `2026-11-23T09:${String(n % 60).padStart(2, '0')}:00.000Z`,
  decisionDueBy: '2026-11-24T23:59:59.999Z',
  channel: 'partner-api',
  referralSource: '2A',
  familySafeguardingFlag: false,
  childCount: 1,
  status: 'received',
  familyMatches: [],
  ...overrides,
});

describe('the queue', () => {
  const filterArbitrary = fc.record({
    status: fc.constantFrom('all', 'received', 'in-screening'),
    due: fc.constantFrom('all', 'today', 'overdue'),
    sort: fc.constantFrom('due', 'newest'),
    page: fc.integer({ min: 1, max: 1000 }),
  });

  it('reads any query string as a filter it knows, never failing', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.array(fc.string()))), (query) => {
        const filter = queueFilterOf(query);
        expect(['all', 'received', 'in-screening']).toContain(filter.status);
        expect(['all', 'today', 'overdue']).toContain(filter.due);
        expect(['due', 'newest']).toContain(filter.sort);
        expect(Number.isSafeInteger(filter.page) && filter.page >= 1).toBe(true);
      }),
    );
  });

  it('writes each filter into an address that reads back as the same filter', () => {
    fc.assert(
      fc.property(filterArbitrary, (filter) => {
        const query = Object.fromEntries(new URLSearchParams(queueHref(filter).split('?')[1] ?? ''));
        expect(queueFilterOf(query)).toEqual(filter);
      }),
    );
    expect(queueHref({ status: 'all', due: 'all', sort: 'due', page: 1 })).toBe('/front-door');
  });

  it('numbers pages as GOV.UK does: first, last, and either side of the current one, with gaps marked', () => {
    expect(pageNumbers(1, 1)).toEqual([1]);
    expect(pageNumbers(5, 10)).toEqual([1, 'ellipsis', 4, 5, 6, 'ellipsis', 10]);
    expect(pageNumbers(2, 3)).toEqual([1, 2, 3]);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }).chain((count) => fc.tuple(fc.integer({ min: 1, max: count }), fc.constant(count))),
        ([current, count]) => {
          const numbers = pageNumbers(current, count).filter((item): item is number => item !== 'ellipsis');
          expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
          expect(numbers).toEqual(expect.arrayContaining([1, current, count]));
        },
      ),
    );
  });

  it('shows every referral the filter matches exactly once across its pages, in order', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            status: fc.constantFrom('received', 'in-screening'),
            receivedMinute: fc.integer({ min: 0, max: 59 }),
            due: fc.constantFrom('2026-11-23T23:59:59.999Z', '2026-11-24T23:59:59.999Z', '2026-11-25T23:59:59.999Z'),
          }),
          { maxLength: 70 },
        ),
        filterArbitrary,
        (specs, filter) => {
          const entries = specs.map((spec, n) =>
            entry(n, {
              status: spec.status as QueueEntry['status'],
              receivedAt: `2026-11-23T08:${String(spec.receivedMinute).padStart(2, '0')}:00.000Z`,
              decisionDueBy: spec.due,
            }),
          );
          const now = new Date('2026-11-24T10:00:00Z');
          const first = queueView(entries, { ...filter, page: 1 }, now, { truncated: false });
          const pages = Math.max(1, Math.ceil(first.total / QUEUE_PAGE_SIZE));
          const seen = [];
          for (let page = 1; page <= pages; page += 1)
            seen.push(...queueView(entries, { ...filter, page }, now, { truncated: false }).rows);
          expect(seen.map((row) => row.referralId)).toEqual([...new Set(seen.map((row) => row.referralId))]);
          expect(seen).toHaveLength(first.total);
          const expected = entries.filter((e) => filter.status === 'all' || e.status === filter.status);
          expect(first.counts.all).toBe(expected.length);
          expect(first.counts.overdue).toBe(expected.filter((e) => e.decisionDueBy === '2026-11-23T23:59:59.999Z').length);
          expect(first.counts.today).toBe(expected.filter((e) => e.decisionDueBy === '2026-11-24T23:59:59.999Z').length);
          const keys = seen.map((row) => (filter.sort === 'newest' ? row.receivedAt : row.dueBy));
          expect(keys).toEqual([...keys].sort((a, b) => (filter.sort === 'newest' ? b.localeCompare(a) : a.localeCompare(b))));
        },
      ),
    );
  });

  it('flags known families by their strongest match, and a check still pending', () => {
    const match = (strength: 'strong' | 'possible') => ({
      childId: 'c',
      strength,
      referralId: 'earlier',
      reference: 'FSP-2026-EARLY1',
      receivedAt: '2026-01-01T00:00:00.000Z',
      matchedChildId: 'd',
    });
    const { familyMatches: _, ...pending } = entry(1);
    const rows = queueView(
      [
        entry(2, { familyMatches: [match('possible'), match('strong')] }),
        entry(3, { familyMatches: [match('possible')] }),
        pending,
        entry(4),
      ],
      { status: 'all', due: 'all', sort: 'due', page: 1 },
      new Date('2026-11-23T12:00:00Z'),
      { truncated: false },
    ).rows;
    expect(Object.fromEntries(rows.map((row) => [row.referralId, row.knownFamily]))).toEqual({
      'r-001': 'pending',
      'r-002': 'strong',
      'r-003': 'possible',
      'r-004': undefined,
    });
  });
});

describe('the decision form', () => {
  const referral = { children: [{ childId: 'c1', firstName: 'Mia', lastName: 'Jones', unborn: false }] };
  const matchWithCase: KnownFamilyMatch = {
    childId: 'c1',
    strength: 'strong',
    referralId: 'earlier',
    reference: 'FSP-2026-EARLY1',
    receivedAt: '2026-09-01T09:00:00.000Z',
    matchedChildId: 'c0',
    status: 'decided',
    outcome: 'assessment',
    caseId: 'case-9',
    teamId: 'south',
  };
  const cases = caseChoices(referral, [matchWithCase, { ...matchWithCase, referralId: 'another' }], TEAMS);

  it('offers each open case the matches found once, with the team that holds it, and every outcome only when there is one', () => {
    expect(cases).toEqual([
      {
        caseId: 'case-9',
        teamId: 'south',
        text: 'Mia Jones’s case, held by South team',
        hint: 'Strong match with referral FSP-2026-EARLY1.',
      },
    ]);
    expect(offeredOutcomes(cases).map((outcome) => outcome.value)).toEqual([...REFERRAL_OUTCOMES]);
    expect(offeredOutcomes([]).map((outcome) => outcome.value)).not.toContain('added-to-open-case');
  });

  it('gives the JSON API’s decision for good answers, the team of the case for an open case', () => {
    expect(
      checkDecisionForm(
        { outcome: 'assessment', assessmentTeam: 'north', strategyTeam: 'south', reason: ' Needs assessing. ' },
        { teams: TEAMS, cases },
      ),
    ).toEqual({
      ok: true,
      input: { outcome: 'assessment', reason: 'Needs assessing.', teamId: 'north' },
    });
    expect(
      checkDecisionForm({ outcome: 'added-to-open-case', existingCaseId: 'case-9', reason: 'Same family.' }, { teams: TEAMS, cases }),
    ).toEqual({
      ok: true,
      input: { outcome: 'added-to-open-case', reason: 'Same family.', teamId: 'south', existingCaseId: 'case-9' },
    });
    expect(
      checkDecisionForm({ outcome: 'no-further-action', assessmentTeam: 'north', reason: 'No concerns.' }, { teams: TEAMS, cases }),
    ).toEqual({
      ok: true,
      input: { outcome: 'no-further-action', reason: 'No concerns.' },
    });
  });

  it('names each missing answer in GOV.UK’s words', () => {
    expect(checkDecisionForm({}, { teams: TEAMS, cases })).toEqual({
      ok: false,
      errors: [
        { field: 'outcome', text: 'Select the decision' },
        { field: 'reason', text: 'Enter the reason for the decision' },
      ],
    });
    expect(checkDecisionForm({ outcome: 'strategy-discussion', strategyTeam: 'east', reason: '  ' }, { teams: TEAMS, cases })).toEqual({
      ok: false,
      errors: [
        { field: 'strategyTeam', text: 'Select the team that will hold the case' },
        { field: 'reason', text: 'Enter the reason for the decision' },
      ],
    });
    expect(checkDecisionForm({ outcome: 'added-to-open-case', existingCaseId: 'case-1', reason: 'x' }, { teams: TEAMS, cases }).ok).toBe(
      false,
    );
  });

  it('whatever is posted, refuses it naming fields of the form, or gives what the API’s schema accepts with an offered team and case', () => {
    const field = fc.oneof(
      fc.constantFrom('north', 'south', 'east', '', 'case-9', 'case-1', ...REFERRAL_OUTCOMES),
      fc.string(),
      fc.string({ minLength: 1990, maxLength: 2010 }),
    );
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...DECISION_FIELDS, 'teamId', 'csrfToken'), fc.oneof(field, fc.array(field, { maxLength: 3 }))),
        fc.boolean(),
        (body, withCases) => {
          const offered = { teams: TEAMS, cases: withCases ? cases : [] };
          const result = checkDecisionForm(decisionFormValues(body), offered);
          if (result.ok) {
            expect(z.safeParse(decisionInputSchema, result.input).success).toBe(true);
            if (result.input.teamId !== undefined) {
              expect(TEAMS.map((team) => team.id)).toContain(result.input.teamId);
            }
            if (result.input.existingCaseId !== undefined)
              expect(offered.cases.map((choice) => choice.caseId)).toContain(result.input.existingCaseId);
          } else {
            expect(result.errors.length).toBeGreaterThan(0);
            for (const error of result.errors) expect(DECISION_FIELDS).toContain(error.field);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('the front door’s words', () => {
  it('has words for every census source and factor code', () => {
    for (const code of REFERRAL_SOURCE_CODES) expect(sourceText(code)).toMatch(new RegExp(`^[A-Z].* \\(${code}\\)$`));
    for (const code of FACTOR_CODES) expect(factorText(code)).not.toContain('Unknown factor');
    expect(factorText('3B')).toBe('Domestic abuse, concerning a parent or carer (3B)');
    expect(factorText('16A')).toBe('Neglect (16A)');
  });

  it('gives a child’s age in whole years, or months under one', () => {
    expect(ageText('2018-03-14', '2026-11-23')).toBe('8 years old');
    expect(ageText('2018-11-24', '2026-11-23')).toBe('7 years old');
    expect(ageText('2026-09-30', '2026-11-23')).toBe('1 month old');
    expect(ageText('2027-01-01', '2026-11-23')).toBeUndefined();
  });
});

describe('the case-holding teams', () => {
  it('reads CASE_HOLDING_TEAMS as JSON', () => {
    expect(caseHoldingTeamsConfig({ CASE_HOLDING_TEAMS: '[{"id":"north","name":"North team"}]' })).toEqual({
      teams: [{ id: 'north', name: 'North team' }],
    });
  });

  it('refuses a missing, malformed, empty or repeating list, naming the variable and never repeating its value', () => {
    for (const value of [
      undefined,
      'north=North',
      '[]',
      '[{"id":"north","name":"A"},{"id":"north","name":"B"}]',
      '[{"id":"no rth x7","name":"x7"}]',
    ]) {
      const env = value === undefined ? {} : { CASE_HOLDING_TEAMS: value };
      expect(() => caseHoldingTeamsConfig(env)).toThrow(ConfigurationError);
      expect(() => caseHoldingTeamsConfig(env)).toThrow(/CASE_HOLDING_TEAMS must be a JSON list of the case-holding teams/);
      expect(() => caseHoldingTeamsConfig(env)).not.toThrow(/x7|North"/);
    }
  });
});
