/**
 * Anonymous referrals (DOMAIN.md, Referrals 5; census source 9): the form may send one with no
 * referrer at all; the partner API's contract still needs a named referrer; the referral received
 * keeps no contact details, and its ReferralSubmitted stays valid against the published v1 schema.
 */
import { referralSubmittedV1 } from '@fsp/shared/events/definitions/referrals';
import { validate } from '@fsp/shared/events/field-issues';
import { referralSubmittedData } from '../../src/domain/events';
import { receiveReferral } from '../../src/domain/referral';
import { ANONYMOUS_SOURCE, formSubmissionSchema, referralSubmissionSchema } from '../../src/domain/submission';
import { schoolReferral } from '../support/fixtures';

const anonymous = () => {
  const { referrer: _none, ...rest } = schoolReferral();
  return { ...rest, referralSource: ANONYMOUS_SOURCE };
};

describe('the form’s submission', () => {
  it('takes an anonymous referral: source 9 and no referrer', () => {
    expect(validate(formSubmissionSchema, anonymous())).toMatchObject({ success: true });
  });

  it('refuses contact details on an anonymous referral, and a missing referrer on any other', () => {
    expect(validate(formSubmissionSchema, { ...schoolReferral(), referralSource: ANONYMOUS_SOURCE })).toEqual({
      success: false,
      issues: [
        { path: '$.referrer', message: 'must be left out of an anonymous referral (referralSource 9): no contact details are kept' },
      ],
    });
    expect(validate(formSubmissionSchema, { ...anonymous(), referralSource: '1D' })).toEqual({
      success: false,
      issues: [{ path: '$.referrer', message: 'is required, unless the referral is anonymous (referralSource 9)' }],
    });
  });
});

describe('the partner API’s submission (its v1 contract, unchanged)', () => {
  it('still needs a named referrer, whatever the source', () => {
    expect(validate(referralSubmissionSchema, anonymous())).toMatchObject({ success: false, issues: [{ path: '$.referrer' }] });
    expect(validate(referralSubmissionSchema, schoolReferral())).toMatchObject({ success: true });
  });
});

describe('receiving an anonymous referral', () => {
  const parsed = validate(formSubmissionSchema, anonymous());
  if (!parsed.success) throw new Error('the anonymous fixture must be valid');
  const referral = receiveReferral(parsed.data, {
    referralId: '01JGZ9A1B2C3D4E5F6G7H8J9KM',
    reference: 'FSP-2026-7K3M9Q',
    receivedAt: new Date('2026-01-09T16:45:00.000Z'),
    channel: 'form',
    newChildId: () => 'child-1',
  });

  it('keeps no referrer, and source 9', () => {
    expect(referral).not.toHaveProperty('referrer');
    expect(referral.referralSource).toBe('9');
  });

  it('makes a ReferralSubmitted valid against the published v1 schema', () => {
    const data = referralSubmittedData(referral);
    expect(data).toEqual({
      referralId: referral.referralId,
      reference: referral.reference,
      receivedAt: referral.receivedAt,
      decisionDueBy: referral.decisionDueBy,
      channel: 'form',
      referralSource: '9',
      childCount: 1,
      familySafeguardingFlag: referral.familySafeguardingFlag,
    });
    expect(validate(referralSubmittedV1.data, data)).toEqual({ success: true, data });
  });
});
