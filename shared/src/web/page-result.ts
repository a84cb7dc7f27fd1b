/**
 * A worker's page as the answer to its route, the same for every service: the worker layout with
 * who is signed in (from the page session), the area selected in the navigation and the Inbox
 * count on its item, the session's CSRF token for the page's forms (and the header's "Sign out"),
 * and the renderer's headers (no-store, the CSP).
 */
import type { HttpResult } from '../http/handler';
import type { PageClaims } from '../http/page-session';
import type { Area } from './navigation';
import { type PageRenderer, signedInWorkerOf, type WorkerLayout } from './page';

/** What a page is, whoever looks at it: its template, title, place in the navigation and data. */
export interface WorkerPageView {
  template: string;
  /** The page's own title; the layout adds the service name (and "Error: " when `hasErrors`). */
  title: string;
  area?: Area;
  backLink?: string;
  /** The page shows an error summary. */
  hasErrors?: boolean;
  data?: Readonly<Record<string, unknown>>;
}

export interface WorkerPageAnswer extends WorkerPageView {
  claims: PageClaims;
  /**
   * The worker's unread inbox items, read in the same round as the page's own data: notifications'
   * inbox store on its pages, the service's unread projection on others' (ADR 0013). Required, so
   * that no page forgets the count.
   */
  unreadCount: number;
  status?: number;
}

export function workerPageResult(renderer: PageRenderer, answer: WorkerPageAnswer): HttpResult {
  const layout: WorkerLayout = {
    title: answer.title,
    worker: signedInWorkerOf(answer.claims),
    unreadCount: answer.unreadCount,
    ...(answer.area ? { area: answer.area } : {}),
    ...(answer.backLink ? { backLink: answer.backLink } : {}),
    ...(answer.hasErrors ? { hasErrors: true } : {}),
  };
  return {
    status: answer.status ?? 200,
    html: renderer.renderPage(answer.template, layout, { ...answer.data, csrfToken: answer.claims.csrfToken }),
    headers: { ...renderer.headers },
  };
}

/** After a form: GET the next page (PRG), never cached. */
export const seeOther = (location: string): HttpResult => ({ status: 303, headers: { location, 'cache-control': 'no-store' } });
