import { randomUUID } from 'node:crypto';
import { buildEvent } from '@fsp/shared/events/build';
import type { EventDataInput } from '@fsp/shared/events/define';
import { referralAcceptedV1 } from '@fsp/shared/events/definitions/referrals';

const [acceptedFixture] = referralAcceptedV1.fixtures;
if (!acceptedFixture) throw new Error('ReferralAccepted v1 has no fixture');

/** A ReferralAccepted v1 fact as the referrals service's outbox would carry it: the contract fixture, varied. */
export function referralAccepted(
  overrides: Partial<EventDataInput<typeof referralAcceptedV1>> = {},
  metadata: { eventId?: string; correlationId?: string } = {},
) {
  return buildEvent(
    referralAcceptedV1,
    // buildEvent validates the result, so an override that breaks the contract fails the test loudly.
    { ...acceptedFixture, ...overrides } as EventDataInput<typeof referralAcceptedV1>,
    {
      clock: () => new Date('2026-01-05T15:10:01.000Z'),
      correlationId: metadata.correlationId ?? 'journey-referral-0123',
      causationId: 'req-decision-1',
      newId: () => metadata.eventId ?? randomUUID(),
    },
  );
}
