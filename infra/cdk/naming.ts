/**
 * Stage and resource names. Names are deterministic (`fsp-<stage>-<service>-…`) so that an operator
 * can find a service's table, queue or function from the manifest alone, and so that the local
 * cloud's names (`<service>-<subscription>` queues, `<service>-<function>` ids) map onto AWS's by
 * adding the `fsp-<stage>-` prefix.
 */
import type { ServiceManifest } from '@fsp/shared/manifest';

export const STAGES = ['dev', 'staging', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

export const DEFAULT_STAGE: Stage = 'dev';

/** Reads the `stage` context value; anything other than a known stage is a mistake worth stopping for. */
export function parseStage(value: unknown): Stage {
  if (value === undefined || value === null || value === '') return DEFAULT_STAGE;
  if (typeof value === 'string' && (STAGES as readonly string[]).includes(value)) return value as Stage;
  throw new Error(`stage must be one of ${STAGES.join(', ')}; got ${JSON.stringify(value)}`);
}

export const prefixOf = (stage: Stage): string => `fsp-${stage}`;

/** The single custom bus every service publishes to (through its outbox pipe) and subscribes on. */
export const busNameOf = (stage: Stage): string => prefixOf(stage);

export const serviceStackNameOf = (stage: Stage, service: string): string => `${prefixOf(stage)}-${service}`;
export const platformStackNameOf = (stage: Stage): string => `${prefixOf(stage)}-platform`;

/** `<service>-<subscription>`: the same queue name the local cloud uses, under the stage prefix. */
export const queueNameOf = (stage: Stage, service: string, subscription: string): string =>
  checkedName(`${prefixOf(stage)}-${service}-${subscription}`, 80 - '-dlq'.length, 'queue');

export const functionNameOf = (stage: Stage, service: string, fn: string): string =>
  checkedName(`${prefixOf(stage)}-${service}-${fn}`, 64, 'function');

export const ruleNameOf = (stage: Stage, service: string, subscription: string): string =>
  checkedName(`${prefixOf(stage)}-${service}-${subscription}`, 64, 'rule');

export const scheduleNameOf = (stage: Stage, service: string, schedule: string): string =>
  checkedName(`${prefixOf(stage)}-${service}-${schedule}`, 64, 'schedule');

/**
 * `fsp-<stage>-<service>-outbox`; for a service bound to a restored table (restored-tables.ts), the
 * restore's own suffix after it (`…-outbox-r20261203`): a pipe's source cannot change in place, and
 * CloudFormation can replace a named resource only under a new name.
 */
export const pipeNameOf = (stage: Stage, service: string, restoredSuffix?: string): string =>
  checkedName(`${prefixOf(stage)}-${service}-outbox${restoredSuffix === undefined ? '' : `-${restoredSuffix}`}`, 64, 'pipe');

/** A name that AWS would reject at deploy time is reported at synth time instead, with the manifest entry that caused it. */
function checkedName(name: string, maxLength: number, kind: string): string {
  if (!/^[a-zA-Z0-9_-]+$/.test(name)) throw new Error(`${kind} name ${name} may only use letters, digits, - and _`);
  if (name.length > maxLength) throw new Error(`${kind} name ${name} is ${name.length} characters; AWS allows ${maxLength}`);
  return name;
}

/** `POST /v1/referrals`: API Gateway's route key, which is also what the partner authorizer looks scopes up by. */
export const routeKeyOf = (route: { method: string; path: string }): string => `${route.method} ${route.path}`;

/** routeKey → scopes for every partner route of a manifest: the partner authorizer's configuration. */
export function partnerRouteScopesOf(manifest: ServiceManifest): Record<string, string[]> {
  const scopes: Record<string, string[]> = {};
  for (const route of manifest.http?.routes ?? []) {
    if (route.auth.kind === 'partner') scopes[routeKeyOf(route)] = [...route.auth.scopes];
  }
  return scopes;
}
