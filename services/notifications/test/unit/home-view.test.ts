import { homeSectionsFor, homeWindowAt } from '../../src/domain/desk';
import { caseItem, failedDeliveryItem, homeView, referralItem, supervisionItem } from '../../src/web/home-view';

const now = new Date('2026-12-01T10:00:00Z'); // Tuesday 1 December 2026, GMT

describe('the worker’s home', () => {
  it.each([
    [['front-door'], ['front-door']],
    [['social-worker'], ['caseload']],
    [['adult-specialist'], ['caseload']],
    [['team-manager'], ['team']],
    [['service-manager'], ['team']],
    [['team-manager', 'social-worker'], ['team']],
    [['administrator'], ['admin']],
    [
      ['front-door', 'administrator'],
      ['front-door', 'admin'],
    ],
    [[], []],
  ] as const)('shows %j the sections %j', (roles, sections) => {
    expect(homeSectionsFor(roles)).toEqual(sections);
  });

  it('counts today and the last four weeks on the London calendar', () => {
    expect(homeWindowAt(now)).toEqual({
      dueBefore: new Date('2026-12-02T00:00:00.000Z'),
      newCasesSince: new Date('2026-11-03T00:00:00.000Z'),
      supervisionsFrom: new Date('2026-12-01T00:00:00.000Z'),
    });
    // In summer London midnight is 23:00 UTC the day before.
    expect(homeWindowAt(new Date('2026-06-05T22:30:00Z')).dueBefore).toEqual(new Date('2026-06-05T23:00:00.000Z'));
  });

  it('lists a referral by its reference, linking to its page, with a red tag when overdue and a yellow one when due today', () => {
    const referral = {
      referralId: '01JGZ8Q4V7K3M2N5P6R8S9T0VW',
      reference: 'FSP-2026-000123',
      receivedAt: '2026-11-27T09:30:00.000Z',
      decisionDueBy: '2026-11-30T23:59:59.999Z',
      familySafeguardingFlag: true,
      escalated: true,
    };
    expect(referralItem(referral, now)).toEqual({
      title: { text: 'FSP-2026-000123' },
      href: '/front-door/referrals/01JGZ8Q4V7K3M2N5P6R8S9T0VW',
      hint: { text: 'Decision overdue by 1 working day. Received Friday 27 November 2026 at 9:30am. Escalated to the front door manager.' },
      status: { tag: { text: 'Overdue', classes: 'govuk-tag--red' } },
    });
    const dueToday = referralItem(
      { ...referral, decisionDueBy: '2026-12-01T23:59:59.999Z', receivedAt: '2026-11-30T14:05:00.000Z', escalated: false },
      now,
    );
    expect(dueToday.status).toEqual({ tag: { text: 'Due today', classes: 'govuk-tag--yellow' } });
    expect(dueToday.hint).toEqual({ text: 'Decision due by the end of today. Received yesterday at 2:05pm.' });
  });

  it('lists a case by its referral’s reference when known, with its assessment deadline', () => {
    const opened = {
      caseId: 'case-01JGZB7XQ2',
      referralId: 'r1',
      teamId: 'team-north-1',
      openedAt: '2026-12-01T09:15:00.000Z',
      assessmentDueBy: '2026-12-03T23:59:59.999Z',
    };
    expect(caseItem({ ...opened, reference: 'FSP-2026-000123' }, now)).toEqual({
      title: { text: 'FSP-2026-000123' },
      href: '/cases/case-01JGZB7XQ2',
      hint: { text: 'Opened today at 9:15am. Assessment due in 2 working days.' },
      status: { text: '' },
    });
    expect(caseItem(opened, now).title).toEqual({ text: 'Case opened from a referral' });
    const late = caseItem({ ...opened, assessmentDueBy: '2026-11-30T23:59:59.999Z' }, now);
    expect(late.status).toEqual({ tag: { text: 'Overdue', classes: 'govuk-tag--red' } });
    expect(late.hint).toEqual({ text: 'Opened today at 9:15am. Assessment overdue by 1 working day.' });
  });

  it('lists a supervision by when it is, linking to the case’s supervision', () => {
    const supervision = {
      supervisionId: 's1',
      caseId: 'case-01JGZB7XQ2',
      teamId: 'team-north-1',
      scheduledFor: '2026-12-01T14:00:00.000Z',
      dueBy: '2026-12-08T23:59:59.999Z',
      factAt: '2026-11-20T10:00:00.000Z',
    };
    expect(supervisionItem(supervision, now)).toEqual({
      title: { text: 'Group supervision today at 2pm' },
      href: '/supervision/cases/case-01JGZB7XQ2',
      hint: { text: 'Due by Tuesday 8 December 2026.' },
      status: { text: '' },
    });
  });

  it('names a failed delivery’s agency and what its last attempt got back', () => {
    const delivery = {
      deliveryId: 'a'.repeat(32),
      webhookId: `msg_${'a'.repeat(32)}`,
      agencyId: 'agency-oakfield-primary',
      agencyName: 'Oakfield Primary School',
      eventType: 'referral.decided',
      body: '{}',
      referralId: 'r1',
      reference: 'FSP-2026-000123',
      sourceEventId: 'e1',
      correlationId: 'c1',
      state: 'dead' as const,
      attempts: 13,
      createdAt: '2026-11-29T09:00:00.000Z',
      lastAttemptAt: '2026-11-30T15:00:00.000Z',
      lastResult: 'HTTP 503',
      deadAt: '2026-11-30T15:00:00.000Z',
    };
    expect(failedDeliveryItem(delivery, now)).toEqual({
      title: { text: 'Oakfield Primary School: FSP-2026-000123' },
      href: '/admin/webhook-deliveries',
      hint: { text: '13 attempts. Last result: HTTP 503. Stopped yesterday at 3pm.' },
      status: { tag: { text: 'Failed', classes: 'govuk-tag--red' } },
    });
  });

  it('counts the overdue and due-today referrals it shows, and says how many unread items there are', () => {
    const referral = (id: string, decisionDueBy: string) => ({
      referralId: id,
      reference: `FSP-2026-${id}`,
      receivedAt: '2026-11-27T09:30:00.000Z',
      decisionDueBy,
      familySafeguardingFlag: false,
      escalated: false,
    });
    const view = homeView(
      ['front-door'],
      {
        unreadCount: 1,
        referralsDue: {
          items: [
            referral('000001', '2026-11-30T23:59:59.999Z'),
            referral('000002', '2026-12-01T23:59:59.999Z'),
            referral('000003', '2026-12-01T23:59:59.999Z'),
          ],
          more: false,
        },
      },
      now,
    );
    expect(view).toMatchObject({ today: 'Tuesday 1 December 2026', unreadText: 'You have 1 unread item', sections: ['front-door'] });
    expect(view.referralsDue).toMatchObject({ overdue: 1, dueToday: 2, more: false });
  });
});
