/**
 * The demo data set (infra/local/src/seed/data.ts) is fictional, and whole: no address can be a
 * real one, no email address can reach anyone, every referral can be sent as written, and it shows
 * every stage the platform has today.
 */
import { ACCEPTED_OUTCOMES, REFERRAL_OUTCOMES } from '@fsp/shared/events/codes';
import { isPlainText } from '@fsp/shared/text';
import { DEMO_WORKERS } from '../../../src/local-cloud';
import { SEED_AGENCIES, SEED_FAMILIES, SEED_WORKERS, SIGN_IN_AS } from '../../../src/seed/data';
import { amendedNarrative } from '../../../src/seed/plan';

const referrals = SEED_FAMILIES.flatMap((family) => family.referrals.map((referral) => ({ family, referral })));
const UK_POSTCODE = /^[A-Za-z]{1,2}\d[A-Za-z\d]? ?\d[A-Za-z]{2}$/;
/** Reserved for examples (RFC 2606, and the example domains the rest of the repository uses). */
const EXAMPLE_EMAIL = /@([a-z0-9-]+\.)*(example|example\.com|example\.gov\.uk)$/;

describe('the demo data set', () => {
  it('has about a dozen families, each a different key, each referral a different key within its family', () => {
    expect(SEED_FAMILIES).toHaveLength(14);
    expect(new Set(SEED_FAMILIES.map((family) => family.key)).size).toBe(SEED_FAMILIES.length);
    for (const family of SEED_FAMILIES)
      expect(new Set(family.referrals.map((referral) => referral.key)).size).toBe(family.referrals.length);
  });

  it('lives at addresses that cannot exist: UK-shaped postcodes in the unused X area', () => {
    for (const family of SEED_FAMILIES) {
      expect(family.address.postcode).toMatch(UK_POSTCODE);
      expect(family.address.postcode.startsWith('X')).toBe(true);
    }
  });

  it('writes to nobody: every email address is at an example domain', () => {
    const emails = [
      ...SEED_WORKERS.map((worker) => worker.email),
      ...SEED_AGENCIES.flatMap((agency) => [agency.referrer.email, ...(agency.onboard ? [agency.onboard.contactEmail] : [])]),
      ...referrals.flatMap(({ referral }) => {
        const from = referral.from;
        if ('form' in from) return from.form === 'anonymous' ? [] : [from.form.email];
        return from.referrer ? [from.referrer.email] : [];
      }),
    ];
    expect(emails.length).toBeGreaterThan(10);
    for (const email of emails) expect(email).toMatch(EXAMPLE_EMAIL);
  });

  it('names only children and adults of the family, and only agencies that exist', () => {
    for (const { family, referral } of referrals) {
      for (const key of referral.children) expect(family.children[key]).toBeDefined();
      for (const key of referral.adults) expect(family.adults[key]).toBeDefined();
      if ('agency' in referral.from) {
        const agency = SEED_AGENCIES.find((candidate) => candidate.key === (referral.from as { agency: string }).agency);
        expect(agency).toBeDefined();
        // An agency refers under its own census source.
        if (agency?.onboard) expect(referral.referralSource).toBe(agency.onboard.referralSource);
      }
    }
  });

  it('refers anonymously only with source 9 and no referrer, as the form requires', () => {
    for (const { referral } of referrals) {
      const anonymous = 'form' in referral.from && referral.from.form === 'anonymous';
      expect({ key: referral.key, anonymous }).toEqual({ key: referral.key, anonymous: referral.referralSource === '9' });
    }
  });

  it('decides with every outcome, handing accepted ones to a team, and adds to a case only one opened earlier', () => {
    const decided = referrals.filter(({ referral }) => referral.decided);
    expect(new Set(decided.map(({ referral }) => referral.decided!.outcome))).toEqual(new Set(REFERRAL_OUTCOMES));
    for (const { family, referral } of decided) {
      const decision = referral.decided!;
      expect({ referral: referral.key, team: decision.team !== undefined }).toEqual({
        referral: referral.key,
        team: (ACCEPTED_OUTCOMES as readonly string[]).includes(decision.outcome),
      });
      if (decision.outcome === 'added-to-open-case') {
        const [familyKey, referralKey] = decision.addedToCaseOf!.split('/');
        expect(familyKey).toBe(family.key);
        const opened = family.referrals.find((candidate) => candidate.key === referralKey)?.decided;
        expect(opened?.outcome).toMatch(/^(assessment|strategy-discussion)$/);
        expect(opened?.team).toBe(decision.team);
      }
    }
    // Cases for both teams.
    const teams = decided.filter(({ referral }) => ['assessment', 'strategy-discussion'].includes(referral.decided!.outcome));
    expect(new Set(teams.map(({ referral }) => referral.decided!.team))).toEqual(new Set(['north', 'south']));
  });

  it('allocates only cases it opens, to workers of the case’s team holding the slot’s role, one case left awaiting allocation', () => {
    const workers = [...DEMO_WORKERS, ...SEED_WORKERS];
    const opened = referrals.filter(({ referral }) => ['assessment', 'strategy-discussion'].includes(referral.decided?.outcome ?? ''));
    for (const { referral } of referrals) {
      const allocation = referral.decided?.allocated;
      if (!allocation) continue;
      expect(opened.map((candidate) => candidate.referral)).toContain(referral);
      expect(allocation.at.workingDaysAgo).toBeLessThanOrEqual(referral.decided!.at.workingDaysAgo);
      const team = referral.decided!.team;
      const socialWorker = workers.find((worker) => worker.username === allocation.socialWorker);
      expect(socialWorker).toMatchObject({ teamId: team, roles: expect.arrayContaining(['social-worker']) });
      for (const who of Object.values(allocation.specialists ?? {})) {
        expect(workers.find((worker) => worker.username === who)).toMatchObject({
          teamId: team,
          roles: expect.arrayContaining(['adult-specialist']),
        });
      }
    }
    expect(opened.filter(({ referral }) => !referral.decided!.allocated)).toHaveLength(1);
  });

  it('records in allocated cases only, each note and summary by a worker of the case’s team, after its allocation, about a contact before it', () => {
    const workers = [...DEMO_WORKERS, ...SEED_WORKERS];
    const order = (when: { workingDaysAgo: number; at: string }) => [-when.workingDaysAgo, when.at] as const;
    const before = (a: { workingDaysAgo: number; at: string }, b: { workingDaysAgo: number; at: string }) => {
      const [x, y] = [order(a), order(b)];
      return x[0] < y[0] || (x[0] === y[0] && x[1] < y[1]);
    };
    for (const { family, referral } of referrals) {
      const decided = referral.decided;
      if (!decided?.notes && !decided?.summary) continue;
      expect(decided.allocated).toBeDefined();
      const allocatedAt = decided.allocated!.at;
      const ofTeam = (username: string) => workers.find((worker) => worker.username === username && worker.teamId === decided.team);
      if (decided.summary) {
        // Written by the case's own social worker, within the summary's 2,000 characters.
        expect(decided.summary.by).toBe(decided.allocated!.socialWorker);
        expect(before(allocatedAt, decided.summary.at)).toBe(true);
        expect(decided.summary.text.length).toBeLessThanOrEqual(2000);
      }
      for (const note of decided.notes ?? []) {
        expect({ note: note.key, by: ofTeam(note.by)?.username }).toEqual({ note: note.key, by: note.by });
        expect(before(allocatedAt, note.contact)).toBe(true);
        expect(before(note.contact, note.at)).toBe(true);
        // Everyone seen is the family's; each child seen has an answer to "seen alone", and only children do.
        for (const key of note.seen ?? []) expect([...Object.keys(family.children), ...Object.keys(family.adults)]).toContain(key);
        const children = (note.seen ?? []).filter((key) => key in family.children);
        expect(Object.keys(note.childrenSeenAlone ?? {}).sort()).toEqual(children.sort());
        if (note.amended) {
          expect(note.draft).toBeFalsy();
          expect(before(note.at, note.amended.at)).toBe(true);
          expect(amendedNarrative(note)).not.toBe(note.narrative);
        }
      }
    }
  });

  it('has notes by several roles on the Khans’ case, one restricted to adult specialists and significant, one draft, one amended; and a note on a south case', () => {
    const khan = SEED_FAMILIES.find((family) => family.key === 'khan')!.referrals[0]!.decided!;
    const roleOf = (username: string) => DEMO_WORKERS.find((worker) => worker.username === username)!.roles[0];
    expect(new Set(khan.notes!.map((note) => roleOf(note.by)))).toEqual(new Set(['social-worker', 'adult-specialist', 'team-manager']));
    const restricted = khan.notes!.filter((note) => (note.visibleTo ?? []).length > 0);
    expect(
      restricted.map((note) => ({ by: note.by, visibleTo: note.visibleTo, significant: note.significant, draft: note.draft })),
    ).toEqual([{ by: 'specialist', visibleTo: ['adult-specialist'], significant: true, draft: undefined }]);
    expect(khan.notes!.filter((note) => note.draft).map((note) => note.by)).toEqual(['socialworker']);
    expect(khan.notes!.filter((note) => note.amended).map((note) => note.by)).toEqual(['socialworker']);
    const south = referrals.filter(({ referral }) => referral.decided?.team === 'south' && (referral.decided.notes?.length ?? 0) > 0);
    expect(south.flatMap(({ referral }) => referral.decided!.notes!.map((note) => note.by))).toEqual(['southworker']);
    // Every allocated case has its summary.
    for (const { referral } of referrals) if (referral.decided?.allocated) expect(referral.decided.summary).toBeDefined();
  });

  it('holds group supervision in an allocated case: chaired by its team’s manager, with its allocated workers, in plain words within the record’s limits, actions owned by them and done on time', () => {
    const workers = [...DEMO_WORKERS, ...SEED_WORKERS];
    const supervised = referrals.filter(({ referral }) => referral.decided?.supervisions !== undefined);
    expect(supervised.map(({ family }) => family.key)).toEqual(['fletcher', 'robinson']);
    for (const { referral } of supervised) {
      const decided = referral.decided!;
      expect(decided.allocated).toBeDefined();
      const manager = workers.find(
        (worker) => worker.teamId === decided.team && (worker.roles as readonly string[]).includes('team-manager'),
      )!.username;
      const allocated = [decided.allocated!.socialWorker, ...Object.values(decided.allocated!.specialists ?? {})];
      for (const supervision of decided.supervisions!) {
        // After the 10:00 meeting, that day.
        expect(supervision.recordedAt > '10:00' && supervision.recordedAt <= '23:59').toBe(true);
        expect(supervision.attendees).toContain(manager);
        for (const who of [...supervision.attendees, ...(supervision.apologies ?? [])]) expect([manager, ...allocated]).toContain(who);
        for (const who of supervision.apologies ?? []) expect(supervision.attendees).not.toContain(who);
        expect(supervision.ratingRationale.length).toBeLessThanOrEqual(2000);
        for (const text of [
          supervision.ratingRationale,
          supervision.discussion,
          supervision.risks,
          supervision.strengths,
          supervision.decisions,
        ]) {
          expect(text.length).toBeLessThanOrEqual(10_000);
          expect(isPlainText(text, { multiline: true })).toBe(true);
        }
        expect(supervision.actions.length).toBeLessThanOrEqual(20);
        for (const action of supervision.actions) {
          expect(allocated).toContain(action.owner);
          expect(action.what.length).toBeLessThanOrEqual(500);
          expect(isPlainText(action.what, { multiline: false })).toBe(true);
          if (action.done) {
            expect(action.done.workingDaysAfterHeld).toBeGreaterThanOrEqual(0);
            expect(action.done.workingDaysAfterHeld).toBeLessThanOrEqual(action.dueInWorkingDays);
            if (action.done.workingDaysAfterHeld === 0) expect(action.done.at > supervision.recordedAt).toBe(true);
          }
        }
      }
    }
  });

  it('gives the Fletchers months of supervision: ratings that changed, actions by the social worker and the specialist done and one left open to go overdue; the Robinsons none held', () => {
    const fletcher = SEED_FAMILIES.find((family) => family.key === 'fletcher')!.referrals[0]!.decided!;
    expect(fletcher.supervisions!.map((supervision) => supervision.rating)).toEqual(['red', 'amber', 'amber', 'green']);
    const actions = fletcher.supervisions!.flatMap((supervision) => supervision.actions);
    expect(new Set(actions.map((action) => action.owner))).toEqual(new Set(['socialworker', 'specialist']));
    expect(new Set(actions.filter((action) => action.done).map((action) => action.owner))).toEqual(new Set(['socialworker', 'specialist']));
    // The one left open from before the last supervision: overdue by the present (plan.test.ts checks the days).
    const [lastHeld] = fletcher.supervisions!.slice(-1);
    expect(fletcher.supervisions!.slice(0, -1).flatMap((supervision) => supervision.actions.filter((action) => !action.done))).toHaveLength(
      1,
    );
    expect(lastHeld!.actions.every((action) => !action.done)).toBe(true);
    const robinson = SEED_FAMILIES.find((family) => family.key === 'robinson')!.referrals[0]!.decided!;
    expect(robinson.supervisions).toEqual([]);
    expect(robinson.allocated!.at.workingDaysAgo).toBeGreaterThan(25);
  });

  it('leaves referrals at every stage before a decision: new, due, overdue, being screened, from a known family', () => {
    const undecided = referrals.filter(({ referral }) => !referral.decided);
    const ago = (n: (days: number) => boolean) => undecided.filter(({ referral }) => n(referral.received.workingDaysAgo)).length;
    expect({ today: ago((d) => d === 0), dueToday: ago((d) => d === 1), overdue: ago((d) => d >= 2) }).toEqual({
      today: 3,
      dueToday: 3,
      overdue: 2,
    });
    expect(undecided.filter(({ referral }) => referral.screened)).toHaveLength(2);
    // A second referral for a family referred before.
    expect(undecided.filter(({ family, referral }) => family.referrals.indexOf(referral) > 0)).toHaveLength(2);
    // Both channels.
    expect(new Set(referrals.map(({ referral }) => ('form' in referral.from ? 'form' : 'partner')))).toEqual(new Set(['form', 'partner']));
  });

  it('adds the south team to the demo workers without clashing with the local cloud’s own, and names who to sign in as', () => {
    const usernames = [...DEMO_WORKERS.map((worker) => worker.username), ...SEED_WORKERS.map((worker) => worker.username)];
    expect(new Set(usernames).size).toBe(usernames.length);
    expect(SEED_WORKERS.map((worker) => worker.teamId)).toEqual(['south', 'south']);
    for (const { username } of SIGN_IN_AS) expect(usernames).toContain(username);
  });
});
