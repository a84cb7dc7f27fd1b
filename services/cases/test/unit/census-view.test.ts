/**
 * The census page's words and links (web/census-view.ts): a child's missing detail names the child
 * and links to their correction form for a worker who may change the network, to the family page
 * for one who may only read it; a step past its due day is overdue and asked to be recorded if it
 * happened; what cannot be recorded yet has no link; a child's missing detail has a Record action.
 */
import type { LocalDate } from '@fsp/shared/time/local-date';
import { censusReturn } from '../../src/domain/census';
import type { NetworkChild } from '../../src/domain/family-network';
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
const census = censusReturn(
  {
    caseId: 'case-1',
    openedOn: day('2026-01-05'),
    children: [mia],
    path: startPath({ caseId: 'case-1', referralDate: day('2026-01-05'), assessmentDueDate: day('2026-03-09') }),
  },
  day('2026-03-10'),
);

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

  it('gives what cannot be recorded yet no link, and says why', () => {
    const view = censusPageView(record, census, { mayChange: true, today: day('2026-03-10') });
    for (const gap of view.notYetRecordable) expect(gap.href).toBeUndefined();
    expect(view.notYetRecordable[0]?.where).toMatch(/does not bring it to the case/);
    expect(placeHref('case-1', { kind: 'nowhere', why: 'x' }, true)).toBeUndefined();
  });
});
