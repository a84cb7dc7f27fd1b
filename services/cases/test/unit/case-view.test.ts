import { assessmentDeadlineOf, caseRowView, childrenInWords } from '../../src/web/case-view';

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
