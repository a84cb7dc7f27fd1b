/**
 * The census page's words and links (web/census-view.ts): a child's missing detail names the child
 * and links to their correction form for a worker who may change the network, to the family page
 * for one who may only read it; a step past its due day is overdue and asked to be recorded if it
 * happened; a referral source only the front door holds has no link and says to ask it; a child's
 * missing detail has a Record action; the episode shows the source in words, family group decision
 * making and pre-proceedings, linked to their page when under way.
 */
import type { LocalDate } from '@fsp/shared/time/local-date';
import { type CensusInput, censusReturn } from '../../src/domain/census';
import type { NetworkChild } from '../../src/domain/family-network';
import { type CaseFgdm, emptyFgdm } from '../../src/domain/fgdm';
import { startPath } from '../../src/domain/path';
import { censusPageView, placeHref } from '../../src/web/census-view';

const day = (value: string) => value as LocalDate;
const record = { caseId: 'case-1', reference: 'FSP-2026-000123', status: 'assessment', urgent: false } as const;
const mia: NetworkChild = {
  personId: 'child-1',
  firstName: 'Mia',
  lastName: 'Jones',
  unborn: false,
  dateOfBirth: day('2017-03-14'),
  sex: 'female',
  disabilities: [],
};
const censusInput: CensusInput = {
  caseId: 'case-1',
  openedOn: day('2026-01-05'),
  children: [mia],
  path: startPath({ caseId: 'case-1', referralDate: day('2026-01-05'), assessmentDueDate: day('2026-03-09'), referralSource: '3B' }),
  fgdm: emptyFgdm('case-1'),
};
const census = censusReturn(censusInput, day('2026-03-10'));
const by = { userId: 'tm-0001', name: 'Tara Mensah' };
const at = '2026-03-02T10:00:00.000Z';
const underWay: CaseFgdm = {
  caseId: 'case-1',
  offers: [{ sequence: 1, offeredOn: day('2026-02-02'), response: 'accepted', by, recordedAt: at }],
  conferences: [
    {
      sequence: 1,
      heldOn: day('2026-02-16'),
      attendees: [],
      others: [],
      by,
      recordedAt: at,
      familyPlan: { agreedOn: day('2026-02-16'), inFamilysWords: 'Nan helps.', by, recordedAt: at },
    },
  ],
  preProceedings: [
    {
      sequence: 1,
      startedOn: day('2026-03-02'),
      by,
      recordedAt: at,
      ended: { endedOn: day('2026-03-06'), outcome: 'care-proceedings-issued', by, recordedAt: at },
    },
    { sequence: 2, startedOn: day('2026-03-09'), by, recordedAt: at },
  ],
  version: 5,
};

describe('the census page’s view', () => {
  it('names the child in each missing detail and links it to the child’s correction form', () => {
    const view = censusPageView(record, census, { mayChange: true, today: day('2026-03-10') });
    expect(view.missing.map((gap) => [gap.text, gap.href])).toEqual([
      ['Mia Jones: unique pupil number, or why it is unknown', '/cases/case-1/family/children/child-1/edit'],
      ['Mia Jones: ethnicity', '/cases/case-1/family/children/child-1/edit'],
      ['Mia Jones: disabilities', '/cases/case-1/family/children/child-1/edit'],
    ]);
    const ethnicity = view.children[0]?.rows.find((row) => row.key.text === 'Ethnicity');
    expect(ethnicity).toMatchObject({ value: { text: 'Not recorded' }, actions: { items: [{ text: 'Record' }] } });
    expect(view.caseHeader.navigation.at(-1)).toEqual({ text: 'Census', href: '/cases/case-1/census', active: true });
  });

  it('links a reader who may not change the network to the family page, with no Record actions', () => {
    const view = censusPageView(record, census, { mayChange: false, today: day('2026-03-10') });
    expect(new Set(view.missing.map((gap) => gap.href))).toEqual(new Set(['/cases/case-1/family']));
    expect(view.children[0]?.rows.some((row) => 'actions' in row)).toBe(false);
  });

  it('says a step past its due day is overdue, and one not yet due is due by its day', () => {
    const late = censusPageView(record, census, { mayChange: true, today: day('2026-03-10') }).inProgress[0];
    expect(late).toMatchObject({
      overdue: true,
      due: 'Was due by Monday 9 March 2026: if it has happened, record it',
      href: '/cases/case-1/path',
    });
    const onTime = censusPageView(record, census, { mayChange: true, today: day('2026-03-09') }).inProgress[0];
    expect(onTime).toMatchObject({ due: 'Due by Monday 9 March 2026' });
    expect(onTime?.overdue).toBeUndefined();
  });

  it('shows the referral’s source as the census codes it, with its words', () => {
    const view = censusPageView(record, census, { mayChange: true, today: day('2026-03-10') });
    expect(view.episodes[0]?.rows.find((row) => row.key.text === 'Referral source')?.value).toEqual({ text: '3B Health visitor' });
  });

  it('gives a source only the front door holds no link, and says to ask the front door', () => {
    const { referralSource: _none, ...path } = censusInput.path;
    const view = censusPageView(record, censusReturn({ ...censusInput, path }, day('2026-03-10')), {
      mayChange: true,
      today: day('2026-03-10'),
    });
    const source = view.missing.find((gap) => gap.key === 'episode:referralSource');
    expect(source).toEqual({
      key: 'episode:referralSource',
      text: 'Referral source',
      why: 'The census reports who made the referral (its source code).',
      where: 'The case was opened before the referral’s source was carried onto it: ask the front door.',
    });
    expect(view.episodes[0]?.rows.find((row) => row.key.text === 'Referral source')?.value).toEqual({
      text: 'Not on the case: ask the front door (see above)',
    });
    expect(placeHref('case-1', { kind: 'front-door', why: 'x' }, true)).toBeUndefined();
  });

  it('shows family group decision making (offered, held, outcome) and each pre-proceedings, and links what is under way to its page', () => {
    const none = censusPageView(record, census, { mayChange: true, today: day('2026-03-10') }).episodes[0];
    expect(none?.familyGroupDecisionMaking.map((row) => [row.key.text, row.value])).toEqual([
      ['Offered', { text: 'Not offered' }],
      ['Held', { text: 'Not held' }],
      ['Outcome', { text: 'None: no conference held' }],
    ]);
    expect(none?.preProceedings).toEqual([{ key: { text: 'Pre-proceedings' }, value: { text: 'None started' } }]);

    const view = censusPageView(record, censusReturn({ ...censusInput, fgdm: underWay }, day('2026-03-10')), {
      mayChange: false,
      today: day('2026-03-10'),
    });
    expect(view.episodes[0]?.familyGroupDecisionMaking.map((row) => [row.key.text, row.value])).toEqual([
      ['Offered', { text: 'Monday 2 February 2026: accepted' }],
      ['Held', { text: 'Monday 16 February 2026' }],
      ['Outcome', { text: 'The family’s plan agreed Monday 16 February 2026' }],
    ]);
    expect(view.episodes[0]?.preProceedings.map((row) => [row.key.text, row.value])).toEqual([
      ['Pre-proceedings 1', { text: 'Started Monday 2 March 2026, ended Friday 6 March 2026: Care proceedings issued' }],
      ['Pre-proceedings 2', { text: 'Started Monday 9 March 2026, running' }],
    ]);
    expect(view.inProgress.find((gap) => gap.key === 'episode:preProceedings:2')).toMatchObject({
      href: '/cases/case-1/family-group-decision-making',
      where: 'Recorded on the family group decision making page.',
    });
    expect(view.fgdmHref).toBe('/cases/case-1/family-group-decision-making');

    const declined: CaseFgdm = {
      ...emptyFgdm('case-1'),
      offers: [{ sequence: 1, offeredOn: day('2026-02-02'), response: 'declined', declinedReason: 'Not now', by, recordedAt: at }],
      version: 1,
    };
    const outcome = censusPageView(record, censusReturn({ ...censusInput, fgdm: declined }, day('2026-03-10')), {
      mayChange: false,
      today: day('2026-03-10'),
    }).episodes[0]?.familyGroupDecisionMaking.find((row) => row.key.text === 'Outcome');
    expect(outcome?.value).toEqual({ text: 'The family declined the conference' });
  });
});
