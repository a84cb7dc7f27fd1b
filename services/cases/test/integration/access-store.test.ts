import type { ServiceRuntime } from '@fsp/shared/runtime';
import { allItems, type TestTable } from '@fsp/shared/testing/dynamodb';
import { deliverUntilAccepted } from '@fsp/shared/testing/events';
import { createTestRuntime } from '@fsp/shared/testing/runtime';
import { fixedClock } from '@fsp/shared/time/clock';
import { createReferralAcceptedConsumer } from '../../src/consumers/referral-accepted';
import { breakGlassGrant } from '../../src/domain/access';
import { caseIdForReferral } from '../../src/domain/case';
import { type AccessStore, CaseAuditCollisionError, type CaseAuditEntry, createAccessStore } from '../../src/store/access-store';
import { type CaseStore, createCaseStore } from '../../src/store/case-store';
import { caseAuditItems } from '../support/audit';
import { referralAccepted } from '../support/referral-accepted';

const AT = new Date('2026-01-06T09:15:00.000Z');
const referralId = '01JGZ8Q4V7K3M2N5P6R8S9T0VW';
const caseId = caseIdForReferral(referralId);

let table: TestTable;
let runtime: ServiceRuntime;
let store: AccessStore;
let cases: CaseStore;

beforeEach(async () => {
  const setup = await createTestRuntime('cases', fixedClock(AT.toISOString()));
  table = setup.table;
  runtime = setup.runtime;
  store = createAccessStore(runtime.documents, runtime.tableName);
  cases = createCaseStore(runtime.documents, runtime.tableName);
  await deliverUntilAccepted(createReferralAcceptedConsumer(runtime), [referralAccepted({ referralId })]);
});
afterEach(async () => {
  await table.drop();
});

const who = { caseId, userId: 'user-kim', username: 'kim.lee', name: 'Kim Lee', what: 'GET /cases/{caseId}', at: AT };

const auditItems = (id = caseId) => caseAuditItems(table, id);

describe('audit items', () => {
  it('are one per entry, saying who, what, when, why and the request, under the case and indexed by worker', async () => {
    const entries: CaseAuditEntry[] = [
      { kind: 'read', reason: 'team-member', requestId: 'req-1', ...who },
      { kind: 'denied', reason: 'no-relationship', requestId: 'req-2', ...who },
      { kind: 'restricted', reason: 'allocated', noteId: 'note-1', requestId: 'req-3', ...who },
      { kind: 'restricted', reason: 'allocated', noteId: 'note-2', requestId: 'req-3', ...who },
    ];
    await store.audit(entries.slice(0, 1));
    await store.audit(entries.slice(1, 2));
    await store.audit(entries.slice(2));
    const at = AT.toISOString();
    const common = { caseId, userId: 'user-kim', username: 'kim.lee', name: 'Kim Lee', what: 'GET /cases/{caseId}', at };
    const index = { gsi1pk: 'AUDIT#USER#user-kim', gsi1sk: `${at}#${caseId}` };
    expect(await auditItems()).toEqual([
      {
        pk: `AUDIT#CASE#${caseId}`,
        sk: `DENIED#${at}#req-2`,
        ...index,
        kind: 'case-read-denied',
        reason: 'no-relationship',
        requestId: 'req-2',
        ...common,
      },
      {
        pk: `AUDIT#CASE#${caseId}`,
        sk: `READ#${at}#req-1`,
        ...index,
        kind: 'case-read',
        reason: 'team-member',
        requestId: 'req-1',
        ...common,
      },
      {
        pk: `AUDIT#CASE#${caseId}`,
        sk: `RESTRICTED#${at}#req-3#note-1`,
        ...index,
        kind: 'restricted-entry-read',
        reason: 'allocated',
        noteId: 'note-1',
        requestId: 'req-3',
        ...common,
      },
      {
        pk: `AUDIT#CASE#${caseId}`,
        sk: `RESTRICTED#${at}#req-3#note-2`,
        ...index,
        kind: 'restricted-entry-read',
        reason: 'allocated',
        noteId: 'note-2',
        requestId: 'req-3',
        ...common,
      },
    ]);
  });

  it('are never overwritten: the same request at the same instant is refused, one entry or many, and nothing of the batch is written', async () => {
    const read: CaseAuditEntry = { kind: 'read', reason: 'team-member', requestId: 'req-1', ...who };
    await store.audit([read]);
    await expect(store.audit([{ ...read, reason: 'break-glass' }])).rejects.toBeInstanceOf(CaseAuditCollisionError);
    const restricted: CaseAuditEntry = { kind: 'restricted', reason: 'allocated', noteId: 'note-9', requestId: 'req-1', ...who };
    await expect(store.audit([restricted, read])).rejects.toBeInstanceOf(CaseAuditCollisionError);
    expect(await auditItems()).toEqual([expect.objectContaining({ sk: `READ#${AT.toISOString()}#req-1`, reason: 'team-member' })]);
  });

  it('over a hundred entries are written in several transactions', async () => {
    const entries: CaseAuditEntry[] = Array.from({ length: 130 }, (_, n) => ({
      kind: 'restricted',
      reason: 'team-member',
      noteId: `note-${n}`,
      requestId: 'req-many',
      ...who,
    }));
    await store.audit(entries);
    expect(await auditItems()).toHaveLength(130);
  });
});

describe('break-glass', () => {
  const grant = breakGlassGrant(
    caseId,
    { userId: 'user-kim', name: 'Kim Lee' },
    'Police called out of hours about the youngest child',
    AT,
    'req-bg',
  );
  const entry = {
    kind: 'break-glass' as const,
    reason: grant.reason,
    requestId: 'req-bg',
    ...who,
    what: 'POST /cases/{caseId}/break-glass',
  };

  it('records the grant in the case partition and its audit item in one transaction; the case file reads the grant back', async () => {
    expect(await store.breakGlass(grant, entry)).toBe('granted');
    const at = AT.toISOString();
    expect(await auditItems()).toEqual([
      expect.objectContaining({ sk: `BREAKGLASS#${at}#req-bg`, kind: 'case-break-glass', reason: grant.reason, userId: 'user-kim' }),
    ]);
    const file = await cases.readCase(caseId);
    expect(file?.breakGlass).toEqual([grant]);
    expect((await allItems(table)).filter((item) => item.kind === 'break-glass')).toEqual([
      { pk: `CASE#${caseId}`, sk: `BREAKGLASS#${at}#user-kim`, kind: 'break-glass', ...grant },
    ]);
  });

  it('writes nothing for a case that does not exist', async () => {
    const missing = { ...grant, caseId: 'case-nothing-here' };
    expect(await store.breakGlass(missing, { ...entry, caseId: 'case-nothing-here' })).toBe('no-such-case');
    expect(await auditItems('case-nothing-here')).toEqual([]);
    expect((await allItems(table)).filter((item) => item.kind === 'break-glass' || item.kind === 'case-break-glass')).toEqual([]);
  });

  it('never overwrites a grant or its audit item', async () => {
    await store.breakGlass(grant, entry);
    await expect(store.breakGlass({ ...grant, reason: 'something else' }, { ...entry, requestId: 'req-other' })).rejects.toThrow(
      /already exists/,
    );
    expect((await cases.readCase(caseId))?.breakGlass).toEqual([grant]);
  });
});
