/**
 * The census return and its gaps (domain/census.ts): a child's missing details are missing, an
 * unborn child is asked only the expected date (and the birth once it has passed); the path's
 * steps not reached yet are in progress, never missing; a case closed without what the path
 * requires is missing it; the return reads the path's dates as the census names them; the
 * referral's source comes from the path (missing, with the front door to ask, on a case opened
 * before it was carried); family group decision making (offered, held, outcome) and pre-proceedings
 * (started, ended) come from the FGDM record, what is under way in progress. Properties: a fully
 * recorded child lacks nothing, any child lacks exactly the fields it has not got, and an open case
 * with its source is never missing anything of its path or its FGDM, whatever it has reached.
 */
import { CATEGORIES_OF_ABUSE } from '@fsp/shared/events/codes';
import type { LocalDate } from '@fsp/shared/time/local-date';
import fc from 'fast-check';
import { type CensusInput, censusReturn, childGaps, episodeGaps } from '../../src/domain/census';
import {
  DISABILITY_CODES,
  type DisabilityCode,
  ETHNICITY_CODES,
  type EthnicityCode,
  type NetworkChild,
  SEXES,
  UPN_UNKNOWN_REASONS,
  type UpnUnknownReason,
} from '../../src/domain/family-network';
import {
  type CaseFgdm,
  emptyFgdm,
  type FgdmContext,
  type FgdmResult,
  recordFamilyPlan,
  recordHeld,
  recordOffer,
  recordPreProceedingsEnd,
  recordPreProceedingsStart,
} from '../../src/domain/fgdm';
import {
  type CasePath,
  closeCase,
  completeAssessment,
  type PathResult,
  recordChildProtectionReview,
  recordInitialConference,
  recordStrategyDiscussion,
  startPath,
} from '../../src/domain/path';

const TODAY = '2026-06-01' as LocalDate;
const context = { now: new Date('2026-06-01T12:00:00.000Z'), by: 'tm-0001' };
const day = (value: string) => value as LocalDate;

const accepted = (result: PathResult): CasePath => {
  if (result.refused) throw new Error(`refused: ${result.field}: ${result.reason}`);
  return result.path;
};

const opened = (): CasePath =>
  startPath({
    caseId: 'case-1',
    referralDate: day('2026-01-05'),
    assessmentDueDate: day('2026-03-09'),
    familySafeguardingFlag: true,
    referralSource: '2A',
  });
/** A case opened before ReferralAccepted carried the referral's source. */
const openedWithoutSource = (): CasePath => {
  const { referralSource: _none, ...path } = opened();
  return path;
};

/** Family group decision making, step by step through its own rules (domain/fgdm.ts), as at TODAY. */
const fgdmContext: FgdmContext = {
  now: new Date('2026-06-01T12:00:00.000Z'),
  by: { userId: 'tm-0001', name: 'Tara Mensah' },
  openedOn: day('2026-01-05'),
  referralDate: day('2026-01-05'),
  caseClosed: false,
  network: [{ personId: 'adult-1', name: 'Kerry Jones' }],
};
const step = (result: FgdmResult): CaseFgdm => {
  if (result.refused) throw new Error(`refused: ${result.field}: ${result.reason}`);
  return result.fgdm;
};
const fgdmOffered = () => step(recordOffer(emptyFgdm('case-1'), { offeredOn: day('2026-02-02'), response: 'accepted' }, fgdmContext));
const fgdmHeldOn = () => step(recordHeld(fgdmOffered(), { heldOn: day('2026-02-16'), attendeeIds: ['adult-1'], others: [] }, fgdmContext));
const fgdmPlanned = () =>
  step(recordFamilyPlan(fgdmHeldOn(), { agreedOn: day('2026-02-16'), inFamilysWords: 'Nan helps every morning.' }, fgdmContext));
const preStarted = (fgdm = fgdmPlanned()) => step(recordPreProceedingsStart(fgdm, { startedOn: day('2026-03-02') }, fgdmContext));
const preEnded = () => step(recordPreProceedingsEnd(preStarted(), { endedOn: day('2026-05-11'), outcome: 'step-down' }, fgdmContext));

const assessed = (path: CasePath, outcome: 'child-in-need-plan' | 'no-further-action' = 'child-in-need-plan') =>
  accepted(
    completeAssessment(
      path,
      {
        completedOn: day('2026-02-20'),
        factors: ['3B', '16A'],
        primaryNeed: 'N1',
        outcome,
        familySafeguardingEligible: true,
        summary: 'Domestic abuse at home.',
      },
      context,
    ),
  );

const complete: NetworkChild = {
  personId: 'child-1',
  firstName: 'Mia',
  lastName: 'Jones',
  unborn: false,
  dateOfBirth: day('2017-03-14'),
  sex: 'female',
  ethnicity: 'WBRI',
  disabilities: ['NONE'],
  upn: 'A123456789012',
};

const input = (path: CasePath, children: NetworkChild[] = [complete], fgdm: CaseFgdm = emptyFgdm('case-1')): CensusInput => ({
  caseId: 'case-1',
  openedOn: day('2026-01-05'),
  children,
  path,
  fgdm,
});
const none = emptyFgdm('case-1');

const keys = (gaps: readonly { key: string }[]) => gaps.map((gap) => gap.key);

describe('a child’s census details', () => {
  it('lacks nothing when every detail is recorded, a UPN or the reason it is unknown', () => {
    expect(childGaps(complete, TODAY)).toEqual([]);
    const { upn: _upn, ...withoutUpn } = complete;
    expect(childGaps({ ...withoutUpn, upnUnknownReason: 'UN1' }, TODAY)).toEqual([]);
  });

  it('names each missing detail, why the census needs it, and the child’s correction form', () => {
    const child: NetworkChild = { personId: 'child-2', firstName: 'Leo', lastName: 'Ahmed', unborn: false, disabilities: [] };
    const gaps = childGaps(child, TODAY);
    expect(gaps.map((gap) => gap.field)).toEqual([
      'Unique pupil number, or why it is unknown',
      'Date of birth',
      'Sex',
      'Ethnicity',
      'Disabilities',
    ]);
    for (const gap of gaps) {
      expect(gap).toMatchObject({ childId: 'child-2', where: { kind: 'family-child', childId: 'child-2' } });
      expect(gap.why).toMatch(/census/);
    }
  });

  it('takes a refusal or “not yet obtained” as an ethnicity, “not known” as a sex and “no disability” as disabilities', () => {
    expect(childGaps({ ...complete, ethnicity: 'REFU', sex: 'not-known', disabilities: ['NONE'] }, TODAY)).toEqual([]);
    expect(childGaps({ ...complete, ethnicity: 'NOBT' }, TODAY)).toEqual([]);
  });

  it('asks an unborn child only for the expected date, and for the birth once that date has passed', () => {
    const unborn: NetworkChild = { personId: 'child-3', firstName: 'Baby', lastName: 'Jones', unborn: true, disabilities: [] };
    expect(childGaps(unborn, TODAY).map((gap) => gap.field)).toEqual(['Expected date of birth']);
    expect(childGaps({ ...unborn, dateOfBirth: day('2026-06-01') }, TODAY)).toEqual([]);
    const overdue = childGaps({ ...unborn, dateOfBirth: day('2026-05-31') }, TODAY);
    expect(overdue.map((gap) => gap.field)).toEqual(['Date of birth']);
    expect(overdue[0]?.why).toMatch(/expected date of birth has passed/);
  });

  it('is returned with the census’s names: LA child id, date of birth or expected date', () => {
    const unborn: NetworkChild = {
      personId: 'child-3',
      firstName: 'Baby',
      lastName: 'Jones',
      unborn: true,
      dateOfBirth: day('2026-07-02'),
      disabilities: [],
    };
    const { children } = censusReturn(input(opened(), [complete, unborn]), TODAY);
    expect(children).toEqual([
      {
        laChildId: 'child-1',
        firstName: 'Mia',
        lastName: 'Jones',
        unborn: false,
        upn: 'A123456789012',
        dateOfBirth: '2017-03-14',
        sex: 'female',
        ethnicity: 'WBRI',
        disabilities: ['NONE'],
      },
      { laChildId: 'child-3', firstName: 'Baby', lastName: 'Jones', unborn: true, expectedDateOfBirth: '2026-07-02', disabilities: [] },
    ]);
  });
});

describe('the episode', () => {
  it('in assessment: the authorisation, factors and primary need are in progress, due with the assessment, not missing', () => {
    const census = censusReturn(input(opened()), TODAY);
    expect(census.missing).toEqual([]);
    expect(keys(census.inProgress)).toEqual(['episode:assessment', 'episode:primaryNeed']);
    expect(census.inProgress[0]).toMatchObject({ dueBy: '2026-03-09', where: { kind: 'path' } });
    expect(census.episodes).toEqual([
      {
        caseId: 'case-1',
        childIds: ['child-1'],
        referralDate: '2026-01-05',
        referralSource: '2A',
        referralNfa: false,
        assessments: [{ startDate: '2026-01-05', factors: [] }],
        childInNeedPlans: [],
        section47Enquiries: [],
        childProtectionPlans: [],
        familyGroupDecisionMaking: { offers: [], conferences: [] },
        preProceedings: [],
      },
    ]);
  });

  it('a section 47 enquiry waits for its conference (in progress) and a CP plan for its next review', () => {
    const discussed = accepted(
      recordStrategyDiscussion(opened(), { heldOn: day('2026-01-08'), section47: true, reason: 'Bruising' }, context),
    );
    expect(episodeGaps(discussed, none).inProgress).toContainEqual(
      expect.objectContaining({ key: 'episode:section47:1', dueBy: '2026-01-29', where: { kind: 'path' } }),
    );
    const planned = accepted(
      recordInitialConference(discussed, { heldOn: day('2026-01-27'), outcome: 'cp-plan', category: 'NEG' }, context),
    );
    const reviewed = accepted(
      recordChildProtectionReview(planned, { heldOn: day('2026-04-20'), outcome: 'continue', category: 'EMO' }, context),
    );
    const census = censusReturn(input(reviewed), TODAY);
    expect(census.missing).toEqual([]);
    expect(keys(census.inProgress)).toEqual(['episode:assessment', 'episode:primaryNeed', 'episode:cpPlan:1:review']);
    expect(census.episodes[0]).toMatchObject({
      section47Enquiries: [
        {
          startDate: '2026-01-08',
          initialConferenceTargetDate: '2026-01-29',
          initialConferenceDate: '2026-01-27',
          initialConferenceNotRequired: false,
        },
      ],
      childProtectionPlans: [{ startDate: '2026-01-27', initialCategory: 'NEG', latestCategory: 'EMO', reviewDates: ['2026-04-20'] }],
    });
  });

  it('closed after its assessment: the return has the factors, primary need, closure date and reason; nothing missing or in progress', () => {
    const closed = accepted(
      closeCase(
        assessed(opened(), 'no-further-action'),
        {
          closedOn: day('2026-02-23'),
          reasonCode: 'RC8',
          sustainabilityPlan: { people: [{ name: 'Ann Jones', relationship: 'grandmother', helps: 'Visits' }], summary: 'Family support' },
          stepDownToEarlyHelp: false,
        },
        context,
      ),
    );
    const census = censusReturn(input(closed), TODAY);
    expect(census.missing).toEqual([]);
    expect(census.inProgress).toEqual([]);
    expect(census.episodes[0]).toMatchObject({
      primaryNeed: 'N1',
      closureDate: '2026-02-23',
      closureReason: 'RC8',
      assessments: [{ startDate: '2026-01-05', authorisationDate: '2026-02-20', factors: ['3B', '16A'] }],
    });
  });

  it('closed before the path was kept (status only): the closure, assessment and primary need are missing', () => {
    const closedHead: CasePath = { ...opened(), status: 'closed', version: 0 };
    expect(keys(episodeGaps(closedHead, none).missing)).toEqual(['episode:assessment', 'episode:primaryNeed', 'episode:closure']);
    expect(episodeGaps(closedHead, none).inProgress).toEqual([]);
  });
});

describe('the referral’s source', () => {
  it('is the episode’s, as the accepted referral carried it onto the path; nothing is missing for it', () => {
    const census = censusReturn(input(opened()), TODAY);
    expect(census.episodes[0]?.referralSource).toBe('2A');
    expect(keys(census.missing)).not.toContain('episode:referralSource');
  });

  it('is missing from a case opened before it was carried, with the front door to ask (not “nowhere”)', () => {
    const census = censusReturn(input(openedWithoutSource()), TODAY);
    expect(census.episodes[0]).not.toHaveProperty('referralSource');
    expect(census.missing).toEqual([
      {
        key: 'episode:referralSource',
        field: 'Referral source',
        why: 'The census reports who made the referral (its source code)',
        where: { kind: 'front-door', why: 'The case was opened before the referral’s source was carried onto it: ask the front door' },
      },
    ]);
    expect(census.inProgress.map((gap) => gap.key)).not.toContain('episode:referralSource');
  });
});

describe('family group decision making and pre-proceedings', () => {
  it('are the episode’s: each offer and the family’s answer, each conference held and its plan, pre-proceedings started and ended', () => {
    const declined = step(
      recordOffer(preEnded(), { offeredOn: day('2026-05-18'), response: 'declined', declinedReason: 'Not again' }, fgdmContext),
    );
    const [episode] = censusReturn(input(opened(), [complete], declined), TODAY).episodes;
    expect(episode?.familyGroupDecisionMaking).toEqual({
      offers: [
        { offeredOn: '2026-02-02', response: 'accepted' },
        { offeredOn: '2026-05-18', response: 'declined' },
      ],
      conferences: [{ heldOn: '2026-02-16', familyPlanAgreedOn: '2026-02-16' }],
    });
    expect(episode?.preProceedings).toEqual([{ startDate: '2026-03-02', endDate: '2026-05-11', outcome: 'step-down' }]);
  });

  it('say what is under way on an open case, on the FGDM page: the conference accepted, the family’s plan, pre-proceedings’ end', () => {
    const gapsOf = (fgdm: CaseFgdm) => episodeGaps(assessed(opened()), fgdm);
    expect(gapsOf(none)).toEqual({ missing: [], inProgress: [] });
    expect(keys(gapsOf(fgdmOffered()).inProgress)).toEqual(['episode:fgdm:offer:1']);
    expect(gapsOf(fgdmOffered()).inProgress[0]).toMatchObject({
      field: 'Family group conference offered on 2 February 2026: the day it was held',
      where: { kind: 'fgdm' },
    });
    expect(keys(gapsOf(fgdmHeldOn()).inProgress)).toEqual(['episode:fgdm:conference:1']);
    expect(gapsOf(fgdmPlanned())).toEqual({ missing: [], inProgress: [] });
    expect(gapsOf(preStarted()).inProgress).toEqual([
      expect.objectContaining({
        key: 'episode:preProceedings:1',
        field: 'Pre-proceedings started on 2 March 2026: their end and outcome',
        where: { kind: 'fgdm' },
      }),
    ]);
    expect(gapsOf(preStarted()).missing).toEqual([]);
    expect(gapsOf(preEnded())).toEqual({ missing: [], inProgress: [] });
    // A new offer the family accepted after a conference waits for its own.
    const later = { ...fgdmContext, now: new Date('2026-06-01T13:00:00.000Z') };
    const again = step(recordOffer(fgdmPlanned(), { offeredOn: day('2026-05-18'), response: 'accepted' }, later));
    expect(keys(gapsOf(again).inProgress)).toEqual(['episode:fgdm:offer:2']);
  });

  it('on a closed case: pre-proceedings still running are missing their end; a conference never held is not asked for', () => {
    const closed = accepted(
      closeCase(
        assessed(opened()),
        {
          closedOn: day('2026-05-29'),
          reasonCode: 'RC1',
          sustainabilityPlan: { people: [{ name: 'Ann Jones', relationship: 'grandmother', helps: 'Visits' }], summary: 'Support' },
          stepDownToEarlyHelp: false,
        },
        context,
      ),
    );
    expect(keys(episodeGaps(closed, preStarted()).missing)).toEqual(['episode:preProceedings:1']);
    expect(episodeGaps(closed, fgdmOffered())).toEqual({ missing: [], inProgress: [] });
    expect(episodeGaps(closed, fgdmHeldOn())).toEqual({ missing: [], inProgress: [] });
  });
});

describe('properties', () => {
  const codes = <T extends string>(record: Record<T, string>) => Object.keys(record) as T[];
  const born: fc.Arbitrary<NetworkChild> = fc.record(
    {
      personId: fc.constantFrom('child-a', 'child-b'),
      firstName: fc.constantFrom('Mia', 'Leo', ''),
      lastName: fc.constantFrom('Jones', 'Ahmed'),
      unborn: fc.constant(false),
      dateOfBirth: fc.constantFrom(day('2012-01-31'), day('2020-02-29')),
      sex: fc.constantFrom(...SEXES),
      ethnicity: fc.constantFrom(...codes<EthnicityCode>(ETHNICITY_CODES)),
      disabilities: fc.oneof(
        fc.constant<DisabilityCode[]>([]),
        fc.constant<DisabilityCode[]>(['NONE']),
        fc.uniqueArray(fc.constantFrom(...codes<DisabilityCode>(DISABILITY_CODES).filter((code) => code !== 'NONE')), { minLength: 1 }),
      ),
      upn: fc.constant('A123456789012'),
      upnUnknownReason: fc.constantFrom(...codes<UpnUnknownReason>(UPN_UNKNOWN_REASONS)),
    },
    { requiredKeys: ['personId', 'firstName', 'lastName', 'unborn', 'disabilities'] },
  );

  it('a born child lacks exactly the details it has not got', () => {
    fc.assert(
      fc.property(born, (child) => {
        const lacking = childGaps(child, TODAY).map((gap) => gap.key.split(':')[2]);
        const expected = [
          ...(child.upn === undefined && child.upnUnknownReason === undefined ? ['upn'] : []),
          ...(child.dateOfBirth === undefined ? ['dateOfBirth'] : []),
          ...(child.sex === undefined ? ['sex'] : []),
          ...(child.ethnicity === undefined ? ['ethnicity'] : []),
          ...(child.disabilities.length === 0 ? ['disabilities'] : []),
        ];
        expect(lacking).toEqual(expected);
      }),
    );
  });

  it('an open case is never missing anything of its path, whatever it has reached', () => {
    const category = fc.constantFrom(...CATEGORIES_OF_ABUSE);
    fc.assert(
      fc.property(fc.boolean(), fc.boolean(), fc.option(category), (assess, discuss, conference) => {
        let path = opened();
        if (discuss) path = accepted(recordStrategyDiscussion(path, { heldOn: day('2026-01-08'), section47: true, reason: 'x' }, context));
        if (discuss && conference)
          path = accepted(recordInitialConference(path, { heldOn: day('2026-01-20'), outcome: 'cp-plan', category: conference }, context));
        if (assess) path = assessed(path);
        const gaps = episodeGaps(path, none);
        expect(gaps.missing).toEqual([]);
        expect(gaps.inProgress.some((gap) => gap.key === 'episode:assessment')).toBe(!assess);
      }),
    );
  });

  const fgdmStates: Array<[string, () => CaseFgdm, string[]]> = [
    ['none', () => none, []],
    ['offered and accepted', fgdmOffered, ['episode:fgdm:offer:1']],
    ['held', fgdmHeldOn, ['episode:fgdm:conference:1']],
    ['the family’s plan recorded', fgdmPlanned, []],
    ['pre-proceedings running', () => preStarted(), ['episode:preProceedings:1']],
    ['pre-proceedings ended', preEnded, []],
  ];
  it.each(fgdmStates)(
    'FGDM %s: nothing missing on an open case (only in progress); on a closed one, only pre-proceedings’ end',
    (_name, fgdmOf, waiting) => {
      const fgdm = fgdmOf();
      const open = episodeGaps(assessed(opened()), fgdm);
      expect(open.missing).toEqual([]);
      expect(keys(open.inProgress)).toEqual(waiting);
      const closed = episodeGaps({ ...assessed(opened()), status: 'closed' }, fgdm);
      expect(keys(closed.missing)).toEqual(['episode:closure', ...waiting.filter((key) => key.startsWith('episode:preProceedings'))]);
      expect(closed.inProgress).toEqual([]);
    },
  );
});
