import { idSchema } from '@fsp/shared/events/definitions/common';
import fc from 'fast-check';
import * as z from 'zod/mini';
import { type AcceptedReferral, caseIdForReferral, openCaseFromReferral, referralLinkedEntry } from '../../src/domain/case';

const referral: AcceptedReferral & { outcome: 'assessment' } = {
  referralId: '01JGZ8Q4V7K3M2N5P6R8S9T0VW',
  reference: 'FSP-2026-000123',
  outcome: 'assessment',
  urgent: false,
  teamId: 'team-north-1',
  receivedAt: '2026-01-05T09:30:00.000Z',
  acceptedAt: '2026-01-05T15:10:00.000Z',
  children: [{ childId: 'child-01JGZ8R1', unborn: false, dateOfBirth: '2017-03-14' }],
};
const context = { now: new Date('2026-01-05T15:10:02.000Z'), sourceEventId: '3f6c1a52-8c1e-4b1a-9a47-0d7f3b2b9c11' };

describe('caseIdForReferral', () => {
  it('is the same for the same referral and differs between referrals', () => {
    expect(caseIdForReferral('ref-1')).toBe(caseIdForReferral('ref-1'));
    expect(caseIdForReferral('ref-1')).not.toBe(caseIdForReferral('ref-2'));
  });

  it('is a valid platform id even for the longest referral id', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/), (referralId) => {
        expect(z.safeParse(idSchema, caseIdForReferral(referralId)).success).toBe(true);
      }),
    );
  });
});

describe('openCaseFromReferral', () => {
  it('opens in assessment, with the team, children and urgency of the referral', () => {
    const { record } = openCaseFromReferral(referral, context);
    expect(record).toEqual({
      caseId: caseIdForReferral(referral.referralId),
      referralId: referral.referralId,
      reference: 'FSP-2026-000123',
      status: 'assessment',
      teamId: 'team-north-1',
      urgent: false,
      openedAt: '2026-01-05T15:10:02.000Z',
      // Monday 5 January 2026 + 45 working days (no bank holiday in between) = Monday 9 March.
      assessmentDueDate: '2026-03-09',
      assessmentDueBy: '2026-03-09T23:59:59.999Z',
      // Its only timescale yet, so its soonest deadline (the caseload's order).
      nextDeadline: { timescale: 'assessment', dueDate: '2026-03-09', dueBy: '2026-03-09T23:59:59.999Z' },
      children: [{ childId: 'child-01JGZ8R1', unborn: false, dateOfBirth: '2017-03-14' }],
      version: 1,
    });
  });

  it('counts the assessment from the referral date, across Christmas and New Year bank holidays', () => {
    const { record } = openCaseFromReferral(
      { ...referral, receivedAt: '2026-12-23T16:00:00.000Z', acceptedAt: '2026-12-24T09:00:00.000Z' },
      context,
    );
    // Day 1 is Thu 24 Dec; 25 Dec, 28 Dec (Boxing Day substitute) and 1 Jan 2027 are bank holidays,
    // so day 4 is Thu 31 Dec and day 45 is Monday 1 March 2027 (GMT: the end of the day is 23:59:59.999Z).
    expect(record.assessmentDueDate).toBe('2027-03-01');
    expect(record.assessmentDueBy).toBe('2027-03-01T23:59:59.999Z');
  });

  it('falls back to the acceptance when v1 carries no referral date', () => {
    const { receivedAt: _omitted, ...withoutReceipt } = referral;
    const { record } = openCaseFromReferral({ ...withoutReceipt, acceptedAt: '2026-12-23T10:00:00.000Z' }, context);
    expect(record.assessmentDueDate).toBe('2027-03-01');
  });

  it('counts London days: a referral late on a BST evening belongs to the next London day', () => {
    // 23:30Z on Thursday 4 June 2026 is 00:30 on Friday 5 June in London.
    const late = openCaseFromReferral({ ...referral, receivedAt: '2026-06-04T23:30:00.000Z' }, context).record;
    const nextMorning = openCaseFromReferral({ ...referral, receivedAt: '2026-06-05T08:00:00.000Z' }, context).record;
    expect(late.assessmentDueDate).toBe(nextMorning.assessmentDueDate);
    expect(late.assessmentDueBy).toBe(`${late.assessmentDueDate}T22:59:59.999Z`);
  });

  it('records the opening in the chronology, naming the referral, the kind of enquiry and the source event', () => {
    const assessment = openCaseFromReferral(referral, context).openingEntry;
    expect(assessment).toMatchObject({
      kind: 'case-opened',
      at: '2026-01-05T15:10:02.000Z',
      text: 'Case opened from referral FSP-2026-000123: Child and Family assessment',
      sourceEventId: context.sourceEventId,
    });
    const strategy = openCaseFromReferral({ ...referral, outcome: 'strategy-discussion', urgent: true }, context);
    expect(strategy.openingEntry.text).toBe('Case opened from referral FSP-2026-000123: strategy discussion (section 47)');
    expect(strategy.record.urgent).toBe(true);
  });
});

describe('referralLinkedEntry', () => {
  it('names the referral added to the case', () => {
    const entry = referralLinkedEntry('case-1', { ...referral, reference: 'FSP-2026-000200', urgent: true }, context);
    expect(entry).toMatchObject({
      caseId: 'case-1',
      kind: 'referral-linked',
      text: 'Referral FSP-2026-000200 added to this case (urgent)',
    });
  });
});
