/**
 * Who recorded each step of the statutory path, as the path page names them (web/path-view.ts): the
 * name and roles copied onto each step when it is recorded ("Tara Mensah (team manager)"), a path
 * stored before names were kept still read and shown without them; and what the front door, which
 * sees a case's overview alone, is offered there (web/case-view.ts).
 */
import { type LocalDate, parseLocalDate } from '@fsp/shared/time/local-date';
import type { CaseRecord } from '../../src/domain/case';
import {
  type CasePath,
  closeCase,
  completeAssessment,
  type PathResult,
  recordChildProtectionReview,
  recordInitialConference,
  recordStrategyDiscussion,
  type StepContext,
  startPath,
} from '../../src/domain/path';
import { pathItemSchema, toCasePath } from '../../src/store/items/path';
import { caseOverviewView } from '../../src/web/case-view';
import { pathPageView, recorderText } from '../../src/web/path-view';

const d = (value: string): LocalDate => parseLocalDate(value);
const NOW = new Date('2026-12-01T10:00:00.000Z');

const manager: StepContext = { now: NOW, by: 'tm-0001', recorder: { name: 'Tara Mensah', roles: ['team-manager'] } };
const socialWorker: StepContext = { now: NOW, by: 'sw-0001', recorder: { name: 'Sam Okafor', roles: ['social-worker'] } };

function accepted(result: PathResult): CasePath {
  if (result.refused) throw new Error(`refused: ${result.field}: ${result.reason}`);
  return result.path;
}

const opened = (): CasePath =>
  startPath({ caseId: 'case-01', referralDate: d('2026-01-05'), assessmentDueDate: d('2026-03-09'), familySafeguardingFlag: true });

/** Assessment (team manager), section 47 discussion, conference with a plan and a step-down review (social worker), closure (team manager). */
function walked(): CasePath {
  let path = accepted(
    completeAssessment(
      opened(),
      {
        completedOn: d('2026-02-20'),
        factors: ['3B'],
        primaryNeed: 'N1',
        outcome: 'strategy-discussion',
        familySafeguardingEligible: true,
        summary: 'Domestic abuse between the parents.',
      },
      manager,
    ),
  );
  path = accepted(recordStrategyDiscussion(path, { heldOn: d('2026-02-23'), section47: true, reason: 'Bruising' }, socialWorker));
  path = accepted(recordInitialConference(path, { heldOn: d('2026-03-12'), outcome: 'cp-plan', category: 'NEG' }, socialWorker));
  path = accepted(recordChildProtectionReview(path, { heldOn: d('2026-06-10'), outcome: 'step-down', category: 'NEG' }, socialWorker));
  return accepted(
    closeCase(
      path,
      {
        closedOn: d('2026-11-30'),
        reasonCode: 'RC7',
        sustainabilityPlan: {
          people: [{ name: 'June Fletcher', relationship: 'maternal grandmother', helps: 'After school' }],
          summary: 'June and the school keep in touch.',
        },
        stepDownToEarlyHelp: false,
      },
      manager,
    ),
  );
}

const record: CaseRecord = {
  caseId: 'case-01',
  referralId: 'ref-01',
  reference: 'FSP-2026-000001',
  status: 'assessment',
  teamId: 'team-north-1',
  urgent: false,
  openedAt: '2026-01-05T15:10:01.000Z',
  assessmentDueDate: '2026-03-09',
  assessmentDueBy: '2026-03-09T23:59:59.999Z',
  children: [],
  version: 1,
};

const readerOf = { roles: ['team-manager' as const], teamId: 'team-north-1' };

describe('who recorded each step', () => {
  it('is copied onto every step as the worker was when they recorded it', () => {
    const path = walked();
    expect(path.assessment?.recorder).toEqual({ name: 'Tara Mensah', roles: ['team-manager'] });
    expect(path.strategyDiscussions[0]?.recorder).toEqual({ name: 'Sam Okafor', roles: ['social-worker'] });
    expect(path.strategyDiscussions[0]?.conference).toMatchObject({ by: 'sw-0001', recorder: { name: 'Sam Okafor' } });
    expect(path.childProtectionPlans[0]?.reviews[0]?.recorder?.name).toBe('Sam Okafor');
    expect(path.closure?.recorder?.name).toBe('Tara Mensah');
    expect(path.statusChanges.map((change) => change.recorder?.name)).toEqual(['Sam Okafor', 'Sam Okafor', 'Tara Mensah']);
    // The user ids stay where they were (the events carry them).
    expect(path.statusChanges.map((change) => change.by)).toEqual(['sw-0001', 'sw-0001', 'tm-0001']);
  });

  it('is named with their role on the path page, for every step', () => {
    const view = pathPageView({ record }, walked(), readerOf, 'team-member', NOW);
    expect(view.assessment?.authorisedBy).toBe('Tara Mensah (team manager)');
    expect(view.strategyDiscussions[0]?.recordedBy).toBe('Sam Okafor (social worker)');
    expect(view.strategyDiscussions[0]?.conference).toBe(
      'Held on Thursday 12 March 2026: a child protection plan. Recorded by Sam Okafor (social worker)',
    );
    expect(view.childProtectionPlans[0]?.reviews).toEqual([
      'Review 1, Wednesday 10 June 2026: stepped down to a child in need plan (NEG Neglect). Recorded by Sam Okafor (social worker)',
    ]);
    expect(view.closure?.closedBy).toBe('Tara Mensah (team manager)');
    expect(view.statusChanges.map((change) => change.by)).toEqual([
      'Tara Mensah (team manager)',
      'Sam Okafor (social worker)',
      'Sam Okafor (social worker)',
    ]);
    expect(JSON.stringify(view)).not.toMatch(/tm-0001|sw-0001/);
  });

  it('says every role a worker holds, and the name alone for an account with none', () => {
    expect(recorderText({ name: 'Jo Reid', roles: ['social-worker', 'team-manager'] })).toBe('Jo Reid (social worker and team manager)');
    expect(recorderText({ name: 'Jo Reid', roles: [] })).toBe('Jo Reid');
    expect(recorderText(undefined)).toBeUndefined();
  });

  it('a path stored before names were kept is still read, and shown without anyone named (never an id)', () => {
    const stored = {
      kind: 'path',
      caseId: 'case-01',
      status: 'child-protection',
      referralDate: '2026-01-05',
      assessmentDueDate: '2026-03-09',
      assessment: {
        completedOn: '2026-02-20',
        factors: ['3B'],
        primaryNeed: 'N1',
        outcome: 'strategy-discussion',
        familySafeguardingEligible: true,
        summary: 'Domestic abuse.',
        by: 'tm-0001',
      },
      strategyDiscussions: [
        {
          sequence: 1,
          heldOn: '2026-02-23',
          section47: true,
          reason: 'Bruising',
          conferenceDueDate: '2026-03-16',
          conference: { heldOn: '2026-03-12', outcome: 'cp-plan' },
          by: 'sw-0001',
        },
      ],
      childProtectionPlans: [
        {
          sequence: 1,
          startedOn: '2026-03-12',
          initialCategory: 'NEG',
          latestCategory: 'NEG',
          reviews: [],
          nextReviewDueDate: '2026-06-12',
        },
      ],
      childInNeedPlans: [],
      statusChanges: [
        {
          sequence: 1,
          from: 'assessment',
          to: 'child-protection',
          on: '2026-03-12',
          reason: 'Initial child protection conference',
          by: 'sw-0001',
          recordedAt: '2026-03-12T10:00:00.000Z',
        },
      ],
      version: 4,
    };
    const path = toCasePath(pathItemSchema.parse(stored));
    const view = pathPageView({ record }, path, readerOf, 'team-member', NOW);
    expect(view.assessment).not.toHaveProperty('authorisedBy');
    expect(view.strategyDiscussions[0]).not.toHaveProperty('recordedBy');
    expect(view.strategyDiscussions[0]?.conference).toBe('Held on Thursday 12 March 2026: a child protection plan');
    expect(view.statusChanges[0]).not.toHaveProperty('by');
    expect(JSON.stringify(view)).not.toMatch(/tm-0001|sw-0001|undefined/);
  });
});

describe('the overview the front door sees through its referral', () => {
  const file = { record, chronology: [] };

  it('links no other page of the case, and leads back to the referral', () => {
    const view = caseOverviewView(file, NOW, { mayChange: false, access: 'front-door-referral', referralId: 'ref-01' });
    expect(view.caseHeader.navigation).toEqual([]);
    expect(view.sectionLinks).toBe(false);
    expect(view.back).toEqual({ href: '/front-door/referrals/ref-01', text: 'Back to the referral' });
    // Only a place on the overview itself stays linked, as a place on the page the front door came by.
    const hrefs = view.essentials.items.flatMap((item) => ('href' in item && item.href ? [item.href] : []));
    expect(hrefs.every((href) => href.startsWith('#'))).toBe(true);
    expect(hrefs).toContain('#summary');
  });

  it('is the whole overview for the team', () => {
    const view = caseOverviewView(file, NOW, { mayChange: true, access: 'team-member' });
    expect(view.caseHeader.navigation.map((item) => item.text)).toEqual([
      'Overview',
      'Family and network',
      'Notes',
      'Chronology',
      'Statutory path',
      'Plan',
    ]);
    expect(view.sectionLinks).toBe(true);
    expect(view.back).toEqual({ href: '/cases', text: 'Back to your team’s cases' });
    expect(view.essentials.items.map((item) => ('href' in item ? item.href : undefined))).toContain('/cases/case-01/path');
  });
});
