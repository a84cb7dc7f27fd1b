/**
 * The named mappers from this service's records to the payloads of the events it publishes: each
 * carries what its consumers act on, meets its published v1 contract, and never a child's or
 * adult's name, address or the referral's narrative.
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

/** Names, addresses and narrative the fixture holds, none of which an event may carry (save the form referrer's name and email). */
const PERSONAL = ['Mia', 'Jones', 'Kerry', 'Elm Road', 'NT1 4AB', 'hurt by her partner', 'frightened', 'Oakfield Primary School'];

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
      urgent: false,
      teamId: 'team-north-1',
      receivedAt: '2026-11-23T09:15:00.000Z',
      acceptedAt: '2026-11-23T15:00:00.000Z',
      children: [{ childId: 'child-1', unborn: false, dateOfBirth: '2018-03-14' }],
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

  it('meet their v1 contracts for every outcome, with nothing about the family beyond ids and dates', () => {
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
        const events: unknown[] = [decidedEvent];
        if (decided.handover) {
          const accepted = buildEvent(referralAcceptedV1, referralAcceptedData(referral, decided.decision, decided.handover), meta);
          expect(accepted.detail.data).toEqual(referralAcceptedData(referral, decided.decision, decided.handover));
          events.push(accepted);
        }
        const text = JSON.stringify(events);
        for (const personal of PERSONAL) expect(text).not.toContain(personal);
      }),
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
