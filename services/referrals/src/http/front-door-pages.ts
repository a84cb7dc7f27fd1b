/**
 * The front door's pages (routes.ts: page routes for the `front-door` role, admitted by the session
 * cookie before this code runs; the `pages` function): the queue, each referral, and the screening
 * and decision forms. Server-rendered from templates/front-door (GOV.UK and MoJ macros), working
 * without JavaScript: forms post with the session's CSRF token, a refused answer is shown again with
 * GOV.UK's error summary and what was typed, and a recorded one redirects (303) to the referral
 * page, which says what was recorded.
 *
 * Reads, per page, from this service's table only, each first round with the worker's Inbox count
 * (one BatchGet of this service's unread projection, ADR 0013):
 * - the queue: one Query of the queue index (the read GET /api/front-door/referrals makes);
 * - a referral (its page and its forms): its read recorded in the access log together with one
 *   Query of the referral's partition (the referral and its latest reads), then one BatchGet for
 *   the earlier referrals its known-family matches name (their state now, and their case).
 * Screening and the decision are front-door-work.ts's, the very code the JSON API runs.
 */
import { idSchema } from '@fsp/shared/events/definitions/common';
import { NotFound } from '@fsp/shared/http/errors';
import { defineRoute, type HttpResult, type Route, redirect } from '@fsp/shared/http/handler';
import type { PageClaims } from '@fsp/shared/http/page-session';
import { createUnreadProjection } from '@fsp/shared/inbox/unread-projection';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import type { PageRenderer } from '@fsp/shared/web/page';
import { type WorkerPageView, workerPageResult } from '@fsp/shared/web/page-result';
import * as z from 'zod/mini';
import { type AccessView, frontDoorAccess, type ReferralAccess } from '../domain/access-log';
import { decisionClock } from '../domain/decision-clock';
import type { KnownFamilyMatch } from '../domain/known-family';
import type { Referral } from '../domain/referral';
import { createAccessLogStore } from '../store/access-log-store';
import { createReferralsStore, type StoredReferral } from '../store/referrals-store';
import {
  type CaseChoice,
  caseChoices,
  checkDecisionForm,
  type DecisionFormValues,
  decisionFormValues,
  type FieldError,
  offeredOutcomes,
  REASON_MAX_LENGTH,
} from '../web/front-door/decision-form';
import { queueFilterOf, queueView } from '../web/front-door/queue-view';
import {
  clockView,
  decisionCaseLink,
  matchViews,
  referralHref,
  referralPageView,
  type Team,
  teamName,
} from '../web/front-door/referral-view';
import { childrenText, OUTCOME_WORDS } from '../web/front-door/words';
import { requestEventContext } from './event-context';
import { createFrontDoorWork } from './front-door-work';
import { routes } from './routes';

/** The queue the page reads: far more than a front door holds undecided; past it, the page says only the soonest due are shown. */
export const QUEUE_READ_LIMIT = 500;
/** The latest reads a referral page lists (the rest stay in the log). */
export const RECENT_ACCESSES = 20;

export interface FrontDoorPagesOptions {
  renderer: PageRenderer;
  /** The case-holding teams a decision can choose (src/config.ts). */
  teams: readonly Team[];
}

const referralParams = z.object({ referralId: idSchema });
/** Query strings and forms as the handler parses them; the pages read them leniently (queue-view.ts, decision-form.ts). */
const lenient = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

/** A referral as a page shows it: what was read, with the read that was recorded, and the worker's Inbox count read with it. */
interface Shown {
  referral: StoredReferral;
  matches: KnownFamilyMatch[];
  accesses: ReferralAccess[];
  unreadCount: number;
}

/** What the screening page can offer the worker now. */
type ScreeningState = 'start' | 'mine' | 'another' | 'decided';

const screeningStateOf = (referral: Referral, userId: string): ScreeningState =>
  referral.status === 'decided'
    ? 'decided'
    : referral.status === 'in-screening'
      ? referral.screening?.startedBy === userId
        ? 'mine'
        : 'another'
      : 'start';

export function frontDoorPageRoutes(runtime: ServiceRuntime, options: FrontDoorPagesOptions): Route[] {
  const store = createReferralsStore(runtime.documents, runtime.tableName);
  const accessLog = createAccessLogStore(runtime.documents, runtime.tableName);
  const work = createFrontDoorWork(runtime);
  const unread = createUnreadProjection(runtime.documents, runtime.tableName);
  const { renderer, teams } = options;

  const page = (status: number, claims: PageClaims, unreadCount: number, view: WorkerPageView): HttpResult =>
    workerPageResult(renderer, { ...view, area: 'front-door', claims, unreadCount, status });

  /**
   * The referral a page shows, its read recorded (who, what, when, why) in the same round trip as
   * the read; the page then lists its own read whether or not the Query saw it.
   */
  async function show(referralId: string, claims: PageClaims, view: AccessView, requestId: string): Promise<Shown> {
    const access = frontDoorAccess(referralId, claims, view, runtime.clock(), requestId);
    const [, read, unreadCount] = await Promise.all([
      accessLog.record(access),
      accessLog.referralWithAccesses(referralId, RECENT_ACCESSES),
      unread.unreadCount(claims),
    ]);
    if (!read.referral) throw new NotFound(`There is no referral ${referralId}.`);
    const matches = await store.familyIndex.withCurrentState(read.referral.familyMatches ?? []);
    const listed = read.accesses.some((entry) => entry.requestId === access.requestId && entry.at === access.at);
    return {
      referral: read.referral,
      matches,
      accesses: listed ? read.accesses : [access, ...read.accesses].slice(0, RECENT_ACCESSES),
      unreadCount,
    };
  }

  /** What every form page shows of the referral above its form. */
  const summaryOf = (referral: Referral) => ({
    referralId: referral.referralId,
    reference: referral.reference,
    href: referralHref(referral.referralId),
    children: referral.children.map((child) => `${child.firstName} ${child.lastName}`),
    childCount: childrenText(referral.children.length),
    clock: clockView(decisionClock(referral, runtime.clock())),
  });

  function screeningPage(status: number, shown: Shown, claims: PageClaims, conflict?: string): HttpResult {
    const { referral } = shown;
    const state = screeningStateOf(referral, claims.userId);
    return page(status, claims, shown.unreadCount, {
      template: 'front-door/screening.njk',
      title: `Screen referral ${referral.reference}`,
      backLink: referralHref(referral.referralId),
      data: {
        referral: summaryOf(referral),
        state,
        ...(referral.screening
          ? { screening: { by: referral.screening.startedByName ?? 'another front door worker', at: referral.screening.startedAt } }
          : {}),
        ...(referral.decision ? { decision: decisionSummary(referral, shown.matches) } : {}),
        ...(conflict ? { conflict } : {}),
        csrfToken: claims.csrfToken,
        action: `${referralHref(referral.referralId)}/screening`,
        decisionHref: `${referralHref(referral.referralId)}/decision`,
      },
    });
  }

  function decisionSummary(referral: Referral, matches: readonly KnownFamilyMatch[]) {
    const decision = referral.decision;
    if (!decision) return undefined;
    const decisionCase = decisionCaseLink(referral, matches);
    return {
      outcome: OUTCOME_WORDS[decision.outcome],
      reason: decision.reason,
      at: decision.decidedAt,
      by: decision.decidedByName ?? 'another front door worker',
      ...(decision.teamId ? { team: teamName(teams, decision.teamId) } : {}),
      ...(decisionCase ? { case: decisionCase } : {}),
    };
  }

  interface DecisionPageState {
    values?: DecisionFormValues;
    errors?: FieldError[];
    /** The worker's decision lost to another: what they tried, to compare with what stands. */
    lost?: { outcome: string; reason: string };
    /** A message above the form: the referral kept changing while the decision was being saved. */
    changed?: boolean;
  }

  function decisionPage(status: number, shown: Shown, claims: PageClaims, state: DecisionPageState = {}): HttpResult {
    const { referral, matches } = shown;
    const cases: CaseChoice[] = caseChoices(referral, matches, teams);
    const errors = state.errors ?? [];
    const errorOf = Object.fromEntries(errors.map((error) => [error.field, error.text]));
    const title =
      referral.status === 'decided' ? `Decision on referral ${referral.reference}` : `Record the decision on ${referral.reference}`;
    return page(status, claims, shown.unreadCount, {
      template: 'front-door/decision.njk',
      title,
      backLink: referralHref(referral.referralId),
      hasErrors: errors.length > 0 || state.changed === true,
      data: {
        referral: summaryOf(referral),
        decided: referral.status === 'decided',
        ...(referral.decision ? { decision: decisionSummary(referral, shown.matches) } : {}),
        ...(state.lost ? { lost: state.lost } : {}),
        changed: state.changed === true,
        matches: matchViews(referral, matches),
        outcomes: offeredOutcomes(cases),
        teams,
        cases,
        values: state.values ?? {},
        errors: errors.map((error) => ({ text: error.text, href: `#${error.field}` })),
        errorOf,
        reasonMaxLength: REASON_MAX_LENGTH,
        csrfToken: claims.csrfToken,
        action: `${referralHref(referral.referralId)}/decision`,
      },
    });
  }

  const actorOf = (claims: PageClaims, now: Date) => ({ userId: claims.userId, name: claims.name ?? claims.username, now });

  return [
    defineRoute(routes.queuePage, {
      query: lenient,
      handle: async (request) => {
        const [entries, unreadCount] = await Promise.all([
          store.awaitingDecision(QUEUE_READ_LIMIT + 1),
          unread.unreadCount(request.claims),
        ]);
        const view = queueView(entries.slice(0, QUEUE_READ_LIMIT), queueFilterOf(request.query), runtime.clock(), {
          truncated: entries.length > QUEUE_READ_LIMIT,
        });
        return page(200, request.claims, unreadCount, {
          template: 'front-door/queue.njk',
          title: 'Referrals awaiting a decision',
          data: { ...view, readLimit: QUEUE_READ_LIMIT },
        });
      },
    }),

    defineRoute(routes.referralPage, {
      params: referralParams,
      query: lenient,
      handle: async (request) => {
        const { claims } = request;
        const shown = await show(request.params.referralId, claims, 'referral-page', request.requestId);
        const view = referralPageView(shown.referral, shown.matches, shown.accesses, {
          now: runtime.clock(),
          userId: claims.userId,
          teams,
        });
        const done = request.query.done;
        // Said only when it is so: an address copied with ?done= never claims what did not happen.
        const banner =
          done === 'decision' && shown.referral.decision
            ? 'decision'
            : done === 'screening' && shown.referral.status === 'in-screening' && view.screening?.mine
              ? 'screening'
              : undefined;
        return page(200, claims, shown.unreadCount, {
          template: 'front-door/referral.njk',
          title: `Referral ${shown.referral.reference}`,
          backLink: '/front-door',
          data: { ...view, ...(banner ? { banner } : {}) },
        });
      },
    }),

    defineRoute(routes.screeningPage, {
      params: referralParams,
      handle: async (request) =>
        screeningPage(200, await show(request.params.referralId, request.claims, 'screening-form', request.requestId), request.claims),
    }),

    defineRoute(routes.recordScreening, {
      params: referralParams,
      handle: async (request) => {
        const { claims } = request;
        const { referralId } = request.params;
        const result = await work.screen(referralId, actorOf(claims, runtime.clock()));
        if (result.kind === 'not-found') throw new NotFound(`There is no referral ${referralId}.`);
        if (result.kind === 'screening') return redirect(`${referralHref(referralId)}?done=screening`);
        // It changed under the worker: show it as it stands now, saying what happened.
        const shown = await show(referralId, claims, 'screening-form', request.requestId);
        const conflict =
          result.kind === 'kept-changing'
            ? 'The referral changed while you were picking it up. Check it and try again.'
            : shown.referral.status === 'decided'
              ? 'You did not start screening: the referral has been decided.'
              : 'You did not start screening: another front door worker picked the referral up first.';
        return screeningPage(409, shown, claims, conflict);
      },
    }),

    defineRoute(routes.decisionPage, {
      params: referralParams,
      handle: async (request) =>
        decisionPage(200, await show(request.params.referralId, request.claims, 'decision-form', request.requestId), request.claims),
    }),

    defineRoute(routes.recordDecision, {
      params: referralParams,
      body: lenient,
      acceptForm: true,
      handle: async (request) => {
        const { claims } = request;
        const { referralId } = request.params;
        const values = decisionFormValues(request.body);
        // Read to check the answers against what the referral offers (its matches' cases): not shown, so not recorded as a read.
        const referral = await store.get(referralId);
        if (!referral) throw new NotFound(`There is no referral ${referralId}.`);
        const matches = await store.familyIndex.withCurrentState(referral.familyMatches ?? []);
        const checked = checkDecisionForm(values, { teams, cases: caseChoices(referral, matches, teams) });
        if (!checked.ok) {
          return decisionPage(400, await show(referralId, claims, 'decision-form', request.requestId), claims, {
            values,
            errors: checked.errors,
          });
        }
        const now = runtime.clock();
        const result = await work.decide(referralId, checked.input, actorOf(claims, now), requestEventContext(request, now), referral);
        if (result.kind === 'not-found') throw new NotFound(`There is no referral ${referralId}.`);
        if (result.kind === 'decided') return redirect(`${referralHref(referralId)}?done=decision`);
        const shown = await show(referralId, claims, 'decision-form', request.requestId);
        if (result.kind === 'already-decided') {
          return decisionPage(409, shown, claims, {
            lost: { outcome: OUTCOME_WORDS[checked.input.outcome], reason: checked.input.reason },
          });
        }
        return decisionPage(409, shown, claims, { values, changed: true });
      },
    }),
  ];
}
