/**
 * The ready screen's words for the demo data (infra/local/src/seed/summary.ts): counted against
 * the front door's deadlines on the platform's clock, the way the front door's pages count them.
 */
import { deadlineCounts, describe as describeSeed, groupSupervisionWords, NO_SUPERVISION, type SeedState } from '../../../src/seed/summary';

/** Wednesday 25 November 2026, 2:30pm in London. */
const NOW = new Date('2026-11-25T14:30:00Z');

const NOTHING = { summary: false, notes: 0, restricted: 0, amended: 0 };
const FLETCHERS = {
  ratings: ['red', 'amber', 'amber', 'green'] as const,
  overdue: 0,
  actions: { done: 7, open: 3, overdue: 1 },
};

const state = (overrides: Partial<SeedState> = {}): SeedState => ({
  now: NOW,
  families: 14,
  referrals: 17,
  awaiting: [
    { name: 'campbell/gp', status: 'received', decisionDueBy: '2026-11-23T23:59:59.999Z', knownFamily: 0 },
    { name: 'okoro/anonymous', status: 'in-screening', decisionDueBy: '2026-11-24T23:59:59.999Z', knownFamily: 0 },
    { name: 'hughes/school', status: 'received', decisionDueBy: '2026-11-25T23:59:59.999Z', knownFamily: 1 },
    { name: 'murphy/health-visitor', status: 'in-screening', decisionDueBy: '2026-11-25T23:59:59.999Z', knownFamily: 0 },
    { name: 'ali/police', status: 'received', decisionDueBy: '2026-11-26T23:59:59.999Z', knownFamily: 0 },
    { name: 'walsh/police-bail-breach', status: 'received', decisionDueBy: '2026-11-26T23:59:59.999Z', knownFamily: 2 },
  ],
  decided: [
    { name: 'khan/gp', outcome: 'assessment' },
    { name: 'adeyemi/school', outcome: 'assessment' },
    { name: 'walsh/police-assault', outcome: 'strategy-discussion' },
    { name: 'hughes/neighbour', outcome: 'no-further-action' },
  ],
  cases: [
    {
      caseId: 'case-1',
      teamId: 'north',
      supervisionsScheduled: 1,
      recorded: { summary: true, notes: 3, restricted: 1, amended: 1 },
      supervision: { ...FLETCHERS, ratings: [...FLETCHERS.ratings] },
    },
    {
      caseId: 'case-2',
      teamId: 'north',
      supervisionsScheduled: 1,
      recorded: { summary: true, notes: 1, restricted: 0, amended: 0 },
      supervision: { ...NO_SUPERVISION, overdue: 1 },
    },
    {
      caseId: 'case-3',
      teamId: 'south',
      supervisionsScheduled: 1,
      recorded: { summary: true, notes: 0, restricted: 0, amended: 0 },
      supervision: NO_SUPERVISION,
    },
    { caseId: 'case-4', teamId: 'south', supervisionsScheduled: 0, recorded: NOTHING, supervision: NO_SUPERVISION },
  ],
  unread: { frontDoor: 21, north: 4, south: 2 },
  ...overrides,
});

describe('the ready screen’s words for the demo data', () => {
  it('says what was loaded, where the front door stands, what was decided, the cases, what is recorded in them, their supervision, the inboxes and whom to sign in as', () => {
    expect(describeSeed(state())).toEqual([
      "Demo data: loaded 14 fictional families and their 17 referrals, through the platform's own APIs",
      '  Front door: 6 referrals awaiting a decision (2 overdue, 2 due today, 2 due in 1 working day); 2 being screened; 2 from known families',
      '  Decided: 4 (1 no further action, 2 Child and Family assessments, 1 strategy discussion)',
      '  Cases: 4 (2 north, 2 south); 3 allocated, each with its next group supervision scheduled; 1 awaiting allocation',
      '  Recorded: 3 case summaries; 4 completed notes on 2 cases (1 restricted entry, 1 amended)',
      '  Group supervision: 4 held on 1 case (rated Red → Amber → Amber → Green); 1 overdue; actions: 7 done, 3 open (1 overdue)',
      '  Unread in the inbox: front door 21, north team 4, south team 2',
      '  Sign in as',
      '    frontdoor      the front door: its queue, due and overdue decisions, known families',
      '    manager        the north team: its cases, the Fletchers’ supervision records, what is overdue',
      '    socialworker   the north social worker: his caseload, the Khans’ notes and his draft, his actions',
      '    specialist     the north adult specialist: the Khans’ restricted entry in full, an overdue action',
      '    southmanager   the south team: its cases and their supervision',
    ]);
  });

  it('says when data kept from an earlier start was loaded, and that it was not loaded again', () => {
    expect(describeSeed(state(), { loadedAt: new Date('2026-11-20T09:00:00Z') })[0]).toBe(
      'Demo data: loaded on Friday 20 November 2026 and kept, so not loaded again: 14 families, 17 referrals',
    );
  });

  it('counts a case without a group supervision scheduled as awaiting allocation (the first social worker schedules the first)', () => {
    const alone = (supervisionsScheduled: number, teamId = 'south') => ({
      cases: [{ caseId: 'case-1', teamId, supervisionsScheduled, recorded: NOTHING, supervision: NO_SUPERVISION }],
    });
    expect(describeSeed(state(alone(0)))[3]).toBe('  Cases: 1 (1 south); 1 awaiting allocation');
    expect(describeSeed(state(alone(1, 'north')))[3]).toBe('  Cases: 1 (1 north); 1 allocated, with its next group supervision scheduled');
    expect(describeSeed(state({ cases: [] }))[3]).toBe('  Cases: 0 (none)');
  });

  it('counts group supervision as the team managers see it: held and each case’s ratings in turn, those overdue, actions done and open', () => {
    expect(describeSeed(state({ cases: [] }))[5]).toBe('  Group supervision: none held yet; 0 overdue; no actions');
    expect(
      groupSupervisionWords([
        { ratings: ['amber'], overdue: 0, actions: { done: 0, open: 1, overdue: 0 } },
        { ratings: ['red', 'red'], overdue: 1, actions: { done: 2, open: 0, overdue: 0 } },
        { ...NO_SUPERVISION, overdue: 1 },
      ]),
    ).toBe('3 held on 2 cases (rated Amber; Red → Red); 2 overdue; actions: 2 done, 1 open');
  });

  it('counts what the team managers see recorded: summaries, completed notes and on how many cases, restricted entries and amended notes', () => {
    expect(describeSeed(state({ cases: [] }))[4]).toBe('  Recorded: 0 case summaries; 0 completed notes');
    const one = { caseId: 'case-1', teamId: 'north', supervisionsScheduled: 1, supervision: NO_SUPERVISION };
    expect(describeSeed(state({ cases: [{ ...one, recorded: { summary: true, notes: 1, restricted: 0, amended: 0 } }] }))[4]).toBe(
      '  Recorded: 1 case summary; 1 completed note on 1 case',
    );
    expect(
      describeSeed(
        state({
          cases: [
            { ...one, recorded: { summary: false, notes: 2, restricted: 2, amended: 0 } },
            { ...one, caseId: 'case-2', recorded: { summary: true, notes: 3, restricted: 0, amended: 2 } },
          ],
        }),
      )[4],
    ).toBe('  Recorded: 1 case summary; 5 completed notes on 2 cases (2 restricted entries, 2 amended)');
  });

  it('counts deadlines in working days on the platform’s clock: nothing is due today on a Saturday, and Monday is 1 working day away', () => {
    const saturday = deadlineCounts(state({ now: new Date('2026-11-28T10:00:00Z') }));
    expect(saturday.overdue).toBe(6);
    const friday = deadlineCounts({
      now: new Date('2026-11-27T10:00:00Z'),
      awaiting: [
        { name: 'a', status: 'received', decisionDueBy: '2026-11-27T23:59:59.999Z', knownFamily: 0 },
        { name: 'b', status: 'received', decisionDueBy: '2026-11-30T23:59:59.999Z', knownFamily: 0 },
      ],
    });
    expect(friday).toEqual({ overdue: 0, dueToday: 1, dueLater: new Map([[1, 1]]) });
  });
});
