/**
 * Typed HTTP errors and RFC 9457 problem documents. Handlers throw an `HttpError` subclass; the
 * one error handler in `createHttpHandler` turns it into `application/problem+json`. Anything
 * else becomes a 500 that says nothing about the cause.
 */

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Where a failing field was: the body, the query string, the path or a header. */
export type FieldLocation = 'body' | 'query' | 'path' | 'header';

export interface FieldError {
  in: FieldLocation;
  /** JSON path within that part of the request: `$.children[0].dateOfBirth`. */
  path: string;
  message: string;
}

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  requestId?: string;
  [extension: string]: unknown;
}

/** Problem types beyond plain HTTP statuses; stable, so partner code can branch on them. */
export const PROBLEM_TYPES = {
  validation: 'urn:fsp:problem:validation-failed',
  malformedBody: 'urn:fsp:problem:malformed-body',
} as const;

export interface HttpErrorOptions {
  detail?: string;
  /** Defaults to `about:blank`, meaning "nothing beyond the status". */
  type?: string;
  headers?: Record<string, string>;
  errors?: FieldError[];
  /** Extra members of the problem document, for example `{ referralId }` on a conflict. */
  extensions?: Record<string, unknown>;
}

export class HttpError extends Error {
  override name = 'HttpError';
  readonly type: string;
  readonly detail: string | undefined;
  readonly headers: Record<string, string>;
  readonly errors: FieldError[] | undefined;
  readonly extensions: Record<string, unknown>;

  constructor(
    readonly status: number,
    readonly title: string,
    options: HttpErrorOptions = {},
  ) {
    super(options.detail ?? title);
    this.type = options.type ?? 'about:blank';
    this.detail = options.detail;
    this.headers = options.headers ?? {};
    this.errors = options.errors;
    this.extensions = options.extensions ?? {};
  }

  toProblem(instance: string | undefined, requestId: string): ProblemDocument {
    return {
      ...this.extensions,
      type: this.type,
      title: this.title,
      status: this.status,
      ...(this.detail !== undefined ? { detail: this.detail } : {}),
      ...(instance !== undefined ? { instance } : {}),
      ...(this.errors ? { errors: this.errors } : {}),
      requestId,
    };
  }
}

type Options = Omit<HttpErrorOptions, 'errors'>;

export class BadRequest extends HttpError {
  override name = 'BadRequest';
  constructor(detail: string, options: HttpErrorOptions = {}) {
    super(400, 'Bad Request', { ...options, detail });
  }
}

/** 400 listing every failing field; what a rejected form or API body answers. */
export class ValidationFailed extends BadRequest {
  override name = 'ValidationFailed';
  constructor(errors: FieldError[]) {
    super(`${errors.length} ${errors.length === 1 ? 'field is' : 'fields are'} not valid; see errors for what to change.`, {
      type: PROBLEM_TYPES.validation,
      errors,
    });
  }
}

export class Unauthorized extends HttpError {
  override name = 'Unauthorized';
  constructor(detail = 'Sign in, or send a valid access token.', options: Options = {}) {
    // RFC 6750: tell the client which scheme to use.
    super(401, 'Unauthorized', { ...options, detail, headers: { 'www-authenticate': 'Bearer', ...options.headers } });
  }
}

export class Forbidden extends HttpError {
  override name = 'Forbidden';
  constructor(detail = 'You do not have permission to do this.', options: Options = {}) {
    super(403, 'Forbidden', { ...options, detail });
  }
}

export class NotFound extends HttpError {
  override name = 'NotFound';
  constructor(detail = 'There is nothing at this address.', options: Options = {}) {
    super(404, 'Not Found', { ...options, detail });
  }
}

export class MethodNotAllowed extends HttpError {
  override name = 'MethodNotAllowed';
  constructor(readonly allow: readonly string[]) {
    super(405, 'Method Not Allowed', { detail: `This address accepts ${allow.join(', ')}.`, headers: { allow: allow.join(', ') } });
  }
}

export class Conflict extends HttpError {
  override name = 'Conflict';
  constructor(detail: string, options: Options = {}) {
    super(409, 'Conflict', { ...options, detail });
  }
}

export class PayloadTooLarge extends HttpError {
  override name = 'PayloadTooLarge';
  constructor(limitBytes: number) {
    super(413, 'Content Too Large', { detail: `The request body must be ${Math.floor(limitBytes / 1024)} KB or smaller.` });
  }
}

export class UnsupportedMediaType extends HttpError {
  override name = 'UnsupportedMediaType';
  constructor(accepted: readonly string[]) {
    super(415, 'Unsupported Media Type', {
      detail: `Send the body as ${accepted.join(' or ')} (UTF-8) with a matching Content-Type header.`,
    });
  }
}

export class UnprocessableEntity extends HttpError {
  override name = 'UnprocessableEntity';
  constructor(detail: string, options: Options = {}) {
    super(422, 'Unprocessable Content', { ...options, detail });
  }
}

export class TooManyRequests extends HttpError {
  override name = 'TooManyRequests';
  constructor(
    readonly retryAfterSeconds: number,
    detail = 'Too many requests; try again later.',
  ) {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    super(429, 'Too Many Requests', { detail, headers: { 'retry-after': String(seconds) } });
  }
}

/** Busy for a moment (a write kept conflicting with concurrent ones, and nothing was written): the same request may simply be sent again. */
export class ServiceUnavailable extends HttpError {
  override name = 'ServiceUnavailable';
  constructor(
    retryAfterSeconds = 1,
    detail = 'The service is busy with other requests for the same records; nothing was changed. Send the request again.',
  ) {
    super(503, 'Service Unavailable', { detail, headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) } });
  }
}

/** The only thing a client learns about an unexpected failure: that it happened, and which request it was. */
export function internalErrorProblem(instance: string | undefined, requestId: string): ProblemDocument {
  return {
    type: 'about:blank',
    title: 'Internal Server Error',
    status: 500,
    detail: 'Something went wrong on our side. If it keeps happening, contact us quoting the request id.',
    ...(instance !== undefined ? { instance } : {}),
    requestId,
  };
}
