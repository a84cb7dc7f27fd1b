/**
 * The notifications pages' renderer: the precompiled templates of src/web/templates (regenerate
 * with `npm run web:templates`) in the platform's worker layout, and the answers pages give.
 */

import type { HttpResult } from '@fsp/shared/http/handler';
import type { PageClaims } from '@fsp/shared/http/page-session';
import { createPageRenderer, type PageRenderer, type Stage, signedInWorkerOf, type WorkerLayout } from '@fsp/shared/web/page';
import { PRECOMPILED_TEMPLATES } from './precompiled-templates';

export const createNotificationsRenderer = (stage: Stage): PageRenderer => createPageRenderer(PRECOMPILED_TEMPLATES, { stage });

export interface PageAnswer {
  template: string;
  title: string;
  claims: PageClaims;
  /** Every page shows the worker's unread count on the Inbox item, read with the page's own data. */
  unreadCount: number;
  area?: WorkerLayout['area'];
  data?: Readonly<Record<string, unknown>>;
  status?: number;
}

/** A page as the response: the layout's worker from the session, the renderer's headers (no-store, the CSP). */
export function pageResult(renderer: PageRenderer, answer: PageAnswer): HttpResult {
  const layout: WorkerLayout = {
    title: answer.title,
    worker: signedInWorkerOf(answer.claims),
    unreadCount: answer.unreadCount,
    ...(answer.area ? { area: answer.area } : {}),
  };
  return {
    status: answer.status ?? 200,
    html: renderer.renderPage(answer.template, layout, { ...answer.data, csrfToken: answer.claims.csrfToken }),
    headers: { ...renderer.headers },
  };
}

/** After a form: GET the next page (PRG), never cached. */
export const seeOther = (location: string): HttpResult => ({ status: 303, headers: { location, 'cache-control': 'no-store' } });
