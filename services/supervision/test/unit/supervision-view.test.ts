/** A supervision as the pages say it: London dates in words, the timescale as a deadline, the case by its reference, each as its page shows it. */
import type { Supervision } from '../../src/domain/supervision';
import { supervisedCaseView, supervisionView } from '../../src/web/supervision-view';

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
  caseReference: 'FSP-2026-000123',
};

describe('supervisionView', () => {
  it('says the dates in London words and the timescale in working days', () => {
    expect(supervisionView(scheduled, new Date('2026-07-02T12:00:00.000Z'))).toEqual({
      id: 'sup-0123',
      caseName: 'Case FSP-2026-000123',
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

  it('names a case stored without a reference by its supervision’s deadline, never by its id', () => {
    const { caseReference: _reference, ...withoutReference } = scheduled;
    const view = supervisionView(withoutReference, new Date('2026-07-02T12:00:00.000Z'));
    expect(view.caseName).toBe('Case due group supervision by Monday 6 July 2026');
    expect(view.href).toBe('/supervision/cases/case%207%2Fa');
    expect(JSON.stringify({ ...view, href: undefined })).not.toContain('case 7/a');
  });

  it('gives a held supervision no deadline', () => {
    const held = supervisionView({ ...scheduled, status: 'held' }, new Date('2026-07-07T09:00:00.000Z'));
    expect(held.status).toBe('Held');
    expect(held.due).toBeUndefined();
  });
});

describe('supervisedCaseView', () => {
  const supervisedCase = { caseId: 'case-b0cda0c6', teamId: 'team-north-1', openedAt: '2026-01-05T15:10:02.000Z' };

  it('names the case by its reference, as the cases pages head it', () => {
    expect(supervisedCaseView({ ...supervisedCase, reference: 'FSP-2026-000123' })).toEqual({
      name: 'Case FSP-2026-000123',
      title: 'Group supervision of case FSP-2026-000123',
    });
  });

  it('names a case known from its allocation before its opening arrived by its reference', () => {
    expect(supervisedCaseView({ caseId: 'case-b0cda0c6', teamId: 'team-north-1', reference: 'FSP-2026-000124' }).name).toBe(
      'Case FSP-2026-000124',
    );
  });

  it('names a case with neither reference nor opening (an item this service never writes) in words, never by its id', () => {
    expect(supervisedCaseView({ caseId: 'case-b0cda0c6', teamId: 'team-north-1' })).toEqual({
      name: 'Case',
      title: 'Group supervision of a case',
    });
  });

  it('names a case stored without a reference by the London day it opened, never by its id', () => {
    // 00:30 on 1 July in London (BST) is still 30 June in UTC: the London day is the one a worker knows.
    expect(supervisedCaseView({ ...supervisedCase, openedAt: '2026-06-30T23:30:00.000Z' })).toEqual({
      name: 'Case opened on Wednesday 1 July 2026',
      title: 'Group supervision of the case opened on Wednesday 1 July 2026',
    });
  });
});
