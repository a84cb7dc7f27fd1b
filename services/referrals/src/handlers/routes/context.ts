/**
 * What every route module of the referrals API shares: the runtime, the store, and how a request
 * becomes the context of the events it causes.
 */
import type { BuildEventContext } from '@fsp/shared/events/build';
import type { HttpRequest } from '@fsp/shared/http/handler';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { createReferralsStore, type ReferralsStore } from '../../store/referrals-store';
import { type AgencyResolver, createAgencyResolver } from '../partner-agency';

export interface RouteContext {
  runtime: ServiceRuntime;
  store: ReferralsStore;
  /** The agency behind a partner token; every partner route asks it. */
  agencyOf: AgencyResolver;
  /** Events a request causes carry its correlation id, and its request id as their cause. */
  eventContext(request: HttpRequest<unknown, unknown, unknown, unknown>, now: Date): BuildEventContext;
}

export function createRouteContext(runtime: ServiceRuntime): RouteContext {
  return {
    runtime,
    store: createReferralsStore(runtime.documents, runtime.tableName),
    agencyOf: createAgencyResolver(runtime),
    eventContext: (request, now) => ({ clock: () => now, correlationId: request.correlationId, causationId: request.requestId }),
  };
}
