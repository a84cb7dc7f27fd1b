import { assessmentDeadlineOf, caseDeadlineView, caseRowView, childrenInWords } from '../../src/web/case-view';

describe('the cases pages in words', () => {
  it('counts children, unborn babies apart, as the case holds no names', () => {
    expect(childrenInWords([])).toBe('No children recorded');
    expect(childrenInWords([{ childId: 'c1', unborn: false }])).toBe('1 child');
    expect(
      childrenInWords([
        { childId: 'c1', unborn: false },
        { childId: 'c2', unborn: false },
        { childId: 'c3', unborn: true },
      ]),
    ).toBe('2 children and 1 unborn baby');
    expect(
      childrenInWords([
        { childId: 'c3', unborn: true },
        { childId: 'c4', unborn: true },
      ]),
    ).toBe('2 unborn babies');
  });

  it('says the assessment deadline in working days, red once overdue, and nothing after assessment', () => {
    // Due by the end of Monday 9 March 2026 (London midnight).
    const dueBy = '2026-03-09T23:59:59.999Z';
    expect(assessmentDeadlineOf({ status: 'assessment', assessmentDueBy: dueBy }, new Date('2026-03-06T10:00:00Z'))).toEqual({
      text: 'due in 1 working day',
      overdue: false,
      date: 'Monday 9 March 2026',
    });
    expect(assessmentDeadlineOf({ status: 'assessment', assessmentDueBy: dueBy }, new Date('2026-03-10T10:00:00Z'))).toEqual({
      text: 'overdue by 1 working day',
      overdue: true,
      date: 'Monday 9 March 2026',
    });
    expect(assessmentDeadlineOf({ status: 'child-in-need', assessmentDueBy: dueBy }, new Date('2026-03-10T10:00:00Z'))).toBeUndefined();
    // Completed, and still in assessment while a strategy discussion or conference is awaited: nothing is due.
    expect(
      assessmentDeadlineOf(
        { status: 'assessment', assessmentDueBy: dueBy, assessmentCompletedOn: '2026-02-09' },
        new Date('2026-03-10T10:00:00Z'),
      ),
    ).toBeUndefined();
  });

  it('names the soonest deadline by what it is for; a case kept before it was copied falls back to its assessment', () => {
    const now = new Date('2026-02-10T10:00:00Z');
    const assessment = { status: 'assessment' as const, assessmentDueDate: '2026-03-09', assessmentDueBy: '2026-03-09T23:59:59.999Z' };
    expect(
      caseDeadlineView(
        { ...assessment, nextDeadline: { timescale: 'initial-conference', dueDate: '2026-03-02', dueBy: '2026-03-02T23:59:59.999Z' } },
        now,
      ),
    ).toEqual({ what: 'Initial child protection conference', text: 'due in 14 working days', overdue: false, date: 'Monday 2 March 2026' });
    expect(
      caseDeadlineView(
        {
          ...assessment,
          status: 'child-protection',
          nextDeadline: { timescale: 'cp-review', dueDate: '2026-02-09', dueBy: '2026-02-09T23:59:59.999Z' },
        },
        now,
      ),
    ).toEqual({ what: 'Child protection review', text: 'overdue by 1 working day', overdue: true, date: 'Monday 9 February 2026' });
    expect(caseDeadlineView({ ...assessment, status: 'child-in-need', nextDeadline: null }, now)).toBeUndefined();
    // No copy yet: the assessment's, while it is awaited.
    expect(caseDeadlineView(assessment, now)).toMatchObject({ what: 'Assessment', date: 'Monday 9 March 2026' });
    expect(caseDeadlineView({ ...assessment, assessmentCompletedOn: '2026-02-09' }, now)).toBeUndefined();
    expect(caseDeadlineView({ ...assessment, status: 'child-in-need' }, now)).toBeUndefined();
  });

  it("links each row to the case's page and says when it opened", () => {
    const row = caseRowView(
      {
        caseId: 'case-1',
        referralId: 'ref-1',
        reference: 'FSP-2026-000001',
        status: 'assessment',
        teamId: 'north',
        urgent: false,
        openedAt: '2026-01-05T23:30:00.000Z',
        assessmentDueDate: '2026-03-09',
        assessmentDueBy: '2026-03-09T23:59:59.999Z',
        children: [{ childId: 'c1', unborn: false }],
        version: 1,
      },
      new Date('2026-01-06T10:00:00Z'),
    );
    expect(row).toMatchObject({
      href: '/cases/case-1',
      reference: 'FSP-2026-000001',
      status: 'Assessment',
      opened: 'Monday 5 January 2026',
    });
  });
});
