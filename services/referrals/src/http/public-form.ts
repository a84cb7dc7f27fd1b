/**
 * The public referral form (`/refer`): server-rendered GOV.UK pages that work without JavaScript.
 * Answers are kept in a server-side draft (src/store/drafts-store.ts) named by an HttpOnly cookie.
 * Showing the form writes nothing: the first page only sets the cookie, and the draft is written
 * when its first answers are saved. Every POST carries the CSRF token derived from the cookie's
 * draft id, checked before anything is read or written. The last step turns the answers into the
 * submission every channel shares and stores it through the one intake path (`receiveAndStore`,
 * channel 'form'), exactly once per draft however often "Send referral" is pressed.
 */
import { timingSafeEqual } from 'node:crypto';
import { defineRoute, type HttpRequest, type HttpResult, html, type Route, redirect } from '@fsp/shared/http/handler';
import type { KeyringSource } from '@fsp/shared/keyed-hash';
import type { Logger } from '@fsp/shared/observability/logger';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { londonDateOf } from '@fsp/shared/time/london';
import type { PageRenderer } from '@fsp/shared/web/page';
import * as z from 'zod/mini';
import { ANONYMOUS_SOURCE, formSubmissionSchema } from '../domain/submission';
import {
  createDraftsStore,
  csrfTokenFor,
  DRAFT_LIFETIME_SECONDS,
  type Draft,
  DraftAlreadySent,
  DraftChanged,
  newSecret,
  SENDING_LEASE_MS,
  unsavedDraft,
} from '../store/drafts-store';
import { createReferralsStore, type ReferralsStore } from '../store/referrals-store';
import { type ReferrerType, referrerTypeOf } from '../web/choices';
import * as pages from '../web/form-pages';
import {
  type DraftAnswers,
  FIRST_STEP,
  type FormError,
  firstIncompleteStep,
  isAnonymous,
  MAX_PEOPLE,
  one,
  parseAboutYou,
  parseAdult,
  parseChild,
  parseConcerns,
  parseConsent,
  parseReferralSource,
  parseReferrerType,
  parseYesNo,
  type RawForm,
  SOURCE_STEPS,
  type StepName,
  toSubmissionInput,
} from '../web/steps';
import { requestEventContext } from './event-context';
import { receiveAndStore } from './intake';
import { routes } from './routes';

export const DRAFT_COOKIE = 'fsp_referral';
const STEPS: readonly StepName[] = [
  'who-you-are',
  'professional',
  'member-of-the-public',
  'about-you',
  'children',
  'child',
  'adults',
  'adult',
  'what-is-happening',
  'consent',
  'check-your-answers',
];
const isStep = (step: string): step is StepName => (STEPS as readonly string[]).includes(step);
/** The questions about the referrer, which need no earlier answer: shown before a draft is written (the first writes it). */
const WHO_STEPS: ReadonlySet<StepName> = new Set(['who-you-are', 'professional', 'member-of-the-public']);
/** The second question's page, by the list it offers. */
const typeOfStep = (step: StepName): ReferrerType | undefined =>
  step === SOURCE_STEPS.professional ? 'professional' : step === SOURCE_STEPS.public ? 'public' : undefined;

const formBody = z.record(z.string(), z.union([z.string(), z.array(z.string())]));
/** How long a second "Send referral" waits for the first to finish before showing "being sent". */
const WAIT_FOR_SENDING_MS = 5_000;

type AnyRequest = HttpRequest<unknown, unknown, unknown, unknown>;

const go = (location: string, cookies?: string[]): HttpResult => ({
  ...redirect(location),
  headers: { location, 'cache-control': 'no-store' },
  ...(cookies ? { cookies } : {}),
});

function draftIdOf(request: AnyRequest): string | undefined {
  for (const cookie of request.cookies) {
    const at = cookie.indexOf('=');
    if (at > 0 && cookie.slice(0, at).trim() === DRAFT_COOKIE) {
      const value = cookie.slice(at + 1).trim();
      if (/^[A-Za-z0-9_-]{22}$/.test(value)) return value;
    }
  }
  return undefined;
}

/** HttpOnly (scripts never see it), SameSite=Lax (other sites' forms do not send it), Secure behind HTTPS. */
function draftCookie(request: AnyRequest, draftId: string): string {
  const secure = (request.headers['x-forwarded-proto'] ?? '').split(',')[0]?.trim() === 'https';
  return `${DRAFT_COOKIE}=${draftId}; Path=/refer; Max-Age=${DRAFT_LIFETIME_SECONDS}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}

function sameToken(sent: string | undefined, expected: string): boolean {
  if (!sent) return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const queryValue = (request: AnyRequest, name: string): string | undefined => {
  const value = (request.query as Record<string, string | string[]>)[name];
  return Array.isArray(value) ? value[0] : value;
};

/** `?n=` of a child or adult page: an existing person, or the next one to add. */
function personNumber(request: AnyRequest, count: number): number | undefined {
  const n = Number(queryValue(request, 'n') ?? '');
  return Number.isInteger(n) && n >= 1 && n <= Math.min(count + 1, MAX_PEOPLE) ? n : undefined;
}

const stepUrl = (next: { step: StepName; query?: string }) => `/refer/${next.step}${next.query ? `?${next.query}` : ''}`;

/**
 * `renderer` holds the form's templates (src/web/templates/refer) in the public layout, with "Exit
 * this page" on every page. The routes answer HTML (`errorsAsPages`): what the handler refuses for
 * them is a page too, never JSON, drawn by the function's `errorPages` (form-error-pages.ts `formErrorPages`).
 * `matchKeys`: the known-family index's keys (ADR 0021); the entry's read the secret in AWS.
 */
export function publicFormRoutes(runtime: ServiceRuntime, renderer: PageRenderer, matchKeys?: KeyringSource): Route[] {
  const store = createReferralsStore(runtime.documents, runtime.tableName, matchKeys);
  const drafts = createDraftsStore(runtime.documents, runtime.tableName);

  const page = (status: number, view: pages.FormPage, cookies?: string[]): HttpResult => ({
    ...html(status, renderer.renderPage(view.template, view.layout, view.data), { ...renderer.headers }),
    ...(cookies ? { cookies } : {}),
  });

  /**
   * Gives the sending claim up after intake failed (nothing was stored), so that "Send referral"
   * can send at once. If even that fails, the claim lapses after SENDING_LEASE_MS and the next
   * press takes it over: the referrer is answered with the intake's failure, and the release's is
   * logged here.
   */
  async function releaseAfterFailure(draft: Draft, logger: Logger): Promise<void> {
    try {
      const released = await drafts.releaseSending(draft);
      if (!released) logger.warn('form draft had no sending claim to release: it expired or its referral is recorded');
    } catch (error) {
      logger.error('form draft sending claim not released; it lapses on its own', {
        leaseMs: SENDING_LEASE_MS,
        error: error instanceof Error ? error : new Error(String(error)),
      });
    }
  }

  const loadDraft = async (request: AnyRequest, now: Date): Promise<Draft | undefined> => {
    const draftId = draftIdOf(request);
    return draftId ? drafts.get(draftId, now) : undefined;
  };

  /** Where someone with these answers goes next: the first step still to answer, else check your answers. */
  const nextUrl = (answers: DraftAnswers) => stepUrl(firstIncompleteStep(answers) ?? { step: 'check-your-answers' });
  /** The second question about the referrer, for the list the answer came from. */
  const sourceStepOf = (answers: DraftAnswers) =>
    answers.referralSource ? `/refer/${SOURCE_STEPS[referrerTypeOf(answers.referralSource)]}` : `/refer/${FIRST_STEP}`;
  /** The page before the first child: an anonymous referrer was not asked about themselves. */
  const beforeChildren = (answers: DraftAnswers) => (isAnonymous(answers) ? sourceStepOf(answers) : '/refer/about-you');

  /** The page of a step, from what the draft holds (GET) or what was just posted (a POST with errors). */
  function render(request: AnyRequest, draft: Draft, step: StepName, values?: RawForm, errors: readonly FormError[] = []): HttpResult {
    const answers = draft.answers;
    const from = queryValue(request, 'from') === 'check';
    const suffix = from ? 'from=check' : '';
    const ctx = (action: string, backLink: string | undefined, stored: RawForm): pages.FormContext => ({
      csrfToken: draft.csrfToken,
      action,
      backLink: from ? '/refer/check-your-answers' : backLink,
      errors,
      values: values ?? stored,
    });
    const status = errors.length > 0 ? 400 : 200;
    switch (step) {
      case 'who-you-are':
        return page(
          status,
          pages.whoYouArePage(
            ctx(
              `/refer/who-you-are${suffix ? `?${suffix}` : ''}`,
              '/refer',
              answers.referralSource ? { referrerType: referrerTypeOf(answers.referralSource) } : {},
            ),
          ),
        );
      case 'professional':
      case 'member-of-the-public': {
        const type = typeOfStep(step) as ReferrerType;
        const source = answers.referralSource;
        const view = pages.whichDescribesYouPage(
          {
            ...ctx(`/refer/${step}${suffix ? `?${suffix}` : ''}`, '/refer/who-you-are', {}),
            // Back to the first question, still on the way back to check your answers.
            backLink: `/refer/who-you-are${suffix ? `?${suffix}` : ''}`,
            values: values ?? (source && referrerTypeOf(source) === type ? { referralSource: source } : {}),
          },
          type,
        );
        return page(status, view);
      }
      case 'about-you':
        // An anonymous referrer is not asked for contact details.
        if (isAnonymous(answers)) return go(from ? '/refer/check-your-answers' : nextUrl(answers));
        return page(
          status,
          pages.aboutYouPage(
            ctx(`/refer/about-you${suffix ? `?${suffix}` : ''}`, sourceStepOf(answers), (answers.aboutYou ?? {}) as RawForm),
          ),
        );
      case 'child': {
        const n = personNumber(request, answers.children.length);
        if (n === undefined) return go('/refer/children');
        const back = answers.children.length > 0 ? '/refer/children' : beforeChildren(answers);
        return page(
          status,
          pages.childPage(ctx(`/refer/child?n=${n}${suffix ? `&${suffix}` : ''}`, back, pages.childValues(answers.children[n - 1])), n),
        );
      }
      case 'children':
        if (answers.children.length === 0) return go('/refer/child?n=1');
        return page(
          status,
          pages.childrenPage(ctx('/refer/children', beforeChildren(answers), {}), answers.children, answers.children.length < MAX_PEOPLE),
        );
      case 'adults':
        return page(
          status,
          pages.adultsPage(
            ctx(
              '/refer/adults',
              '/refer/children',
              answers.adultsKnown && answers.adults.length === 0 ? { adultsKnown: answers.adultsKnown } : {},
            ),
            answers.adults,
            answers.adults.length < MAX_PEOPLE,
          ),
        );
      case 'adult': {
        const n = personNumber(request, answers.adults.length);
        if (n === undefined) return go('/refer/adults');
        return page(
          status,
          pages.adultPage(
            ctx(`/refer/adult?n=${n}${suffix ? `&${suffix}` : ''}`, '/refer/adults', pages.adultValues(answers.adults[n - 1])),
            n,
          ),
        );
      }
      case 'what-is-happening': {
        const c = answers.concerns;
        const stored: RawForm = c ? { whatHappened: c.whatHappened, whyNow: c.whyNow, factors: c.factors } : {};
        return page(status, pages.concernsPage(ctx(`/refer/what-is-happening${suffix ? `?${suffix}` : ''}`, '/refer/adults', stored)));
      }
      case 'consent':
        return page(
          status,
          pages.consentPage(
            ctx(`/refer/consent${suffix ? `?${suffix}` : ''}`, '/refer/what-is-happening', (answers.consent ?? {}) as RawForm),
          ),
        );
      case 'check-your-answers': {
        const missing = firstIncompleteStep(answers);
        if (missing) return go(stepUrl(missing));
        return page(200, pages.checkAnswersPage(ctx('/refer/check-your-answers', '/refer/consent', {}), answers));
      }
    }
  }

  /**
   * Saves the answers and goes on; a draft changed meanwhile (another tab) shows the step again as
   * it now is. The first save writes the draft, and sets its cookie again to live as long as it does.
   */
  async function saveAndGo(request: AnyRequest, draft: Draft, answers: DraftAnswers, location: string, now: Date): Promise<HttpResult> {
    try {
      await drafts.saveAnswers(draft, answers, now);
    } catch (error) {
      if (error instanceof DraftChanged) {
        return page(
          409,
          pages.problemPage(
            'Your answers changed in another window',
            'Your answers were changed in another window or tab, so this page was not saved. Go back, check the page and continue again.',
          ),
        );
      }
      throw error;
    }
    return go(location, draft.version === 0 ? [draftCookie(request, draft.draftId)] : undefined);
  }

  async function send(request: AnyRequest, draft: Draft, now: Date): Promise<HttpResult> {
    const missing = firstIncompleteStep(draft.answers);
    if (missing) return go(stepUrl(missing));
    const parsed = z.safeParse(formSubmissionSchema, toSubmissionInput(draft.answers));
    if (!parsed.success) {
      // Each step's own checks make this unreachable; if it happens, the paths say which rule differs.
      request.logger.error('form answers do not make a valid submission', { fields: parsed.error.issues.map((i) => i.path.join('.')) });
      return page(
        500,
        pages.problemPage('Sorry, there is a problem with the service', 'Your referral has not been sent. Try again later.'),
      );
    }
    if (!(await drafts.claimSending(draft, now))) {
      // Pressed twice, or back and send again: the first request sends; this one shows its result.
      const deadline = Date.now() + WAIT_FOR_SENDING_MS;
      while (Date.now() < deadline) {
        const current = await drafts.get(draft.draftId, runtime.clock());
        if (!current || current.referralId || !current.sendingSince) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return go('/refer/confirmation');
    }
    // The draft records its referral in the referral's own transaction, on the condition that it
    // names none yet: a press whose claim lapsed while an earlier one was still storing (its answer
    // lost to a deadline or a dropped connection) cannot store the referral a second time.
    const guarded: ReferralsStore = {
      ...store,
      saveNew: (referral, events, at, extraWrites) =>
        store.saveNew(referral, events, at, extraWrites, [
          {
            write: drafts.sentWrite(draft, { ...referral, anonymous: referral.referralSource === ANONYMOUS_SOURCE }),
            whenConditionFails: () => new DraftAlreadySent(),
          },
        ]),
    };
    let referral: Awaited<ReturnType<typeof receiveAndStore>>;
    try {
      referral = await receiveAndStore(guarded, {
        submission: parsed.data,
        channel: 'form',
        now,
        events: requestEventContext(request, now),
        logger: request.logger,
      });
    } catch (error) {
      if (error instanceof DraftAlreadySent) {
        request.logger.warn('form referral already stored from this draft; showing its confirmation');
        return go('/refer/confirmation');
      }
      // Nothing was stored: trying again may send.
      await releaseAfterFailure(draft, request.logger);
      throw error;
    }
    request.logger.info('form referral received', { referralId: referral.referralId, reference: referral.reference });
    return go('/refer/confirmation');
  }

  async function accept(request: AnyRequest, draft: Draft, step: StepName, form: RawForm, now: Date): Promise<HttpResult> {
    const answers = draft.answers;
    const today = londonDateOf(now);
    const fromCheck = queryValue(request, 'from') === 'check';
    const onward = (answersNow: DraftAnswers) => (fromCheck ? '/refer/check-your-answers' : nextUrl(answersNow));
    const invalid = (errors: FormError[]) => render(request, draft, step, form, errors);
    const save = (next: DraftAnswers, location: string) => saveAndGo(request, draft, next, location, now);

    switch (step) {
      case 'who-you-are': {
        // Only which list to ask from: nothing is saved until the source itself is chosen.
        const result = parseReferrerType(form);
        if (!result.ok) return invalid(result.errors);
        return go(`/refer/${SOURCE_STEPS[result.answers]}${fromCheck ? '?from=check' : ''}`);
      }
      case 'professional':
      case 'member-of-the-public': {
        const result = parseReferralSource(form, typeOfStep(step) as ReferrerType);
        if (!result.ok) return invalid(result.errors);
        // Referring anonymously drops any contact details given before: none are kept (DOMAIN.md, Referrals 5).
        const { aboutYou: _dropped, ...rest } = answers;
        const next: DraftAnswers =
          result.answers === ANONYMOUS_SOURCE
            ? { ...rest, referralSource: result.answers }
            : { ...answers, referralSource: result.answers };
        return save(next, onward(next));
      }
      case 'about-you': {
        // A page from before the referrer chose to be anonymous: nothing to save, nothing kept.
        if (isAnonymous(answers)) return go(onward(answers));
        const result = parseAboutYou(form);
        if (!result.ok) return invalid(result.errors);
        const next = { ...answers, aboutYou: result.answers };
        return save(next, onward(next));
      }
      case 'child': {
        const n = personNumber(request, answers.children.length);
        if (n === undefined) return go('/refer/children');
        const result = parseChild(form, today);
        if (!result.ok) return invalid(result.errors);
        const children = [...answers.children];
        children[n - 1] = result.answers;
        return save({ ...answers, children }, fromCheck ? '/refer/check-your-answers' : '/refer/children');
      }
      case 'children': {
        const remove = Number(one(form, 'remove'));
        if (Number.isInteger(remove) && remove >= 1 && remove <= answers.children.length) {
          const children = answers.children.filter((_, i) => i !== remove - 1);
          return save({ ...answers, children }, children.length > 0 ? '/refer/children' : '/refer/child?n=1');
        }
        if (answers.children.length === 0) return go('/refer/child?n=1');
        if (answers.children.length >= MAX_PEOPLE) return go(onward(answers));
        const result = parseYesNo(form, 'addAnother', 'Select yes if you need to add another child');
        if (!result.ok) return invalid(result.errors);
        return result.answers === 'yes' ? go(`/refer/child?n=${answers.children.length + 1}`) : go(onward(answers));
      }
      case 'adults': {
        if (answers.adults.length === 0) {
          const result = parseYesNo(form, 'adultsKnown', 'Select yes if you can tell us about the adults in the household');
          if (!result.ok) return invalid(result.errors);
          const next: DraftAnswers = { ...answers, adultsKnown: result.answers, adults: [] };
          return save(next, result.answers === 'yes' ? '/refer/adult?n=1' : onward(next));
        }
        const remove = Number(one(form, 'remove'));
        if (Number.isInteger(remove) && remove >= 1 && remove <= answers.adults.length) {
          const adults = answers.adults.filter((_, i) => i !== remove - 1);
          const { adultsKnown: _, ...rest } = answers;
          // With the last adult removed, the question whether there are any is asked again.
          return save(adults.length > 0 ? { ...answers, adults } : { ...rest, adults }, '/refer/adults');
        }
        if (answers.adults.length >= MAX_PEOPLE) return go(onward(answers));
        const result = parseYesNo(form, 'addAnother', 'Select yes if you need to add another adult');
        if (!result.ok) return invalid(result.errors);
        return result.answers === 'yes' ? go(`/refer/adult?n=${answers.adults.length + 1}`) : go(onward(answers));
      }
      case 'adult': {
        const n = personNumber(request, answers.adults.length);
        if (n === undefined) return go('/refer/adults');
        const result = parseAdult(form, today);
        if (!result.ok) return invalid(result.errors);
        const adults = [...answers.adults];
        adults[n - 1] = result.answers;
        return save({ ...answers, adultsKnown: 'yes', adults }, fromCheck ? '/refer/check-your-answers' : '/refer/adults');
      }
      case 'what-is-happening': {
        const result = parseConcerns(form);
        if (!result.ok) return invalid(result.errors);
        const next = { ...answers, concerns: result.answers };
        return save(next, onward(next));
      }
      case 'consent': {
        const result = parseConsent(form);
        if (!result.ok) return invalid(result.errors);
        const next = { ...answers, consent: result.answers };
        return save(next, onward(next));
      }
      case 'check-your-answers':
        return send(request, draft, now);
    }
  }

  const notFound = () => page(404, pages.problemPage('Page not found', 'If you typed the web address, check it is correct.'));

  return [
    defineRoute(routes.formStart, {
      errorsAsPages: true,
      handle: async () => page(200, pages.startPage()),
    }),
    defineRoute(routes.formConfirmation, {
      errorsAsPages: true,
      handle: async (request) => {
        const draft = await loadDraft(request, runtime.clock());
        if (draft?.referralId && draft.reference) {
          return page(200, pages.confirmationPage(draft.reference, { anonymous: draft.anonymous === true }));
        }
        if (draft?.sendingSince) return page(200, pages.sendingPage());
        return go('/refer');
      },
    }),
    defineRoute(routes.formStep, {
      errorsAsPages: true,
      handle: async (request) => {
        const step = (request.params as Record<string, string>).step ?? '';
        if (!isStep(step)) return notFound();
        const now = runtime.clock();
        const draftId = draftIdOf(request);
        const draft = draftId ? await drafts.get(draftId, now) : undefined;
        if (!draft) {
          // A first visit, or nothing saved yet: the first page, and the cookie naming the draft to be
          // (the same id while it has one, so two tabs share it). Nothing is written until answers are.
          const unsaved = unsavedDraft(draftId ?? newSecret());
          const cookie = [draftCookie(request, unsaved.draftId)];
          return WHO_STEPS.has(step) ? { ...render(request, unsaved, step), cookies: cookie } : go(`/refer/${FIRST_STEP}`, cookie);
        }
        if (draft.referralId || draft.sendingSince) return go('/refer/confirmation');
        return render(request, draft, step);
      },
    }),
    defineRoute(routes.formAnswer, {
      errorsAsPages: true,
      body: formBody,
      acceptForm: true,
      handle: async (request) => {
        const step = (request.params as Record<string, string>).step ?? '';
        if (!isStep(step)) return notFound();
        const now = runtime.clock();
        const draftId = draftIdOf(request);
        if (!draftId) {
          return page(
            400,
            pages.problemPage(
              'Your answers have expired',
              'We keep your answers for 24 hours. They have been deleted, or your browser did not send them back. Your referral has not been sent. Start again.',
            ),
          );
        }
        const form = request.body as RawForm;
        // Checked before the draft is read: a forged post costs no read and can write nothing.
        if (!sameToken(one(form, 'csrfToken'), csrfTokenFor(draftId))) {
          return page(
            403,
            pages.problemPage(
              'Sorry, your answers could not be saved',
              'The form you sent did not come from this page. Go back, reload the page and try again.',
            ),
          );
        }
        // No draft yet: this post's answers, if valid, are its first (the cookie and token came from the first page).
        const draft = (await drafts.get(draftId, now)) ?? unsavedDraft(draftId);
        if (draft.referralId || (draft.sendingSince && step !== 'check-your-answers')) return go('/refer/confirmation');
        return accept(request, draft, step, form, now);
      },
    }),
  ];
}
