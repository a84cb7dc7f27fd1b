/**
 * Family group decision making (domain/fgdm.ts): offered, held, the family's plan, in order, each
 * refusal naming its field; and whether one was held (required before pre-proceedings).
 */
import { parseLocalDate } from '@fsp/shared/time/local-date';
import {
  type CaseFgdm,
  emptyFgdm,
  type FgdmContext,
  type FgdmResult,
  fgdmHeld,
  recordFamilyPlan,
  recordHeld,
  recordOffer,
  whyNotNow,
} from '../../src/domain/fgdm';

const day = parseLocalDate;
/** Tuesday 10 February 2026, 2:30pm in London; the case opened on 5 January. */
const context: FgdmContext = {
  now: new Date('2026-02-10T14:30:00.000Z'),
  by: { userId: 'sw-0001', name: 'Sam Okafor' },
  openedOn: day('2026-01-05'),
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
