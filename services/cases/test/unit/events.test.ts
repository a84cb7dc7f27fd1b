import { buildEvent } from '@fsp/shared/events/build';
import { caseOpenedV1 } from '@fsp/shared/events/definitions/cases';
import fc from 'fast-check';
import { type AcceptedReferral, openCaseFromReferral } from '../../src/domain/case';
import { caseOpenedData } from '../../src/domain/events';

const referral: AcceptedReferral & { outcome: 'assessment' } = {
  referralId: '01JGZ8Q4V7K3M2N5P6R8S9T0VW',
  reference: 'FSP-2026-000123',
  outcome: 'assessment',
  urgent: true,
  teamId: 'team-north-1',
  receivedAt: '2026-01-05T09:30:00.000Z',
  acceptedAt: '2026-01-05T15:10:00.000Z',
  children: [{ childId: 'child-01JGZ8R1', unborn: false, dateOfBirth: '2017-03-14' }],
};
const context = { now: new Date('2026-01-05T15:10:02.000Z'), sourceEventId: '3f6c1a52-8c1e-4b1a-9a47-0d7f3b2b9c11' };
const meta = { clock: () => context.now, correlationId: 'journey-1', causationId: context.sourceEventId };

describe('caseOpenedData', () => {
  it('carries the case, its referral and reference, its team and the assessment deadline; nothing about the children', () => {
    const { record } = openCaseFromReferral(referral, context);
    expect(caseOpenedData(record)).toEqual({
      caseId: record.caseId,
      referralId: '01JGZ8Q4V7K3M2N5P6R8S9T0VW',
      reference: 'FSP-2026-000123',
      teamId: 'team-north-1',
      openedAt: '2026-01-05T15:10:02.000Z',
      status: 'assessment',
      assessmentDueBy: '2026-03-09T23:59:59.999Z',
    });
  });

  it('meets the CaseOpened v1 contract for any case opening, losing nothing to it', () => {
    // Bank-holiday data covers 2024–2028: referral dates whose 45 working days end inside it.
    const day = fc.date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2028-09-30T23:59:59Z'), noInvalidDate: true });
    fc.assert(
      fc.property(
        day,
        fc.constantFrom('assessment' as const, 'strategy-discussion' as const),
        fc.boolean(),
        (received, outcome, urgent) => {
          const { record } = openCaseFromReferral(
            { ...referral, outcome, urgent, receivedAt: received.toISOString(), acceptedAt: received.toISOString() },
            { ...context, now: received },
          );
          const data = caseOpenedData(record);
          expect(buildEvent(caseOpenedV1, data, meta).detail.data).toEqual(data);
        },
      ),
    );
  });
});
