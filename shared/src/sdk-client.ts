/**
 * AWS SDK clients as the platform builds them: without the SDK's logger middleware.
 *
 * After every call, that middleware builds a copy of the command's input and output with their
 * sensitive members masked, walking every attribute of every item, to hand to `logger.info`; it does
 * so even when the client has no logger, because the SDK's default no-op logger has an `info`. No
 * client of the platform is given a logger (personal data stays out of logs: QUALITY.md, security
 * 10), so the copies were thrown away unread, at a cost on every request, large on a page's Query or
 * the relay's GetRecords (ADR 0031).
 */

/** The name @aws-sdk/core gives the middleware; a test checks it still does. */
export const SDK_LOGGER_MIDDLEWARE = 'loggerMiddleware';

/** `client`, its logger middleware removed (and a document client made from it shares its stack). */
export function withoutSdkLogging<Client extends { middlewareStack: { remove(toRemove: string): boolean } }>(client: Client): Client {
  client.middlewareStack.remove(SDK_LOGGER_MIDDLEWARE);
  return client;
}
