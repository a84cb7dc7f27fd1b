/**
 * Producing and reading events. Producers call `buildEvent` and write the result to their
 * outbox; consumers call `parseEventDetail` on what the queue delivers. Both validate, so a
 * contract break is caught at the edge that caused it, with the failing fields named.
 */
import type * as core from 'zod/v4/core';
import type { EventDefinition } from './define';
import { eventKey } from './define';
import type { EventDetail, PlatformEvent } from './envelope';
import { type FieldIssue, validate } from './field-issues';

export class EventContractError extends Error {
  override readonly name = 'EventContractError';
  constructor(
    readonly event: string,
    readonly issues: readonly FieldIssue[],
    action: 'build' | 'parse',
  ) {
    super(`${action === 'build' ? 'Cannot build' : 'Invalid'} ${event}: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`);
  }
}

export interface BuildEventContext {
  clock: () => Date;
  /** Carried over from the request or event that started the journey. */
  correlationId: string;
  /** The request id or eventId that directly caused this event. */
  causationId: string;
  /** Defaults to a random UUID; tests pass a deterministic one. */
  newId?: () => string;
}

export type BuiltEvent<D extends core.$ZodType> = PlatformEvent<core.output<D>>;

export function buildEvent<D extends core.$ZodType>(
  definition: EventDefinition<D>,
  data: core.input<D>,
  context: BuildEventContext,
): BuiltEvent<D> {
  const detail = {
    metadata: {
      eventId: context.newId ? context.newId() : crypto.randomUUID(),
      schemaVersion: definition.version,
      occurredAt: context.clock().toISOString(),
      correlationId: context.correlationId,
      causationId: context.causationId,
      producer: definition.producer,
    },
    data,
  };
  // Parsing (not just checking) strips keys the contract does not name, so handing over a whole
  // stored referral cannot leak a child's name into an event by accident.
  const result = validate(definition.detailSchema, detail);
  if (!result.success) throw new EventContractError(eventKey(definition), result.issues, 'build');
  return { source: definition.producer, detailType: definition.detailType, detail: result.data as EventDetail<core.output<D>> };
}

export type ParsedEvent<D extends core.$ZodType> = EventDetail<core.output<D>>;

export function safeParseEventDetail<D extends core.$ZodType>(
  definition: EventDefinition<D>,
  detail: unknown,
): { success: true; detail: ParsedEvent<D> } | { success: false; issues: FieldIssue[] } {
  const result = validate(definition.detailSchema, detail);
  return result.success ? { success: true, detail: result.data as ParsedEvent<D> } : result;
}

/** Throws `EventContractError` naming every failing field (`$.data.referralId`), so a DLQ'd message explains itself. */
export function parseEventDetail<D extends core.$ZodType>(definition: EventDefinition<D>, detail: unknown): ParsedEvent<D> {
  const result = safeParseEventDetail(definition, detail);
  if (!result.success) throw new EventContractError(eventKey(definition), result.issues, 'parse');
  return result.detail;
}
