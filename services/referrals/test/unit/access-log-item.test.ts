import { AUDIT_PARTITION_PREFIX, TABLE_KEYS } from '@fsp/shared/table';
import { frontDoorAccess } from '../../src/domain/access-log';
import { accessItem } from '../../src/store/access-log-store';

describe('an access item (a read of a referral)', () => {
  const access = frontDoorAccess(
    'ref-1',
    { userId: 'user-1', username: 'sam.patel', name: 'Sam Patel' },
    'referral-page',
    new Date('2026-01-06T09:15:00.000Z'),
    'req-1',
  );

  it('lives in the referral’s audit partition, indexed by worker, where IAM keeps it write-once (ADR 0014 §7-8)', () => {
    expect(accessItem(access)).toMatchObject({
      pk: 'AUDIT#REFERRAL#ref-1',
      sk: 'ACCESS#2026-01-06T09:15:00.000Z#req-1',
      gsi1pk: 'AUDIT#USER#user-1',
      gsi1sk: '2026-01-06T09:15:00.000Z#ref-1',
      kind: 'referral-access',
      userId: 'user-1',
      name: 'Sam Patel',
      view: 'referral-page',
      requestId: 'req-1',
    });
    expect(String(accessItem(access).pk).startsWith(AUDIT_PARTITION_PREFIX)).toBe(true);
  });

  it('never expires: DynamoDB’s time to live would delete it', () => {
    expect(accessItem(access)).not.toHaveProperty(TABLE_KEYS.timeToLive);
  });
});
