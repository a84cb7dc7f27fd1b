/** How a request becomes the context of the events it causes: every route module that publishes uses it. */
import type { BuildEventContext } from '@fsp/shared/events/build';
import type { HttpRequest } from '@fsp/shared/http/handler';

/** Events a request causes carry its correlation id, and its request id as their cause; `now` is the request's one clock reading. */
export const requestEventContext = (request: HttpRequest<unknown, unknown, unknown, unknown>, now: Date): BuildEventContext => ({
  clock: () => now,
  correlationId: request.correlationId,
  causationId: request.requestId,
});
