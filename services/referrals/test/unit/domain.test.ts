import { parseLocalDate } from '@fsp/shared/time/local-date';
import fc from 'fast-check';
import { AlreadyDecided, decideReferral, decisionInputSchema } from '../../src/domain/decision';
import { ageInYears, isFamilySafeguardingEligible } from '../../src/domain/eligibility';
import { newReference, REFERENCE_PATTERN } from '../../src/domain/reference';
import { receiveReferral } from '../../src/domain/referral';
import { referralSubmissionSchema } from '../../src/domain/submission';
import { schoolReferral } from '../support/fixtures';

const d = parseLocalDate;
let childCounter = 0;
const receive = (receivedAt: string, overrides: Partial<ReturnType<typeof schoolReferral>> = {}) =>
  receiveReferral(referralSubmissionSchema.parse({ ...schoolReferral(), ...overrides }), {
    referralId: 'ref-1',
    reference: 'FSP-2026-7K3M2N',
    receivedAt: new Date(receivedAt),
    channel: 'partner-api',
    agencyId: 'agency-oakfield',
    newChildId: () => `child-${++childCounter}`,
  });

describe('the decision deadline: one working day after the day of receipt, in London', () => {
  it.each([
    ['a Monday morning', '2026-11-23T09:15:00Z', '2026-11-24T23:59:59.999Z'],
    ['a Friday evening: due by the end of Monday', '2026-11-27T18:40:00Z', '2026-11-30T23:59:59.999Z'],
    ['a Saturday: due by the end of Monday', '2026-11-28T11:00:00Z', '2026-11-30T23:59:59.999Z'],
    [
      'Christmas Eve: Christmas Day and Boxing Day (moved to Monday) are not working days',
      '2026-12-24T10:00:00Z',
      '2026-12-29T23:59:59.999Z',
    ],
    ['just after midnight in BST, still the previous evening in UTC', '2026-06-04T23:30:00Z', '2026-06-08T22:59:59.999Z'],
  ])('received %s', (_label, receivedAt, dueBy) => {
    expect(receive(receivedAt).decisionDueBy).toBe(dueBy);
  });
});

describe('Family Safeguarding eligibility', () => {
  it('flags a referral with an adult domestic-abuse factor and a child under 13', () => {
    expect(receive('2026-11-23T09:15:00Z').familySafeguardingFlag).toBe(true);
  });

  it('does not flag when only the child presents factors', () => {
    expect(receive('2026-11-23T09:15:00Z', { factors: ['3A', '16A'] }).familySafeguardingFlag).toBe(false);
  });

  it('does not flag when every child is 13 or over on the day of receipt', () => {
    const teenager = { ...schoolReferral().children[0]!, dateOfBirth: '2013-11-23' };
    expect(receive('2026-11-23T09:15:00Z', { children: [teenager] }).familySafeguardingFlag).toBe(false);
    const almostThirteen = { ...teenager, dateOfBirth: '2013-11-24' };
    expect(receive('2026-11-23T09:15:00Z', { children: [almostThirteen] }).familySafeguardingFlag).toBe(true);
  });

  it('flags an unborn child, and a child whose age the referrer does not know', () => {
    const unborn = { firstName: 'Baby', lastName: 'Jones', expectedDateOfBirth: '2027-02-01' };
    const unknownAge = { firstName: 'Leo', lastName: 'Jones' };
    expect(receive('2026-11-23T09:15:00Z', { children: [unborn], factors: ['2B'] }).familySafeguardingFlag).toBe(true);
    expect(receive('2026-11-23T09:15:00Z', { children: [unknownAge], factors: ['4C'] }).familySafeguardingFlag).toBe(true);
  });

  it('counts completed years, birthdays on 29 February included', () => {
    expect(ageInYears(d('2012-02-29'), d('2025-02-28'))).toBe(12);
    expect(ageInYears(d('2012-02-29'), d('2025-03-01'))).toBe(13);
    expect(ageInYears(d('2012-02-29'), d('2024-02-29'))).toBe(12);
  });

  it('never flags without an adult factor, whatever the children (property)', () => {
    const childFactor = fc.constantFrom('1A', '3A', '16A', '17A', '21', '8', '5B', '18B', '19C');
    const child = fc.record({
      unborn: fc.boolean(),
      dateOfBirth: fc.option(
        fc
          .date({ min: new Date('2000-01-01'), max: new Date('2026-11-23'), noInvalidDate: true })
          .map((date) => d(date.toISOString().slice(0, 10))),
        { nil: undefined },
      ),
    });
    fc.assert(
      fc.property(fc.array(childFactor, { minLength: 1 }), fc.array(child, { minLength: 1, maxLength: 5 }), (factors, children) => {
        expect(isFamilySafeguardingEligible(factors as never, children, d('2026-11-23'))).toBe(false);
      }),
    );
  });
});

describe('references', () => {
  it('are FSP-<year>-<six unambiguous characters> for any random bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 6, maxLength: 6 }), fc.integer({ min: 2024, max: 2099 }), (bytes, year) => {
        const reference = newReference(year, () => bytes);
        expect(reference).toMatch(REFERENCE_PATTERN);
        expect(reference.startsWith(`FSP-${year}-`)).toBe(true);
      }),
    );
  });
});

describe('the front door decision', () => {
  const now = new Date('2026-11-24T10:00:00Z');
  const by = { userId: 'worker-1', now };

  it('hands an assessment to the named team and a strategy discussion urgently', () => {
    const referral = receive('2026-11-23T09:15:00Z');
    const assessment = decideReferral(
      referral,
      decisionInputSchema.parse({ outcome: 'assessment', reason: 'Threshold met.', teamId: 'north' }),
      by,
    );
    expect(assessment.referral.status).toBe('decided');
    expect(assessment.referral.version).toBe(referral.version + 1);
    expect(assessment.handover).toEqual({ outcome: 'assessment', urgent: false, teamId: 'north' });
    const strategy = decideReferral(
      referral,
      decisionInputSchema.parse({ outcome: 'strategy-discussion', reason: 'S47.', teamId: 'north' }),
      by,
    );
    expect(strategy.handover?.urgent).toBe(true);
  });

  it('hands nothing over for no further action or early help', () => {
    const referral = receive('2026-11-23T09:15:00Z');
    expect(
      decideReferral(referral, decisionInputSchema.parse({ outcome: 'early-help', reason: 'Early help will call.' }), by).handover,
    ).toBeUndefined();
    expect(
      decideReferral(referral, decisionInputSchema.parse({ outcome: 'no-further-action', reason: 'No concerns.' }), by).handover,
    ).toBeUndefined();
  });

  it('refuses a second decision', () => {
    const decided = decideReferral(receive('2026-11-23T09:15:00Z'), decisionInputSchema.parse({ outcome: 'early-help', reason: 'x' }), by);
    expect(() =>
      decideReferral(decided.referral, decisionInputSchema.parse({ outcome: 'assessment', reason: 'y', teamId: 'north' }), by),
    ).toThrow(AlreadyDecided);
  });

  it.each([
    [{ outcome: 'assessment', reason: 'Threshold met.' }, 'teamId'],
    [{ outcome: 'added-to-open-case', reason: 'Known family.', teamId: 'north' }, 'existingCaseId'],
    [{ outcome: 'early-help', reason: 'x', existingCaseId: 'case-1' }, 'existingCaseId'],
    [{ outcome: 'early-help', reason: '   ' }, 'reason'],
    [{ outcome: 'closed', reason: 'x' }, 'outcome'],
  ])('names the field a decision %j is missing or gets wrong', (input, field) => {
    const result = decisionInputSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain(field);
  });
});
