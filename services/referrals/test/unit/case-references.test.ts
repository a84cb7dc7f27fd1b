/**
 * The front door names a case by its reference (the reference of the referral it was opened from),
 * never by its internal id: which reference belongs to which case, as the known-family matches and
 * the referral's own decision and case tell it, how each case link on the referral and decision
 * pages reads, and what the decision keeps so that later pages can name the case it was added to.
 */
import fc from 'fast-check';
import { decideReferral, decisionInputSchema } from '../../src/domain/decision';
import { caseReferencesOf, type KnownFamilyMatch } from '../../src/domain/known-family';
import { type Referral, receiveReferral } from '../../src/domain/referral';
import { referralSubmissionSchema } from '../../src/domain/submission';
import { toMatchedState } from '../../src/store/items/referral';
import { decisionCaseLink, matchViews, timelineOf } from '../../src/web/front-door/referral-view';
import { schoolReferral } from '../support/fixtures';

const received = (referralId: string, reference: string): Referral =>
  receiveReferral(referralSubmissionSchema.parse(schoolReferral()), {
    referralId,
    reference,
    receivedAt: new Date('2026-11-24T10:00:00Z'),
    channel: 'partner-api',
    agencyId: 'agency-oakfield',
    newChildId: () => `${referralId}-child`,
  });

const referral = received('ref-new', 'FSP-2026-000300');
const childId = referral.children[0]!.childId;
const by = { userId: 'priya-sub', name: 'Priya Shah', now: new Date('2026-11-24T11:00:00Z') };

/** An earlier referral matched to this one's child, as it stands now. */
const match = (referralId: string, reference: string, state: Partial<KnownFamilyMatch> = {}): KnownFamilyMatch => ({
  childId,
  strength: 'strong',
  referralId,
  reference,
  receivedAt: '2026-10-01T09:00:00.000Z',
  matchedChildId: `${referralId}-child`,
  status: 'decided',
  ...state,
});

/** The opener of case-b0cda0c6 and a later referral added to it. */
const opener = match('ref-opener', 'FSP-2026-000100', {
  outcome: 'assessment',
  caseId: 'case-b0cda0c6',
  caseReference: 'FSP-2026-000100',
});
const addedBefore = match('ref-added', 'FSP-2026-000200', { outcome: 'added-to-open-case', caseId: 'case-b0cda0c6' });

describe('which reference a case has', () => {
  it('is the matched referral’s own for the case opened from it, and the decision’s record for the case it was added to', () => {
    const projected = (item: Record<string, unknown>) =>
      toMatchedState({ pk: 'REFERRAL#x', sk: 'REFERRAL', referralId: 'ref-x', reference: 'FSP-2026-000100', status: 'decided', ...item })
        .state;
    expect(projected({ decision: { outcome: 'assessment', teamId: 'north' }, openCase: { caseId: 'case-1' } })).toEqual({
      status: 'decided',
      outcome: 'assessment',
      caseId: 'case-1',
      caseReference: 'FSP-2026-000100',
      teamId: 'north',
    });
    expect(
      projected({
        decision: { outcome: 'added-to-open-case', teamId: 'south', existingCaseId: 'case-2', existingCaseReference: 'FSP-2026-000042' },
      }),
    ).toEqual({ status: 'decided', outcome: 'added-to-open-case', caseId: 'case-2', caseReference: 'FSP-2026-000042', teamId: 'south' });
    // Decided before the reference was kept: the case is known, its reference is not.
    expect(projected({ decision: { outcome: 'added-to-open-case', teamId: 'south', existingCaseId: 'case-2' } })).toEqual({
      status: 'decided',
      outcome: 'added-to-open-case',
      caseId: 'case-2',
      teamId: 'south',
    });
    expect(projected({ status: 'received' })).toEqual({ status: 'received' });
  });

  it('is found for a match added to a case through another match, the one that case was opened from', () => {
    expect(caseReferencesOf(referral, [addedBefore, opener])).toEqual(new Map([['case-b0cda0c6', 'FSP-2026-000100']]));
    expect(caseReferencesOf(referral, [addedBefore])).toEqual(new Map());
  });

  it('is this referral’s own for the case opened from it', () => {
    const opened = { ...referral, openCase: { caseId: 'case-own', openedAt: '2026-11-24T15:00:00.000Z' } };
    expect(caseReferencesOf(opened, []).get('case-own')).toBe('FSP-2026-000300');
  });
});

describe('the case links of the referral page', () => {
  it('name each match’s case by its reference, or in words when it is not known, never by its id', () => {
    const views = matchViews(referral, [opener, addedBefore, match('ref-nothing', 'FSP-2026-000050', { outcome: 'early-help' })]);
    expect(views.map((view) => view.case)).toEqual([
      // Each through its own referral, which belongs to the case: the only way the front door reads one.
      { href: '/cases/case-b0cda0c6?referralId=ref-opener', text: 'FSP-2026-000100', reference: 'FSP-2026-000100' },
      { href: '/cases/case-b0cda0c6?referralId=ref-added', text: 'FSP-2026-000100', reference: 'FSP-2026-000100' },
      undefined,
    ]);
    const alone = matchViews(referral, [addedBefore]);
    expect(alone.map((view) => view.case)).toEqual([
      { href: '/cases/case-b0cda0c6?referralId=ref-added', text: 'The case referral FSP-2026-000200 was added to' },
    ]);
  });

  it('name the case opened from this referral by this referral’s reference, in the decision and in the history', () => {
    const decided = decideReferral(
      referral,
      decisionInputSchema.parse({ outcome: 'assessment', reason: 'Threshold met.', teamId: 'north' }),
      by,
    );
    const opened: Referral = { ...decided.referral, openCase: { caseId: 'case-own', openedAt: '2026-11-24T15:00:00.000Z' } };
    expect(decisionCaseLink(opened, [])).toEqual({
      href: '/cases/case-own?referralId=ref-new',
      text: 'FSP-2026-000300',
      reference: 'FSP-2026-000300',
    });
    const history = timelineOf(opened, [{ id: 'north', name: 'North team' }]);
    expect(history.find((item) => item.label === 'Case opened')?.link).toEqual({
      text: 'FSP-2026-000300',
      href: '/cases/case-own?referralId=ref-new',
    });
    // Decided, with no case open yet: no link to a case at all.
    expect(decisionCaseLink(decided.referral, [])).toBeUndefined();
  });

  it('name the case this referral was added to by the reference its decision kept, or in words', () => {
    const input = decisionInputSchema.parse({
      outcome: 'added-to-open-case',
      reason: 'Same family.',
      teamId: 'south',
      existingCaseId: 'case-b0cda0c6',
    });
    const kept = decideReferral(referral, input, by, { existingCaseReference: 'FSP-2026-000100' });
    expect(kept.decision.existingCaseReference).toBe('FSP-2026-000100');
    expect(decisionCaseLink(kept.referral, [])).toEqual({
      // Through this referral, which was added to that case.
      href: '/cases/case-b0cda0c6?referralId=ref-new',
      text: 'FSP-2026-000100',
      reference: 'FSP-2026-000100',
    });
    const unknown = decideReferral(referral, input, by);
    expect(unknown.decision).not.toHaveProperty('existingCaseReference');
    expect(decisionCaseLink(unknown.referral, [])).toEqual({
      href: '/cases/case-b0cda0c6?referralId=ref-new',
      text: 'The open case this referral was added to',
    });
    // Known all the same when the case's opener is among the matches.
    expect(decisionCaseLink(unknown.referral, [opener])?.text).toBe('FSP-2026-000100');
  });

  it('keeps no case reference for a decision that adds to no case', () => {
    const input = decisionInputSchema.parse({ outcome: 'early-help', reason: 'Early help will call.' });
    expect(decideReferral(referral, input, by, { existingCaseReference: 'FSP-2026-000100' }).decision).not.toHaveProperty(
      'existingCaseReference',
    );
  });

  it('never shows a case id as a link’s text, whatever the matches know', () => {
    const caseIds = fc.constantFrom('case-b0cda0c6', 'case-77aa', 'case-90ff');
    const matches = fc.array(
      fc.record({
        referralId: fc.constantFrom('ref-a', 'ref-b', 'ref-c', 'ref-d'),
        reference: fc.constantFrom('FSP-2026-000001', 'FSP-2026-000002', 'FSP-2026-000003'),
        caseId: fc.option(caseIds, { nil: undefined }),
        opened: fc.boolean(),
      }),
      { maxLength: 6 },
    );
    fc.assert(
      fc.property(matches, (drawn) => {
        const known = drawn.map(({ referralId, reference, caseId, opened }) =>
          match(referralId, reference, caseId ? { caseId, ...(opened ? { caseReference: reference } : {}) } : {}),
        );
        for (const view of matchViews(referral, known)) {
          if (view.case) expect(view.case.text).not.toMatch(/case-/);
        }
      }),
    );
  });
});
