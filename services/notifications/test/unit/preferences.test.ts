/**
 * Workers' preferences (issue 15 Deliver 3): defaults by role, the digest's moment (working days,
 * London time, across the clock changes and bank holidays, never before the fact), what is emailed of
 * an item, the form's reading of a typed time, and a leaver's item re-addressed to their managers.
 */
import { teamMailbox, userMailbox } from '@fsp/shared/inbox/mailbox';
import { ROLES } from '@fsp/shared/people';
import { BANK_HOLIDAY_COVERAGE } from '@fsp/shared/time/bank-holidays';
import { addCalendarDays } from '@fsp/shared/time/local-date';
import { londonDateOf, londonWallClockInstant, londonWallClockOf } from '@fsp/shared/time/london';
import { isBankHoliday, isWorkingDay } from '@fsp/shared/time/working-days';
import fc from 'fast-check';
import { forwardedFromLeaver, userIdOf } from '../../src/consumers/inbox-delivery';
import { factNotificationIdOf, NOTIFICATION_ID_PATTERN, type NotificationDraft, notificationIdOf } from '../../src/domain/notification';
import {
  DIGEST_TIME_FORMAT,
  DIGEST_TIME_MISSING,
  DIGEST_TIME_QUARTER,
  defaultPreferenceFor,
  effectivePreference,
  MODE_ERROR,
  mailIntentsFor,
  nextDigestMoment,
  parseTypedTime,
  preferenceFromForm,
  preferenceSchema,
} from '../../src/domain/preferences';
import { digestTimeInWords, preferencesPageView } from '../../src/web/preferences-view';

describe('defaults by role', () => {
  it('managers have a digest at 08:00, the people who work with families an email at once, administrators the inbox only', () => {
    expect(defaultPreferenceFor(['team-manager'])).toEqual({ mode: 'digest', digestAt: '08:00' });
    expect(defaultPreferenceFor(['service-manager'])).toEqual({ mode: 'digest', digestAt: '08:00' });
    expect(defaultPreferenceFor(['social-worker'])).toEqual({ mode: 'immediate' });
    expect(defaultPreferenceFor(['adult-specialist'])).toEqual({ mode: 'immediate' });
    expect(defaultPreferenceFor(['front-door'])).toEqual({ mode: 'immediate' });
    expect(defaultPreferenceFor(['administrator'])).toEqual({ mode: 'inbox' });
    expect(defaultPreferenceFor([])).toEqual({ mode: 'inbox' });
  });

  it('with several roles the managing one decides, and every default is a valid preference', () => {
    expect(defaultPreferenceFor(['social-worker', 'team-manager'])).toEqual({ mode: 'digest', digestAt: '08:00' });
    fc.assert(
      fc.property(fc.subarray([...ROLES]), (roles) => {
        expect(preferenceSchema.safeParse(defaultPreferenceFor(roles)).success).toBe(true);
      }),
    );
  });

  it('a saved choice wins over the default', () => {
    expect(effectivePreference({ mode: 'inbox' }, ['social-worker'])).toEqual({ preference: { mode: 'inbox' }, saved: true });
    expect(effectivePreference(undefined, ['social-worker'])).toEqual({ preference: { mode: 'immediate' }, saved: false });
  });
});

describe('the digest moment', () => {
  it('is today at the chosen time when today is a working day and it has not passed', () => {
    // Tuesday 1 December 2026, 07:10 GMT → 08:00 GMT the same day.
    expect(nextDigestMoment(new Date('2026-12-01T07:10:00.000Z'), '08:00').toISOString()).toBe('2026-12-01T08:00:00.000Z');
    // Exactly at the moment: that moment.
    expect(nextDigestMoment(new Date('2026-12-01T08:00:00.000Z'), '08:00').toISOString()).toBe('2026-12-01T08:00:00.000Z');
  });

  it('is the next working day once today’s has passed, skipping the weekend and bank holidays', () => {
    // Friday 18 December 2026 at 09:00 → Monday 21 December.
    expect(nextDigestMoment(new Date('2026-12-18T09:00:00.000Z'), '08:00').toISOString()).toBe('2026-12-21T08:00:00.000Z');
    // Thursday 24 December 2026 at 17:00 → Christmas Day (Fri) and Boxing Day's substitute (Mon 28) skipped → Tuesday 29 December.
    expect(nextDigestMoment(new Date('2026-12-24T17:00:00.000Z'), '16:30').toISOString()).toBe('2026-12-29T16:30:00.000Z');
    // A fact on a Saturday morning, before the chosen time, still waits for Monday.
    expect(nextDigestMoment(new Date('2026-12-05T06:00:00.000Z'), '08:00').toISOString()).toBe('2026-12-07T08:00:00.000Z');
  });

  it('is at the chosen London time on each side of the clock changes', () => {
    // Friday 27 March 2026 (GMT), clocks go forward on Sunday 29 → Monday 30 March 08:00 BST is 07:00Z.
    expect(nextDigestMoment(new Date('2026-03-27T10:00:00.000Z'), '08:00').toISOString()).toBe('2026-03-30T07:00:00.000Z');
    // Friday 23 October 2026 (BST), clocks go back on Sunday 25 → Monday 26 October 08:00 GMT is 08:00Z.
    expect(nextDigestMoment(new Date('2026-10-23T10:00:00.000Z'), '08:00').toISOString()).toBe('2026-10-26T08:00:00.000Z');
    // Late in a BST evening the London day is already the next: 23:30Z on Thursday 4 June is 00:30 on Friday 5 June,
    // after Friday's 00:15, so Monday 8 June at 00:15 BST, which is still Sunday in UTC.
    expect(nextDigestMoment(new Date('2026-06-04T23:30:00.000Z'), '00:15').toISOString()).toBe('2026-06-07T23:15:00.000Z');
    expect(nextDigestMoment(new Date('2026-06-04T23:10:00.000Z'), '00:15').toISOString()).toBe('2026-06-04T23:15:00.000Z');
  });

  const quarterHour = fc
    .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45))
    .map(([hour, minute]) => `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`);
  // Facts from the first covered year to a week before the end of the bank-holiday data (the moment may be days later).
  const fact = fc.date({
    min: new Date(`${BANK_HOLIDAY_COVERAGE.firstYear}-01-01T00:00:00.000Z`),
    max: new Date(`${BANK_HOLIDAY_COVERAGE.lastYear}-12-20T00:00:00.000Z`),
    noInvalidDate: true,
  });
  /** The clock changes and the days around the bank holidays, where a wrong rule would show. */
  const edgeFact = fc
    .tuple(
      fc.constantFrom(
        '2026-03-27',
        '2026-03-29',
        '2026-10-23',
        '2026-10-25',
        '2027-03-26',
        '2027-10-29',
        '2026-12-24',
        '2026-12-31',
        '2027-04-01',
        '2028-05-26',
      ),
      fc.integer({ min: -36 * 60, max: 36 * 60 }),
    )
    .map(([day, minutes]) => new Date(new Date(`${day}T12:00:00.000Z`).getTime() + minutes * 60_000));

  it('is always a working day, at the chosen London time, never before the fact, and the first such moment', () => {
    fc.assert(
      fc.property(fc.oneof(fact, edgeFact), quarterHour, (at, digestAt) => {
        const moment = nextDigestMoment(at, digestAt);
        const day = londonDateOf(moment);
        const wall = londonWallClockOf(moment);
        expect(isWorkingDay(day)).toBe(true);
        expect(isBankHoliday(day)).toBe(false);
        expect(`${String(wall.hour).padStart(2, '0')}:${String(wall.minute).padStart(2, '0')}`).toBe(digestAt);
        expect(wall.second).toBe(0);
        expect(moment.getTime()).toBeGreaterThanOrEqual(at.getTime());
        // The first: on every working day from the fact's London day up to the moment's, the chosen time came before the fact.
        const [hour, minute] = digestAt.split(':').map(Number) as [number, number];
        for (let earlier = londonDateOf(at); earlier < day; earlier = addCalendarDays(earlier, 1)) {
          if (isWorkingDay(earlier)) expect(londonWallClockInstant(earlier, hour, minute).getTime()).toBeLessThan(at.getTime());
        }
        // Asking again from the moment itself gives the moment: it is a fixed point.
        expect(nextDigestMoment(moment, digestAt).getTime()).toBe(moment.getTime());
      }),
      { numRuns: 500 },
    );
  });
});

const draft = (overrides: Partial<NotificationDraft> = {}): NotificationDraft => {
  const fact = { eventId: 'evt-1', occurredAt: '2026-12-01T10:00:00.000Z', correlationId: 'corr-1' };
  const mailbox = overrides.mailbox ?? userMailbox('sw-0001');
  return {
    notificationId: notificationIdOf(fact, mailbox, 'inbox'),
    mailbox,
    channel: 'inbox',
    kind: 'case-allocated',
    title: 'You have been allocated to case FSP-2026-7K3M2N as social worker',
    link: '/cases/case-1',
    createdAt: fact.occurredAt,
    sourceEventId: fact.eventId,
    correlationId: fact.correlationId,
    reference: 'FSP-2026-7K3M2N',
    teamId: 'team-north-1',
    ...overrides,
  };
};

describe('what is emailed of an item', () => {
  it('nothing for the inbox only; at the fact’s time for immediate; at the digest moment for the digest; urgency by kind', () => {
    const item = draft();
    expect(mailIntentsFor(item, 'sw-0001', { mode: 'inbox' })).toEqual([]);
    expect(mailIntentsFor(item, 'sw-0001', { mode: 'immediate' })).toEqual([
      {
        notificationId: item.notificationId,
        userId: 'sw-0001',
        mode: 'immediate',
        sendAt: '2026-12-01T10:00:00.000Z',
        kind: 'case-allocated',
        title: item.title,
        link: '/cases/case-1',
        reference: 'FSP-2026-7K3M2N',
        urgent: false,
        createdAt: '2026-12-01T10:00:00.000Z',
      },
    ]);
    const overdue = draft({ kind: 'supervision-action-overdue' });
    expect(mailIntentsFor(overdue, 'sw-0001', { mode: 'digest', digestAt: '08:00' })).toEqual([
      expect.objectContaining({ mode: 'digest', sendAt: '2026-12-02T08:00:00.000Z', urgent: true }),
    ]);
  });
});

describe('a leaver’s item', () => {
  it('goes to each of the team’s managers, saying whose it was, with ids of its own that a repeat gives again', () => {
    const item = draft({ factKey: 'SupervisionActionAssigned:case-1:action-1' });
    const forwarded = forwardedFromLeaver(item, ['tm-0001', 'tm-0002'], 'Sam Okafor');
    expect(forwarded.map((each) => each.mailbox)).toEqual([userMailbox('tm-0001'), userMailbox('tm-0002')]);
    for (const each of forwarded) {
      expect(each.title).toBe(`For Sam Okafor, who has left: ${item.title}`);
      expect(each.notificationId).toMatch(NOTIFICATION_ID_PATTERN);
      expect(each.notificationId).toBe(factNotificationIdOf(each.factKey ?? '', item.createdAt, each.mailbox, 'inbox'));
      expect(each).toMatchObject({
        kind: item.kind,
        link: item.link,
        reference: item.reference,
        createdAt: item.createdAt,
        teamId: 'team-north-1',
      });
    }
    expect(new Set(forwarded.map((each) => each.notificationId)).size).toBe(2);
    // The same fact under another event id forwards under the same natural key, so the store refuses a second item.
    const again = forwardedFromLeaver({ ...item, sourceEventId: 'evt-2' }, ['tm-0001', 'tm-0002'], 'Sam Okafor');
    expect(again.map((each) => each.factKey)).toEqual(forwarded.map((each) => each.factKey));
    expect(again.map((each) => each.notificationId)).toEqual(forwarded.map((each) => each.notificationId));
  });

  it('goes to the team’s mailbox when it has no manager, and says only “a worker” when the directory no longer knows them', () => {
    const forwarded = forwardedFromLeaver(draft(), [], undefined);
    expect(forwarded).toHaveLength(1);
    expect(forwarded[0]).toMatchObject({ mailbox: teamMailbox('team-north-1') });
    expect(forwarded[0]?.title).toMatch(/^For a worker who has left: You have been allocated/);
    expect(userIdOf(forwarded[0]!.mailbox)).toBeUndefined();
  });

  it('keyed by the event when the fact has no natural key, so another event is another item', () => {
    const first = forwardedFromLeaver(draft(), ['tm-0001'], 'Sam Okafor');
    const second = forwardedFromLeaver(draft({ sourceEventId: 'evt-2' }), ['tm-0001'], 'Sam Okafor');
    expect(first[0]?.notificationId).not.toBe(second[0]?.notificationId);
  });

  it('a leaver who was a manager is not sent their own item, and a draft without its team fails loudly', () => {
    const forManager = draft({ mailbox: userMailbox('tm-0002') });
    expect(forwardedFromLeaver(forManager, ['tm-0001', 'tm-0002'], 'Olu Adebayo').map((each) => each.mailbox)).toEqual([
      userMailbox('tm-0001'),
    ]);
    const { teamId: _teamId, ...withoutTeam } = draft();
    expect(() => forwardedFromLeaver(withoutTeam, ['tm-0001'], 'Sam Okafor')).toThrow(/names no team/);
  });
});

describe('the form’s time', () => {
  it.each([
    ['08:00', '08:00'],
    ['8:00', '08:00'],
    ['8.30', '08:30'],
    ['0815', '08:15'],
    [' 16:45 ', '16:45'],
    ['8am', '08:00'],
    ['4:30pm', '16:30'],
    ['12pm', '12:00'],
    ['12am', '00:00'],
    ['23:45', '23:45'],
  ])('reads %j as %s', (typed, digestAt) => {
    expect(parseTypedTime(typed)).toEqual({ ok: true, digestAt });
  });

  it.each([
    ['', DIGEST_TIME_MISSING],
    ['   ', DIGEST_TIME_MISSING],
    ['eight', DIGEST_TIME_FORMAT],
    ['8', DIGEST_TIME_FORMAT],
    ['24:00', DIGEST_TIME_FORMAT],
    ['13pm', DIGEST_TIME_FORMAT],
    ['08:60', DIGEST_TIME_FORMAT],
    ['08:10', DIGEST_TIME_QUARTER],
    ['4:31pm', DIGEST_TIME_QUARTER],
  ])('tells %j: %s', (typed, error) => {
    expect(parseTypedTime(typed)).toEqual({ ok: false, error });
  });

  it('a form without a choice is told on the radios; a digest without a good time on the time box', () => {
    expect(preferenceFromForm({})).toEqual({ ok: false, errors: [{ field: 'mode', text: MODE_ERROR }] });
    expect(preferenceFromForm({ mode: 'sometimes' })).toEqual({ ok: false, errors: [{ field: 'mode', text: MODE_ERROR }] });
    expect(preferenceFromForm({ mode: 'digest', digestAt: '8:05' })).toEqual({
      ok: false,
      errors: [{ field: 'digestAt', text: DIGEST_TIME_QUARTER }],
    });
    expect(preferenceFromForm({ mode: 'digest', digestAt: '7:45am' })).toEqual({
      ok: true,
      preference: { mode: 'digest', digestAt: '07:45' },
    });
    // The time box is ignored for the other choices (it is shown, with its default, to everyone without JavaScript).
    expect(preferenceFromForm({ mode: 'immediate', digestAt: 'nonsense' })).toEqual({ ok: true, preference: { mode: 'immediate' } });
  });
});

describe('the preferences page’s view', () => {
  it('says what applies, checks it, and keeps what was typed with its error on its field', () => {
    const fresh = preferencesPageView({ preference: { mode: 'digest', digestAt: '08:00' }, saved: false }, 0);
    expect(fresh.current).toBe(
      'You have not chosen yet, so you have the usual choice for your role: inbox and one email at 8am (UK time) on working days.',
    );
    expect(fresh.form.modes.filter((mode) => mode.checked).map((mode) => mode.value)).toEqual(['digest']);
    expect(fresh.form).toMatchObject({ digestAt: '08:00', errors: [], version: 0 });

    const mistaken = preferencesPageView({ preference: { mode: 'immediate' }, saved: true }, 3, {
      state: { mode: 'digest', digestAt: '8:10', errors: [{ field: 'digestAt', text: DIGEST_TIME_QUARTER }] },
    });
    expect(mistaken.current).toBe('You are told: inbox and an email for each item as it arrives.');
    expect(mistaken.form).toMatchObject({
      digestAt: '8:10',
      errors: [{ text: DIGEST_TIME_QUARTER, href: '#digestAt' }],
      errorOf: { digestAt: DIGEST_TIME_QUARTER },
      version: 3,
    });
    expect(mistaken.form.modes.find((mode) => mode.checked)?.value).toBe('digest');
  });

  it('says times as GOV.UK does', () => {
    expect(['08:00', '16:30', '12:00', '00:00', '00:15', '12:45'].map(digestTimeInWords)).toEqual([
      '8am',
      '4:30pm',
      'midday',
      'midnight',
      '12:15am',
      '12:45pm',
    ]);
  });
});
