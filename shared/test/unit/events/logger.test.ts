import { buildEvent } from '@fsp/shared/events/build';
import { caseOpenedV1 } from '@fsp/shared/events/definitions/cases';
import { beginEventLogScope, createLogger, endLogScope } from '@fsp/shared/observability/logger';

describe('logging for event consumers', () => {
  it("logs under the producer's correlation id and the causing event id until the scope ends", () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger('cases', { sink: (line) => lines.push(line) });
    const { detail } = buildEvent(caseOpenedV1, caseOpenedV1.fixtures[0]!, {
      clock: () => new Date(),
      correlationId: 'journey-7',
      causationId: 'req-1',
    });

    beginEventLogScope(logger, detail.metadata);
    logger.info('opening case');
    endLogScope(logger);
    logger.info('idle');

    expect(lines[0]).toMatchObject({
      service: 'cases',
      message: 'opening case',
      correlation_id: 'journey-7',
      causationId: detail.metadata.eventId,
      eventProducer: 'fsp.cases',
    });
    expect(lines[1]).not.toHaveProperty('correlation_id');
    expect(lines[1]).not.toHaveProperty('causationId');
  });
});
