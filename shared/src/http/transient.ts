/**
 * Which failures a retry can fix (QUALITY.md, reliability 8: under load, never a 500, and a 503
 * always says when to come back). The one place that decides it: the HTTP handler
 * (`createHttpHandler`, used by every service's HTTP and pages functions) answers a failure this
 * module calls transient with 503 and `Retry-After` (a problem document, or the GOV.UK "Sorry,
 * there is a problem with the service" page), and anything else with a 500 logged as an error.
 *
 * Transient: a dependency that was busy or out of reach for a moment (DynamoDB throttling or its
 * own 5xx, a connection refused, reset or timed out), a transaction that lost only to a concurrent
 * one, and a request that ran out of its function's time. Never transient: a refused condition
 * (the code should have answered it), validation, access denied, a missing table, a malformed
 * stored item, or any error of our own: a retry would fail the same way. The lists follow the AWS
 * SDK's own retry classification (@smithy/core, service-error-classification), which the SDK has
 * already applied, with its retries, before the error reaches a handler.
 */
import { HttpError, ServiceUnavailable } from './errors';

/** Why a request failed for a moment; `reason` is an error name or code, safe to log (no message, no data). */
export type TransientKind = 'conflict' | 'throttled' | 'unavailable' | 'timeout';

export interface TransientFailure {
  kind: TransientKind;
  reason: string;
  /** Whole seconds, at least 1: what `Retry-After` says. */
  retryAfterSeconds: number;
}

/** Retry-After by kind: a conflict clears at once; throttling within a second or two; an unreachable or slow dependency takes longer. */
export const RETRY_AFTER_SECONDS: Readonly<Record<TransientKind, number>> = {
  conflict: 1,
  throttled: 2,
  unavailable: 5,
  timeout: 5,
};

/** Error names AWS services give throttling (the SDK's list, with DynamoDB's, Lambda's and Cognito's among them). */
export const THROTTLING_ERROR_NAMES: readonly string[] = [
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
];

/** A service's own failure, or it saying it is unavailable: DynamoDB's InternalServerError, KMS's, Cognito's. */
export const UNAVAILABLE_ERROR_NAMES: readonly string[] = [
  'InternalServerError',
  'InternalServerException',
  'InternalFailure',
  'InternalErrorException',
  'KMSInternalException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
];

/** A call that took too long: the SDK's request and connection timeouts, the service's, and a function's own deadline (middy's early timeout). */
export const TIMEOUT_ERROR_NAMES: readonly string[] = ['TimeoutError', 'RequestTimeout', 'RequestTimeoutException'];

/** Node's codes for a connection that could not be made, broke, or timed out, and a name lookup that failed for a moment. */
export const NETWORK_ERROR_CODES: readonly string[] = [
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
];

/** A transaction's cancellation reasons that a retry can clear; any other (ConditionalCheckFailed, ValidationError…) cannot. */
const RETRYABLE_CANCELLATION_CODES: Readonly<Record<string, TransientKind>> = {
  TransactionConflict: 'conflict',
  ThrottlingError: 'throttled',
  ProvisionedThroughputExceeded: 'throttled',
  RequestLimitExceeded: 'throttled',
};

/** The HTTP statuses of an AWS answer that mean "not now" (the SDK's transient statuses, and 429). */
const UNAVAILABLE_STATUSES: ReadonlySet<number> = new Set([500, 502, 503, 504]);

/** The request's function ran out of time before its work did (`createHttpHandler` answers before Lambda ends it). */
export class DeadlineReached extends Error {
  override name = 'DeadlineReached';
  constructor(readonly remainingMs: number) {
    super(`the request was answered ${remainingMs} ms before its function's deadline, with its work unfinished`);
  }
}

const failure = (kind: TransientKind, reason: string): TransientFailure => ({ kind, reason, retryAfterSeconds: RETRY_AFTER_SECONDS[kind] });

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

function cancellationOf(error: Record<string, unknown>): TransientFailure | undefined {
  const reasons = Array.isArray(error.CancellationReasons) ? (error.CancellationReasons as unknown[]) : [];
  const codes = reasons
    .map((reason) => (isObject(reason) && typeof reason.Code === 'string' ? reason.Code : 'None'))
    .filter((c) => c !== 'None');
  if (codes.length === 0) return undefined;
  const kinds = codes.map((code) => RETRYABLE_CANCELLATION_CODES[code]);
  if (kinds.some((kind) => kind === undefined)) return undefined;
  // Throttled when any item was; a conflict when they only collided with another transaction.
  return kinds.includes('throttled')
    ? failure('throttled', `TransactionCanceledException:${codes.join(',')}`)
    : failure('conflict', 'TransactionConflict');
}

/**
 * The SDK's retry middleware wraps what it cannot recognise as an Error (a value thrown from another
 * realm, as Node's socket errors are inside jest's sandbox) in `new Error("AWS SDK error wrapper for
 * <the value as text>")`: the name and any Node error code are then only in that text.
 */
const SDK_WRAPPER = /^AWS SDK error wrapper for ([A-Za-z]+)(?::.*?\b(E[A-Z_]+|UND_ERR_[A-Z_]+)\b)?/;

function classifyOne(error: Record<string, unknown>): TransientFailure | undefined {
  const wrapped = typeof error.message === 'string' && error.name === 'Error' ? SDK_WRAPPER.exec(error.message) : null;
  const name = wrapped?.[1] ?? (typeof error.name === 'string' ? error.name : '');
  const code = wrapped?.[2] ?? (typeof error.code === 'string' ? error.code : '');
  if (name === 'DeadlineReached' && error instanceof DeadlineReached) return failure('timeout', name);
  if (name === 'TransactionCanceledException') return cancellationOf(error);
  if (THROTTLING_ERROR_NAMES.includes(name)) return failure('throttled', name);
  if (UNAVAILABLE_ERROR_NAMES.includes(name)) return failure('unavailable', name);
  // Before the timeout names: the SDK calls a reset or refused connection a TimeoutError too, with Node's code.
  if (NETWORK_ERROR_CODES.includes(code))
    return failure(code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' ? 'timeout' : 'unavailable', code);
  if (TIMEOUT_ERROR_NAMES.includes(name)) return failure('timeout', name);
  // An AWS answer the SDK marked retryable, or whose status says "not now", whatever its name.
  const retryable = error.$retryable;
  if (isObject(retryable)) return failure(retryable.throttling === true ? 'throttled' : 'unavailable', name || 'retryable');
  const metadata = error.$metadata;
  const status = isObject(metadata) && typeof metadata.httpStatusCode === 'number' ? metadata.httpStatusCode : undefined;
  if (status === 429) return failure('throttled', name || 'HTTP 429');
  if (status !== undefined && UNAVAILABLE_STATUSES.has(status)) return failure('unavailable', name || `HTTP ${status}`);
  return undefined;
}

/**
 * The transient failure `error` is, or undefined when a retry would not help (answer 500). An
 * `HttpError` is already an answer, never transient here. Follows `cause` a few levels down, as
 * the SDK does, so a failure wrapped by our own code keeps its nature.
 */
export function transientFailureOf(error: unknown): TransientFailure | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && isObject(current); depth += 1) {
    if (current instanceof HttpError) return undefined;
    const found = classifyOne(current);
    if (found) return found;
    current = current.cause;
  }
  return undefined;
}

const DETAILS: Readonly<Record<TransientKind, string>> = {
  conflict: 'The service is busy with other requests for the same records; nothing was changed. Send the request again.',
  throttled: 'The service is busy. Send the request again after Retry-After seconds.',
  unavailable:
    'The service could not reach its storage for a moment. Send the request again after Retry-After seconds; a referral sent again with the same Idempotency-Key is never stored twice.',
  timeout:
    'The service did not finish this request in time. Send it again after Retry-After seconds; a referral sent again with the same Idempotency-Key is never stored twice.',
};

/** The 503 a transient failure answers: `Retry-After` and, for programs, a problem document saying whether anything may have changed. */
export function serviceUnavailableFor(transient: TransientFailure): ServiceUnavailable {
  return new ServiceUnavailable(transient.retryAfterSeconds, DETAILS[transient.kind]);
}
