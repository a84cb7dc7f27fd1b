/**
 * The named mappers from this service's records to the payloads of the events it publishes: each
 * carries what its consumers act on, meets its published v1 contract, and never a child's or
 * adult's name, address or the referral's narrative, save ReferralAccepted's `family` (ADR 0014
 * §1): the people a case opens with, never the narrative, the referrer only when a professional.
 */

import { buildEvent } from '@fsp/shared/events/build';
import { REFERRAL_OUTCOMES } from '@fsp/shared/events/codes';
import {
  agencyOnboardedV1,
  agencyRevokedV1,
  referralAcceptedV1,
  referralDecidedV1,
  referralDecisionDueV1,
  referralDecisionOverdueV1,
  referralSubmittedV1,
} from '@fsp/shared/events/definitions/referrals';
import fc from 'fast-check';
import { type Agency, revokedAgency } from '../../src/domain/agency';
import { decideReferral } from '../../src/domain/decision';
import {
  agencyOnboardedData,
  agencyRevokedData,
  referralAcceptedData,
  referralDecidedData,
  referralDecisionDueData,
  referralDecisionOverdueData,
  referralFamilyData,
  referralSubmittedData,
} from '../../src/domain/events';
import { type Referral, receiveReferral } from '../../src/domain/referral';
import { formSubmissionSchema, referralSubmissionSchema } from '../../src/domain/submission';
import { schoolReferral } from '../support/fixtures';

const meta = { clock: () => new Date('2026-11-23T15:00:00.000Z'), correlationId: 'journey-1', causationId: 'request-1' };

const received = (channel: Referral['channel'] = 'partner-api'): Referral =>
  receiveReferral((channel === 'form' ? formSubmissionSchema : referralSubmissionSchema).parse(schoolReferral()), {
    referralId: 'referral-1',
    reference: 'FSP-2026-7K3M9Q',
    receivedAt: new Date('2026-11-23T09:15:00.000Z'),
    channel,
    ...(channel === 'partner-api' ? { agencyId: 'agency-oakfield' } : {}),
    newChildId: () => 'child-1',
  });

const by = { userId: 'frontdoor-user', now: new Date('2026-11-23T15:00:00.000Z') };

/** Names, addresses and narrative the fixture holds, none of which an event may carry (save the form referrer's name and email, and the family). */
const PERSONAL = ['Mia', 'Jones', 'Kerry', 'Elm Road', 'NT1 4AB', 'hurt by her partner', 'frightened', 'Oakfield Primary School'];
/** What no event carries at all, the family included: the narrative, the consent reason, the factors. */
const NARRATIVE = ['hurt by her partner', 'frightened', 'Telling the mother first', '"17A"'];

/** The school fixture's people, as ReferralAccepted's family carries them. */
const schoolFamily = {
  children: [
    {
      childId: 'child-1',
      firstName: 'Mia',
      lastName: 'Jones',
      unborn: false,
      dateOfBirth: '2018-03-14',
      gender: 'female',
      school: 'Oakfield Primary School',
      address: { line1: '12 Elm Road', town: 'Northtown', postcode: 'NT1 4AB' },
    },
  ],
  adults: [{ firstName: 'Kerry', lastName: 'Jones', relationship: 'mother' }],
  professionalReferrer: {
    name: 'Amara Okafor',
    role: 'Designated safeguarding lead',
    organisation: 'Oakfield Primary School',
    email: 'dsl@oakfield.example.sch.uk',
    phone: '01632 960 123',
  },
};

describe('referralSubmittedData', () => {
  it('carries the referral’s ids, channel, agency, source, child count, flag and deadline', () => {
    const referral = received();
    expect(referralSubmittedData(referral)).toEqual({
      referralId: 'referral-1',
      reference: 'FSP-2026-7K3M9Q',
      receivedAt: '2026-11-23T09:15:00.000Z',
      decisionDueBy: referral.decisionDueBy,
      channel: 'partner-api',
      agencyId: 'agency-oakfield',
      referralSource: '2A',
      childCount: 1,
      familySafeguardingFlag: referral.familySafeguardingFlag,
    });
    expect(referralSubmittedData(received('form'))).not.toHaveProperty('agencyId');
  });
});

describe('referralDecidedData and referralAcceptedData', () => {
  it('tell the partner agency’s webhook of a partner referral, and name the team and children for a case', () => {
    const referral = received();
    const decided = decideReferral(referral, { outcome: 'assessment', reason: 'Meets the threshold.', teamId: 'team-north-1' }, by);
    expect(referralDecidedData(referral, decided.decision)).toEqual({
      referralId: 'referral-1',
      reference: 'FSP-2026-7K3M9Q',
      outcome: 'assessment',
      reason: 'Meets the threshold.',
      decidedAt: '2026-11-23T15:00:00.000Z',
      decidedBy: 'frontdoor-user',
      agencyId: 'agency-oakfield',
    });
    expect(referralAcceptedData(referral, decided.decision, decided.handover!)).toEqual({
      referralId: 'referral-1',
      reference: 'FSP-2026-7K3M9Q',
      outcome: 'assessment',
      // The intake's Family Safeguarding flag travels to the case, for its assessment to confirm or clear.
      familySafeguardingFlag: true,
      urgent: false,
      teamId: 'team-north-1',
      receivedAt: '2026-11-23T09:15:00.000Z',
      acceptedAt: '2026-11-23T15:00:00.000Z',
      children: [{ childId: 'child-1', unborn: false, dateOfBirth: '2018-03-14' }],
      family: schoolFamily,
      // The referral's census source travels to the case, for its census episode.
      referralSource: '2A',
    });
  });

  it('name a web-form referrer to email, nobody for an anonymous one, and the open case a referral was added to', () => {
    const form = received('form');
    const added = decideReferral(
      form,
      { outcome: 'added-to-open-case', reason: 'Already open.', teamId: 'team-north-1', existingCaseId: 'case-9' },
      by,
    );
    expect(referralDecidedData(form, added.decision)).toMatchObject({
      caseId: 'case-9',
      formReferrer: { name: 'Amara Okafor', email: 'dsl@oakfield.example.sch.uk' },
    });
    expect(referralDecidedData(form, added.decision)).not.toHaveProperty('agencyId');
    expect(referralAcceptedData(form, added.decision, added.handover!)).toMatchObject({ existingCaseId: 'case-9' });

    const { referrer: _none, ...anonymous } = form;
    expect(referralDecidedData(anonymous, added.decision)).not.toHaveProperty('formReferrer');
  });

  it('meet their v1 contracts for every outcome; ReferralDecided says nothing of the family, ReferralAccepted only its people', () => {
    fc.assert(
      fc.property(fc.constantFrom(...REFERRAL_OUTCOMES), fc.constantFrom('form' as const, 'partner-api' as const), (outcome, channel) => {
        const referral = received(channel);
        const decided = decideReferral(
          referral,
          {
            outcome,
            reason: 'A reason the referrer can be told.',
            ...(outcome === 'no-further-action' || outcome === 'early-help' ? {} : { teamId: 'team-north-1' }),
            ...(outcome === 'added-to-open-case' ? { existingCaseId: 'case-9' } : {}),
          },
          by,
        );
        const decidedEvent = buildEvent(referralDecidedV1, referralDecidedData(referral, decided.decision), meta);
        expect(decidedEvent.detail.data).toEqual(referralDecidedData(referral, decided.decision));
        const decidedText = JSON.stringify(decidedEvent);
        for (const personal of PERSONAL) expect(decidedText).not.toContain(personal);
        if (decided.handover) {
          const accepted = buildEvent(referralAcceptedV1, referralAcceptedData(referral, decided.decision, decided.handover), meta);
          expect(accepted.detail.data).toEqual(referralAcceptedData(referral, decided.decision, decided.handover));
          expect(accepted.detail.data.family).toEqual(schoolFamily);
          const acceptedText = JSON.stringify(accepted);
          for (const narrative of NARRATIVE) expect(acceptedText).not.toContain(narrative);
        }
      }),
    );
  });
});

describe('referralFamilyData (ReferralAccepted’s family, ADR 0014 §1)', () => {
  const withSource = (referral: Referral, referralSource: Referral['referralSource']): Referral => ({ ...referral, referralSource });

  it('names a partner agency’s referrer, and a form referrer who chose a professional source, as the professional referrer', () => {
    expect(referralFamilyData(received('partner-api')).professionalReferrer).toEqual(schoolFamily.professionalReferrer);
    expect(referralFamilyData(received('form')).professionalReferrer).toEqual(schoolFamily.professionalReferrer);
    for (const source of ['2B', '3A', '3F', '4', '5D', '6', '7', '8'] as const) {
      expect(referralFamilyData(withSource(received('form'), source))).toHaveProperty('professionalReferrer');
    }
  });

  it('never carries a member of the public’s details, nor anyone’s for an anonymous referral', () => {
    for (const source of ['1A', '1B', '1C', '1D', '10'] as const) {
      const family = referralFamilyData(withSource(received('form'), source));
      expect(family).not.toHaveProperty('professionalReferrer');
      expect(JSON.stringify(family)).not.toContain('Amara');
    }
    const { referrer: _none, ...anonymous } = withSource(received('form'), '9');
    expect(referralFamilyData(anonymous)).not.toHaveProperty('professionalReferrer');
  });

  it('keeps an unborn child’s expected date, leaves out what the referrer did not give, and a stored value the contract cannot carry', () => {
    const referral: Referral = {
      ...received('form'),
      referralSource: '1A',
      children: [
        { childId: 'child-1', firstName: 'Mia', lastName: 'Jones', unborn: false },
        { childId: 'child-2', firstName: 'Baby', lastName: 'Jones', unborn: true, dateOfBirth: '2027-01-20' as never, gender: 'unknown' },
      ],
      adults: [
        { firstName: 'Kerry', lastName: 'Jones', dateOfBirth: '1990-05-01', relationship: 'mother' },
        { firstName: 'Dean', lastName: 'Carter', dateOfBirth: 'sometime in 1988', relationship: "mother's partner" },
      ],
    };
    const family = referralFamilyData(referral);
    expect(family).toEqual({
      children: [
        { childId: 'child-1', firstName: 'Mia', lastName: 'Jones', unborn: false },
        { childId: 'child-2', firstName: 'Baby', lastName: 'Jones', unborn: true, dateOfBirth: '2027-01-20' },
      ],
      adults: [
        { firstName: 'Kerry', lastName: 'Jones', dateOfBirth: '1990-05-01', relationship: 'mother' },
        { firstName: 'Dean', lastName: 'Carter', relationship: "mother's partner" },
      ],
    });
    const decided = decideReferral(referral, { outcome: 'strategy-discussion', reason: 'Section 47.', teamId: 'team-north-1' }, by);
    const accepted = buildEvent(referralAcceptedV1, referralAcceptedData(referral, decided.decision, decided.handover!), meta);
    expect(accepted.detail.data.family).toEqual(family);
  });

  it('meets the contract for any referral the intake accepts, its children the event’s children', () => {
    const name = fc.stringMatching(/^[A-Za-z][A-Za-z' -]{0,30}[A-Za-z]$/);
    const child = fc.record(
      {
        firstName: name,
        lastName: name,
        dateOfBirth: fc.constantFrom('2015-06-01', '2020-02-29'),
        gender: fc.constantFrom('female', 'male', 'other', 'not-known'),
        school: name,
        address: fc.record(
          { line1: name, town: name, postcode: fc.constantFrom('NT1 4AB', 'SW1A 1AA') },
          { requiredKeys: ['line1', 'town', 'postcode'] },
        ),
      },
      { requiredKeys: ['firstName', 'lastName'] },
    );
    const adult = fc.record(
      { firstName: name, lastName: name, dateOfBirth: fc.constant('1985-12-31'), relationship: name },
      { requiredKeys: ['firstName', 'lastName', 'relationship'] },
    );
    fc.assert(
      fc.property(
        fc.array(child, { minLength: 1, maxLength: 5 }),
        fc.array(adult, { maxLength: 4 }),
        fc.constantFrom(...(['1A', '2A', '3B', '6', '8'] as const)),
        (children, adults, referralSource) => {
          let next = 0;
          const referral = receiveReferral(formSubmissionSchema.parse({ ...schoolReferral(), referralSource, children, adults }), {
            referralId: 'referral-1',
            reference: 'FSP-2026-7K3M9Q',
            receivedAt: new Date('2026-11-23T09:15:00.000Z'),
            channel: 'form',
            newChildId: () => `child-${++next}`,
          });
          const decided = decideReferral(referral, { outcome: 'assessment', reason: 'Threshold met.', teamId: 'team-north-1' }, by);
          const data = buildEvent(referralAcceptedV1, referralAcceptedData(referral, decided.decision, decided.handover!), meta).detail
            .data;
          expect(data.family?.children.map((c) => c.childId)).toEqual(data.children.map((c) => c.childId));
          expect(data.family?.adults).toHaveLength(adults.length);
          expect(data.family?.professionalReferrer !== undefined).toBe(referralSource !== '1A');
          expect(data.referralSource).toBe(referralSource);
        },
      ),
    );
  });
});

describe('the decision reminders', () => {
  it('carry the referral’s clock and flag, the same for due and overdue, and meet both contracts', () => {
    const referral = received();
    const clock = {
      referralId: 'referral-1',
      reference: 'FSP-2026-7K3M9Q',
      receivedAt: '2026-11-23T09:15:00.000Z',
      decisionDueBy: referral.decisionDueBy,
      familySafeguardingFlag: referral.familySafeguardingFlag,
    };
    expect(referralDecisionDueData(referral)).toEqual(clock);
    expect(referralDecisionOverdueData(referral)).toEqual(clock);
    expect(buildEvent(referralDecisionDueV1, referralDecisionDueData(referral), meta).detail.data).toEqual(clock);
    expect(buildEvent(referralDecisionOverdueV1, referralDecisionOverdueData(referral), meta).detail.data).toEqual(clock);
    expect(buildEvent(referralSubmittedV1, referralSubmittedData(referral), meta).detail.data).toEqual(referralSubmittedData(referral));
  });
});

describe('the agency facts', () => {
  const agency: Agency = {
    agencyId: 'agency-oakfield',
    name: 'Oakfield Primary School',
    type: 'school',
    referralSource: '2A',
    contactEmail: 'office@oakfield.example.sch.uk',
    clientId: 'client-oakfield',
    status: 'active',
    secrets: [{ secretId: 'client-oakfield--1', createdAt: '2026-01-05T09:00:00.000Z' }],
    onboardedAt: '2026-01-05T09:00:00.000Z',
    onboardedBy: 'admin-user',
    version: 1,
  };

  it('AgencyOnboarded: who the agency is and its client, never a secret id', () => {
    const data = agencyOnboardedData(agency);
    expect(data).toEqual({
      agencyId: 'agency-oakfield',
      clientId: 'client-oakfield',
      name: 'Oakfield Primary School',
      type: 'school',
      referralSource: '2A',
      contactEmail: 'office@oakfield.example.sch.uk',
      onboardedAt: '2026-01-05T09:00:00.000Z',
    });
    expect(buildEvent(agencyOnboardedV1, data, meta).detail.data).toEqual(data);
  });

  it('AgencyRevoked: the agency, its client and when it was revoked, as recorded on it', () => {
    const revoked = revokedAgency(agency, { userId: 'admin-user', now: new Date('2026-06-30T16:00:00.000Z') });
    expect(revoked).toMatchObject({ status: 'revoked', secrets: [], revokedBy: 'admin-user', version: 2 });
    const data = agencyRevokedData(revoked);
    expect(data).toEqual({ agencyId: 'agency-oakfield', clientId: 'client-oakfield', revokedAt: '2026-06-30T16:00:00.000Z' });
    expect(buildEvent(agencyRevokedV1, data, meta).detail.data).toEqual(data);
  });
});
