/**
 * The envelope every platform event shares (ARCHITECTURE.md, Events): EventBridge `source` is the
 * producer (`fsp.<service>`), `detail-type` a past-tense PascalCase fact, and `detail` carries
 * `metadata` (who, when, why) beside the event's own `data`.
 */
import * as z from 'zod/mini';
import type * as core from 'zod/v4/core';
import { onFirstUse } from '../first-use';
import { correlationIdSchema } from '../observability/correlation';

export const PRODUCER_PATTERN = /^fsp\.[a-z][a-z0-9-]*$/;
export const DETAIL_TYPE_PATTERN = /^[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+)+$/;

const producerSchema = () => z.string().check(z.regex(PRODUCER_PATTERN, 'must be fsp.<service>, for example fsp.referrals'));

/**
 * An instant with an explicit offset: consumers compare instants, and a bare local time is ambiguous across BST/GMT.
 * Lazy, like the other building blocks every bundle imports: built when a schema using it first parses, not at load.
 */
export const instantSchema = z.lazy(() => z.iso.datetime({ offset: true }));

const buildEventMetadataSchema = () =>
  z.object({
    /** Set by the producer; the de-duplication key for every consumer. */
    eventId: z.uuid(),
    schemaVersion: z.int().check(z.positive()),
    occurredAt: instantSchema,
    /** Follows one referral or case across services; starts at the request that began the journey. */
    correlationId: correlationIdSchema,
    /** The eventId or request id that directly caused this event. */
    causationId: correlationIdSchema,
    producer: producerSchema(),
  });

/** Built on first use: only functions that build or read events need it. */
export const eventMetadataSchema = onFirstUse(buildEventMetadataSchema);

export type EventMetadata = z.infer<ReturnType<typeof buildEventMetadataSchema>>;

/** `detail` for any data schema; event definitions narrow `schemaVersion` and `producer` further. */
export function detailSchema<D extends core.$ZodType>(dataSchema: D) {
  return z.object({ metadata: eventMetadataSchema(), data: dataSchema });
}

export interface EventDetail<Data> {
  metadata: EventMetadata;
  data: Data;
}

/** What `PutEvents` needs besides the bus name; the outbox stores exactly this. */
export interface PlatformEvent<Data> {
  source: string;
  detailType: string;
  detail: EventDetail<Data>;
}
