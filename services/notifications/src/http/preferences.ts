/**
 * How the worker is told (issue 15 Deliver 3, ADR 0017): `GET /api/inbox/preferences` answers their
 * choice, or their role's default (`saved: false`); `PUT` saves one over the version read (409 when it
 * changed since). The worker is the verified token's: nobody can read or change another's.
 */
import { Conflict } from '@fsp/shared/http/errors';
import { defineRoute, json, type Route } from '@fsp/shared/http/handler';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import * as z from 'zod/mini';
import { digestTimeSchema, type EffectivePreference, effectivePreference } from '../domain/preferences';
import { createPreferencesStore, isPreferenceConflict } from '../store/preferences-store';
import { routes } from './routes';

const PRIVATE = { 'cache-control': 'private, no-store' };

const version = z.lazy(() =>
  z
    .int('version must be the version you read (0 when nothing is saved)')
    .check(z.gte(0, 'version must be the version you read (0 when nothing is saved)')),
);

/** One of three choices; a digest needs its time (HH:MM, London, on the quarter hour). */
const preferenceBody = z.lazy(() =>
  z.discriminatedUnion(
    'mode',
    [
      z.object({ mode: z.literal('inbox'), version }),
      z.object({ mode: z.literal('immediate'), version }),
      z.object({ mode: z.literal('digest'), digestAt: digestTimeSchema, version }),
    ],
    { error: 'mode must be inbox, immediate or digest' },
  ),
);

const answerOf = ({ preference, saved }: EffectivePreference, version: number) => ({
  mode: preference.mode,
  digestAt: preference.mode === 'digest' ? preference.digestAt : null,
  saved,
  version,
});

export function preferencesRoutes(runtime: Pick<ServiceRuntime, 'documents' | 'tableName' | 'clock'>): Route[] {
  const store = createPreferencesStore(runtime.documents, runtime.tableName);
  return [
    defineRoute(routes.preferences, {
      handle: async ({ claims }) => {
        const saved = await store.get(claims.userId, { consistent: true });
        return json(200, answerOf(effectivePreference(saved?.preference, claims.roles), saved?.version ?? 0), PRIVATE);
      },
    }),
    defineRoute(routes.savePreferences, {
      body: preferenceBody,
      handle: async ({ body, claims }) => {
        const { version: seen, ...preference } = body;
        const result = await store.put(claims.userId, preference, seen, runtime.clock());
        if (isPreferenceConflict(result)) {
          throw new Conflict('Your preferences changed since you read them: read them again, then save your change.', {
            extensions: { currentVersion: result.current?.version ?? 0 },
          });
        }
        return json(200, answerOf({ preference: result.preference, saved: true }, result.version), PRIVATE);
      },
    }),
  ];
}
