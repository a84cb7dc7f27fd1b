/**
 * An EventBridge-compatible endpoint speaking the AWS JSON 1.1 protocol (`POST /`,
 * `X-Amz-Target: AWSEvents.<Operation>`), so that the AWS SDK and the AWS CLI work against the local
 * cloud unchanged. It implements `PutEvents` and `TestEventPattern`; routing events to rules is the
 * caller's `deliver`.
 *
 * Behaviour and wording follow the EventBridge API reference and what the real service is known to
 * answer. One deliberate difference: AWS accepts (and silently drops) an entry for an event bus that
 * does not exist; here that entry fails with `ResourceNotFoundException`, because on a laptop a
 * misspelt bus name should be loud, not a lost event.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import {
  AwsApiError,
  AWS_JSON_CONTENT_TYPE as CONTENT_TYPE,
  headerValue,
  parseBody,
  parseRequest,
  readRequestBody,
  send,
  sendError,
} from '../aws-json';
import { InvalidEventPatternError, matchesEventPattern, parseEventPattern } from './pattern';

export interface EventBridgeEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
}

export interface LocalEventBridgeOptions {
  region: string;
  accountId: string;
  /** Buses that exist; 'default' always exists. */
  busNames: string[];
  /** Called once per accepted entry, in order. Resolve only after the event is durably queued for every matching subscription; a rejection makes that entry fail with ErrorCode 'InternalFailure'. */
  deliver(busName: string, event: EventBridgeEvent): Promise<void>;
  now?: () => Date;
  newEventId?: () => string;
  /**
   * Told about every failure the caller only sees as `InternalFailure` (a rejected delivery, a fault in
   * this endpoint), with its cause. Defaults to a JSON line on stderr.
   */
  reportError?: (report: { message: string; error: unknown; requestId: string }) => void;
}

/** "Calculating PutEvents event entry size": the sum over all entries must not exceed 256 KB. */
export const PUT_EVENTS_MAX_TOTAL_ENTRY_BYTES = 256 * 1024;
export const PUT_EVENTS_MAX_ENTRIES = 10;
/** Far above anything a valid request needs (JSON escaping can grow 256 KB of entries several-fold). */
const MAX_REQUEST_BODY_BYTES = 4 * 1024 * 1024;

const TARGET_PREFIX = 'AWSEvents.';

// AWS JSON treats an explicit null member as absent.
const optionalString = z.string().nullish();

const putEventsRequestEntrySchema = z.object({
  // The SDK and the CLI send timestamps as epoch seconds.
  Time: z.number().nullish(),
  Source: optionalString,
  Resources: z.array(z.string()).nullish(),
  DetailType: optionalString,
  Detail: optionalString,
  EventBusName: optionalString,
  TraceHeader: optionalString,
});
type PutEventsRequestEntry = z.infer<typeof putEventsRequestEntrySchema>;

const putEventsRequestSchema = z.object({
  Entries: z.array(putEventsRequestEntrySchema).nullish(),
  EndpointId: optionalString,
});

const testEventPatternRequestSchema = z.object({
  EventPattern: optionalString,
  Event: optionalString,
});

type PutEventsResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

export function createLocalEventBridge(options: LocalEventBridgeOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const knownBuses = new Set(['default', ...options.busNames]);
  const now = options.now ?? (() => new Date());
  const newEventId = options.newEventId ?? randomUUID;
  const reportError =
    options.reportError ??
    ((report) => {
      const cause = report.error instanceof Error ? (report.error.stack ?? report.error.message) : String(report.error);
      process.stderr.write(`${JSON.stringify({ level: 'error', component: 'local-eventbridge', ...report, error: cause })}\n`);
    });

  function resolveBus(nameOrArn: string | null | undefined): string | undefined {
    if (nameOrArn === undefined || nameOrArn === null) return 'default';
    const arn = /^arn:aws[\w-]*:events:([^:]+):(\d{12}):event-bus\/(.+)$/.exec(nameOrArn);
    if (arn !== null) {
      const [, region, account, name = ''] = arn;
      return region === options.region && account === options.accountId && knownBuses.has(name) ? name : undefined;
    }
    return knownBuses.has(nameOrArn) ? nameOrArn : undefined;
  }

  function buildEvent(
    entry: PutEventsRequestEntry & { Source: string; DetailType: string },
    detail: unknown,
    time: Date,
  ): EventBridgeEvent {
    return {
      version: '0',
      id: newEventId(),
      'detail-type': entry.DetailType,
      source: entry.Source,
      account: options.accountId,
      time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: options.region,
      resources: entry.Resources ?? [],
      detail,
    };
  }

  async function putEvents(body: unknown, requestId: string): Promise<unknown> {
    const request = parseRequest(putEventsRequestSchema, body);
    const entries = request.Entries;
    if (entries === undefined || entries === null) {
      throw validationError("1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null");
    }
    if (entries.length === 0) {
      throw validationError(
        "1 validation error detected: Value '[]' at 'entries' failed to satisfy constraint: Member must have length greater than or equal to 1",
      );
    }
    if (entries.length > PUT_EVENTS_MAX_ENTRIES) {
      throw validationError(
        `1 validation error detected: Value '[${entries.map(describeEntry).join(', ')}]' at 'entries' failed to satisfy constraint: Member must have length less than or equal to ${PUT_EVENTS_MAX_ENTRIES}`,
      );
    }
    if (entries.reduce((total, entry) => total + putEventsEntrySize(entry), 0) > PUT_EVENTS_MAX_TOTAL_ENTRY_BYTES) {
      throw validationError('Total size of the entries in the request is over the limit.');
    }

    const results: PutEventsResultEntry[] = [];
    for (const entry of entries) {
      results.push(await putEntry(entry, requestId));
    }
    return { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results };
  }

  async function putEntry(entry: PutEventsRequestEntry, requestId: string): Promise<PutEventsResultEntry> {
    const { Source: source, DetailType: detailType, Detail: detailText } = entry;
    if (!source) return invalidArgument('Source');
    if (!detailType) return invalidArgument('DetailType');
    if (!detailText) return invalidArgument('Detail');
    const detail = parseJsonObject(detailText);
    if (detail === undefined) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    const busName = resolveBus(entry.EventBusName);
    if (busName === undefined) {
      return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${entry.EventBusName} does not exist.` };
    }
    const time = entry.Time === undefined || entry.Time === null ? now() : new Date(entry.Time * 1000);
    if (Number.isNaN(time.getTime())) {
      return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Time is not valid. Reason: Time is out of range.' };
    }
    const event = buildEvent({ ...entry, Source: source, DetailType: detailType }, detail, time);
    try {
      await options.deliver(busName, event);
    } catch (error) {
      reportError({ message: `delivery of event ${event.id} to bus ${busName} failed`, error, requestId });
      return { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal Failure' };
    }
    return { EventId: event.id };
  }

  function testEventPattern(body: unknown): unknown {
    const request = parseRequest(testEventPatternRequestSchema, body);
    if (request.EventPattern === undefined || request.EventPattern === null) throw missingMember('eventPattern');
    if (request.Event === undefined || request.Event === null) throw missingMember('event');
    const event = parseJsonObject(request.Event);
    const mandatory = ['id', 'account', 'source', 'time', 'region', 'detail-type'];
    // The API reference lists `resources` as mandatory too, but the service does not insist on it.
    if (event === undefined || !mandatory.every((field) => Object.hasOwn(event, field))) {
      throw validationError('Parameter Event is not valid.');
    }
    try {
      return { Result: matchesEventPattern(parseEventPattern(request.EventPattern), event) };
    } catch (error) {
      if (error instanceof InvalidEventPatternError) throw new AwsApiError('InvalidEventPatternException', error.message);
      throw error;
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    if (req.method !== 'POST') {
      throw new AwsApiError('UnknownOperationException', `The EventBridge API is served by POST /, not ${req.method} ${req.url}.`);
    }
    const target = headerValue(req, 'x-amz-target');
    if (target === undefined || !target.startsWith(TARGET_PREFIX)) {
      throw new AwsApiError('UnknownOperationException', `Unknown operation: ${target ?? '(no X-Amz-Target header)'}`);
    }
    const operation = target.slice(TARGET_PREFIX.length);
    const contentType = headerValue(req, 'content-type') ?? '';
    if (!contentType.toLowerCase().startsWith(CONTENT_TYPE)) {
      throw new AwsApiError('SerializationException', `Expected Content-Type ${CONTENT_TYPE}, got ${contentType || 'none'}.`);
    }
    const body = parseBody(await readRequestBody(req, MAX_REQUEST_BODY_BYTES, 'RequestEntityTooLargeException'));
    let result: unknown;
    switch (operation) {
      case 'PutEvents':
        result = await putEvents(body, requestId);
        break;
      case 'TestEventPattern':
        result = testEventPattern(body);
        break;
      default:
        throw new AwsApiError('UnknownOperationException', `Unknown operation: ${target}`);
    }
    send(res, requestId, 200, result);
  }

  return (req, res) => {
    const requestId = randomUUID();
    handle(req, res, requestId).catch((error: unknown) => {
      if (error instanceof AwsApiError) {
        sendError(res, requestId, error);
        return;
      }
      reportError({ message: 'local EventBridge failed to handle a request', error, requestId });
      sendError(res, requestId, new AwsApiError('InternalFailure', 'The request processing has failed because of an unknown error.', 500));
    });
  };
}

/** The entry size exactly as "Calculating PutEvents event entry size" defines it. */
export function putEventsEntrySize(entry: {
  Time?: unknown;
  Source?: string | null;
  DetailType?: string | null;
  Detail?: string | null;
  Resources?: readonly (string | null)[] | null;
}): number {
  let size = entry.Time === undefined || entry.Time === null ? 0 : 14;
  size += Buffer.byteLength(entry.Source ?? '', 'utf8');
  size += Buffer.byteLength(entry.DetailType ?? '', 'utf8');
  size += Buffer.byteLength(entry.Detail ?? '', 'utf8');
  for (const resource of entry.Resources ?? []) size += Buffer.byteLength(resource ?? '', 'utf8');
  return size;
}

function invalidArgument(parameter: 'Source' | 'DetailType' | 'Detail'): PutEventsResultEntry {
  return {
    ErrorCode: 'InvalidArgument',
    ErrorMessage: `Parameter ${parameter} is not valid. Reason: ${parameter} is a required argument.`,
  };
}

function validationError(message: string): AwsApiError {
  return new AwsApiError('ValidationException', message);
}

function missingMember(member: string): AwsApiError {
  return validationError(`1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);
}

/** The service prints the rejected entries in its Java toString form. */
function describeEntry(entry: PutEventsRequestEntry): string {
  const text = (value: unknown) =>
    value === undefined || value === null ? 'null' : Array.isArray(value) ? `[${value.join(', ')}]` : String(value);
  return (
    `PutEventsRequestEntry(time=${text(entry.Time)}, source=${text(entry.Source)}, resources=${text(entry.Resources)}, ` +
    `detailType=${text(entry.DetailType)}, detail=${text(entry.Detail)}, eventBusName=${text(entry.EventBusName)}, traceHeader=${text(entry.TraceHeader)})`
  );
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
