/**
 * `npm start -- --seed` end to end: a fresh local cloud, the demo data loaded through the
 * platform's own APIs with the seed's present fixed on a Wednesday afternoon, then checked through
 * the JSON APIs a worker's pages use (never by reading a table): the front door's queue has
 * referrals due today and overdue, one being screened, and second referrals for known families; each
 * team holds its cases, opened days ago, those allocated with their first group supervision scheduled
 * (one north case awaits allocation); the workers recorded in the allocated cases (notes by several
 * roles, one restricted, one amended, one a draft; each case's summary); the inboxes have what the
 * event flow put there, the allocated workers told in their own; nothing was dead-lettered. A second --seed on the same data loads nothing.
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
  status: string;
  dueDate: string;
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

  it('opens cases for both teams, days ago, those allocated with their first group supervision scheduled', async () => {
    // Three of the four cases have their social worker (north: the Khans; south: the Walshes and the Prices), which
    // scheduled their first group supervision; the Adeyemis' north case awaits allocation, so has none yet.
    for (const [team, username, allocated] of [
      ['north', 'manager', 1],
      ['south', 'southmanager', 2],
    ] as const) {
      const agenda = await get<{ supervisions: Supervision[] }>(username, `/api/supervision/teams/${team}/agenda`);
      expect({ team, cases: agenda.supervisions.length }).toEqual({ team, cases: allocated });
      for (const supervision of agenda.supervisions) {
        expect(supervision.status).toBe('scheduled');
        const opened = await get<CaseView>(username, `/api/cases/${supervision.caseId}`);
        expect(opened).toMatchObject({ teamId: team, status: 'assessment' });
        // Opened when the front door decided, days before the present; its supervision a calendar month after its allocation.
        expect(Date.parse(opened.openedAt)).toBeLessThan(PRESENT.getTime() - 4 * DAY_MS);
        expect(supervision.dueDate > londonDateOf(new Date(opened.openedAt))).toBe(true);
        expect(supervision.dueDate > TODAY).toBe(true);
        expect(opened.chronology.map((entry) => entry.kind)).toContain('allocation-changed');
      }
    }
    // The police's second referral of the Khan children was added to their open case.
    const north = await get<{ supervisions: Supervision[] }>('manager', '/api/supervision/teams/north/agenda');
    const khan = await get<CaseView>('manager', `/api/cases/${north.supervisions[0]!.caseId}`);
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
    const north = await get<{ supervisions: Supervision[] }>('manager', '/api/supervision/teams/north/agenda');
    const caseId = north.supervisions[0]!.caseId;
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
    const kindsOf = async (username: string) => {
      const inbox = await get<{ items: InboxItem[]; unreadCount: number }>(username, '/api/inbox?limit=100');
      return { kinds: new Set(inbox.items.map((item) => item.kind)), items: inbox.items, unread: inbox.unreadCount };
    };
    const frontDoor = await kindsOf('frontdoor');
    expect([...frontDoor.kinds].sort()).toEqual(['referral-decision-due', 'referral-decision-overdue', 'referral-submitted']);
    expect(frontDoor.items.filter((item) => item.kind === 'referral-submitted')).toHaveLength(15);
    expect(Math.min(...frontDoor.items.map((item) => Date.parse(item.createdAt)))).toBeLessThan(PRESENT.getTime() - 14 * DAY_MS);
    // Each team's two new cases, and a supervision for each of its allocated ones.
    for (const [username, unread] of [
      ['manager', 3],
      ['southmanager', 4],
    ] as const) {
      const team = await kindsOf(username);
      expect([...team.kinds].sort()).toEqual(['case-opened', 'supervision-scheduled']);
      expect({ username, unread: team.unread }).toEqual({ username, unread });
    }
    // The allocated workers, each in their own mailbox as well as their team's.
    for (const [username, allocations] of [
      ['socialworker', 1],
      ['specialist', 1],
      ['southworker', 2],
    ] as const) {
      const worker = await kindsOf(username);
      expect({ username, allocations: worker.items.filter((item) => item.kind === 'case-allocated').length }).toEqual({
        username,
        allocations,
      });
    }
  });

  it('dead-letters nothing', async () => {
    const deadLetters = (await Promise.all(cloud.queues.all().map((queue) => queue.deadLetters()))).flat();
    expect(deadLetters).toEqual([]);
  });

  it('says on the ready screen what it loaded and whom to sign in as', () => {
    expect(seed.lines[0]).toContain('12 fictional families');
    expect(seed.lines[1]).toContain(
      '8 referrals awaiting a decision (2 overdue, 3 due today, 3 due in 1 working day); 2 being screened; 2 from known families',
    );
    expect(seed.lines[3]).toContain(
      '4 (2 north, 2 south); 3 allocated, each with its first group supervision scheduled; 1 awaiting allocation',
    );
    expect(seed.lines[4]).toBe('  Recorded: 3 case summaries; 4 completed notes on 2 cases (1 restricted entry, 1 amended)');
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
