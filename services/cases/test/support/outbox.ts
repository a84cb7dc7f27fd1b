/** The events a test's table holds in its outbox, of one type, parsed against their contract (a break fails the test). */
import { parseEventDetail } from '@fsp/shared/events/build';
import type { EventDefinition } from '@fsp/shared/events/define';
import { itemsOfKind, type TestTable } from '@fsp/shared/testing/dynamodb';
import type * as core from 'zod/v4/core';

export async function outboxOf<D extends core.$ZodType>(table: TestTable, definition: EventDefinition<D>) {
  return (await itemsOfKind(table, 'outbox'))
    .filter((item) => item.detailType === definition.detailType)
    .map((item) => ({ source: item.source, ...parseEventDetail(definition, JSON.parse(String(item.detail))) }));
}
