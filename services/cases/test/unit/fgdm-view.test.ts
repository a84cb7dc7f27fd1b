/**
 * The family group decision making page's view (web/fgdm-view.ts): the warning stands while nothing
 * allows pre-proceedings (no conference held, none declined) and goes once the family declined one;
 * the pre-proceedings links are the team manager's, each only when the record allows it, and a
 * worker is told who records them; each pre-proceedings card says when they started, ended and how.
 * The pre-proceedings form is judged as the JSON API judges it, its errors naming the fields.
 */
import { parseLocalDate } from '@fsp/shared/time/local-date';
import {
  type CaseFgdm,
  emptyFgdm,
  type FgdmContext,
  type FgdmResult,
  recordOffer,
  recordPreProceedingsEnd,
  recordPreProceedingsStart,
} from '../../src/domain/fgdm';
import type { CaseFile } from '../../src/store/case-store';
import { checkFgdmForm, fgdmFormValues, fgdmPageView } from '../../src/web/fgdm-view';

const day = parseLocalDate;
const file = {
  record: { caseId: 'case-1', reference: 'FSP-2026-000123', status: 'child-in-need', urgent: false },
} as unknown as CaseFile;
const context: FgdmContext = {
  now: new Date('2026-02-10T14:30:00.000Z'),
  by: { userId: 'tm-0001', name: 'Tara Mensah' },
  openedOn: day('2026-01-05'),
  referralDate: day('2026-01-05'),
  caseClosed: false,
  network: [],
};
const ok = (result: FgdmResult): CaseFgdm => {
  if (result.refused) throw new Error(`${result.field}: ${result.reason}`);
  return result.fgdm;
};
const declined = () =>
  ok(recordOffer(emptyFgdm('case-1'), { offeredOn: day('2026-01-20'), response: 'declined', declinedReason: 'Not now' }, context));
const running = () => ok(recordPreProceedingsStart(declined(), { startedOn: day('2026-02-02') }, context));
const manager = { mayRecord: true, mayRecordPreProceedings: true };
const worker = { mayRecord: true, mayRecordPreProceedings: false };
const hrefs = (view: ReturnType<typeof fgdmPageView>) => view.preProceedings.actions.map((action) => action.href);

describe('the family group decision making page', () => {
  it('warns while no conference was held nor declined, and says why pre-proceedings cannot start', () => {
    const view = fgdmPageView(file, emptyFgdm('case-1'), manager);
    expect(view.warnNoConference).toBe(true);
    expect(view.preProceedings.notYet).toMatch(/^Pre-proceedings can start only after a family group conference was held/);
    expect(view.preProceedings.actions).toEqual([]);
    expect(view.preProceedings.items).toEqual([]);
  });

  it('drops the warning once the family declined, and offers the manager alone the start', () => {
    expect(fgdmPageView(file, declined(), manager)).toMatchObject({ warnNoConference: false, held: false });
    expect(hrefs(fgdmPageView(file, declined(), manager))).toEqual(['/cases/case-1/family-group-decision-making/pre-proceedings']);
    const forWorker = fgdmPageView(file, declined(), worker);
    expect(forWorker.preProceedings.actions).toEqual([]);
    expect(forWorker.preProceedings.whoRecords).toBe('Only the manager of the team that holds the case records pre-proceedings.');
    expect(fgdmPageView(file, declined(), manager).preProceedings).not.toHaveProperty('whoRecords');
  });

  it('offers the end while they run, and shows each with its dates, outcome and who recorded it', () => {
    expect(hrefs(fgdmPageView(file, running(), manager))).toEqual(['/cases/case-1/family-group-decision-making/pre-proceedings-ended']);
    expect(fgdmPageView(file, running(), manager).preProceedings.items[0]?.rows.map((row) => [row.key.text, row.value.text])).toEqual([
      ['Started', '2 February 2026'],
      ['Ended', 'Running'],
      ['Start recorded by', 'Tara Mensah, Tuesday 10 February 2026'],
    ]);
    const ended = ok(
      recordPreProceedingsEnd(running(), { endedOn: day('2026-02-09'), outcome: 'other', otherOutcome: 'Moved to Wales' }, context),
    );
    const view = fgdmPageView(file, ended, manager);
    expect(view.preProceedings.items[0]?.rows.map((row) => [row.key.text, row.value.text])).toEqual([
      ['Started', '2 February 2026'],
      ['Ended', '9 February 2026'],
      ['Outcome', 'Moved to Wales'],
      ['Start recorded by', 'Tara Mensah, Tuesday 10 February 2026'],
      ['End recorded by', 'Tara Mensah, Tuesday 10 February 2026'],
    ]);
    expect(hrefs(view)).toEqual(['/cases/case-1/family-group-decision-making/pre-proceedings']);
  });
});

describe('the pre-proceedings forms', () => {
  it('asks for the start date, linking the summary to its day box', () => {
    expect(checkFgdmForm('pre-proceedings', fgdmFormValues('pre-proceedings', {}))).toEqual({
      ok: false,
      errors: [{ field: 'startedOn', text: 'Enter the date pre-proceedings started', href: '#startedOn-day' }],
    });
    expect(
      checkFgdmForm(
        'pre-proceedings',
        fgdmFormValues('pre-proceedings', { 'startedOn-day': '2', 'startedOn-month': '2', 'startedOn-year': '2026' }),
      ),
    ).toEqual({ ok: true, input: { startedOn: '2026-02-02' } });
  });

  it('asks for the outcome, and another outcome in words, in the order the form shows them', () => {
    const date = { 'endedOn-day': '9', 'endedOn-month': '2', 'endedOn-year': '2026' };
    expect(checkFgdmForm('pre-proceedings-ended', fgdmFormValues('pre-proceedings-ended', {}))).toEqual({
      ok: false,
      errors: [
        { field: 'endedOn', text: 'Enter the date pre-proceedings ended', href: '#endedOn-day' },
        { field: 'outcome', text: 'Select the outcome of pre-proceedings', href: '#outcome' },
      ],
    });
    expect(checkFgdmForm('pre-proceedings-ended', fgdmFormValues('pre-proceedings-ended', { ...date, outcome: 'other' }))).toEqual({
      ok: false,
      errors: [{ field: 'otherOutcome', text: 'Enter what the outcome was', href: '#otherOutcome' }],
    });
    expect(
      checkFgdmForm(
        'pre-proceedings-ended',
        fgdmFormValues('pre-proceedings-ended', { ...date, outcome: 'step-down', otherOutcome: 'ignored' }),
      ),
    ).toEqual({ ok: true, input: { endedOn: '2026-02-09', outcome: 'step-down' } });
  });
});
