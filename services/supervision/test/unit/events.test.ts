import { buildEvent, parseEventDetail } from '@fsp/shared/events/build';
import { caseAllocatedV1, caseOpenedV1 } from '@fsp/shared/events/definitions/cases';
import { supervisionScheduledV1 } from '@fsp/shared/events/definitions/supervision';
import fc from 'fast-check';
import { allocatedCaseOf, firstAllocationOf, supervisedCaseOf, supervisionScheduledData } from '../../src/domain/events';
import { scheduleFirstSupervision, supervisionIdFor } from '../../src/domain/supervision';

const ids = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/);
// First allocations whose due date stays inside the shipped bank-holiday years (2024–2028).
const allocations = fc.date({ min: new Date('2024-01-01T00:00:00.000Z'), max: new Date('2028-11-30T23:59:59.999Z'), noInvalidDate: true });
const meta = { clock: () => new Date('2026-01-05T15:10:04.000Z'), correlationId: 'journey-1', causationId: 'cause-1' };

describe('supervisedCaseOf', () => {
  it('keeps from CaseOpened the case, the team holding it, when it opened and its reference', () => {
    const [opened] = caseOpenedV1.fixtures;
    expect(supervisedCaseOf(opened!)).toEqual({
      caseId: 'case-01JGZB7XQ2',
      teamId: 'team-north-1',
      openedAt: '2026-01-05T15:10:02.000Z',
      reference: 'FSP-2026-000123',
    });
  });

  it('keeps no reference from a CaseOpened as v1 was first published, without one', () => {
    const [, withoutReference] = caseOpenedV1.fixtures;
    expect(withoutReference).not.toHaveProperty('reference');
    expect(supervisedCaseOf(withoutReference!)).toEqual({
      caseId: 'case-01JGZC4M8N',
      teamId: 'team-south-1',
      openedAt: '2026-01-12T11:02:40.000Z',
    });
  });
});

describe('firstAllocationOf', () => {
  const [firstSocialWorker, specialist, change] = caseAllocatedV1.fixtures;

  it('takes from the first social worker’s CaseAllocated the case, its team, reference and when', () => {
    const first = firstAllocationOf(firstSocialWorker!);
    expect(first).toEqual({
      caseId: 'case-01JGZB7XQ2',
      teamId: 'team-north-1',
      reference: 'FSP-2026-000123',
      allocatedAt: '2026-01-06T09:42:10.000Z',
    });
    expect(allocatedCaseOf(first!)).toEqual({ caseId: 'case-01JGZB7XQ2', teamId: 'team-north-1', reference: 'FSP-2026-000123' });
  });

  it('is nothing for an adult specialist or a change of social worker', () => {
    expect(firstAllocationOf(specialist!)).toBeUndefined();
    expect(firstAllocationOf(change!)).toBeUndefined();
  });
});

describe('supervisionScheduledData', () => {
  it('announces the supervision, its case (and reference) and team, its number, when it is due and when it is planned', () => {
    const supervision = scheduleFirstSupervision({
      caseId: 'case-1',
      teamId: 'team-north-1',
      reference: 'FSP-2026-000123',
      allocatedAt: '2026-07-31T09:00:00.000Z',
    });
    expect(supervisionScheduledData(supervision)).toEqual({
      supervisionId: supervisionIdFor('case-1', 1),
      caseId: 'case-1',
      teamId: 'team-north-1',
      dueBy: '2026-08-31T22:59:59.999Z',
      scheduledFor: '2026-08-28T09:00:00.000Z',
      reference: 'FSP-2026-000123',
      sequence: 1,
    });
  });

  it('builds a SupervisionScheduled v1 that the contract accepts, for any case the consumer can schedule', () => {
    fc.assert(
      fc.property(ids, ids, allocations, (caseId, teamId, allocatedAt) => {
        const supervision = scheduleFirstSupervision({
          caseId,
          teamId,
          reference: 'FSP-2026-000123',
          allocatedAt: allocatedAt.toISOString(),
        });
        const built = buildEvent(supervisionScheduledV1, supervisionScheduledData(supervision), meta);
        const read = parseEventDetail(supervisionScheduledV1, JSON.parse(JSON.stringify(built.detail)));
        expect(read.data).toEqual({
          supervisionId: supervision.supervisionId,
          caseId,
          teamId,
          dueBy: supervision.dueBy,
          scheduledFor: supervision.scheduledFor,
          reference: 'FSP-2026-000123',
          sequence: 1,
        });
      }),
      { numRuns: 200 },
    );
  });
});
