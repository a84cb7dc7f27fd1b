/**
 * The cases pages' renderer: the precompiled templates of src/web/templates (regenerate with
 * `npm run web:templates`) in the platform's worker layout, and the answer a page gives.
 */
import type { HttpResult } from '@fsp/shared/http/handler';
import type { PageClaims } from '@fsp/shared/http/page-session';
import { createPageRenderer, type PageRenderer, type Stage, signedInWorkerOf } from '@fsp/shared/web/page';
import { PRECOMPILED_TEMPLATES } from './precompiled-templates';

export const createCasesRenderer = (stage: Stage): PageRenderer => createPageRenderer(PRECOMPILED_TEMPLATES, { stage });

export interface PageAnswer {
  template: string;
  title: string;
  claims: PageClaims;
  data?: Readonly<Record<string, unknown>>;
  status?: number;
}

/**
 * A page of the Cases area as the response, with the renderer's headers (no-store, the CSP). The
 * Inbox item has no count: that is notifications' data, and this service keeps no projection of it
 * yet (ADR 0013).
 */
export function pageResult(renderer: PageRenderer, answer: PageAnswer): HttpResult {
  return {
    status: answer.status ?? 200,
    html: renderer.renderPage(
      answer.template,
      { title: answer.title, worker: signedInWorkerOf(answer.claims), area: 'cases' },
      answer.data,
    ),
    headers: { ...renderer.headers },
  };
}
