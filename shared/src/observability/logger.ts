/**
 * One Powertools logger per service. Every line written while a request or an event is being
 * handled carries its correlation id (Powertools' `correlation_id` key), so one search finds a
 * referral's whole journey across services.
 */

import type { LogItem } from '@aws-lambda-powertools/logger';
import { Logger } from '@aws-lambda-powertools/logger';

export type { Logger };

export type LogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT' | 'CRITICAL';

export interface CreateLoggerOptions {
  /** Defaults to `POWERTOOLS_LOG_LEVEL` (or INFO). */
  level?: LogLevel;
  /**
   * Receives each log line as an object instead of stdout. The local cloud uses it to show a
   * function's logs beside the request that caused them; tests use it to read what was logged.
   */
  sink?: (line: Record<string, unknown>) => void;
}

class SinkLogger extends Logger {
  // Not a #private field: Logger's constructor may flush start-up warnings through printLog
  // before this subclass has assigned its sink, and those must still be printed somewhere.
  private sink: ((line: Record<string, unknown>) => void) | undefined;

  constructor(options: ConstructorParameters<typeof Logger>[0], sink: (line: Record<string, unknown>) => void) {
    super(options);
    this.sink = sink;
  }

  // A child (createChild) writes to the same sink.
  protected override createLogger(options?: ConstructorParameters<typeof Logger>[0]): Logger {
    return this.sink ? new SinkLogger(options, this.sink) : new Logger(options);
  }

  protected override printLog(logLevel: number, log: LogItem): void {
    if (!this.sink) {
      super.printLog(logLevel, log);
      return;
    }
    log.prepareForPrint();
    // Powertools' own replacer formats errors; the round trip gives the sink exactly what CloudWatch would get.
    this.sink(JSON.parse(JSON.stringify(log.getAttributes(), this.getJsonReplacer())) as Record<string, unknown>);
  }
}

/** `service` is the manifest name (`referrals`), matching `POWERTOOLS_SERVICE_NAME` in AWS. */
export function createLogger(service: string, options: CreateLoggerOptions = {}): Logger {
  const loggerOptions = { serviceName: service, ...(options.level ? { logLevel: options.level } : {}) };
  return options.sink ? new SinkLogger(loggerOptions, options.sink) : new Logger(loggerOptions);
}

/**
 * Starts a unit of work: the correlation id (and any other keys) appear on every line until
 * `endLogScope` runs. Temporary keys, so one warm Lambda never leaks a previous request's id.
 */
export function beginLogScope(logger: Logger, correlationId: string, keys: Record<string, string> = {}): void {
  logger.resetKeys();
  logger.setCorrelationId(correlationId);
  if (Object.keys(keys).length > 0) logger.appendKeys(keys);
}

export function endLogScope(logger: Logger): void {
  logger.resetKeys();
}

/** For event consumers: log under the producer's correlation id, with the event id that caused the work. */
export function beginEventLogScope(logger: Logger, metadata: { correlationId: string; eventId: string; producer?: string }): void {
  beginLogScope(logger, metadata.correlationId, {
    causationId: metadata.eventId,
    ...(metadata.producer ? { eventProducer: metadata.producer } : {}),
  });
}
