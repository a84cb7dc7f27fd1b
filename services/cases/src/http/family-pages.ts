/**
 * The pages of a case's family network and summary (routes.ts; issue 12 Deliver 1, 5; WEB.md):
 *
 * - /cases/{caseId}/family: the network, each person a summary card;
 * - /cases/{caseId}/family/{group}/new, …/{personId}/edit, …/{personId}/remove: the forms that
 *   add, correct and remove someone ({group}: children, adults, wider-family, professionals);
 * - /cases/{caseId}/summary: the case summary's form.
 *
 * Each reads the case file (one Query of the case's partition) with the worker's Inbox count, in one
 * round; a case the worker may not see answers exactly as a missing one; a page that shows the
 * record is audited before it is answered. Forms post with the session's CSRF token (checked by the
 * handler) and the version they were opened at: a refused answer is the form again with GOV.UK's
 * error summary and what was typed; a change made from a version someone else has since changed
 * is the form again (409) saying so, with what the record says now, and nothing is written; a saved
 * change redirects (303) to the page that shows it.
 */
import { randomUUID } from 'node:crypto';
import type { RawQuery } from '@fsp/shared/http/handler';
import { defineRoute, type HttpResult, type Route } from '@fsp/shared/http/handler';
import type { PageClaims } from '@fsp/shared/http/page-session';
import { createUnreadProjection } from '@fsp/shared/inbox/unread-projection';
import type { HttpRoute } from '@fsp/shared/manifest';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import type { PageRenderer } from '@fsp/shared/web/page';
import { seeOther, workerPageResult } from '@fsp/shared/web/page-result';
import * as z from 'zod/mini';
import type { NetworkGroup, NetworkPerson } from '../domain/family-network';
import { SUMMARY_MAX_LENGTH, summaryTextSchema } from '../domain/summary';
import type { CaseFile } from '../store/case-store';
import type { NetworkItem } from '../store/items/network';
import { caseHeaderView, summaryView } from '../web/case-view';
import {
  changeFromForm,
  childFormChoices,
  type FormError,
  type FormValues,
  fieldOfPath,
  formValuesOf,
  personFormValues,
  relationshipChoices,
  removalFromForm,
} from '../web/family-form';
import { familyPageView, GROUP_NOUNS, GROUP_SLUGS, groupOfSlug, type PersonCardView, personName } from '../web/family-view';
import { noSuchCasePage } from './break-glass-pages';
import { createCaseGate, routeKeyOf } from './case-access';
import { CASE_ID, caseParams, first, formErrorsData, lenient, type Problem, problemPage, versionOf } from './case-page-common';
import { actorOf, currentNetworkOf, type FamilyRecordAccess, familyRecordAccess } from './family-record-access';
import { createFamilyRecordWork } from './family-record-work';
import { routes } from './routes';

/** The domain's limit on a removal's reason (family-network.ts). */
const REMOVAL_REASON_MAX_LENGTH = 500;

const groupParams = z.lazy(() => z.object({ caseId: z.string(), group: z.string() }));
const personParams = z.lazy(() => z.object({ caseId: z.string(), group: z.string(), personId: z.string() }));

const NO_SUCH_PAGE: Problem = {
  heading: 'Page not found',
  paragraphs: ['The link you followed may be wrong.'],
  link: { href: '/cases', text: 'Go to your team’s cases' },
};

const CANNOT_CHANGE: Problem = {
  heading: 'You can read this case but not change it',
  paragraphs: ['Only the workers on the case and its team can change its family network and summary.'],
  link: { href: '/cases', text: 'Go to your team’s cases' },
};

const personGone = (caseId: string): Problem => ({
  heading: 'That person is no longer in the family network',
  paragraphs: ['Someone may have removed them since you opened the link.'],
  link: { href: `/cases/${caseId}/family`, text: 'Go to the family and network' },
});

const newPersonId = (group: NetworkGroup): string =>
  `${{ children: 'child', adults: 'adult', widerFamily: 'person', professionals: 'professional' }[group]}-${randomUUID()}`;

const findPerson = (item: NetworkItem, group: NetworkGroup, personId: string): NetworkPerson | undefined =>
  (item.network[group] as NetworkPerson[]).find((person) => person.personId === personId);

interface Opened {
  file: CaseFile;
  access: FamilyRecordAccess;
  unreadCount: number;
}

export function familyPageRoutes(runtime: Pick<ServiceRuntime, 'documents' | 'tableName' | 'clock'>, renderer: PageRenderer): Route[] {
  const gate = createCaseGate(runtime);
  const unread = createUnreadProjection(runtime.documents, runtime.tableName);
  const work = createFamilyRecordWork(runtime);

  /**
   * The case file and the Inbox count in one round, the read (or its denial) audited
   * (http/case-access.ts); a problem page when the worker may not see (or, `forChange`, change) the case.
   */
  async function open(
    caseId: string,
    claims: PageClaims,
    forChange: boolean,
    requestId: string,
    route: HttpRoute,
  ): Promise<Opened | HttpResult> {
    const [opened, unreadCount] = await Promise.all([
      CASE_ID.test(caseId) ? gate.open({ caseId, reader: claims, requestId, what: routeKeyOf(route) }) : undefined,
      unread.unreadCount(claims),
    ]);
    if (!opened) return noSuchCasePage(renderer, claims, unreadCount, caseId);
    const access = familyRecordAccess(opened.access);
    if (forChange && !access.mayChange) return problemPage(renderer, claims, unreadCount, CANNOT_CHANGE, 403);
    return { file: opened.file, access, unreadCount };
  }
  const isPage = (opened: Opened | HttpResult): opened is HttpResult => 'status' in opened;

  /** What a page shows of the record was audited when the case was opened, before anything is answered. */
  const shown = async (_opened: Opened, _claims: PageClaims, _requestId: string, result: HttpResult): Promise<HttpResult> => result;

  const familyHref = (caseId: string) => `/cases/${caseId}/family`;
  const caption = (file: CaseFile) => `Case ${file.record.reference}`;

  /** The card the family page shows for a person, for the forms that show what the record says. */
  function cardOf(item: NetworkItem, caseId: string, group: NetworkGroup, personId: string): PersonCardView | undefined {
    const view = familyPageView(item, caseId, { now: runtime.clock(), mayChange: false });
    return view.groups.find((entry) => entry.group === group)?.people.find((person) => person.personId === personId);
  }

  interface FormPage {
    template: string;
    heading: string;
    backLink: string;
    action: string;
    values: FormValues;
    errors: readonly FormError[];
    version: number;
    stale: boolean | undefined;
    /** What else the template shows. */
    more: Record<string, unknown>;
  }

  /** A form of the case's record, titled by its heading and the case, with GOV.UK's error summary when refused or stale. */
  function formPage(opened: Opened, claims: PageClaims, status: number, form: FormPage): HttpResult {
    const { heading, errors } = form;
    return workerPageResult(renderer, {
      template: form.template,
      title: `${heading} – ${caption(opened.file)}`,
      area: 'cases',
      claims,
      unreadCount: opened.unreadCount,
      status,
      backLink: form.backLink,
      hasErrors: errors.length > 0 || form.stale === true,
      data: {
        caption: caption(opened.file),
        heading,
        action: form.action,
        values: form.values,
        ...formErrorsData(errors),
        version: form.version,
        stale: form.stale === true,
        ...form.more,
      },
    });
  }

  interface PersonFormState {
    kind: 'add' | 'correct';
    group: NetworkGroup;
    item: NetworkItem;
    personId?: string;
    values: FormValues;
    errors?: FormError[];
    stale?: boolean;
  }

  function personForm(opened: Opened, claims: PageClaims, status: number, state: PersonFormState): HttpResult {
    const { file } = opened;
    const { kind, group, item } = state;
    const caseId = file.record.caseId;
    const existing = state.personId ? findPerson(item, group, state.personId) : undefined;
    const heading =
      kind === 'add'
        ? `Add ${group === 'adults' ? 'an' : 'a'} ${GROUP_NOUNS[group].one}`
        : `Correct ${existing ? personName(group, existing) : 'their details'}`;
    const current = state.stale && state.personId ? cardOf(item, caseId, group, state.personId) : undefined;
    return formPage(opened, claims, status, {
      template: 'family-person.njk',
      heading,
      backLink: familyHref(caseId),
      action:
        kind === 'add'
          ? `${familyHref(caseId)}/${GROUP_SLUGS[group]}/new`
          : `${familyHref(caseId)}/${GROUP_SLUGS[group]}/${state.personId}/edit`,
      values: state.values,
      errors: state.errors ?? [],
      version: item.version,
      stale: state.stale,
      more: {
        group,
        kind,
        ...(current ? { current } : {}),
        choices: childFormChoices,
        relationships: relationshipChoices(item.network),
        cancelHref: `${familyHref(caseId)}#${GROUP_SLUGS[group]}`,
        submitText: kind === 'add' ? 'Add to the family network' : 'Save the correction',
      },
    });
  }

  interface RemoveFormState {
    group: NetworkGroup;
    item: NetworkItem;
    person: PersonCardView;
    values: FormValues;
    errors?: FormError[];
    stale?: boolean;
  }

  function removeForm(opened: Opened, claims: PageClaims, status: number, state: RemoveFormState): HttpResult {
    const { file } = opened;
    const caseId = file.record.caseId;
    return formPage(opened, claims, status, {
      template: 'family-remove.njk',
      heading: `Remove ${state.person.name} from the family network`,
      backLink: familyHref(caseId),
      action: `${familyHref(caseId)}/${GROUP_SLUGS[state.group]}/${state.person.personId}/remove`,
      values: state.values,
      errors: state.errors ?? [],
      version: state.item.version,
      stale: state.stale,
      more: {
        person: state.person,
        reasonMaxLength: REMOVAL_REASON_MAX_LENGTH,
        cancelHref: `${familyHref(caseId)}#${GROUP_SLUGS[state.group]}`,
      },
    });
  }

  interface SummaryFormState {
    values: FormValues;
    version: number;
    errors?: FormError[];
    stale?: boolean;
  }

  function summaryForm(opened: Opened, claims: PageClaims, status: number, state: SummaryFormState): HttpResult {
    const { file } = opened;
    const caseId = file.record.caseId;
    return formPage(opened, claims, status, {
      template: 'summary.njk',
      heading: file.summary ? 'Change the case summary' : 'Write the case summary',
      backLink: `/cases/${caseId}`,
      action: `/cases/${caseId}/summary`,
      values: state.values,
      errors: state.errors ?? [],
      version: state.version,
      stale: state.stale,
      more: {
        ...(file.summary ? { current: summaryView(file.summary) } : {}),
        maxLength: SUMMARY_MAX_LENGTH,
        cancelHref: `/cases/${caseId}`,
      },
    });
  }

  /** The banner after a change, said only when it is so (an address copied with ?done= claims nothing). */
  function doneBanner(item: NetworkItem, query: RawQuery, claims: PageClaims): { text: string } | undefined {
    const done = first(query.done);
    const personId = first(query.person);
    if (item.updatedBy?.userId !== claims.userId || !personId) return undefined;
    const found = (Object.keys(GROUP_SLUGS) as NetworkGroup[]).flatMap((group) => {
      const person = findPerson(item, group, personId);
      return person ? [{ group, person }] : [];
    })[0];
    if (done === 'removed')
      return found ? undefined : { text: 'They have been removed from the family network. The record keeps what it said of them.' };
    if (!found) return undefined;
    const name = personName(found.group, found.person);
    if (done === 'added') return { text: `${name} has been added to the family network.` };
    if (done === 'corrected') return { text: `${name}’s details have been corrected.` };
    return undefined;
  }

  return [
    defineRoute(routes.familyPage, {
      params: caseParams,
      query: lenient,
      handle: async ({ params, query, claims, requestId }) => {
        const opened = await open(params.caseId, claims, false, requestId, routes.familyPage);
        if (isPage(opened)) return opened;
        const { file, access } = opened;
        const item = currentNetworkOf(file);
        const done = doneBanner(item, query, claims);
        return shown(
          opened,
          claims,
          requestId,
          workerPageResult(renderer, {
            template: 'family.njk',
            title: `Family and network – ${caption(file)}`,
            area: 'cases',
            claims,
            unreadCount: opened.unreadCount,
            data: {
              caseHeader: caseHeaderView(file.record, 'family'),
              family: familyPageView(item, file.record.caseId, { now: runtime.clock(), mayChange: access.mayChange }),
              ...(done ? { done } : {}),
            },
          }),
        );
      },
    }),

    defineRoute(routes.familyAddForm, {
      params: groupParams,
      handle: async ({ params, claims, requestId }) => {
        const opened = await open(params.caseId, claims, true, requestId, routes.familyAddForm);
        if (isPage(opened)) return opened;
        const group = groupOfSlug(params.group);
        if (!group) return problemPage(renderer, claims, opened.unreadCount, NO_SUCH_PAGE);
        const item = currentNetworkOf(opened.file);
        const values = formValuesOf(group, {}, item.network);
        return shown(opened, claims, requestId, personForm(opened, claims, 200, { kind: 'add', group, item, values }));
      },
    }),

    defineRoute(routes.familyAdd, {
      params: groupParams,
      body: lenient,
      acceptForm: true,
      handle: async ({ params, body, claims, requestId }) => {
        const opened = await open(params.caseId, claims, true, requestId, routes.familyAdd);
        if (isPage(opened)) return opened;
        const group = groupOfSlug(params.group);
        if (!group) return problemPage(renderer, claims, opened.unreadCount, NO_SUCH_PAGE);
        const { file } = opened;
        const item = currentNetworkOf(file);
        const values = formValuesOf(group, body, item.network);
        const version = versionOf(first(body.version));
        if (version !== item.version) {
          return shown(opened, claims, requestId, personForm(opened, claims, 409, { kind: 'add', group, item, values, stale: true }));
        }
        const personId = newPersonId(group);
        const parsed = changeFromForm('add', group, values, item.network, personId);
        if (!parsed.ok) {
          return shown(
            opened,
            claims,
            requestId,
            personForm(opened, claims, 400, { kind: 'add', group, item, values, errors: parsed.errors }),
          );
        }
        const outcome = await work.changeFamilyNetwork(file, version, parsed.change, actorOf(claims), runtime.clock());
        if (outcome.kind === 'saved')
          return seeOther(`${familyHref(file.record.caseId)}?done=added&person=${encodeURIComponent(personId)}#${GROUP_SLUGS[group]}`);
        if (outcome.kind === 'refused') {
          const errors = [{ ...fieldOfPath(group, outcome.issue.path), text: outcome.issue.message }];
          return shown(opened, claims, requestId, personForm(opened, claims, 400, { kind: 'add', group, item, values, errors }));
        }
        if (!outcome.current) return noSuchCasePage(renderer, claims, opened.unreadCount, opened.file.record.caseId);
        return shown(
          opened,
          claims,
          requestId,
          personForm(opened, claims, 409, { kind: 'add', group, item: outcome.current, values, stale: true }),
        );
      },
    }),

    defineRoute(routes.familyCorrectForm, {
      params: personParams,
      handle: async ({ params, claims, requestId }) => {
        const opened = await open(params.caseId, claims, true, requestId, routes.familyCorrectForm);
        if (isPage(opened)) return opened;
        const group = groupOfSlug(params.group);
        if (!group) return problemPage(renderer, claims, opened.unreadCount, NO_SUCH_PAGE);
        const item = currentNetworkOf(opened.file);
        const person = findPerson(item, group, params.personId);
        if (!person) return problemPage(renderer, claims, opened.unreadCount, personGone(opened.file.record.caseId));
        const values = personFormValues(group, person, item.network);
        return shown(
          opened,
          claims,
          requestId,
          personForm(opened, claims, 200, { kind: 'correct', group, item, personId: person.personId, values }),
        );
      },
    }),

    defineRoute(routes.familyCorrect, {
      params: personParams,
      body: lenient,
      acceptForm: true,
      handle: async ({ params, body, claims, requestId }) => {
        const opened = await open(params.caseId, claims, true, requestId, routes.familyCorrect);
        if (isPage(opened)) return opened;
        const group = groupOfSlug(params.group);
        if (!group) return problemPage(renderer, claims, opened.unreadCount, NO_SUCH_PAGE);
        const { file } = opened;
        const caseId = file.record.caseId;
        const item = currentNetworkOf(file);
        const existing = findPerson(item, group, params.personId);
        if (!existing) return problemPage(renderer, claims, opened.unreadCount, personGone(caseId));
        const personId = existing.personId;
        const values = formValuesOf(group, body, item.network);
        const state = { kind: 'correct' as const, group, item, personId, values };
        if (versionOf(first(body.version)) !== item.version)
          return shown(opened, claims, requestId, personForm(opened, claims, 409, { ...state, stale: true }));
        const parsed = changeFromForm('correct', group, values, item.network, personId, existing);
        if (!parsed.ok) return shown(opened, claims, requestId, personForm(opened, claims, 400, { ...state, errors: parsed.errors }));
        const outcome = await work.changeFamilyNetwork(file, item.version, parsed.change, actorOf(claims), runtime.clock());
        if (outcome.kind === 'saved')
          return seeOther(`${familyHref(caseId)}?done=corrected&person=${encodeURIComponent(personId)}#${GROUP_SLUGS[group]}`);
        if (outcome.kind === 'refused') {
          const errors = [{ ...fieldOfPath(group, outcome.issue.path), text: outcome.issue.message }];
          return shown(opened, claims, requestId, personForm(opened, claims, 400, { ...state, errors }));
        }
        if (!outcome.current) return noSuchCasePage(renderer, claims, opened.unreadCount, opened.file.record.caseId);
        if (!findPerson(outcome.current, group, personId)) return problemPage(renderer, claims, opened.unreadCount, personGone(caseId));
        return shown(opened, claims, requestId, personForm(opened, claims, 409, { ...state, item: outcome.current, stale: true }));
      },
    }),

    defineRoute(routes.familyRemoveForm, {
      params: personParams,
      handle: async ({ params, claims, requestId }) => {
        const opened = await open(params.caseId, claims, true, requestId, routes.familyRemoveForm);
        if (isPage(opened)) return opened;
        const group = groupOfSlug(params.group);
        // A child leaves a case by a decision about the case, never by a change of its network.
        if (!group || group === 'children') return problemPage(renderer, claims, opened.unreadCount, NO_SUCH_PAGE);
        const caseId = opened.file.record.caseId;
        const item = currentNetworkOf(opened.file);
        const person = cardOf(item, caseId, group, params.personId);
        if (!person) return problemPage(renderer, claims, opened.unreadCount, personGone(caseId));
        return shown(opened, claims, requestId, removeForm(opened, claims, 200, { group, item, person, values: { reason: '' } }));
      },
    }),

    defineRoute(routes.familyRemove, {
      params: personParams,
      body: lenient,
      acceptForm: true,
      handle: async ({ params, body, claims, requestId }) => {
        const opened = await open(params.caseId, claims, true, requestId, routes.familyRemove);
        if (isPage(opened)) return opened;
        const group = groupOfSlug(params.group);
        if (!group || group === 'children') return problemPage(renderer, claims, opened.unreadCount, NO_SUCH_PAGE);
        const { file } = opened;
        const caseId = file.record.caseId;
        const item = currentNetworkOf(file);
        const person = cardOf(item, caseId, group, params.personId);
        if (!person) return problemPage(renderer, claims, opened.unreadCount, personGone(caseId));
        const values = { reason: first(body.reason) ?? '' };
        const state = { group, item, person, values };
        if (versionOf(first(body.version)) !== item.version)
          return shown(opened, claims, requestId, removeForm(opened, claims, 409, { ...state, stale: true }));
        const parsed = removalFromForm(group, values.reason, person.personId);
        if (!parsed.ok) return shown(opened, claims, requestId, removeForm(opened, claims, 400, { ...state, errors: parsed.errors }));
        const outcome = await work.changeFamilyNetwork(file, item.version, parsed.change, actorOf(claims), runtime.clock());
        if (outcome.kind === 'saved')
          return seeOther(`${familyHref(caseId)}?done=removed&person=${encodeURIComponent(person.personId)}#${GROUP_SLUGS[group]}`);
        if (outcome.kind === 'refused') {
          const errors = [{ ...fieldOfPath(group, outcome.issue.path), text: outcome.issue.message }];
          return shown(opened, claims, requestId, removeForm(opened, claims, 400, { ...state, errors }));
        }
        const fresh = outcome.current ? cardOf(outcome.current, caseId, group, person.personId) : undefined;
        if (!outcome.current || !fresh) return problemPage(renderer, claims, opened.unreadCount, personGone(caseId));
        return shown(
          opened,
          claims,
          requestId,
          removeForm(opened, claims, 409, { ...state, item: outcome.current, person: fresh, stale: true }),
        );
      },
    }),

    defineRoute(routes.summaryForm, {
      params: caseParams,
      handle: async ({ params, claims, requestId }) => {
        const opened = await open(params.caseId, claims, true, requestId, routes.summaryForm);
        if (isPage(opened)) return opened;
        const { summary } = opened.file;
        return shown(
          opened,
          claims,
          requestId,
          summaryForm(opened, claims, 200, { values: { text: summary?.text ?? '' }, version: summary?.version ?? 0 }),
        );
      },
    }),

    defineRoute(routes.writeSummary, {
      params: caseParams,
      body: lenient,
      acceptForm: true,
      handle: async ({ params, body, claims, requestId }) => {
        const opened = await open(params.caseId, claims, true, requestId, routes.writeSummary);
        if (isPage(opened)) return opened;
        const { file } = opened;
        const values = { text: first(body.text) ?? '' };
        const currentVersion = file.summary?.version ?? 0;
        if (versionOf(first(body.version)) !== currentVersion) {
          return shown(opened, claims, requestId, summaryForm(opened, claims, 409, { values, version: currentVersion, stale: true }));
        }
        const parsed = z.safeParse(summaryTextSchema, values.text);
        if (!parsed.success) {
          const errors = [{ field: 'text', href: '#text', text: parsed.error.issues[0]?.message ?? 'Enter the case summary' }];
          return shown(opened, claims, requestId, summaryForm(opened, claims, 400, { values, version: currentVersion, errors }));
        }
        const outcome = await work.writeSummary(file, currentVersion, parsed.data, actorOf(claims), runtime.clock());
        if (outcome.kind === 'saved') return seeOther(`/cases/${file.record.caseId}?done=summary`);
        const fresh = { ...opened, file: { ...file, ...(outcome.current ? { summary: outcome.current } : {}) } };
        return shown(
          fresh,
          claims,
          requestId,
          summaryForm(fresh, claims, 409, { values, version: outcome.current?.version ?? 0, stale: true }),
        );
      },
    }),
  ];
}
