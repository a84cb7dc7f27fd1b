/**
 * The administrators' pages (WEB.md; routes.ts: page routes for the `administrator` role, admitted
 * by the session cookie, with the Origin and CSRF checks on every POST before this code runs),
 * served by the `admin` function beside the JSON API and through the same operations
 * (agency-administration.ts).
 *
 * | route                                                        | does                                                     |
 * |--------------------------------------------------------------|----------------------------------------------------------|
 * | GET  /admin                                                  | Admin: partner agencies, failed webhook deliveries        |
 * | GET  /admin/agencies                                         | the agencies by name, 20 a page, with their status        |
 * | GET  /admin/agencies/new, POST                               | onboard: the form (errors keep the answers), then the secret once |
 * | GET  /admin/agencies/{agencyId}                              | the agency, its client ID and secrets (no values), actions |
 * | POST /admin/agencies/{agencyId}/credentials                  | rotate: the new secret, once                               |
 * | GET  /admin/agencies/{agencyId}/credentials/{secretId}/retire, POST | retire a secret, after a confirmation              |
 * | GET  /admin/agencies/{agencyId}/revoke, POST                 | revoke, after a confirmation                               |
 *
 * A new secret is the answer to the POST that made it, not a redirect: it is never in a URL and
 * never stored (the page is `no-store`). Forms that change credentials carry the agency's version,
 * so a form sent again (reload, Back) after it changed does nothing and says so.
 */
import { randomBytes } from 'node:crypto';
import { idSchema } from '@fsp/shared/events/definitions/common';
import { defineRoute, type HttpResult, type Route } from '@fsp/shared/http/handler';
import type { PageClaims } from '@fsp/shared/http/page-session';
import { createUnreadProjection } from '@fsp/shared/inbox/unread-projection';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import type { PageRenderer } from '@fsp/shared/web/page';
import { seeOther, workerPageResult } from '@fsp/shared/web/page-result';
import { positionOf } from '@fsp/shared/web/paging';
import * as z from 'zod/mini';
import type { IdentityProvider } from '../adapters/identity-provider';
import { newAgencyId } from '../domain/agency';
import { decodeAgencyCursor, encodeAgencyCursor } from '../store/agencies-store';
import {
  type AdminPage,
  AGENCIES_PAGE_SIZE,
  adminHomePage,
  adminProblemPage,
  agenciesPage,
  agencyFormBody,
  agencyPage,
  agencyPath,
  DONE,
  newAgencyPage,
  noSuchAgenciesPage,
  parseAgencyForm,
  retireSecretPage,
  revokeAgencyPage,
  secretPage,
} from '../web/admin-pages';
import { AgencyConflict, type AgencyConflictReason, createAgencyAdministration } from './agency-administration';
import { routes } from './routes';

const agencyParams = z.object({ agencyId: idSchema });
/** A list's place in the address, judged by the route, so that a stale or mangled address gets a page, never a JSON problem. */
const positionParameter = z.optional(z.union([z.string(), z.array(z.string())]));
const secretParams = z.object({
  agencyId: idSchema,
  secretId: z.string().check(z.minLength(1), z.maxLength(200), z.regex(/^[\w.-]+$/, 'must be a secret id from this agency')),
});
/** The agency's version the form was made from. */
const versionForm = z.object({ version: z.pipe(z.string().check(z.regex(/^[1-9]\d{0,8}$/)), z.transform(Number)) });

const newKey = () => randomBytes(3).toString('hex');

/** Why nothing was done, as the administrator reads it. */
const CONFLICT_WORDS: Readonly<Record<AgencyConflictReason, string>> = {
  exists: 'An agency with this ID already exists.',
  changed: 'Someone else changed the agency at the same moment. Look at the agency again before you try again.',
  stale:
    'The agency has changed since you opened the page you sent this from, for example in another tab or by sending the form twice. Look at the agency again before you try again.',
  revoked: 'The agency is revoked, so it cannot have secrets.',
  'only-secret': 'This is the agency’s only secret. Give the agency a new secret first, or revoke the agency.',
};

export function adminPageRoutes(runtime: ServiceRuntime, identity: IdentityProvider, renderer: PageRenderer): Route[] {
  const administration = createAgencyAdministration(runtime, identity);
  const unread = createUnreadProjection(runtime.documents, runtime.tableName);

  /** The page for `claims`, with their Inbox count: `unreadCount` when it was read with the page's own data, else read now. */
  const page = async (status: number, claims: PageClaims, view: AdminPage, unreadCount?: number): Promise<HttpResult> =>
    workerPageResult(renderer, { ...view, claims, unreadCount: unreadCount ?? (await unread.unreadCount(claims)), status });
  /** The agency (or every agency) a page shows, with the worker's Inbox count, in one round. */
  const withUnread = <T>(claims: PageClaims, read: Promise<T>) => Promise.all([read, unread.unreadCount(claims)]);

  /** A conflict the administrator can put right (changed meanwhile, the only secret, revoked): said on a page, with the way back. */
  async function orConflictPage(claims: PageClaims, agencyId: string, action: () => Promise<HttpResult>): Promise<HttpResult> {
    try {
      return await action();
    } catch (error) {
      if (!(error instanceof AgencyConflict)) throw error;
      return page(
        409,
        claims,
        adminProblemPage('Nothing was changed', CONFLICT_WORDS[error.reason], {
          href: agencyPath(agencyId),
          text: 'Look at the agency again',
        }),
      );
    }
  }

  return [
    defineRoute(routes.adminHome, {
      handle: async ({ claims }) => {
        const [agencies, unreadCount] = await withUnread(claims, administration.list());
        return page(200, claims, adminHomePage(agencies), unreadCount);
      },
    }),

    defineRoute(routes.agenciesPage, {
      query: z.object({ cursor: positionParameter, back: positionParameter }),
      handle: async ({ claims, query }) => {
        const decoded = positionOf(query, decodeAgencyCursor);
        if (!decoded) return page(404, claims, noSuchAgenciesPage());
        const [{ agencies, next }, unreadCount] = await withUnread(claims, administration.listPage(AGENCIES_PAGE_SIZE, decoded.from));
        return page(200, claims, agenciesPage(agencies, decoded.position, next && encodeAgencyCursor(next)), unreadCount);
      },
    }),

    defineRoute(routes.newAgencyPage, {
      handle: async (request) => page(200, request.claims, newAgencyPage(request.claims, { key: newKey() })),
    }),

    defineRoute(routes.onboardAgencyForm, {
      acceptForm: true,
      body: agencyFormBody,
      handle: async (request) => {
        const form = parseAgencyForm(request.body);
        if (!form.ok) {
          const key = typeof request.body.key === 'string' && /^[0-9a-f]{6}$/.test(request.body.key) ? request.body.key : newKey();
          return page(400, request.claims, newAgencyPage(request.claims, { key, values: request.body, errors: form.errors }));
        }
        // The same name and key make the same id: the form sent twice (reload, a double click) onboards once.
        const agencyId = newAgencyId(form.input.name, form.key);
        try {
          const { agency, secret } = await administration.onboard(request, { ...form.input, agencyId });
          return page(200, request.claims, secretPage(agency, secret, { onboarded: true, retired: [] }));
        } catch (error) {
          if (!(error instanceof AgencyConflict) || error.reason !== 'exists') throw error;
          return page(
            409,
            request.claims,
            adminProblemPage(
              'This agency is already onboarded',
              'The form was sent more than once. The agency was onboarded the first time; its secret was shown then and cannot be shown again. If nobody copied it, give the agency a new secret.',
              { href: agencyPath(agencyId), text: 'Go to the agency' },
            ),
          );
        }
      },
    }),

    defineRoute(routes.agencyPage, {
      params: agencyParams,
      query: z.object({ done: z.optional(z.enum(DONE)) }),
      handle: async ({ claims, params, query }) => {
        const [agency, unreadCount] = await withUnread(claims, administration.get(params.agencyId));
        return page(200, claims, agencyPage(claims, agency, query.done), unreadCount);
      },
    }),

    defineRoute(routes.rotateSecretForm, {
      params: agencyParams,
      acceptForm: true,
      body: versionForm,
      handle: async (request) =>
        orConflictPage(request.claims, request.params.agencyId, async () => {
          const { agency, secret, retired } = await administration.rotate(request, request.params.agencyId, {
            version: request.body.version,
          });
          return page(200, request.claims, secretPage(agency, secret, { onboarded: false, retired }));
        }),
    }),

    defineRoute(routes.retireSecretPage, {
      params: secretParams,
      handle: async (request) => {
        const [agency, unreadCount] = await withUnread(request.claims, administration.get(request.params.agencyId));
        const secret = agency.secrets.find((s) => s.secretId === request.params.secretId);
        // Gone already, or the only one (which is never retired): the agency's page says what there is.
        if (!secret || agency.secrets.length < 2) return seeOther(agencyPath(agency.agencyId));
        return page(200, request.claims, retireSecretPage(request.claims, agency, secret), unreadCount);
      },
    }),

    defineRoute(routes.retireSecretForm, {
      params: secretParams,
      acceptForm: true,
      body: versionForm,
      handle: async (request) =>
        orConflictPage(request.claims, request.params.agencyId, async () => {
          const { agencyId, secretId } = request.params;
          await administration.retire(request, agencyId, secretId, { version: request.body.version });
          return seeOther(`${agencyPath(agencyId)}?done=retired`);
        }),
    }),

    defineRoute(routes.revokeAgencyPage, {
      params: agencyParams,
      handle: async (request) => {
        const [agency, unreadCount] = await withUnread(request.claims, administration.get(request.params.agencyId));
        if (agency.status === 'revoked') return seeOther(agencyPath(agency.agencyId));
        return page(200, request.claims, revokeAgencyPage(request.claims, agency), unreadCount);
      },
    }),

    defineRoute(routes.revokeAgencyForm, {
      params: agencyParams,
      acceptForm: true,
      handle: async (request) =>
        orConflictPage(request.claims, request.params.agencyId, async () => {
          await administration.revoke(request, request.params.agencyId);
          return seeOther(`${agencyPath(request.params.agencyId)}?done=revoked`);
        }),
    }),
  ];
}
