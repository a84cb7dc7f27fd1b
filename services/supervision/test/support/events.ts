import { randomUUID } from 'node:crypto';
import { buildEvent } from '@fsp/shared/events/build';
import type { EventDataInput } from '@fsp/shared/events/define';
import { caseAllocatedV1, caseOpenedV1 } from '@fsp/shared/events/definitions/cases';

const [openedFixture] = caseOpenedV1.fixtures;
if (!openedFixture) throw new Error('CaseOpened v1 has no fixture');
const [firstSocialWorkerFixture] = caseAllocatedV1.fixtures;
if (!firstSocialWorkerFixture) throw new Error('CaseAllocated v1 has no fixture');

const context = (eventId: string | undefined) => ({
  clock: () => new Date('2026-01-05T15:10:03.000Z'),
  correlationId: 'journey-referral-0123',
  causationId: 'a2d4c6e8-0000-4000-8000-000000000001',
  newId: () => eventId ?? randomUUID(),
});

/**
 * A CaseOpened v1 fact as the cases service's outbox would carry it: the contract fixture, varied.
 * `reference: undefined` gives the fact as v1 was first published, without the case's reference.
 */
export function caseOpened(overrides: Partial<EventDataInput<typeof caseOpenedV1>> = {}, metadata: { eventId?: string } = {}) {
  const data = { ...openedFixture, ...overrides };
  if (data.reference === undefined) delete data.reference;
  // buildEvent validates the result, so an override that breaks the contract fails the test loudly.
  return buildEvent(caseOpenedV1, data as EventDataInput<typeof caseOpenedV1>, context(metadata.eventId));
}

/**
 * A CaseAllocated v1 fact: by default the contract's first fixture, the case's first social worker
 * (case-01JGZB7XQ2, team-north-1, FSP-2026-000123). `previousWorkerId: undefined` or
 * `specialism: undefined` leave the field out.
 */
export function caseAllocated(overrides: Partial<EventDataInput<typeof caseAllocatedV1>> = {}, metadata: { eventId?: string } = {}) {
  const data: Record<string, unknown> = { ...firstSocialWorkerFixture, ...overrides };
  for (const [key, value] of Object.entries(data)) if (value === undefined) delete data[key];
  return buildEvent(caseAllocatedV1, data as EventDataInput<typeof caseAllocatedV1>, context(metadata.eventId));
}

/** The contract's fixtures for an adult specialist joining and for a change of social worker, as facts. */
export const specialistAllocated = (overrides: Partial<EventDataInput<typeof caseAllocatedV1>> = {}) =>
  caseAllocated({ ...caseAllocatedV1.fixtures[1]!, ...overrides });
export const socialWorkerChanged = (overrides: Partial<EventDataInput<typeof caseAllocatedV1>> = {}) =>
  caseAllocated({ ...caseAllocatedV1.fixtures[2]!, ...overrides });
