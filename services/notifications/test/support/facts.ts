/** Facts as their producers' outboxes would carry them. Pure: unit tests use it too. */
import { randomUUID } from 'node:crypto';
import { buildEvent } from '@fsp/shared/events/build';
import type { EventDefinition } from '@fsp/shared/events/define';
import { fixedClock } from '@fsp/shared/time/clock';
import type * as core from 'zod/v4/core';

/** A fact as its producer's outbox would carry it, at a chosen time. */
export function factOf<D extends core.$ZodType>(
  definition: EventDefinition<D>,
  data: core.input<D>,
  occurredAt = '2026-01-05T09:30:00.000Z',
) {
  return buildEvent(definition, data, { clock: fixedClock(occurredAt), correlationId: randomUUID(), causationId: randomUUID() });
}
