/**
 * Stages of change (domain/motivation.ts): who and what can be assessed, and each adult's history
 * per concern, latest first with the change from the stage before.
 */
import { addCalendarDays, compareLocalDates, type LocalDate, parseLocalDate } from '@fsp/shared/time/local-date';
import fc from 'fast-check';
import {
  type CaseMotivation,
  CONCERNS,
  concernKeyOf,
  emptyMotivation,
  type MotivationContext,
  recordStage,
  STAGES,
  type StageInput,
  stageHistories,
} from '../../src/domain/motivation';

const day = parseLocalDate;
/** Tuesday 10 February 2026, 2:30pm in London; the case opened on 5 January. */
const context: MotivationContext = {
  now: new Date('2026-02-10T14:30:00.000Z'),
  by: { userId: 'sw-0001', name: 'Sam Okafor' },
  adults: [{ personId: 'adult-1' }, { personId: 'adult-2' }],
  openedOn: day('2026-01-05'),
};
const input = (change: Partial<StageInput> = {}): StageInput => ({
  personId: 'adult-1',
  concern: 'alcohol',
  stage: 'contemplation',
  assessedOn: day('2026-02-09'),
  note: 'Talked about cutting down.',
  ...change,
});

function recorded(motivation: CaseMotivation, change: Partial<StageInput>): CaseMotivation {
  const result = recordStage(motivation, input(change), context);
  if (result.refused) throw new Error(result.reason);
  return result.motivation;
}

describe('recordStage', () => {
  test('records an assessment with who recorded it, moving the version on', () => {
    const result = recordStage(emptyMotivation('case-1'), input(), context);
    expect(result).toMatchObject({
      refused: false,
      motivation: { version: 1, records: [{ sequence: 1, stage: 'contemplation', by: { name: 'Sam Okafor' } }] },
    });
  });

  test.each([
    [{ personId: 'child-1' }, 'personId'],
    [{ concern: 'other' as const }, 'otherConcern'],
    [{ concern: 'other' as const, otherConcern: '   ' }, 'otherConcern'],
    [{ assessedOn: day('2026-02-11') }, 'assessedOn'],
    [{ assessedOn: day('2026-01-04') }, 'assessedOn'],
  ])('refuses %o naming %s', (change, field) => {
    expect(recordStage(emptyMotivation('case-1'), input(change), context)).toMatchObject({ refused: true, field });
  });

  test('takes today and the day the case opened', () => {
    for (const assessedOn of [day('2026-02-10'), day('2026-01-05')])
      expect(recordStage(emptyMotivation('case-1'), input({ assessedOn }), context).refused).toBe(false);
  });

  test('keeps an other concern in its words; each distinct one is its own history', () => {
    let motivation = recorded(emptyMotivation('case-1'), { concern: 'other', otherConcern: '  Gambling  debts ' });
    motivation = recorded(motivation, { concern: 'other', otherConcern: 'gambling debts', stage: 'preparation' });
    motivation = recorded(motivation, { concern: 'other', otherConcern: 'Housing' });
    expect(motivation.records[0]?.otherConcern).toBe('Gambling debts');
    const [adult] = stageHistories(motivation.records, ['adult-1']);
    expect(adult?.concerns.map((concern) => concern.entries.length).sort()).toEqual([1, 2]);
  });
});

describe('stageHistories', () => {
  test('latest first, each saying the stage it moved from', () => {
    let motivation = recorded(emptyMotivation('case-1'), { assessedOn: day('2026-01-20'), stage: 'precontemplation' });
    motivation = recorded(motivation, { assessedOn: day('2026-02-09'), stage: 'preparation' });
    // Back-dated: recorded last, but assessed between the two.
    motivation = recorded(motivation, { assessedOn: day('2026-02-02'), stage: 'contemplation' });
    motivation = recorded(motivation, { personId: 'adult-2', concern: 'domestic-abuse', stage: 'action' });
    const histories = stageHistories(motivation.records, ['adult-2', 'adult-1']);
    expect(histories.map((history) => history.personId)).toEqual(['adult-2', 'adult-1']);
    expect(histories[1]?.concerns[0]?.entries.map((entry) => [entry.record.stage, entry.changedFrom, entry.first])).toEqual([
      ['preparation', 'contemplation', false],
      ['contemplation', 'precontemplation', false],
      ['precontemplation', undefined, true],
    ]);
  });

  const arbitraryInput = fc.record({
    personId: fc.constantFrom('adult-1', 'adult-2'),
    concern: fc.constantFrom(...CONCERNS),
    otherConcern: fc.constantFrom('Gambling', 'Housing'),
    stage: fc.constantFrom(...STAGES),
    offset: fc.integer({ min: 0, max: 36 }),
  });

  test('property: every assessment appears once, in order latest first, its change from the one before in time', () => {
    fc.assert(
      fc.property(fc.array(arbitraryInput, { maxLength: 30 }), (inputs) => {
        let motivation = emptyMotivation('case-1');
        for (const each of inputs) {
          const assessedOn: LocalDate = addCalendarDays(day('2026-01-05'), each.offset);
          motivation = recorded(motivation, { ...each, assessedOn });
        }
        const histories = stageHistories(motivation.records, ['adult-1', 'adult-2']);
        const shown = histories.flatMap((adult) =>
          adult.concerns.flatMap((concern) => concern.entries.map((entry) => entry.record.sequence)),
        );
        expect([...shown].sort((a, b) => a - b)).toEqual(motivation.records.map((record) => record.sequence));
        for (const adult of histories)
          for (const concern of adult.concerns) {
            const entries = concern.entries;
            entries.forEach((entry, index) => {
              expect(entry.record.personId).toBe(adult.personId);
              expect(concernKeyOf(entry.record)).toBe(concern.concernKey);
              const before = entries[index + 1];
              if (before) {
                const order = compareLocalDates(entry.record.assessedOn, before.record.assessedOn);
                expect(order > 0 || (order === 0 && entry.record.sequence > before.record.sequence)).toBe(true);
              }
              expect(entry.changedFrom).toBe(before && before.record.stage !== entry.record.stage ? before.record.stage : undefined);
              expect(entry.first).toBe(before === undefined);
            });
          }
      }),
      { numRuns: 200 },
    );
  });
});
