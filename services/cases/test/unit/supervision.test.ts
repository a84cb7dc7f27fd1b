import { CASE_ACCESS_KINDS } from '../../src/domain/access';
import { chronologyEntryAddedData } from '../../src/domain/events';
import { latestSupervisionAfter, supervisionEntryId, supervisionHeldEntry, supervisionHeldText } from '../../src/domain/supervision';
import { latestSupervisionView, readsSupervisionOf } from '../../src/web/case-view';
import { chronologyView } from '../../src/web/notes-view';

const held = {
  supervisionId: 'sup-0001',
  caseId: 'case-1',
  sequence: 2,
  heldOn: '2026-02-03',
  rating: 'amber' as const,
  completedAt: '2026-02-03T12:14:05.000Z',
};

describe('a group supervision held, as cases records it', () => {
  it('says which supervision, its rating and the one before, and the day only when it was written up another day', () => {
    expect(supervisionHeldText(held)).toBe('Group supervision 2 held: rated Amber');
    expect(supervisionHeldText({ ...held, rating: 'red', previousRating: 'amber' })).toBe(
      'Group supervision 2 held: rated Red (was Amber)',
    );
    expect(supervisionHeldText({ ...held, completedAt: '2026-02-05T09:00:00.000Z' })).toBe(
      'Group supervision 2 held on Tuesday 3 February 2026: rated Amber',
    );
    // 23:30 UTC on 2 June is already 3 June in London (BST): the same day.
    expect(supervisionHeldText({ ...held, heldOn: '2026-06-03', completedAt: '2026-06-02T23:30:00.000Z' })).toBe(
      'Group supervision 2 held: rated Amber',
    );
  });

  it('is one entry per supervision: its id is the supervision’s (hashed when too long for an id)', () => {
    const entry = supervisionHeldEntry({ caseId: 'case-1', referralId: 'ref-1' }, held, { sourceEventId: 'evt-1' });
    expect(entry).toEqual({
      entryId: 'supervision-held-sup-0001',
      caseId: 'case-1',
      kind: 'supervision-held',
      at: '2026-02-03T12:14:05.000Z',
      text: 'Group supervision 2 held: rated Amber',
      referralId: 'ref-1',
      sourceEventId: 'evt-1',
    });
    const long = supervisionEntryId('s'.repeat(64));
    expect(long).toMatch(/^supervision-held-[0-9a-f]{32}$/);
    expect(supervisionEntryId('s'.repeat(64))).toBe(long);
  });

  it('keeps the latest by sequence: an earlier supervision heard of late changes nothing', () => {
    expect(latestSupervisionAfter(undefined, held)).toEqual({ rating: 'amber', heldOn: '2026-02-03', sequence: 2 });
    expect(latestSupervisionAfter({ rating: 'green', heldOn: '2026-01-06', sequence: 1 }, held)).toEqual({
      rating: 'amber',
      heldOn: '2026-02-03',
      sequence: 2,
    });
    expect(latestSupervisionAfter({ rating: 'red', heldOn: '2026-03-03', sequence: 3 }, held)).toBeUndefined();
    expect(latestSupervisionAfter({ rating: 'amber', heldOn: '2026-02-03', sequence: 2 }, held)).toBeUndefined();
  });

  it('is shown on the overview with the day in words and a link to the case’s group supervision', () => {
    const allocated = { caseId: 'case-1', socialWorker: { userId: 'sw-1', name: 'Sam Okafor' }, firstAllocatedOn: '2026-01-31' };
    expect(latestSupervisionView({ ...allocated, latestSupervision: { rating: 'amber', heldOn: '2026-02-03', sequence: 2 } })).toEqual({
      text: 'Tuesday 3 February 2026, rated Amber',
      href: '/supervision/cases/case-1',
    });
    // None held yet: when the first is due, a calendar month from the first allocation (31 January → 28 February).
    expect(latestSupervisionView(allocated)).toEqual({
      text: 'None held yet; the first is due by Saturday 28 February 2026',
      href: '/supervision/cases/case-1',
    });
    // Not allocated (the essentials and the allocation say so), or allocated before the head kept the day: no day to give.
    expect(latestSupervisionView({ caseId: 'case-1' })).toEqual({ text: 'None held yet', href: '/supervision/cases/case-1' });
    expect(latestSupervisionView({ ...allocated, firstAllocatedOn: undefined })).toEqual({
      text: 'None held yet',
      href: '/supervision/cases/case-1',
    });
    // Supervision would not show the case to a break-glass reader or the front door: no link for them.
    expect(latestSupervisionView(allocated, false)).toEqual({ text: 'None held yet; the first is due by Saturday 28 February 2026' });
    expect(CASE_ACCESS_KINDS.filter(readsSupervisionOf)).toEqual(['allocated', 'team-member']);
  });

  it('links each supervision in the chronology to supervision’s page of the case, except when printed or for a reader it would refuse', () => {
    const entries = [supervisionHeldEntry({ caseId: 'case-1', referralId: 'ref-1' }, held, { sourceEventId: 'evt-1' })];
    expect(chronologyView(entries, 'case-1', [], false, { supervisionLinks: true }).items[0]).toMatchObject({
      label: { text: 'Group supervision' },
      link: { href: '/supervision/cases/case-1', text: 'See the group supervision' },
    });
    expect(chronologyView(entries, 'case-1', [], true, { supervisionLinks: true }).items[0]).not.toHaveProperty('link');
    expect(chronologyView(entries, 'case-1', [], false, { supervisionLinks: false }).items[0]).not.toHaveProperty('link');
  });
});

describe('CaseChronologyEntryAdded', () => {
  const entry = supervisionHeldEntry({ caseId: 'case-1', referralId: 'ref-1' }, held, { sourceEventId: 'evt-1' });
  const record = { reference: 'FSP-2026-000123', teamId: 'team-north-1' };

  it('carries the entry’s line, not restricted unless the entry is', () => {
    expect(chronologyEntryAddedData(entry, record)).toEqual({
      caseId: 'case-1',
      reference: 'FSP-2026-000123',
      teamId: 'team-north-1',
      entryId: 'supervision-held-sup-0001',
      kind: 'supervision-held',
      at: '2026-02-03T12:14:05.000Z',
      text: 'Group supervision 2 held: rated Amber',
      restricted: false,
    });
    expect(chronologyEntryAddedData({ ...entry, restricted: true }, record).restricted).toBe(true);
  });

  it('cuts a line longer than the contract’s 500 characters, marked with "…"', () => {
    const text = chronologyEntryAddedData({ ...entry, text: `Word ${'word '.repeat(200)}` }, record).text;
    expect(text.length).toBeLessThanOrEqual(500);
    expect(text.endsWith('…')).toBe(true);
  });
});
