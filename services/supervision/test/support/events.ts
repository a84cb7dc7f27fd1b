import { randomUUID } from 'node:crypto';
import { buildEvent } from '@fsp/shared/events/build';
import type { EventDataInput } from '@fsp/shared/events/define';
import { caseOpenedV1 } from '@fsp/shared/events/definitions/cases';

const [openedFixture] = caseOpenedV1.fixtures;
if (!openedFixture) throw new Error('CaseOpened v1 has no fixture');

/**
 * A CaseOpened v1 fact as the cases service's outbox would carry it: the contract fixture, varied.
 * `reference: undefined` gives the fact as v1 was first published, without the case's reference.
 */
export function caseOpened(overrides: Partial<EventDataInput<typeof caseOpenedV1>> = {}, metadata: { eventId?: string } = {}) {
  const data = { ...openedFixture, ...overrides };
  if (data.reference === undefined) delete data.reference;
  return buildEvent(
    caseOpenedV1,
    // buildEvent validates the result, so an override that breaks the contract fails the test loudly.
    data as EventDataInput<typeof caseOpenedV1>,
    {
      clock: () => new Date('2026-01-05T15:10:03.000Z'),
      correlationId: 'journey-referral-0123',
      causationId: 'a2d4c6e8-0000-4000-8000-000000000001',
      newId: () => metadata.eventId ?? randomUUID(),
    },
  );
}
