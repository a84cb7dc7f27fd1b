/**
 * What the seed loaded, as the platform shows it now (read through the same JSON APIs a worker's
 * pages use), and the ready screen's words for it. `collectState` does the reading; `describe` is
 * pure, so the words can be checked for any state and any day.
 */
import type { ReferralOutcome } from '@fsp/shared/events/codes';
import { londonDateOf } from '@fsp/shared/time/london';
import { workingDaysBetween } from '@fsp/shared/time/working-days';
import { mojDate } from '@fsp/shared/web/dates';
import type { SeedClient } from './client';
import { SIGN_IN_AS, type TeamId } from './data';
import type { SeededReferral } from './steps';

export interface SeedState {
  /** The platform's present (the functions' clock) when the state was read. */
  now: Date;
  families: number;
  referrals: number;
  /** The front door's queue, as far as the seed's referrals are in it. */
  awaiting: { name: string; status: string; decisionDueBy: string; knownFamily: number }[];
  decided: { name: string; outcome: ReferralOutcome }[];
  cases: {
    caseId: string;
    teamId: string;
    supervisionsScheduled: number;
    /** What its team manager sees recorded in it: whether it has a summary, its completed notes, how many restricted or amended. */
    recorded: CaseRecorded;
    /** Its group supervision as its team manager sees it. */
    supervision: CaseSupervision;
  }[];
  unread: { frontDoor: number; north: number; south: number };
}

export interface CaseRecorded {
  summary: boolean;
  notes: number;
  restricted: number;
  amended: number;
}

export type Rating = 'red' | 'amber' | 'green';

/** A case's group supervision: the ratings of those held (oldest first), those not held by their due date, and the actions set. */
export interface CaseSupervision {
  ratings: Rating[];
  overdue: number;
  actions: { done: number; open: number; overdue: number };
}

export const NO_SUPERVISION: CaseSupervision = { ratings: [], overdue: 0, actions: { done: 0, open: 0, overdue: 0 } };

interface SupervisionView {
  supervisions?: { status: string; dueBy: string }[];
  ratings?: { rating: Rating }[];
  actions?: { status: string; dueBy: string }[];
}

interface NoteEntry {
  status?: string;
  restricted: boolean;
  withheld?: boolean;
  completedAt?: string;
  amendments?: unknown[];
}

interface QueueEntry {
  referralId: string;
  status: string;
  decisionDueBy: string;
  knownFamily: unknown[];
}

export async function collectState(
  client: SeedClient,
  tokens: { frontDoor: string; teams: Record<TeamId, string> },
  seeded: readonly SeededReferral[],
  now: Date,
): Promise<SeedState> {
  const queue = await client.expect<{ referrals: QueueEntry[] }>(200, 'GET', '/api/front-door/referrals', { token: tokens.frontDoor });
  const queued = new Map(queue.referrals.map((entry) => [entry.referralId, entry]));
  const awaiting: SeedState['awaiting'] = [];
  const decided: SeedState['decided'] = [];
  const cases = new Map<string, SeedState['cases'][number]>();
  for (const referral of seeded) {
    const entry = queued.get(referral.referralId);
    if (entry) {
      awaiting.push({
        name: referral.name,
        status: entry.status,
        decisionDueBy: entry.decisionDueBy,
        knownFamily: entry.knownFamily.length,
      });
      continue;
    }
    const shown = await client.expect<{ status: string; decision?: { outcome: ReferralOutcome } }>(
      200,
      'GET',
      `/api/front-door/referrals/${referral.referralId}`,
      { token: tokens.frontDoor },
    );
    if (!shown.decision) continue;
    decided.push({ name: referral.name, outcome: shown.decision.outcome });
    if (shown.decision.outcome === 'no-further-action' || shown.decision.outcome === 'early-help') continue;
    const found = await client.call<{ id: string; teamId: string }>(
      'GET',
      `/api/cases?referralId=${encodeURIComponent(referral.referralId)}`,
      {
        token: tokens.frontDoor,
      },
    );
    if (found.status !== 200 || cases.has(found.body.id)) continue;
    const teamToken = tokens.teams[found.body.teamId as TeamId];
    const supervision = teamToken
      ? await client.call<SupervisionView>('GET', `/api/supervision/cases/${found.body.id}`, { token: teamToken })
      : undefined;
    const scheduled = supervision?.status === 200 ? (supervision.body.supervisions ?? []).filter((s) => s.status === 'scheduled') : [];
    cases.set(found.body.id, {
      caseId: found.body.id,
      teamId: found.body.teamId,
      supervisionsScheduled: scheduled.length,
      recorded: teamToken ? await recordedIn(client, teamToken, found.body.id) : { summary: false, notes: 0, restricted: 0, amended: 0 },
      supervision: supervision?.status === 200 ? supervisionOf(supervision.body, now) : NO_SUPERVISION,
    });
  }
  const unreadOf = async (token: string) =>
    (await client.expect<{ unreadCount: number }>(200, 'GET', '/api/inbox/unread-count', { token })).unreadCount;
  return {
    now,
    families: new Set(seeded.map((referral) => referral.family.key)).size,
    referrals: seeded.length,
    awaiting,
    decided,
    cases: [...cases.values()],
    unread: {
      frontDoor: await unreadOf(tokens.frontDoor),
      north: await unreadOf(tokens.teams.north),
      south: await unreadOf(tokens.teams.south),
    },
  };
}

/** A case's group supervision as its team manager reads it, on the platform's clock. */
function supervisionOf(view: SupervisionView, now: Date): CaseSupervision {
  const past = (dueBy: string) => Date.parse(dueBy) < now.getTime();
  const open = (view.actions ?? []).filter((action) => action.status === 'open');
  return {
    ratings: (view.ratings ?? []).map((entry) => entry.rating),
    overdue: (view.supervisions ?? []).filter((supervision) => supervision.status === 'scheduled' && past(supervision.dueBy)).length,
    actions: {
      done: (view.actions ?? []).filter((action) => action.status === 'completed').length,
      open: open.length,
      overdue: open.filter((action) => past(action.dueBy)).length,
    },
  };
}

/** A case's summary and completed notes as its team manager reads them (a restricted entry withheld, but counted). */
async function recordedIn(client: SeedClient, token: string, caseId: string): Promise<CaseRecorded> {
  const summary = await client.expect<{ text?: string }>(200, 'GET', `/api/cases/${caseId}/summary`, { token });
  const { notes } = await client.expect<{ notes: NoteEntry[] }>(200, 'GET', `/api/cases/${caseId}/notes`, { token });
  const completed = notes.filter((note) => note.status === 'completed' || (note.withheld && note.completedAt));
  return {
    summary: Boolean(summary.text),
    notes: completed.length,
    restricted: completed.filter((note) => note.restricted).length,
    amended: completed.filter((note) => (note.amendments?.length ?? 0) > 0).length,
  };
}

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

const OUTCOME_WORDS: Record<ReferralOutcome, [string, string]> = {
  'no-further-action': ['no further action', 'no further action'],
  'early-help': ['stepped down to early help', 'stepped down to early help'],
  assessment: ['Child and Family assessment', 'Child and Family assessments'],
  'strategy-discussion': ['strategy discussion', 'strategy discussions'],
  'added-to-open-case': ['added to an open case', 'added to open cases'],
};

/** Where each awaiting referral stands against its deadline on the front door's clock: overdue, due today, due in n working days. */
export function deadlineCounts(state: Pick<SeedState, 'awaiting' | 'now'>): {
  overdue: number;
  dueToday: number;
  dueLater: Map<number, number>;
} {
  const today = londonDateOf(state.now);
  let overdue = 0;
  let dueToday = 0;
  const dueLater = new Map<number, number>();
  for (const referral of state.awaiting) {
    const dueBy = new Date(referral.decisionDueBy);
    if (state.now.getTime() > dueBy.getTime()) overdue += 1;
    else {
      const left = workingDaysBetween(today, londonDateOf(dueBy));
      if (left === 0) dueToday += 1;
      else dueLater.set(left, (dueLater.get(left) ?? 0) + 1);
    }
  }
  return { overdue, dueToday, dueLater };
}

const RATING_WORDS: Record<Rating, string> = { red: 'Red', amber: 'Amber', green: 'Green' };

/** "4 held on 1 case (rated Red → Amber → Amber → Green); 1 overdue; actions: 6 done, 3 open (1 overdue)". */
export function groupSupervisionWords(cases: readonly CaseSupervision[]): string {
  const held = cases.filter((found) => found.ratings.length > 0);
  const count = (of: (found: CaseSupervision) => number) => cases.reduce((total, found) => total + of(found), 0);
  const heldCount = count((found) => found.ratings.length);
  const heldWords =
    heldCount > 0
      ? `${heldCount} held on ${plural(held.length, 'case')} (rated ${held.map((found) => found.ratings.map((rating) => RATING_WORDS[rating]).join(' → ')).join('; ')})`
      : 'none held yet';
  const actions = { done: count((found) => found.actions.done), open: count((found) => found.actions.open) };
  const overdueActions = count((found) => found.actions.overdue);
  const actionWords =
    actions.done + actions.open > 0
      ? `actions: ${actions.done} done, ${actions.open} open${overdueActions > 0 ? ` (${overdueActions} overdue)` : ''}`
      : 'no actions';
  return `${heldWords}; ${count((found) => found.overdue)} overdue; ${actionWords}`;
}

/** The ready screen's lines about the demo data. `loadedAt` is given when it was loaded at an earlier start. */
export function describe(state: SeedState, options: { loadedAt?: Date } = {}): string[] {
  const { overdue, dueToday, dueLater } = deadlineCounts(state);
  const deadlines = [
    `${overdue} overdue`,
    `${dueToday} due today`,
    ...[...dueLater.entries()].sort(([a], [b]) => a - b).map(([days, count]) => `${count} due in ${plural(days, 'working day')}`),
  ];
  const screening = state.awaiting.filter((referral) => referral.status === 'in-screening').length;
  const known = state.awaiting.filter((referral) => referral.knownFamily > 0).length;

  const outcomes = new Map<ReferralOutcome, number>();
  for (const { outcome } of state.decided) outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  const decidedWords = (Object.keys(OUTCOME_WORDS) as ReferralOutcome[])
    .filter((outcome) => outcomes.has(outcome))
    .map((outcome) => {
      const count = outcomes.get(outcome)!;
      const [one, many] = OUTCOME_WORDS[outcome];
      return `${count} ${count === 1 ? one : many}`;
    });

  const teams = new Map<string, number>();
  for (const { teamId } of state.cases) teams.set(teamId, (teams.get(teamId) ?? 0) + 1);
  // A case's first group supervision is scheduled when its first social worker is allocated, and each held schedules the next,
  // so the supervised cases are the allocated ones.
  const supervised = state.cases.filter((found) => found.supervisionsScheduled > 0).length;
  const awaitingAllocation = state.cases.length - supervised;
  const allocationWords = [
    ...(supervised > 0
      ? [`${supervised} allocated, ${supervised === 1 ? 'with its' : 'each with its'} next group supervision scheduled`]
      : []),
    ...(awaitingAllocation > 0 ? [`${awaitingAllocation} awaiting allocation`] : []),
  ];

  const sum = (of: (recorded: CaseRecorded) => number) => state.cases.reduce((total, found) => total + of(found.recorded), 0);
  const summaries = state.cases.filter((found) => found.recorded.summary).length;
  const notes = sum((recorded) => recorded.notes);
  const notedCases = state.cases.filter((found) => found.recorded.notes > 0).length;
  const noteDetails = [
    ...(sum((recorded) => recorded.restricted) > 0
      ? [
          plural(
            sum((recorded) => recorded.restricted),
            'restricted entry',
            'restricted entries',
          ),
        ]
      : []),
    ...(sum((recorded) => recorded.amended) > 0 ? [`${sum((recorded) => recorded.amended)} amended`] : []),
  ];
  const recordedWords = `${plural(summaries, 'case summary', 'case summaries')}; ${plural(notes, 'completed note')}${notes > 0 ? ` on ${plural(notedCases, 'case')}` : ''}${noteDetails.length ? ` (${noteDetails.join(', ')})` : ''}`;

  const supervisionWords = groupSupervisionWords(state.cases.map((found) => found.supervision));

  const loaded = options.loadedAt
    ? `Demo data: loaded on ${mojDate(options.loadedAt, 'date')} and kept, so not loaded again: ${plural(state.families, 'family', 'families')}, ${plural(state.referrals, 'referral')}`
    : `Demo data: loaded ${plural(state.families, 'fictional family', 'fictional families')} and their ${plural(state.referrals, 'referral')}, through the platform's own APIs`;
  return [
    loaded,
    `  Front door: ${plural(state.awaiting.length, 'referral')} awaiting a decision (${deadlines.join(', ')}); ${screening} being screened; ${plural(known, 'from a known family', 'from known families')}`,
    `  Decided: ${state.decided.length}${decidedWords.length ? ` (${decidedWords.join(', ')})` : ''}`,
    `  Cases: ${state.cases.length} (${[...teams.entries()].map(([team, count]) => `${count} ${team}`).join(', ') || 'none'})${allocationWords.length ? `; ${allocationWords.join('; ')}` : ''}`,
    `  Recorded: ${recordedWords}`,
    `  Group supervision: ${supervisionWords}`,
    `  Unread in the inbox: front door ${state.unread.frontDoor}, north team ${state.unread.north}, south team ${state.unread.south}`,
    '  Sign in as',
    ...SIGN_IN_AS.map(({ username, sees }) => `    ${username.padEnd(14)} ${sees}`),
  ];
}
