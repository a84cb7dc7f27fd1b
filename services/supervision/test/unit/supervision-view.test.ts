/** A supervision as the pages say it: London dates in words, the timescale as a deadline, each as its page shows it. */
import type { Supervision } from '../../src/domain/supervision';
import { supervisionView } from '../../src/web/supervision-view';

const scheduled: Supervision = {
  supervisionId: 'sup-0123',
  caseId: 'case 7/a',
  teamId: 'team-north-1',
  sequence: 1,
  status: 'scheduled',
  dueDate: '2026-07-06',
  dueBy: '2026-07-06T22:59:59.999Z',
  scheduledDate: '2026-07-06',
  // 10am in London in summer time.
  scheduledFor: '2026-07-06T09:00:00.000Z',
};

describe('supervisionView', () => {
  it('says the dates in London words and the timescale in working days', () => {
    expect(supervisionView(scheduled, new Date('2026-07-02T12:00:00.000Z'))).toEqual({
      id: 'sup-0123',
      caseId: 'case 7/a',
      href: '/supervision/cases/case%207%2Fa',
      title: 'Group supervision 1',
      status: 'Scheduled',
      scheduledFor: 'Monday 6 July 2026 at 10am',
      dueDate: 'Monday 6 July 2026',
      due: { text: 'due in 2 working days', overdue: false },
    });
  });

  it('is due today until the end of the London day, then overdue', () => {
    expect(supervisionView(scheduled, new Date('2026-07-06T22:59:59.999Z')).due).toEqual({ text: 'due today', overdue: false });
    expect(supervisionView(scheduled, new Date('2026-07-07T09:00:00.000Z')).due).toEqual({
      text: 'overdue by 1 working day',
      overdue: true,
    });
  });

  it('gives a held supervision no deadline', () => {
    const held = supervisionView({ ...scheduled, status: 'held' }, new Date('2026-07-07T09:00:00.000Z'));
    expect(held.status).toBe('Held');
    expect(held.due).toBeUndefined();
  });
});
