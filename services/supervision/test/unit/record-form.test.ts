/** The record form as the browser sends it and the page draws it: dates from three boxes, presence radios, numbered action rows, each message by its field. */
import { dateOf, recordFormErrors, recordFormValues, recordFormValuesOf, recordInputOf } from '../../src/web/record-form';

const people = ['sw-1', 'tm-1'];

describe('dateOf', () => {
  it('makes YYYY-MM-DD of the three boxes, nothing of three blanks, and something refused of anything else', () => {
    expect(dateOf({ day: '9', month: '3', year: '2026' })).toBe('2026-03-09');
    expect(dateOf({ day: '', month: '', year: '' })).toBe('');
    expect(dateOf({ day: '31', month: 'March', year: '2026' })).toBe('not-a-date');
    expect(dateOf({ day: '9', month: '3', year: '26' })).toBe('not-a-date');
  });
});

describe('the form', () => {
  const body = {
    'heldOn-day': '9',
    'heldOn-month': '3',
    'heldOn-year': '2026',
    'presence-sw-1': 'attended',
    'presence-tm-1': 'apologies',
    'presence-someone-else': 'attended',
    rating: 'amber',
    actionRows: '2',
    action0What: '',
    action0Owner: '',
    action1What: 'Visit the grandmother',
    action1Owner: 'sw-1',
    'action1Due-day': '20',
    'action1Due-month': '3',
    'action1Due-year': '2026',
  };

  it('reads presence for the people offered only, and gives the domain the rows filled in', () => {
    const values = recordFormValues(body, people);
    expect(values.presence).toEqual({ 'sw-1': 'attended', 'tm-1': 'apologies' });
    expect(recordInputOf(values)).toEqual(
      expect.objectContaining({
        heldOn: '2026-03-09',
        attendees: ['sw-1'],
        apologies: ['tm-1'],
        rating: 'amber',
        actions: [{ what: 'Visit the grandmother', ownerId: 'sw-1', dueDate: '2026-03-20' }],
      }),
    );
  });

  it('puts each message by its field: a row by the number the page shows it under, dates by their day box', () => {
    const values = recordFormValues(body, people);
    const errors = recordFormErrors(
      [
        { field: 'heldOn', message: 'The date the supervision was held must be a real date, written as YYYY-MM-DD' },
        { field: 'attendees', message: 'Choose at least one person who attended' },
        { field: 'actions', index: 0, message: 'Choose who owns the action' },
        { field: 'actions', index: 0, message: "The action's due date must be today or in the future" },
        { field: 'discussion', message: 'Enter the reflective discussion and hypotheses' },
      ],
      values,
      people,
    );
    expect(errors).toEqual([
      { field: 'heldOn', text: 'The date the supervision was held must be a real date', href: '#heldOn-day' },
      { field: 'presence', text: 'Choose at least one person who attended', href: '#presence-sw-1' },
      // The domain saw one row (the blank first row is not sent to it): it is the form's second.
      { field: 'action1Owner', text: 'Choose who owns the action', href: '#action1Owner' },
      { field: 'action1Due', text: "The action's due date must be today or in the future", href: '#action1Due-day' },
      { field: 'discussion', text: 'Enter the reflective discussion and hypotheses', href: '#discussion' },
    ]);
  });

  it('draws a stored draft back into the boxes', () => {
    const values = recordFormValuesOf(
      {
        heldOn: '2026-03-09' as never,
        attendees: ['sw-1'],
        apologies: [],
        actions: [{ what: 'Ring', ownerId: 'tm-1', dueDate: '2026-03-20' as never }],
      },
      people,
    );
    expect(values.heldOn).toEqual({ day: '9', month: '3', year: '2026' });
    expect(values.presence).toEqual({ 'sw-1': 'attended', 'tm-1': 'absent' });
    expect(values.actions).toEqual([{ what: 'Ring', ownerId: 'tm-1', due: { day: '20', month: '3', year: '2026' } }]);
  });
});
