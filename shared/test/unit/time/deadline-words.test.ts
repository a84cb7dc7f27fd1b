import { londonDateOf } from '@fsp/shared/time/london';
import fc from 'fast-check';
import { deadlineInWords } from '../../../src/time/deadline-words';

/** Deadlines end at London midnight (23:59:59.999 GMT in winter, 22:59:59.999Z in summer). */
const endOf = (date: string, zone = 'Z') => new Date(`${date}T23:59:59.999${zone}`);
const tuesday = new Date('2026-12-01T10:00:00Z');

describe('a deadline in words', () => {
  it.each([
    ['due by the end of today', tuesday, endOf('2026-12-01'), 'due-today', 'due today'],
    ['missed yesterday', tuesday, endOf('2026-11-30'), 'overdue', 'overdue by 1 working day'],
    [
      'missed on Friday, seen on Tuesday (the weekend does not count)',
      tuesday,
      endOf('2026-11-27'),
      'overdue',
      'overdue by 2 working days',
    ],
    [
      'missed on Friday, seen on Saturday: still late',
      new Date('2026-12-05T10:00:00Z'),
      endOf('2026-12-04'),
      'overdue',
      'overdue by 1 working day',
    ],
    ['due tomorrow', tuesday, endOf('2026-12-02'), 'upcoming', 'due in 1 working day'],
    [
      'due after Christmas and the Boxing Day holiday',
      new Date('2026-12-24T10:00:00Z'),
      endOf('2026-12-29'),
      'upcoming',
      'due in 1 working day',
    ],
    [
      'due on a Sunday, seen on the Friday before',
      new Date('2026-12-04T10:00:00Z'),
      endOf('2026-12-06'),
      'upcoming',
      'due on Sunday 6 December 2026',
    ],
    ['missed earlier today', tuesday, new Date('2026-12-01T09:30:00Z'), 'overdue', 'overdue since 9:30am today'],
    [
      'due by the end of a summer day, 30 minutes before London midnight',
      new Date('2026-06-05T22:30:00Z'),
      endOf('2026-06-05', '+01:00'),
      'due-today',
      'due today',
    ],
  ])('%s', (_, now, dueBy, state, text) => {
    expect(deadlineInWords(now, dueBy)).toEqual({ state, text });
  });

  it('is overdue exactly when now is past the deadline, and due today exactly when they share a London day', () => {
    const instant = fc.date({ min: new Date('2024-01-02T00:00:00Z'), max: new Date('2028-12-30T00:00:00Z'), noInvalidDate: true });
    fc.assert(
      fc.property(instant, instant, (now, dueBy) => {
        const { state, text } = deadlineInWords(now, dueBy);
        expect(state === 'overdue').toBe(now.getTime() > dueBy.getTime());
        expect(state === 'due-today').toBe(now.getTime() <= dueBy.getTime() && londonDateOf(now) === londonDateOf(dueBy));
        expect(text).not.toMatch(/\b0 working days\b/);
      }),
    );
  });
});
