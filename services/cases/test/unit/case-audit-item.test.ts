import { AUDIT_PARTITION_PREFIX, TABLE_KEYS } from '@fsp/shared/table';
import { type CaseAuditEntry, caseAuditItem, caseAuditKey } from '../../src/store/items/case-audit';

const common = {
  caseId: 'case-1',
  userId: 'user-1',
  username: 'kim.lee',
  name: 'Kim Lee',
  what: 'GET /cases/{caseId}',
  requestId: 'req-1',
  at: new Date('2026-01-06T09:15:00.000Z'),
};
const entries: CaseAuditEntry[] = [
  { kind: 'read', reason: 'team-member', ...common },
  { kind: 'denied', reason: 'no-such-case', ...common },
  { kind: 'restricted', reason: 'allocated', noteId: 'note-1', ...common },
  { kind: 'break-glass', reason: 'Police call out of hours', ...common },
];

describe('case audit items', () => {
  it('live in audit partitions only (the case’s, and the worker’s in gsi1), where IAM keeps them write-once', () => {
    for (const entry of entries) {
      const item = caseAuditItem(entry);
      expect(String(item.pk).startsWith(AUDIT_PARTITION_PREFIX)).toBe(true);
      expect(String(item.gsi1pk).startsWith(AUDIT_PARTITION_PREFIX)).toBe(true);
      expect(item).not.toHaveProperty(TABLE_KEYS.timeToLive);
    }
  });

  it('have one key per kind, instant and request (and note), so that nothing else can overwrite them', () => {
    expect(entries.map((entry) => caseAuditKey(entry).sk)).toEqual([
      'READ#2026-01-06T09:15:00.000Z#req-1',
      'DENIED#2026-01-06T09:15:00.000Z#req-1',
      'RESTRICTED#2026-01-06T09:15:00.000Z#req-1#note-1',
      'BREAKGLASS#2026-01-06T09:15:00.000Z#req-1',
    ]);
  });
});
