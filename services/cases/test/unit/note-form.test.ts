import fc from 'fast-check';
import { checkAmendmentForm, checkNoteForm, noteFormValues, noteFormValuesOf, parseTime } from '../../src/web/note-form';
import { chronologyKindsOf, chronologyView, notesListView, restrictionText } from '../../src/web/notes-view';

const pad = (n: number) => String(n).padStart(2, '0');

describe('parseTime', () => {
  it('reads every time of day written on the 24-hour clock and on the 12-hour clock (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), (hour, minute) => {
        const expected = `${pad(hour)}:${pad(minute)}`;
        expect(parseTime(expected)).toBe(expected);
        expect(parseTime(`${hour}.${pad(minute)}`)).toBe(expected);
        const twelve = hour % 12 === 0 ? 12 : hour % 12;
        const suffix = hour < 12 ? 'am' : 'pm';
        expect(parseTime(`${twelve}:${pad(minute)}${suffix}`)).toBe(expected);
        expect(parseTime(` ${twelve}:${pad(minute)} ${suffix.toUpperCase()} `)).toBe(expected);
      }),
    );
  });

  it('reads words and whole hours, and refuses what is not a time', () => {
    expect(parseTime('midday')).toBe('12:00');
    expect(parseTime('noon')).toBe('12:00');
    expect(parseTime('midnight')).toBe('00:00');
    expect(parseTime('2pm')).toBe('14:00');
    expect(parseTime('12am')).toBe('00:00');
    for (const bad of ['', '14', '25:00', '9:60', '13pm', '0am', 'teatime', '9:3']) expect(parseTime(bad)).toBeUndefined();
  });
});

describe('checkNoteForm', () => {
  const posted = {
    type: 'home-visit',
    'contactDate-day': '10',
    'contactDate-month': '2',
    'contactDate-year': '2026',
    contactTime: '9:30am',
    seen: ['child-1', 'adult-1'],
    'seenAlone-child-1': 'yes',
    narrative: 'Seen at home.',
    significant: 'yes',
    visibleTo: 'team-manager',
  };

  it('turns the posted form into the API’s input', () => {
    expect(checkNoteForm(noteFormValues(posted))).toEqual({
      ok: true,
      input: {
        type: 'home-visit',
        contactDate: '2026-02-10',
        contactTime: '09:30',
        seenPersonIds: ['child-1', 'adult-1'],
        childrenSeenAlone: [{ childId: 'child-1', answer: 'yes' }],
        narrative: 'Seen at home.',
        significant: true,
        visibleTo: ['team-manager'],
      },
    });
  });

  it('names the date’s missing parts and an impossible date, GOV.UK style, in the form’s order', () => {
    const missing = checkNoteForm(noteFormValues({ ...posted, type: '', 'contactDate-month': '', 'contactDate-year': '' }));
    expect(missing).toEqual({
      ok: false,
      errors: [
        { field: 'type', text: 'Select the type of note', href: '#type' },
        { field: 'contactDate', text: 'The date of the contact must include a month and a year', href: '#contactDate-day' },
      ],
    });
    const impossible = checkNoteForm(noteFormValues({ ...posted, 'contactDate-day': '30' }));
    expect(impossible).toMatchObject({
      ok: false,
      errors: [{ field: 'contactDate', text: 'The date of the contact must be a real date' }],
    });
    const noTime = checkNoteForm(noteFormValues({ ...posted, contactTime: 'after lunch' }));
    expect(noTime).toMatchObject({ ok: false, errors: [{ field: 'contactTime', href: '#contactTime' }] });
  });

  it('a draft’s content reads back into the form it came from (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2026-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.boolean(),
        (instant, significant) => {
          const occurredAt = new Date(Math.floor(instant.getTime() / 60_000) * 60_000).toISOString();
          const values = noteFormValuesOf({
            type: 'observation',
            occurredAt,
            seenPersonIds: ['child-1'],
            childrenSeenAlone: [{ childId: 'child-1', answer: 'no' }],
            narrative: 'Family time at the contact centre.',
            significant,
            visibleTo: [],
          });
          const checked = checkNoteForm(values);
          expect(checked.ok).toBe(true);
          if (checked.ok) expect(checked.input).toMatchObject({ type: 'observation', significant, seenPersonIds: ['child-1'] });
        },
      ),
    );
  });
});

describe('checkAmendmentForm', () => {
  it('needs a reason, and carries the number of amendments read', () => {
    expect(checkAmendmentForm({ reason: ' ', narrative: 'New.' })).toEqual({
      ok: false,
      errors: [{ field: 'reason', text: 'Enter the reason for the amendment', href: '#reason' }],
    });
    expect(checkAmendmentForm({ reason: 'Typo', narrative: 'New.', amendmentCount: '2' })).toEqual({
      ok: true,
      input: { reason: 'Typo', narrative: 'New.' },
      amendmentCount: 2,
    });
  });
});

describe('the views', () => {
  it('say who may read a restricted note', () => {
    expect(restrictionText([])).toBeUndefined();
    expect(restrictionText(['adult-specialist', 'team-manager'])).toBe(
      'Only adult specialists and team managers can read this note, and the person who wrote it.',
    );
  });

  it('a notes page past the end is no page', () => {
    expect(notesListView([], { caseId: 'case-1', readerId: 'u', page: 1 })?.view.notes).toEqual([]);
    expect(notesListView([], { caseId: 'case-1', readerId: 'u', page: 2 })).toBeUndefined();
    expect(notesListView([], { caseId: 'case-1', readerId: 'u', page: Number.NaN })).toBeUndefined();
  });

  it('the chronology filters by the kinds asked for, newest first, and ignores kinds it does not know', () => {
    const entries = [
      {
        entryId: 'a',
        caseId: 'c',
        kind: 'case-opened' as const,
        at: '2026-01-05T09:00:00.000Z',
        text: 'Opened',
        referralId: 'r',
        sourceEventId: 'e1',
      },
      {
        entryId: 'b',
        caseId: 'c',
        kind: 'note-significant' as const,
        at: '2026-01-06T09:00:00.000Z',
        text: 'Visit',
        referralId: 'r',
        sourceEventId: 'n1',
        noteId: 'n1',
      },
    ];
    expect(chronologyKindsOf(['note-significant', 'nonsense'])).toEqual(['note-significant']);
    const all = chronologyView(entries, 'c', [], false, { supervisionLinks: true });
    expect(all.items.map((item) => item.text)).toEqual(['Visit', 'Opened']);
    expect(all.items[0]).toMatchObject({ link: { href: '/cases/c/notes/n1' } });
    const filtered = chronologyView(entries, 'c', ['case-opened'], true, { supervisionLinks: true });
    expect(filtered.items.map((item) => item.text)).toEqual(['Opened']);
    expect(filtered.items[0]).not.toHaveProperty('link');
    expect(filtered.printHref).toBe('/cases/c/chronology?kind=case-opened&print=yes');
  });
});
