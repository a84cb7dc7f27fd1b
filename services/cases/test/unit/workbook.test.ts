/** The workbook's rules (domain/workbook.ts): who writes which role, versions, months, the programme per adult. */
import { parseLocalDate } from '@fsp/shared/time/local-date';
import type { Allocation } from '../../src/domain/allocation';
import {
  contribute,
  emptyWorkbook,
  modulesOf,
  monthText,
  recordModule,
  rolesWritableBy,
  summariesInMonthOrder,
  summaryVersions,
  type Workbook,
  workbookChronologyLine,
  workbookEntryId,
} from '../../src/domain/workbook';
import { WORKBOOK_MODULES } from '../../src/domain/workbook-modules';

const day = parseLocalDate;

/** Tuesday 10 February 2026, 2:30pm in London. */
const now = new Date('2026-02-10T14:30:00.000Z');
const who = { userId: 'sw-0001', name: 'Sam Okafor' };
const context = { who, now, openedOn: parseLocalDate('2026-01-05') };
const worker = (at: string) => ({ userId: 'x', name: 'X', allocatedAt: at, allocatedBy: 'tm-0001' });

const allocation: Pick<Allocation, 'socialWorker' | 'specialists'> = {
  socialWorker: { ...worker(''), userId: 'sw-0001', name: 'Sam Okafor' },
  specialists: { 'mental-health': { ...worker(''), userId: 'as-0001', name: 'Dana Lewis' } },
};
const facts = { teamId: 'team-north-1', allocation };

describe('who writes which role', () => {
  it('the team manager of the holding team any; an allocated worker their slots; a social worker of the team the social worker’s', () => {
    expect(rolesWritableBy({ userId: 'tm-0001', roles: ['team-manager'], teamId: 'team-north-1' }, facts, 'team-member')).toHaveLength(5);
    expect(rolesWritableBy({ userId: 'as-0001', roles: ['adult-specialist'], teamId: 'team-north-1' }, facts, 'allocated')).toEqual([
      'mental-health',
    ]);
    expect(rolesWritableBy({ userId: 'sw-0002', roles: ['social-worker'], teamId: 'team-north-1' }, facts, 'team-member')).toEqual([
      'social-worker',
    ]);
    // An adult specialist of the team not allocated: the directory does not say their specialism.
    expect(rolesWritableBy({ userId: 'as-0002', roles: ['adult-specialist'], teamId: 'team-north-1' }, facts, 'team-member')).toEqual([]);
    // Another team's manager through break-glass reads only.
    expect(rolesWritableBy({ userId: 'tm-0009', roles: ['team-manager'], teamId: 'team-south-2' }, facts, 'break-glass')).toEqual([]);
    expect(rolesWritableBy({ userId: 'tm-0009', roles: ['team-manager'], teamId: 'team-south-2' }, facts, 'allocated')).toEqual([]);
  });
});

describe('chapters and monthly summaries', () => {
  const withChapter = (): Workbook => {
    const result = contribute(emptyWorkbook('case-1'), { kind: 'chapter', role: 'social-worker', text: 'First.' }, 0, context);
    if (!('chapter' in result)) throw new Error('not written');
    return { ...emptyWorkbook('case-1'), chapters: [result.chapter] };
  };

  it('a chapter’s next version is written only over the version read', () => {
    const workbook = withChapter();
    expect(contribute(workbook, { kind: 'chapter', role: 'social-worker', text: 'Again.' }, 0, context)).toEqual({ refused: 'changed' });
    expect(contribute(workbook, { kind: 'chapter', role: 'social-worker', text: 'Second.' }, 1, context)).toEqual({
      chapter: { role: 'social-worker', version: 2, text: 'Second.', by: who, at: now.toISOString() },
    });
    // Another role's chapter is its own entry.
    expect(contribute(workbook, { kind: 'chapter', role: 'mental-health', text: 'Hers.' }, 0, context)).toMatchObject({
      chapter: { version: 1 },
    });
  });

  it('a month’s summary: this month or before, not before the case opened, one per role and month', () => {
    const summary = (month: string, version = 0) =>
      contribute(emptyWorkbook('case-1'), { kind: 'monthly-summary', role: 'mental-health', month, text: 'Words.' }, version, context);
    expect(summary('2026-02')).toMatchObject({ summary: { month: '2026-02', version: 1 } });
    expect(summary('2026-03')).toEqual({ refused: 'invalid', field: 'month', message: 'The month must be this month or before' });
    expect(summary('2025-12')).toMatchObject({ refused: 'invalid', field: 'month' });
    expect(summary('2026-01')).toMatchObject({ summary: { month: '2026-01' } });
    expect(summary('2026-02', 1)).toEqual({ refused: 'changed' });
    // London's month: 22:30 UTC on 31 March 2026 is 11:30pm BST, still March; 23:30 UTC is already 1 April in London.
    const lateMarch = new Date('2026-03-31T22:30:00.000Z');
    expect(
      contribute(emptyWorkbook('c'), { kind: 'monthly-summary', role: 'social-worker', month: '2026-04', text: 'x' }, 0, {
        ...context,
        now: lateMarch,
      }),
    ).toMatchObject({ refused: 'invalid' });
    expect(
      contribute(emptyWorkbook('c'), { kind: 'monthly-summary', role: 'social-worker', month: '2026-04', text: 'x' }, 0, {
        ...context,
        now: new Date('2026-03-31T23:30:00.000Z'),
      }),
    ).toMatchObject({ summary: { month: '2026-04' } });
  });

  it('summaries in month order, each month’s in the roles’ order; months in words', () => {
    const entry = (month: string, role: 'social-worker' | 'mental-health') => ({ role, month, text: '', by: who, at: '', version: 1 });
    const ordered = summariesInMonthOrder({
      summaries: [entry('2026-02', 'social-worker'), entry('2026-01', 'mental-health'), entry('2026-01', 'social-worker')],
    });
    expect(ordered.map((each) => `${each.month} ${each.role}`)).toEqual([
      '2026-01 social-worker',
      '2026-01 mental-health',
      '2026-02 social-worker',
    ]);
    expect(monthText('2026-02')).toBe('February 2026');
  });
});

describe('the programme per adult', () => {
  const adultIds = ['adult-1', 'adult-2'];
  const programmeContext = { who, now, adultIds };

  it('eight modules configured; each not started until recorded', () => {
    expect(WORKBOOK_MODULES).toHaveLength(8);
    expect(modulesOf(undefined).map(({ module, progress }) => [module, progress])).toEqual(
      [1, 2, 3, 4, 5, 6, 7, 8].map((module) => [module, undefined]),
    );
  });

  it('only an adult of the network; a started or completed module needs its day, today or before', () => {
    const record = (input: object, version = 0) =>
      recordModule(
        emptyWorkbook('c'),
        { personId: 'adult-1', module: 1, status: 'completed', on: '2026-02-10', ...input } as never,
        version,
        programmeContext,
      );
    expect(record({ personId: 'child-1' })).toMatchObject({ refused: 'invalid', field: 'personId' });
    expect(record({ on: undefined })).toEqual({ refused: 'invalid', field: 'on', message: 'Enter the date the module was completed' });
    expect(record({ status: 'in-progress', on: undefined })).toMatchObject({ message: 'Enter the date the module started' });
    expect(record({ on: '2026-02-11' })).toMatchObject({ refused: 'invalid', field: 'on' });
    expect(record({}, 1)).toEqual({ refused: 'changed' });
    expect(record({ status: 'not-started', on: '2026-02-01' })).toEqual({
      programme: { personId: 'adult-1', version: 1, modules: [{ module: 1, status: 'not-started', by: who, at: now.toISOString() }] },
    });
  });

  it('a module recorded again replaces its own line; the others stay, in order', () => {
    const first = recordModule(
      emptyWorkbook('c'),
      { personId: 'adult-1', module: 3, status: 'in-progress', on: day('2026-02-01') },
      0,
      programmeContext,
    );
    if (!('programme' in first)) throw new Error('refused');
    const workbook = { ...emptyWorkbook('c'), programmes: [first.programme] };
    const second = recordModule(
      workbook,
      { personId: 'adult-1', module: 1, status: 'completed', on: day('2026-02-02') },
      1,
      programmeContext,
    );
    const third =
      'programme' in second
        ? recordModule(
            { ...workbook, programmes: [second.programme] },
            { personId: 'adult-1', module: 3, status: 'completed', on: day('2026-02-09') },
            2,
            programmeContext,
          )
        : second;
    expect('programme' in third && third.programme.modules.map((each) => `${each.module} ${each.status} ${each.on}`)).toEqual([
      '1 completed 2026-02-02',
      '3 completed 2026-02-09',
    ]);
    // Another adult's programme is their own.
    expect(
      recordModule(workbook, { personId: 'adult-2', module: 1, status: 'in-progress', on: day('2026-02-02') }, 0, programmeContext),
    ).toMatchObject({
      programme: { personId: 'adult-2', version: 1 },
    });
  });
});

describe('a monthly summary keeps every version, and each version written is a chronology line', () => {
  const month = (version: number, text: string, at: string) => ({
    role: 'social-worker' as const,
    month: '2026-02',
    text,
    by: who,
    at,
    version,
  });
  it('a replaced summary is a new version over the one read; the earlier stays, and only the latest is the month’s summary', () => {
    let workbook: Workbook = emptyWorkbook('case-1');
    const first = contribute(workbook, { kind: 'monthly-summary', role: 'social-worker', month: '2026-02', text: 'One.' }, 0, context);
    if (!('summary' in first)) throw new Error('refused');
    workbook = { ...workbook, summaries: [first.summary] };
    const second = contribute(workbook, { kind: 'monthly-summary', role: 'social-worker', month: '2026-02', text: 'Two.' }, 1, context);
    if (!('summary' in second)) throw new Error('refused');
    expect(second.summary.version).toBe(2);
    workbook = { ...workbook, summaries: [first.summary, second.summary] };
    expect(summaryVersions(workbook, 'social-worker', '2026-02').map((each) => each.text)).toEqual(['Two.', 'One.']);
    expect(summariesInMonthOrder(workbook).map((each) => each.text)).toEqual(['Two.']);
    // Over version 1 again: someone else wrote version 2 since.
    expect(contribute(workbook, { kind: 'monthly-summary', role: 'social-worker', month: '2026-02', text: 'Late.' }, 1, context)).toEqual({
      refused: 'changed',
    });
  });

  it('the line says which role’s chapter or month, written or updated, and who; never the words', () => {
    const chapter = { role: 'mental-health' as const, version: 1, text: 'Private words.', by: who, at: now.toISOString() };
    expect(workbookChronologyLine({ chapter })).toBe('Workbook: Mental health worker chapter written by Sam Okafor');
    expect(workbookEntryId({ chapter })).toBe('workbook-chapter-mental-health-1');
    const summary = month(3, 'Private words.', now.toISOString());
    expect(workbookChronologyLine({ summary })).toBe(
      'Workbook: Social worker monthly summary for February 2026 updated (version 3) by Sam Okafor',
    );
    expect(workbookEntryId({ summary })).toBe('workbook-summary-2026-02-social-worker-3');
    expect(workbookChronologyLine({ summary })).not.toContain('Private');
  });
});
