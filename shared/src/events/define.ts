import * as z from 'zod/mini';
import type * as core from 'zod/v4/core';
import { DETAIL_TYPE_PATTERN, eventMetadataSchema, PRODUCER_PATTERN } from './envelope';

export interface EventDefinitionInput<D extends core.$ZodType> {
  /** Past-tense PascalCase fact: `ReferralSubmitted`. */
  detailType: string;
  /** `fsp.<service>`; also the EventBridge `source`. */
  producer: string;
  /** Positive integer. A breaking change is a new version, published alongside the old (ADR 0002). */
  version: number;
  /**
   * Builds the data schema, on first use. A function rather than the schema so that a definition
   * no code reads is dropped from a function's bundle whole (the call is pure), and one it imports
   * but does not use builds nothing at cold start.
   */
  data: () => D;
  /** Realistic examples of `data`; at least one. They become the JSON Schema's `examples` and consumers' test inputs. */
  fixtures: readonly [core.input<D>, ...core.input<D>[]];
  /** One line for the catalogue README. */
  description?: string;
}

export interface EventDefinition<D extends core.$ZodType = core.$ZodType> {
  readonly detailType: string;
  readonly producer: string;
  readonly version: number;
  readonly data: D;
  readonly fixtures: readonly core.input<D>[];
  readonly description: string | undefined;
  /** The whole `detail`, with `schemaVersion` and `producer` pinned to this definition. */
  readonly detailSchema: PinnedDetailSchema<D>;
}

function pinnedDetailSchema<D extends core.$ZodType>(data: D, version: number, producer: string) {
  const metadata = z.extend(eventMetadataSchema(), { schemaVersion: z.literal(version), producer: z.literal(producer) });
  return z.object({ metadata, data });
}

type PinnedDetailSchema<D extends core.$ZodType> = ReturnType<typeof pinnedDetailSchema<D>>;

export type EventData<E extends EventDefinition> = core.output<E['data']>;
export type EventDataInput<E extends EventDefinition> = core.input<E['data']>;

/**
 * Declares one version of one event. Naming mistakes are programmer errors, so they throw at
 * module load where the first test run finds them, rather than producing an event no rule matches.
 */
export function defineEvent<D extends core.$ZodType>(input: EventDefinitionInput<D>): EventDefinition<D> {
  if (!DETAIL_TYPE_PATTERN.test(input.detailType)) {
    throw new Error(`detailType "${input.detailType}" must be PascalCase with at least two words, for example ReferralSubmitted`);
  }
  if (!PRODUCER_PATTERN.test(input.producer)) {
    throw new Error(`producer "${input.producer}" of ${input.detailType} must be fsp.<service>, for example fsp.referrals`);
  }
  if (!Number.isInteger(input.version) || input.version < 1) {
    throw new Error(`version of ${input.detailType} must be a positive integer, not ${input.version}`);
  }
  // Built on first use: every zod schema built at load adds to a function's cold start, and a
  // function builds or reads only a few of the events it imports.
  let data: D | undefined;
  let detailSchema: PinnedDetailSchema<D> | undefined;
  return Object.freeze({
    detailType: input.detailType,
    producer: input.producer,
    version: input.version,
    get data(): D {
      data ??= input.data();
      return data;
    },
    fixtures: input.fixtures,
    description: input.description,
    get detailSchema(): PinnedDetailSchema<D> {
      detailSchema ??= pinnedDetailSchema(this.data, input.version, input.producer);
      return detailSchema;
    },
  });
}

export const eventKey = (definition: Pick<EventDefinition, 'detailType' | 'version'>): string =>
  `${definition.detailType}.v${definition.version}`;
