/**
 * The AWS JSON 1.1 protocol as the local cloud speaks it for the AWS-only services it stands in
 * for (EventBridge, Cognito user pool clients): how requests are read and answers and errors are
 * written, so that the real SDKs and the AWS CLI work against it unchanged.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as z from 'zod/mini';
import type * as core from 'zod/v4/core';
import { BodyTooLargeError, readBody } from './gateway/http-util';

export const AWS_JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';

/** An error the SDK turns into its typed exception: `__type` names it. */
export class AwsApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
    this.name = type;
  }
}

export function parseRequest<S extends core.$ZodType>(schema: S, body: unknown): core.output<S> {
  const parsed = z.safeParse(schema, body);
  if (parsed.success) return parsed.data;
  // AWS JSON services answer a member of the wrong JSON type with SerializationException.
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
  throw new AwsApiError('SerializationException', problems.join('; '));
}

export function parseBody(raw: Buffer): unknown {
  // The SDK sends `{}` for an operation without input; treat an empty body the same way.
  if (raw.length === 0) return {};
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (error) {
    if (error instanceof SyntaxError) throw new AwsApiError('SerializationException', `Request body is not valid JSON: ${error.message}`);
    throw error;
  }
}

/** Reads at most `maxBytes`; a larger body answers 413 with the service's own error type. */
export async function readRequestBody(req: IncomingMessage, maxBytes: number, tooLargeType: string): Promise<Buffer> {
  try {
    return await readBody(req, maxBytes);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw new AwsApiError(tooLargeType, `Request body is larger than ${maxBytes} bytes.`, 413);
    throw error;
  }
}

export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function send(
  res: ServerResponse,
  requestId: string,
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(statusCode, {
    'content-type': AWS_JSON_CONTENT_TYPE,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId,
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, requestId: string, error: AwsApiError): void {
  if (res.headersSent) {
    // Half a response cannot be turned into an error response; cutting the connection is the only honest signal.
    res.destroy();
    return;
  }
  send(res, requestId, error.statusCode, { __type: error.type, message: error.message }, { 'x-amzn-errortype': error.type });
}
