/**
 * What ReferralDecided says about the web-form referrer, so that notifications tells each the right
 * amount (DOMAIN.md, Referrals 5): a professional (a professional source, with their role and their
 * organisation) is told the outcome and the reason; a member of the public only that the referral was
 * looked at; an anonymous referrer left no contact details and is not named at all.
 */
import { REFERRAL_SOURCE_CODES } from '@fsp/shared/events/codes';
import { referralDecidedV1 } from '@fsp/shared/events/definitions/referrals';
import fc from 'fast-check';
import { decideReferral } from '../../src/domain/decision';
import { isProfessionalFormReferrer, referralDecidedData } from '../../src/domain/events';
import { type Referral, receiveReferral } from '../../src/domain/referral';
import { formSubmissionSchema, referralSubmissionSchema } from '../../src/domain/submission';
import { schoolReferral } from '../support/fixtures';

const PUBLIC_SOURCES = ['1A', '1B', '1C', '1D', '10'] as const;

const received = (channel: Referral['channel'], change: (input: ReturnType<typeof schoolReferral>) => void = () => {}): Referral => {
  const input = schoolReferral();
  change(input);
  return receiveReferral((channel === 'form' ? formSubmissionSchema : referralSubmissionSchema).parse(input), {
    referralId: 'referral-1',
    reference: 'FSP-2026-7K3M9Q',
    receivedAt: new Date('2026-11-23T09:15:00.000Z'),
    channel,
    ...(channel === 'partner-api' ? { agencyId: 'agency-oakfield' } : {}),
    newChildId: () => 'child-1',
  });
};

const by = { userId: 'frontdoor-user', now: new Date('2026-11-23T15:00:00.000Z') };
const told = (referral: Referral) =>
  referralDecidedData(referral, decideReferral(referral, { outcome: 'no-further-action', reason: 'No concerns found.' }, by).decision);

describe('ReferralDecided names the form referrer and whether they are told as a professional', () => {
  it('a school’s designated safeguarding lead, with role and organisation: professional', () => {
    expect(told(received('form')).formReferrer).toEqual({
      name: 'Amara Okafor',
      email: 'dsl@oakfield.example.sch.uk',
      professional: true,
    });
  });

  it('a professional source without a role, or without an organisation: told as a member of the public', () => {
    const noRole = received('form', (input) => {
      delete input.referrer!.role;
    });
    const noOrganisation = received('form', (input) => {
      delete input.referrer!.organisation;
    });
    expect(told(noRole).formReferrer).toMatchObject({ professional: false });
    expect(told(noOrganisation).formReferrer).toMatchObject({ professional: false });
  });

  it.each(PUBLIC_SOURCES)('a member of the public (source %s), whatever role and organisation they typed: not professional', (source) => {
    const referral = received('form', (input) => {
      input.referralSource = source;
    });
    expect(told(referral).formReferrer).toEqual({ name: 'Amara Okafor', email: 'dsl@oakfield.example.sch.uk', professional: false });
  });

  it('an anonymous referral (source 9) names nobody; a partner referral is told by its webhook, not by email', () => {
    const anonymous = received('form', (input) => {
      Reflect.deleteProperty(input, 'referrer');
      input.referralSource = '9';
    });
    expect(told(anonymous)).not.toHaveProperty('formReferrer');
    expect(told(received('partner-api'))).not.toHaveProperty('formReferrer');
    // The rule itself is about form referrers only.
    expect(isProfessionalFormReferrer(received('partner-api'))).toBe(false);
  });

  it('property: professional exactly when a professional source and both role and organisation are given, and it meets v1', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...REFERRAL_SOURCE_CODES.filter((code) => code !== '9')),
        fc.option(fc.constantFrom('Designated safeguarding lead', 'Health visitor'), { nil: undefined }),
        fc.option(fc.constantFrom('Oakfield Primary School', 'Northtown GP practice'), { nil: undefined }),
        (source, role, organisation) => {
          const referral = received('form', (input) => {
            input.referralSource = source;
            input.referrer = { name: 'Sam Lee', email: 'sam.lee@example.com' };
            if (role !== undefined) input.referrer.role = role;
            if (organisation !== undefined) input.referrer.organisation = organisation;
          });
          const expected = !(PUBLIC_SOURCES as readonly string[]).includes(source) && role !== undefined && organisation !== undefined;
          const data = told(referral);
          expect(data.formReferrer?.professional).toBe(expected);
          expect(referralDecidedV1.data.parse(data)).toEqual(data);
        },
      ),
    );
  });
});
