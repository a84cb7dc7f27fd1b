/**
 * Family group decision making (domain/fgdm.ts): offered, held, the family's plan, in order, each
 * refusal naming its field; and whether one was held (required before pre-proceedings).
 * Pre-proceedings: started only after a conference was held or the family declined the latest offer,
 * on or after that day and the referral date, not in the future, not on a closed case, one at a
 * time; ended with an outcome (another in words), not before they started.
 */
import { parseLocalDate } from '@fsp/shared/time/local-date';
import {
  type CaseFgdm,
  emptyFgdm,
  type FgdmContext,
  type FgdmResult,
  fgdmHeld,
  preProceedingsBasis,
  recordFamilyPlan,
  recordHeld,
  recordOffer,
  recordPreProceedingsEnd,
  recordPreProceedingsStart,
  runningPreProceedings,
  whyNotNow,
} from '../../src/domain/fgdm';

const day = parseLocalDate;
/** Tuesday 10 February 2026, 2:30pm in London; the case opened on 5 January. */
const context: FgdmContext = {
  now: new Date('2026-02-10T14:30:00.000Z'),
  by: { userId: 'sw-0001', name: 'Sam Okafor' },
  openedOn: day('2026-01-05'),
  referralDate: day('2026-01-05'),
  caseClosed: false,
  network: [
    { personId: 'adult-1', name: 'Jade Smith' },
    { personId: 'wider-1', name: 'Pat Jones' },
  ],
};

const ok = (result: FgdmResult): CaseFgdm => {
  if (result.refused) throw new Error(`${result.field}: ${result.reason}`);
  return result.fgdm;
};

const accepted = () => ok(recordOffer(emptyFgdm('case-1'), { offeredOn: day('2026-01-20'), response: 'accepted' }, context));
const held = () =>
  ok(
    recordHeld(accepted(), { heldOn: day('2026-02-03'), attendeeIds: ['adult-1', 'wider-1'], others: ['Lee Brown, coordinator'] }, context),
  );

describe('offer', () => {
  test('accepted, and declined with the family’s reason', () => {
    expect(accepted()).toMatchObject({ version: 1, offers: [{ sequence: 1, response: 'accepted' }] });
    const declined = ok(
      recordOffer(emptyFgdm('case-1'), { offeredOn: day('2026-01-20'), response: 'declined', declinedReason: ' Not now ' }, context),
    );
    expect(declined.offers[0]).toMatchObject({ response: 'declined', declinedReason: 'Not now' });
  });

  test.each([
    [{ offeredOn: day('2026-02-11'), response: 'accepted' as const }, 'offeredOn'],
    [{ offeredOn: day('2026-01-04'), response: 'accepted' as const }, 'offeredOn'],
    [{ offeredOn: day('2026-01-20'), response: 'declined' as const, declinedReason: '' }, 'declinedReason'],
  ])('refuses %o naming %s', (input, field) => {
    expect(recordOffer(emptyFgdm('case-1'), input, context)).toMatchObject({ refused: true, field });
  });
});

describe('held', () => {
  test('names who came from the network as it holds them, others by name', () => {
    const fgdm = held();
    expect(fgdmHeld(fgdm)).toBe(true);
    expect(fgdm.conferences[0]).toMatchObject({
      heldOn: '2026-02-03',
      attendees: [
        { personId: 'adult-1', name: 'Jade Smith' },
        { personId: 'wider-1', name: 'Pat Jones' },
      ],
      others: ['Lee Brown, coordinator'],
    });
  });

  test('refused before an offer, and after a declined one', () => {
    const input = { heldOn: day('2026-02-03'), attendeeIds: ['adult-1'], others: [] };
    expect(recordHeld(emptyFgdm('case-1'), input, context)).toMatchObject({ refused: true, field: 'case' });
    const declined = ok(
      recordOffer(emptyFgdm('case-1'), { offeredOn: day('2026-01-20'), response: 'declined', declinedReason: 'Not now' }, context),
    );
    expect(recordHeld(declined, input, context)).toMatchObject({ refused: true, field: 'case' });
    expect(whyNotNow(declined, 'held')).toMatch(/declined/);
    expect(fgdmHeld(declined)).toBe(false);
  });

  test.each([
    [{ heldOn: day('2026-02-11') }, 'heldOn'],
    [{ heldOn: day('2026-01-19') }, 'heldOn'],
    [{ attendeeIds: ['adult-1', 'someone-else'] }, 'attendeeIds[1]'],
    [{ attendeeIds: [] }, 'attendeeIds'],
  ])('refuses %o naming %s', (change, field) => {
    const input = { heldOn: day('2026-02-03'), attendeeIds: ['adult-1'], others: [], ...change };
    expect(recordHeld(accepted(), input, context)).toMatchObject({ refused: true, field });
  });
});

describe('the family’s plan', () => {
  test('refused before a conference was held', () => {
    expect(recordFamilyPlan(accepted(), { agreedOn: day('2026-02-03'), inFamilysWords: 'We will…' }, context)).toMatchObject({
      refused: true,
      field: 'case',
    });
    expect(whyNotNow(accepted(), 'family-plan')).toBeDefined();
  });

  test('in their words on the latest conference; a second keeps the first as an earlier plan', () => {
    const first = ok(recordFamilyPlan(held(), { agreedOn: day('2026-02-03'), inFamilysWords: 'Nan picks the children up.' }, context));
    expect(first.conferences[0]?.familyPlan?.inFamilysWords).toBe('Nan picks the children up.');
    const second = ok(recordFamilyPlan(first, { agreedOn: day('2026-02-10'), inFamilysWords: 'Nan and Pat share it.' }, context));
    expect(second.conferences[0]).toMatchObject({
      familyPlan: { inFamilysWords: 'Nan and Pat share it.' },
      earlierPlans: [{ inFamilysWords: 'Nan picks the children up.' }],
    });
  });

  test.each([
    [{ agreedOn: day('2026-02-02') }, 'agreedOn'],
    [{ agreedOn: day('2026-02-11') }, 'agreedOn'],
    [{ inFamilysWords: '  ' }, 'inFamilysWords'],
  ])('refuses %o naming %s', (change, field) => {
    expect(recordFamilyPlan(held(), { agreedOn: day('2026-02-05'), inFamilysWords: 'Our plan', ...change }, context)).toMatchObject({
      refused: true,
      field,
    });
  });
});

describe('pre-proceedings', () => {
  const declined = () =>
    ok(recordOffer(emptyFgdm('case-1'), { offeredOn: day('2026-01-20'), response: 'declined', declinedReason: 'Not now' }, context));
  const started = (fgdm = held()) => ok(recordPreProceedingsStart(fgdm, { startedOn: day('2026-02-05') }, context));

  test('start after a conference was held, or after the family declined the latest offer; the line says which', () => {
    const afterConference = recordPreProceedingsStart(held(), { startedOn: day('2026-02-05') }, context);
    expect(afterConference).toMatchObject({
      refused: false,
      line: 'Pre-proceedings started on 5 February 2026, after the family group conference held on 3 February 2026',
      fgdm: { version: 3, preProceedings: [{ sequence: 1, startedOn: '2026-02-05', by: { name: 'Sam Okafor' } }] },
    });
    expect(recordPreProceedingsStart(declined(), { startedOn: day('2026-01-20') }, context)).toMatchObject({
      refused: false,
      line: 'Pre-proceedings started on 20 January 2026, after the family declining the conference offered on 20 January 2026',
    });
    expect(runningPreProceedings(started())?.startedOn).toBe('2026-02-05');
  });

  test('refused with the reason before a conference was held or declined: none offered, or one accepted and not yet held', () => {
    const none = recordPreProceedingsStart(emptyFgdm('case-1'), { startedOn: day('2026-02-05') }, context);
    expect(none).toMatchObject({ refused: true, field: 'case', reason: expect.stringMatching(/held, or offered and declined/) });
    const waiting = recordPreProceedingsStart(accepted(), { startedOn: day('2026-02-05') }, context);
    expect(waiting).toMatchObject({
      refused: true,
      field: 'case',
      reason: 'The family accepted the conference offered on 20 January 2026: record it as held before pre-proceedings start',
    });
    expect(whyNotNow(accepted(), 'pre-proceedings')).toMatch(/record it as held/);
    expect(whyNotNow(held(), 'pre-proceedings')).toBeUndefined();
    expect(preProceedingsBasis(declined())).toEqual({ on: '2026-01-20', words: expect.stringContaining('declining') });
  });

  test('one at a time, and not on a closed case', () => {
    expect(recordPreProceedingsStart(started(), { startedOn: day('2026-02-06') }, context)).toMatchObject({
      refused: true,
      field: 'case',
      reason: 'Pre-proceedings started on 5 February 2026 have not ended: record their end first',
    });
    expect(whyNotNow(started(), 'pre-proceedings')).toMatch(/have not ended/);
    expect(recordPreProceedingsStart(held(), { startedOn: day('2026-02-05') }, { ...context, caseClosed: true })).toMatchObject({
      refused: true,
      field: 'case',
      reason: expect.stringMatching(/closed/),
    });
  });

  test.each([
    ['in the future', '2026-02-11', 'must be today or in the past'],
    ['before the conference', '2026-02-02', 'must be on or after the family group conference held on 3 February 2026'],
  ])('refuses a start %s, naming startedOn', (_when, startedOn, reason) => {
    expect(recordPreProceedingsStart(held(), { startedOn: day(startedOn) }, context)).toMatchObject({
      refused: true,
      field: 'startedOn',
      reason: expect.stringContaining(reason),
    });
  });

  test('refuses a start before the referral date, even after a conference', () => {
    const later = { ...context, referralDate: day('2026-02-04') };
    expect(recordPreProceedingsStart(held(), { startedOn: day('2026-02-03') }, later)).toMatchObject({
      refused: true,
      field: 'startedOn',
      reason: 'The date pre-proceedings started must be on or after the referral date, 4 February 2026',
    });
  });

  test('end with the outcome; another outcome in words; a second may start on or after the first ended', () => {
    const ended = recordPreProceedingsEnd(started(), { endedOn: day('2026-02-09'), outcome: 'care-proceedings-issued' }, context);
    expect(ended).toMatchObject({
      refused: false,
      line: 'Pre-proceedings started on 5 February 2026 ended on 9 February 2026: care proceedings issued',
      fgdm: { preProceedings: [{ ended: { endedOn: '2026-02-09', outcome: 'care-proceedings-issued' } }] },
    });
    const other = ok(
      recordPreProceedingsEnd(started(), { endedOn: day('2026-02-09'), outcome: 'other', otherOutcome: ' Family moved away ' }, context),
    );
    expect(other.preProceedings[0]?.ended).toMatchObject({ outcome: 'other', otherOutcome: 'Family moved away' });
    expect(runningPreProceedings(other)).toBeUndefined();
    expect(recordPreProceedingsStart(other, { startedOn: day('2026-02-06') }, context)).toMatchObject({
      refused: true,
      field: 'startedOn',
      reason: expect.stringContaining('the last pre-proceedings ended, 9 February 2026'),
    });
    expect(ok(recordPreProceedingsStart(other, { startedOn: day('2026-02-10') }, context)).preProceedings).toHaveLength(2);
  });

  test.each([
    [{ endedOn: day('2026-02-04') }, 'endedOn'],
    [{ endedOn: day('2026-02-11') }, 'endedOn'],
    [{ outcome: 'other' as const, otherOutcome: '  ' }, 'otherOutcome'],
  ])('refuses an end %o naming %s', (change, field) => {
    const input = { endedOn: day('2026-02-09'), outcome: 'step-down' as const, ...change };
    expect(recordPreProceedingsEnd(started(), input, context)).toMatchObject({ refused: true, field });
  });

  test('an end is refused with the reason when none are running; it may be recorded on a closed case', () => {
    expect(recordPreProceedingsEnd(held(), { endedOn: day('2026-02-09'), outcome: 'step-down' }, context)).toMatchObject({
      refused: true,
      field: 'case',
    });
    expect(whyNotNow(held(), 'pre-proceedings-ended')).toMatch(/No pre-proceedings are running/);
    const closed = { ...context, caseClosed: true };
    expect(recordPreProceedingsEnd(started(), { endedOn: day('2026-02-09'), outcome: 'step-down' }, closed).refused).toBe(false);
  });
});
