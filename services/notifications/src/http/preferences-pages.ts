/**
 * The preferences page (`/inbox/preferences`, linked from the inbox): GOV.UK radios, the digest's time
 * revealed under its radio (shown to everyone without JavaScript), the session's CSRF token, and on a
 * mistake the error summary naming the field, what was typed kept. Saving goes back to the page with
 * a success banner (POST, redirect, GET); a choice changed in another window meanwhile is told, not
 * overwritten.
 */
import { defineRoute, type Route } from '@fsp/shared/http/handler';
import type { PageClaims } from '@fsp/shared/http/page-session';
import { mailboxesOf } from '@fsp/shared/inbox/mailbox';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import type { PageRenderer } from '@fsp/shared/web/page';
import { seeOther, workerPageResult } from '@fsp/shared/web/page-result';
import * as z from 'zod/mini';
import { effectivePreference, preferenceFromForm } from '../domain/preferences';
import { createInboxStore } from '../store/inbox-store';
import { createPreferencesStore, isPreferenceConflict, type StoredPreference } from '../store/preferences-store';
import { type PreferencesPageView, preferencesPageView } from '../web/preferences-view';
import { routes } from './routes';

const TITLE = 'How you are told about new items';
/** Anything is accepted and judged here, so that a mangled form gets the page with its errors, never a JSON problem. */
const field = z.optional(z.union([z.string(), z.array(z.string())]));
const firstOf = (value: string | readonly string[] | undefined): string | undefined => (typeof value === 'string' ? value : value?.[0]);

export function preferencesPageRoutes(runtime: Pick<ServiceRuntime, 'documents' | 'tableName' | 'clock'>, renderer: PageRenderer): Route[] {
  const preferences = createPreferencesStore(runtime.documents, runtime.tableName);
  const inbox = createInboxStore(runtime.documents, runtime.tableName);

  const page = (claims: PageClaims, unreadCount: number, view: PreferencesPageView, status = 200) =>
    workerPageResult(renderer, {
      template: 'preferences.njk',
      title: TITLE,
      claims,
      unreadCount,
      area: 'inbox',
      backLink: '/inbox',
      hasErrors: view.changed || view.form.errors.length > 0,
      status,
      data: { view },
    });

  const viewOf = (claims: PageClaims, saved: StoredPreference | undefined, options: Parameters<typeof preferencesPageView>[2] = {}) =>
    preferencesPageView(effectivePreference(saved?.preference, claims.roles), saved?.version ?? 0, options);

  return [
    defineRoute(routes.preferencesPage, {
      query: z.object({ saved: field }),
      handle: async ({ query, claims }) => {
        const [saved, unreadCount] = await Promise.all([
          preferences.get(claims.userId, { consistent: true }),
          inbox.unreadCount(claims.userId, mailboxesOf(claims)),
        ]);
        return page(claims, unreadCount, viewOf(claims, saved, { justSaved: firstOf(query.saved) === 'yes' && saved !== undefined }));
      },
    }),

    defineRoute(routes.savePreferencesPage, {
      body: z.object({ mode: field, digestAt: field, version: field }),
      acceptForm: true,
      handle: async ({ body, claims }) => {
        const sent = { mode: firstOf(body.mode), digestAt: firstOf(body.digestAt) };
        const versionText = firstOf(body.version) ?? '';
        const seen = /^\d{1,9}$/.test(versionText) ? Number(versionText) : undefined;
        const parsed = preferenceFromForm(sent);
        if (!parsed.ok || seen === undefined) {
          const [saved, unreadCount] = await Promise.all([
            preferences.get(claims.userId, { consistent: true }),
            inbox.unreadCount(claims.userId, mailboxesOf(claims)),
          ]);
          // A form without the version it was read at cannot be saved safely: it is told as a change made elsewhere.
          const options = parsed.ok ? { changed: true } : { state: { ...sent, errors: parsed.errors } };
          return page(claims, unreadCount, viewOf(claims, saved, options), 400);
        }
        const result = await preferences.put(claims.userId, parsed.preference, seen, runtime.clock());
        if (isPreferenceConflict(result)) {
          const unreadCount = await inbox.unreadCount(claims.userId, mailboxesOf(claims));
          return page(claims, unreadCount, viewOf(claims, result.current, { changed: true }), 409);
        }
        return seeOther('/inbox/preferences?saved=yes');
      },
    }),
  ];
}
