/**
 * Pre-proceedings' rules as properties (domain/fgdm.ts), under an injected clock: for any history of
 * family group decision making and any date, a start is accepted exactly when a conference was held
 * or the family declined the latest offer, none is running, the case is open, and the date is on or
 * after the referral date, that conference or declined offer and the last end, and not after today;
 * an end exactly when one is running and the date is from its start to today. Whatever steps are
 * tried, at most the latest pre-proceedings is running and their dates never go backwards.
 */
import { addCalendarDays, compareLocalDates, type LocalDate, parseLocalDate } from '@fsp/shared/time/local-date';
import fc from 'fast-check';
import {
  type CaseFgdm,
  emptyFgdm,
  type FgdmContext,
  type FgdmResult,
  PRE_PROCEEDINGS_OUTCOMES,
  preProceedingsBasis,
  recordHeld,
  recordOffer,
  recordPreProceedingsEnd,
  recordPreProceedingsStart,
  runningPreProceedings,
} from '../../src/domain/fgdm';

const OPENED = parseLocalDate('2026-01-05');
/** Any day from a week before the case opened to a week after "today". */
const dayFrom = (offset: number): LocalDate => addCalendarDays(OPENED, offset);
const TODAY_OFFSET = 60;
const contextOf = (referralOffset: number, caseClosed: boolean): FgdmContext => ({
  // 2:30pm London on day 60 (a Friday in March 2026, GMT).
  now: new Date(`${dayFrom(TODAY_OFFSET)}T14:30:00.000Z`),
  by: { userId: 'tm-0001', name: 'Tara Mensah' },
  openedOn: OPENED,
  referralDate: dayFrom(referralOffset),
  caseClosed,
  network: [{ personId: 'adult-1', name: 'Kerry Jones' }],
});

type Step =
  | { kind: 'offer'; at: number; declined: boolean }
  | { kind: 'held'; at: number }
  | { kind: 'start'; at: number }
  | { kind: 'end'; at: number; outcome: (typeof PRE_PROCEEDINGS_OUTCOMES)[number] };

const at = fc.integer({ min: -7, max: TODAY_OFFSET + 7 });
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('offer' as const), at, declined: fc.boolean() }),
  fc.record({ kind: fc.constant('held' as const), at }),
  fc.record({ kind: fc.constant('start' as const), at }),
  fc.record({ kind: fc.constant('end' as const), at, outcome: fc.constantFrom(...PRE_PROCEEDINGS_OUTCOMES) }),
);

function apply(fgdm: CaseFgdm, step: Step, context: FgdmContext): FgdmResult {
  const day = dayFrom(step.at);
  switch (step.kind) {
    case 'offer':
      return recordOffer(
        fgdm,
        { offeredOn: day, response: step.declined ? 'declined' : 'accepted', ...(step.declined ? { declinedReason: 'Not now' } : {}) },
        context,
      );
    case 'held':
      return recordHeld(fgdm, { heldOn: day, attendeeIds: ['adult-1'], others: [] }, context);
    case 'start':
      return recordPreProceedingsStart(fgdm, { startedOn: day }, context);
    case 'end':
      return recordPreProceedingsEnd(
        fgdm,
        { endedOn: day, outcome: step.outcome, ...(step.outcome === 'other' ? { otherOutcome: 'Moved away' } : {}) },
        context,
      );
  }
}

/** The record after trying each step in turn, the refused ones leaving it as it was. */
const historyOf = (steps: readonly Step[], context: FgdmContext): CaseFgdm =>
  steps.reduce((fgdm, step) => {
    const result = apply(fgdm, step, context);
    return result.refused ? fgdm : result.fgdm;
  }, emptyFgdm('case-1'));

const latest = (...days: LocalDate[]): LocalDate => days.reduce((a, b) => (compareLocalDates(a, b) >= 0 ? a : b));

describe('pre-proceedings, for any history', () => {
  const referralOffset = fc.integer({ min: -3, max: 10 });

  it('start exactly when the rules allow, on the days they allow', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 12 }), at, referralOffset, fc.boolean(), (steps, startAt, referral, closed) => {
        const context = contextOf(referral, false);
        const fgdm = historyOf(steps, context);
        const startedOn = dayFrom(startAt);
        const result = recordPreProceedingsStart(fgdm, { startedOn }, { ...context, caseClosed: closed });
        const basis = preProceedingsBasis(fgdm);
        const lastEnd = fgdm.preProceedings[fgdm.preProceedings.length - 1]?.ended?.endedOn;
        const allowed =
          !('why' in basis) &&
          runningPreProceedings(fgdm) === undefined &&
          !closed &&
          compareLocalDates(startedOn, dayFrom(TODAY_OFFSET)) <= 0 &&
          compareLocalDates(startedOn, latest(context.referralDate, basis.on, ...(lastEnd ? [lastEnd] : []))) >= 0;
        expect(result.refused).toBe(!allowed);
        if (result.refused) expect(result.field === 'case' || result.field === 'startedOn').toBe(true);
        else expect(runningPreProceedings(result.fgdm)?.startedOn).toBe(startedOn);
      }),
    );
  });

  it('end exactly when one is running, from its start to today', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 12 }), at, referralOffset, (steps, endAt, referral) => {
        const context = contextOf(referral, false);
        const fgdm = historyOf(steps, context);
        const endedOn = dayFrom(endAt);
        const running = runningPreProceedings(fgdm);
        const result = recordPreProceedingsEnd(fgdm, { endedOn, outcome: 'step-down' }, context);
        const allowed =
          running !== undefined &&
          compareLocalDates(endedOn, running.startedOn) >= 0 &&
          compareLocalDates(endedOn, dayFrom(TODAY_OFFSET)) <= 0;
        expect(result.refused).toBe(!allowed);
        if (!result.refused) expect(runningPreProceedings(result.fgdm)).toBeUndefined();
      }),
    );
  });

  it('keep at most the latest running, each starting no earlier than the one before ended, none dated after today', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 25 }), referralOffset, (steps, referral) => {
        const context = contextOf(referral, false);
        const { preProceedings } = historyOf(steps, context);
        preProceedings.forEach((pre, index) => {
          expect(pre.sequence).toBe(index + 1);
          if (index < preProceedings.length - 1) expect(pre.ended).toBeDefined();
          expect(compareLocalDates(pre.startedOn, context.referralDate)).toBeGreaterThanOrEqual(0);
          if (pre.ended) {
            expect(compareLocalDates(pre.ended.endedOn, pre.startedOn)).toBeGreaterThanOrEqual(0);
            expect(compareLocalDates(pre.ended.endedOn, dayFrom(TODAY_OFFSET))).toBeLessThanOrEqual(0);
          }
          const before = preProceedings[index - 1]?.ended;
          if (before) expect(compareLocalDates(pre.startedOn, before.endedOn)).toBeGreaterThanOrEqual(0);
        });
      }),
    );
  });
});
