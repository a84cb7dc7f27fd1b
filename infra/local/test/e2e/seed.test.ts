/**
 * `npm start -- --seed` end to end: a fresh local cloud, the demo data loaded through the
 * platform's own APIs with the seed's present fixed on a Wednesday afternoon, then checked through
 * the JSON APIs a worker's pages use (never by reading a table): the front door's queue has
 * referrals due today and overdue, one being screened, and second referrals for known families; each
 * team holds its cases, opened days or months ago, those allocated with a group supervision scheduled
 * (one north case awaits allocation); the workers recorded in the allocated cases (notes by several
 * roles, one restricted, one amended, one a draft; each case's summary); the Fletchers' case has four
 * months of group supervision (rated Red, Amber, Amber, Green), its actions done on time but one,
 * overdue and escalated, and the Robinsons' first supervision is overdue; the inboxes have what the
 * event flow put there, the allocated workers told in their own; nothing was dead-lettered. A second
 * --seed on the same data loads nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { londonDateOf } from '@fsp/shared/time/london';
import type { LocalCloud } from '../../src/local-cloud';
import { type SeedResult, seedDemoData } from '../../src/seed';
import { workerToken } from './local-cloud/support';
import { startSeededCloud } from './seeded-cloud';

/** A Wednesday, 2:30pm in London (GMT): after the 12:00 reminders, with working days on either side. */
const PRESENT = new Date('2026-11-25T14:30:00Z');
const TODAY = '2026-11-25';
const DAY_MS = 24 * 60 * 60 * 1000;

interface QueueEntry {
  referralId: string;
  reference: string;
  receivedAt: string;
  decisionDueBy: string;
  status: string;
  knownFamily: { strength: string; reference: string; status?: string; outcome?: string; caseId?: string }[];
}
interface Supervision {
  caseId: string;
  sequence: number;
  status: string;
  dueDate: string;
  dueBy: string;
  scheduledDate: string;
  heldOn?: string;
  overdueAt?: string;
  record?: { recordStatus: string; heldOn?: string; rating?: string; attendees: string[]; apologies: string[]; completedAt?: string };
}
interface Action {
  actionId: string;
  sequence: number;
  what: string;
  ownerName: string;
  dueDate: string;
  dueBy: string;
  status: string;
  completedAt?: string;
  overdueTold: { owner?: string; 'team-manager'?: string };
}
interface CaseSupervisionView {
  lastRating?: string;
  ratings: { sequence: number; heldOn: string; rating: string; rationale: string }[];
  supervisions: Supervision[];
  actions: Action[];
}
interface CaseView {
  id: string;
  teamId: string;
  status: string;
  urgent: boolean;
  openedAt: string;
  chronology: { kind: string; text: string }[];
}
interface NoteView {
  id: string;
  type: string;
  status?: string;
  restricted: boolean;
  withheld?: boolean;
  author: { name: string };
  occurredAt: string;
  narrative?: string;
  originalNarrative?: string;
  significant?: boolean;
  childrenSeenAlone?: { answer: string }[];
  amendments?: { reason: string; by: { name: string } }[];
}
interface SummaryView {
  text?: string;
  updatedAt?: string;
  updatedBy?: { name: string };
}
interface InboxItem {
  kind: string;
  createdAt: string;
}

let cloud: LocalCloud;
let seed: SeedResult;
let directory: string;

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'fsp-seed-'));
  ({ cloud, seed } = await startSeededCloud({ tablePrefix: 'seed', present: PRESENT, recordFile: join(directory, 'seed.json') }));
}, 240_000);

afterAll(async () => {
  await cloud?.stop();
  rmSync(directory, { recursive: true, force: true });
});

/** The case a seeded referral opened (or joined). */
function caseOf(name: string): string {
  const caseId = seed.seeded.find((referral) => referral.name === name)?.caseId;
  if (!caseId) throw new Error(`the seed opened no case for ${name}`);
  return caseId;
}

async function get<T>(username: string, path: string): Promise<T> {
  const response = await fetch(`${cloud.url}${path}`, { headers: { authorization: `Bearer ${await workerToken(cloud, username)}` } });
  expect({ path, status: response.status }).toEqual({ path, status: 200 });
  return (await response.json()) as T;
}

describe('npm start -- --seed', () => {
  it('loads, and leaves the functions’ clock at the seed’s present', () => {
    expect(seed.outcome).toBe('loaded');
    const functionsNow = Date.now() + cloud.runtime.clockOffset();
    expect(functionsNow).toBeGreaterThanOrEqual(PRESENT.getTime());
    expect(functionsNow).toBeLessThan(PRESENT.getTime() + 60_000);
  });

  it('gives the front door referrals due today and overdue, one being screened, and second referrals for known families', async () => {
    const { referrals } = await get<{ referrals: QueueEntry[] }>('frontdoor', '/api/front-door/referrals');
    const now = PRESENT.getTime();
    const overdue = referrals.filter((referral) => Date.parse(referral.decisionDueBy) < now);
    const dueToday = referrals.filter(
      (referral) => Date.parse(referral.decisionDueBy) >= now && londonDateOf(new Date(referral.decisionDueBy)) === TODAY,
    );
    expect({ overdue: overdue.length, dueToday: dueToday.length, awaiting: referrals.length }).toEqual({
      overdue: 2,
      dueToday: 3,
      awaiting: 8,
    });
    // Received on earlier days: the platform's own clock stamped them, days before the present.
    for (const referral of [...overdue, ...dueToday]) expect(londonDateOf(new Date(referral.receivedAt)) < TODAY).toBe(true);
    expect(referrals.filter((referral) => referral.status === 'in-screening')).toHaveLength(2);

    // A school's referral of a child the front door decided no further action for, nine working days ago…
    const afterNoFurtherAction = referrals.filter((referral) =>
      referral.knownFamily.some((match) => match.strength === 'strong' && match.outcome === 'no-further-action'),
    );
    expect(afterNoFurtherAction).toHaveLength(1);
    expect(dueToday).toContainEqual(afterNoFurtherAction[0]);
    // …and the police's about children whose case is open with the south team.
    const withOpenCase = referrals.filter((referral) => referral.knownFamily.some((match) => match.caseId !== undefined));
    expect(withOpenCase).toHaveLength(1);
    const openCase = await get<CaseView>('southmanager', `/api/cases/${withOpenCase[0]!.knownFamily[0]!.caseId}`);
    expect(openCase).toMatchObject({ teamId: 'south', urgent: true });
  });

  it('opens cases for both teams, days or months ago, those allocated with a group supervision scheduled', async () => {
    // Five of the six cases have their social worker (north: the Fletchers, the Robinsons and the Khans; south: the Walshes
    // and the Prices), which scheduled their first group supervision; the Adeyemis' north case awaits allocation, so has none yet.
    for (const [team, username, allocated] of [
      ['north', 'manager', ['fletcher/police', 'robinson/school', 'khan/gp']],
      ['south', 'southmanager', ['walsh/police-assault', 'price/health-visitor']],
    ] as const) {
      const agenda = await get<{ supervisions: Supervision[] }>(username, `/api/supervision/teams/${team}/agenda`);
      expect(agenda.supervisions.map((supervision) => supervision.caseId).sort()).toEqual(allocated.map(caseOf).sort());
      for (const supervision of agenda.supervisions) {
        expect(supervision.status).toBe('scheduled');
        const opened = await get<CaseView>(username, `/api/cases/${supervision.caseId}`);
        // The Fletchers' assessment is authorised and their child in need plan started; the others are still being assessed.
        const status = supervision.caseId === caseOf('fletcher/police') ? 'child-in-need' : 'assessment';
        expect(opened).toMatchObject({ teamId: team, status });
        // Opened when the front door decided, days before the present; its supervision a calendar month after its allocation.
        expect(Date.parse(opened.openedAt)).toBeLessThan(PRESENT.getTime() - 4 * DAY_MS);
        expect(supervision.dueDate > londonDateOf(new Date(opened.openedAt))).toBe(true);
        expect(opened.chronology.map((entry) => entry.kind)).toContain('allocation-changed');
      }
      // Due later, but for the Robinsons' first, which was due by Friday 13 November and not held.
      expect(agenda.supervisions.filter((supervision) => supervision.dueDate < TODAY).map((supervision) => supervision.caseId)).toEqual(
        team === 'north' ? [caseOf('robinson/school')] : [],
      );
    }
    // The police's second referral of the Khan children was added to their open case.
    const khan = await get<CaseView>('manager', `/api/cases/${caseOf('khan/gp')}`);
    // Its significant notes (Sam's visit, amended, and Dana's restricted entry) are in its chronology too.
    expect(khan.chronology.map((entry) => entry.kind).sort()).toEqual([
      'allocation-changed',
      'case-opened',
      'note-amended',
      'note-significant',
      'note-significant',
      'referral-linked',
    ]);
    const restrictedEntry = khan.chronology.find((entry) => entry.kind === 'note-significant' && entry.text.startsWith('Restricted entry'));
    expect(restrictedEntry?.text).toBe('Restricted entry — office appointment recorded by Dana Lewis');
  });

  it('records notes by several roles on the Khans’ case: the team manager sees the restricted entry without its content, the specialist in full', async () => {
    const caseId = caseOf('khan/gp');
    const notesAs = async (username: string) => (await get<{ notes: NoteView[] }>(username, `/api/cases/${caseId}/notes`)).notes;
    const brief = (note: NoteView) => `${note.type} by ${note.author.name}: ${note.withheld ? 'withheld' : note.status}`;

    // Jo Patel, the team manager: newest contact first; Dana's restricted entry withheld; Sam's draft not hers to see.
    const asJo = await notesAs('manager');
    expect(asJo.map(brief)).toEqual([
      'management-oversight by Jo Patel: completed',
      'office-appointment by Dana Lewis: withheld',
      'home-visit by Sam Okafor: completed',
    ]);
    const withheld = asJo[1]!;
    expect(withheld).toMatchObject({ restricted: true, withheld: true });
    expect(withheld).not.toHaveProperty('narrative');
    expect(JSON.stringify(withheld)).not.toContain('sertraline');
    // Sam's visit: amended with its reason, both versions kept; Zara seen alone, Ibrahim too young to ask.
    const visit = asJo[2]!;
    expect(visit).toMatchObject({ significant: true, restricted: false });
    expect(visit.narrative).toContain('Ms Hart');
    expect(visit.originalNarrative).toContain('Ms Hunt');
    expect(visit.amendments).toEqual([
      expect.objectContaining({ reason: expect.stringContaining('Ms Hart'), by: expect.objectContaining({ name: 'Sam Okafor' }) }),
    ]);
    expect(visit.childrenSeenAlone?.map((child) => child.answer).sort()).toEqual(['not-applicable', 'yes']);
    // Every note written before the present, on the days the data says.
    for (const note of asJo) expect(Date.parse(note.occurredAt)).toBeLessThan(PRESENT.getTime() - DAY_MS);

    // Sam sees his own draft as well, and Dana's entry withheld (it is open to adult specialists only).
    expect((await notesAs('socialworker')).map(brief)).toEqual([
      'professional-contact by Sam Okafor: draft',
      'management-oversight by Jo Patel: completed',
      'office-appointment by Dana Lewis: withheld',
      'home-visit by Sam Okafor: completed',
    ]);
    // Dana, its author and an adult specialist, reads it in full.
    const asDana = await notesAs('specialist');
    expect(asDana.map(brief)).toEqual([
      'management-oversight by Jo Patel: completed',
      'office-appointment by Dana Lewis: completed',
      'home-visit by Sam Okafor: completed',
    ]);
    expect(asDana[1]).toMatchObject({ restricted: true, significant: true });
    expect(asDana[1]!.narrative).toContain('sertraline');
  });

  it('gives each allocated case its summary by its social worker, and a completed note on a south case', async () => {
    // Every allocated case: each is on its team's agenda.
    for (const [team, username, socialWorker] of [
      ['north', 'manager', 'Sam Okafor'],
      ['south', 'southmanager', 'Tomasz Nowicki'],
    ] as const) {
      const agenda = await get<{ supervisions: Supervision[] }>(username, `/api/supervision/teams/${team}/agenda`);
      for (const { caseId } of agenda.supervisions) {
        const summary = await get<SummaryView>(username, `/api/cases/${caseId}/summary`);
        expect({ caseId, by: summary.updatedBy?.name, written: Boolean(summary.text) }).toEqual({
          caseId,
          by: socialWorker,
          written: true,
        });
        expect(Date.parse(summary.updatedAt!)).toBeLessThan(PRESENT.getTime() - DAY_MS);
      }
    }
    const south = await get<{ supervisions: Supervision[] }>('southmanager', '/api/supervision/teams/south/agenda');
    const southNotes = (
      await Promise.all(
        south.supervisions.map(
          async ({ caseId }) => (await get<{ notes: NoteView[] }>('southmanager', `/api/cases/${caseId}/notes`)).notes,
        ),
      )
    ).flat();
    expect(southNotes.map((note) => `${note.type} by ${note.author.name}: ${note.status}`)).toEqual([
      'home-visit by Tomasz Nowicki: completed',
    ]);
  });

  it('puts what the event flow says in each inbox, at the times things happened', async () => {
    const inboxOf = async (username: string) => {
      const inbox = await get<{ items: InboxItem[]; unreadCount: number }>(username, '/api/inbox?limit=100');
      const counts: Record<string, number> = {};
      for (const item of inbox.items) counts[item.kind] = (counts[item.kind] ?? 0) + 1;
      return { counts, items: inbox.items, unread: inbox.unreadCount };
    };
    const frontDoor = await inboxOf('frontdoor');
    expect(Object.keys(frontDoor.counts).sort()).toEqual(['referral-decision-due', 'referral-decision-overdue', 'referral-submitted']);
    expect(frontDoor.counts['referral-submitted']).toBe(17);
    expect(Math.min(...frontDoor.items.map((item) => Date.parse(item.createdAt)))).toBeLessThan(PRESENT.getTime() - 14 * DAY_MS);
    // Each team's new cases, and each supervision scheduled (the Fletchers' first and the four after those held); the
    // north team's manager also told of the Robinsons' supervision not held and of Dana's action still open.
    const north = await inboxOf('manager');
    expect(north.counts).toEqual({
      'case-opened': 4,
      'supervision-scheduled': 7,
      'supervision-overdue': 1,
      'supervision-action-escalated': 1,
    });
    expect(north.unread).toBe(13);
    const south = await inboxOf('southmanager');
    expect(south.counts).toEqual({ 'case-opened': 2, 'supervision-scheduled': 2 });
    expect(south.unread).toBe(4);
    // Each escalation when the schedule found it due: just after the end of the day it was due by.
    const toldOn = (items: InboxItem[], kind: string) =>
      items.filter((item) => item.kind === kind).map((item) => londonDateOf(new Date(item.createdAt)));
    expect(toldOn(north.items, 'supervision-overdue')).toEqual(['2026-11-14']);
    expect(toldOn(north.items, 'supervision-action-escalated')).toEqual(['2026-10-29']);
    // The allocated workers, each in their own mailbox as well as their team's: their allocations and their actions.
    for (const [username, allocations, assigned, overdue] of [
      ['socialworker', 3, 5, 0],
      ['specialist', 2, 4, 1],
      ['southworker', 2, 0, 0],
    ] as const) {
      const { counts, items } = await inboxOf(username);
      expect({
        username,
        allocations: counts['case-allocated'],
        assigned: counts['supervision-action-assigned'] ?? 0,
        overdue: counts['supervision-action-overdue'] ?? 0,
      }).toEqual({ username, allocations, assigned, overdue });
      if (overdue > 0) expect(toldOn(items, 'supervision-action-overdue')).toEqual(['2026-10-27']);
    }
  });

  it('holds the Fletchers’ group supervision monthly for four months, the ratings changing, and leaves the next scheduled', async () => {
    const caseId = caseOf('fletcher/police');
    const shown = await get<CaseSupervisionView>('manager', `/api/supervision/cases/${caseId}`);
    expect(shown.ratings.map(({ sequence, heldOn, rating }) => ({ sequence, heldOn, rating }))).toEqual([
      { sequence: 1, heldOn: '2026-08-14', rating: 'red' },
      { sequence: 2, heldOn: '2026-09-14', rating: 'amber' },
      { sequence: 3, heldOn: '2026-10-14', rating: 'amber' },
      { sequence: 4, heldOn: '2026-11-13', rating: 'green' },
    ]);
    expect(shown.lastRating).toBe('green');
    for (const { rationale } of shown.ratings) expect(rationale).toMatch(/^(Red|Amber|Still Amber|Green)\. /);
    const held = shown.supervisions.filter((supervision) => supervision.status === 'held');
    expect(held).toHaveLength(4);
    for (const supervision of held) {
      // Held on the day it was scheduled for, by its due date; the record completed that afternoon.
      expect(supervision.heldOn).toBe(supervision.scheduledDate);
      expect(supervision.heldOn! <= supervision.dueDate).toBe(true);
      expect(supervision.overdueAt).toBeUndefined();
      expect(supervision.record).toMatchObject({ recordStatus: 'completed', heldOn: supervision.heldOn });
      expect(londonDateOf(new Date(supervision.record!.completedAt!))).toBe(supervision.heldOn);
    }
    // Dana sent her apologies to the second.
    expect(held.map((supervision) => [supervision.record!.attendees.length, supervision.record!.apologies.length])).toEqual([
      [3, 0],
      [2, 1],
      [3, 0],
      [3, 0],
    ]);
    // The fifth, scheduled a calendar month after the fourth: Sunday 13 December, so Friday 11 December.
    expect(shown.supervisions.filter((supervision) => supervision.status === 'scheduled')).toEqual([
      expect.objectContaining({ sequence: 5, dueDate: '2026-12-13', scheduledDate: '2026-12-11' }),
    ]);
    // The case's chronology tells the team each one held, with its rating.
    const opened = await get<CaseView>('manager', `/api/cases/${caseId}`);
    expect(opened.chronology.filter((entry) => entry.kind === 'supervision-held')).toHaveLength(4);
  });

  it('has the Fletchers’ actions done on time by their owners but one, overdue and escalated to its owner and then the team manager', async () => {
    const caseId = caseOf('fletcher/police');
    const { actions } = await get<CaseSupervisionView>('manager', `/api/supervision/cases/${caseId}`);
    expect(actions).toHaveLength(9);
    const done = actions.filter((action) => action.status === 'completed');
    expect(done).toHaveLength(6);
    for (const action of done) expect(Date.parse(action.completedAt!)).toBeLessThanOrEqual(Date.parse(action.dueBy));
    expect(new Set(done.map((action) => action.ownerName))).toEqual(new Set(['Sam Okafor', 'Dana Lewis']));
    const open = actions.filter((action) => action.status === 'open');
    const overdue = open.filter((action) => Date.parse(action.dueBy) < PRESENT.getTime());
    expect(overdue.map((action) => ({ sequence: action.sequence, owner: action.ownerName, dueDate: action.dueDate }))).toEqual([
      { sequence: 3, owner: 'Dana Lewis', dueDate: '2026-10-26' },
    ]);
    expect(londonDateOf(new Date(overdue[0]!.overdueTold.owner!))).toBe('2026-10-27');
    expect(londonDateOf(new Date(overdue[0]!.overdueTold['team-manager']!))).toBe('2026-10-29');
    // The fourth's two, due after the present, not yet.
    expect(open.filter((action) => action.sequence === 4).map((action) => action.overdueTold)).toEqual([{}, {}]);

    // Each owner's list of actions, and the team's overdue list: Dana's action and the Robinsons' supervision.
    const mine = async (username: string) =>
      (await get<{ actions: Action[] }>(username, '/api/supervision/actions')).actions.map((action) => action.sequence).sort();
    expect(await mine('specialist')).toEqual([3, 4]);
    expect(await mine('socialworker')).toEqual([4]);
    const teamOverdue = await get<{ supervisions: Supervision[]; actions: Action[] }>('manager', '/api/supervision/teams/north/overdue');
    expect(teamOverdue.actions.map((action) => action.actionId)).toEqual([overdue[0]!.actionId]);
    expect(teamOverdue.supervisions.map((supervision) => [supervision.caseId, supervision.sequence])).toEqual([
      [caseOf('robinson/school'), 1],
    ]);
    expect(londonDateOf(new Date(teamOverdue.supervisions[0]!.overdueAt!))).toBe('2026-11-14');
  });

  it('tracks the Fletchers’ adults’ stages of change: Natalie moved from contemplation to action, Craig still in precontemplation', async () => {
    type Motivation = { adults: { name: string; concerns: { concernText: string; history: { stage: string }[] }[] }[] };
    const motivation = await get<Motivation>('socialworker', `/api/cases/${caseOf('fletcher/police')}/motivation`);
    expect(
      motivation.adults.map((adult) => ({
        name: adult.name,
        concerns: adult.concerns.map((concern) => [concern.concernText, concern.history.map((entry) => entry.stage)]),
      })),
    ).toEqual([
      { name: 'Natalie Fletcher', concerns: [['Domestic abuse', ['action', 'contemplation']]] },
      { name: 'Craig Dawson', concerns: [['Substance misuse: alcohol', ['precontemplation']]] },
    ]);
  });

  it('dead-letters nothing', async () => {
    const deadLetters = (await Promise.all(cloud.queues.all().map((queue) => queue.deadLetters()))).flat();
    expect(deadLetters).toEqual([]);
  });

  it('says on the ready screen what it loaded and whom to sign in as', () => {
    expect(seed.lines[0]).toContain('14 fictional families');
    expect(seed.lines[1]).toContain(
      '8 referrals awaiting a decision (2 overdue, 3 due today, 3 due in 1 working day); 2 being screened; 2 from known families',
    );
    expect(seed.lines[3]).toContain(
      '6 (4 north, 2 south); 5 allocated, each with its next group supervision scheduled; 1 awaiting allocation',
    );
    expect(seed.lines[4]).toBe('  Recorded: 5 case summaries; 4 completed notes on 2 cases (1 restricted entry, 1 amended)');
    expect(seed.lines[5]).toBe(
      '  Group supervision: 4 held on 1 case (rated Red → Amber → Amber → Green); 1 overdue; actions: 6 done, 3 open (1 overdue)',
    );
    expect(seed.lines.slice(-6).map((line) => line.trim().split(/\s+/)[0])).toEqual([
      'Sign',
      'frontdoor',
      'manager',
      'socialworker',
      'specialist',
      'southmanager',
    ]);
    expect(cloud.demoWorkers.map((worker) => worker.username)).toEqual(expect.arrayContaining(['southmanager', 'southworker']));
  });

  it('loads nothing a second time into the same data', async () => {
    const before = await get<{ referrals: unknown[] }>('frontdoor', '/api/front-door/referrals');
    const again = await seedDemoData(cloud, { present: PRESENT, recordFile: join(directory, 'seed.json') });
    expect(again.outcome).toBe('already-loaded');
    expect(again.lines[0]).toMatch(/not loaded again/);
    expect((await get<{ referrals: unknown[] }>('frontdoor', '/api/front-door/referrals')).referrals).toHaveLength(before.referrals.length);
  });
});
