/**
 * The supervision pages' renderer: the precompiled templates of src/web/templates (regenerate with
 * `npm run web:templates` after changing one) in the platform's worker layout, and the answer a
 * page gives.
 */
import type { HttpResult } from '@fsp/shared/http/handler';
import type { PageClaims } from '@fsp/shared/http/page-session';
import { createPageRenderer, type PageRenderer, type Stage, signedInWorkerOf, type WorkerLayout } from '@fsp/shared/web/page';
import { PRECOMPILED_TEMPLATES } from './precompiled-templates';

export const createSupervisionRenderer = (stage: Stage): PageRenderer => createPageRenderer(PRECOMPILED_TEMPLATES, { stage });

export interface PageAnswer {
  template: string;
  title: string;
  claims: PageClaims;
  data?: Readonly<Record<string, unknown>>;
  status?: number;
}

/**
 * A page of the Supervision area as the response: the layout's worker from the session, the
 * renderer's headers (no-store, the CSP). No unread count on the Inbox item: that is notifications'
 * data, and a page reads only its own service's table (ADR 0013).
 */
export function pageResult(renderer: PageRenderer, answer: PageAnswer): HttpResult {
  const layout: WorkerLayout = { title: answer.title, worker: signedInWorkerOf(answer.claims), area: 'supervision' };
  return {
    status: answer.status ?? 200,
    html: renderer.renderPage(answer.template, layout, { ...answer.data, csrfToken: answer.claims.csrfToken }),
    headers: { ...renderer.headers },
  };
}
