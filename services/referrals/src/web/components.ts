/**
 * GOV.UK Design System components (govuk-frontend 6) as small template functions, following the
 * markup of the design system's own Nunjucks macros. Every argument that is text is escaped by
 * `html`; only markup built with `html` passes through.
 */
import type { Choice } from './choices';
import { html, type Markup, type SafeHtml } from './html';
import type { DateParts, FormError } from './steps';

export const errorFor = (errors: readonly FormError[], field: string): string | undefined => errors.find((e) => e.field === field)?.message;

const describedBy = (...ids: (string | false | undefined)[]): SafeHtml | undefined => {
  const list = ids.filter(Boolean).join(' ');
  return list ? html` aria-describedby="${list}"` : undefined;
};

const errorMessage = (id: string, message: string | undefined): SafeHtml | undefined =>
  message
    ? html`<p id="${id}-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ${message}</p>`
    : undefined;

const hintOf = (id: string, hint: Markup | undefined): SafeHtml | undefined =>
  hint ? html`<div id="${id}-hint" class="govuk-hint">${hint}</div>` : undefined;

/** Links to each field at fault; `hrefs` maps a field to its first input when that is not `#<field>` (date inputs). */
export function errorSummary(errors: readonly FormError[], hrefs: Record<string, string> = {}): SafeHtml | undefined {
  if (errors.length === 0) return undefined;
  return html`<div class="govuk-error-summary" data-module="govuk-error-summary"><div role="alert"><h2 class="govuk-error-summary__title">There is a problem</h2><div class="govuk-error-summary__body"><ul class="govuk-list govuk-error-summary__list">${errors.map(
    (e) => html`<li><a href="${hrefs[e.field] ?? `#${e.field}`}">${e.message}</a></li>`,
  )}</ul></div></div></div>`;
}

export interface InputOptions {
  name: string;
  label: string;
  value?: string | undefined;
  error?: string | undefined;
  hint?: Markup;
  type?: 'text' | 'email' | 'tel';
  autocomplete?: string;
  widthClass?: string;
  spellcheck?: boolean;
  labelClass?: string;
}

export function input(o: InputOptions): SafeHtml {
  const id = o.name;
  return html`<div class="govuk-form-group${o.error ? ' govuk-form-group--error' : ''}"><label class="govuk-label${o.labelClass ? ` ${o.labelClass}` : ''}" for="${id}">${o.label}</label>${hintOf(id, o.hint)}${errorMessage(id, o.error)}<input class="govuk-input${o.widthClass ? ` ${o.widthClass}` : ''}${o.error ? ' govuk-input--error' : ''}" id="${id}" name="${o.name}" type="${o.type ?? 'text'}" value="${o.value ?? ''}"${describedBy(o.hint ? `${id}-hint` : undefined, o.error ? `${id}-error` : undefined)}${o.autocomplete ? html` autocomplete="${o.autocomplete}"` : undefined}${o.spellcheck === false ? html` spellcheck="false"` : undefined}></div>`;
}

export function textarea(o: Omit<InputOptions, 'type' | 'widthClass'> & { rows?: number }): SafeHtml {
  const id = o.name;
  return html`<div class="govuk-form-group${o.error ? ' govuk-form-group--error' : ''}"><label class="govuk-label${o.labelClass ? ` ${o.labelClass}` : ''}" for="${id}">${o.label}</label>${hintOf(id, o.hint)}${errorMessage(id, o.error)}<textarea class="govuk-textarea${o.error ? ' govuk-textarea--error' : ''}" id="${id}" name="${o.name}" rows="${o.rows ?? 5}"${describedBy(o.hint ? `${id}-hint` : undefined, o.error ? `${id}-error` : undefined)}>${o.value ?? ''}</textarea></div>`;
}

export interface ChoiceOptions<V extends string> {
  name: string;
  legend: string;
  /** `govuk-fieldset__legend--m` and the like; the page's heading when it is `--l` inside an h1. */
  legendClass?: string;
  legendIsHeading?: boolean;
  choices: readonly (Choice<V> & { conditional?: SafeHtml })[];
  error?: string | undefined;
  hint?: Markup;
  inline?: boolean;
}

function legendOf(o: { legend: string; legendClass?: string; legendIsHeading?: boolean }): SafeHtml {
  const cls = `govuk-fieldset__legend${o.legendClass ? ` ${o.legendClass}` : ''}`;
  return o.legendIsHeading
    ? html`<legend class="${cls}"><h1 class="govuk-fieldset__heading">${o.legend}</h1></legend>`
    : html`<legend class="${cls}">${o.legend}</legend>`;
}

/**
 * Radios, with an answer's follow-up question under it. The follow-ups are always shown, as
 * govuk-frontend shows them without JavaScript: its script would hide them and mark each radio
 * `aria-expanded`, which ARIA does not allow on a radio (govuk-frontend#979; axe fails it).
 */
export function radios<V extends string>(o: ChoiceOptions<V> & { value?: string | undefined }): SafeHtml {
  const id = o.name;
  return html`<div class="govuk-form-group${o.error ? ' govuk-form-group--error' : ''}"><fieldset class="govuk-fieldset"${describedBy(o.hint ? `${id}-hint` : undefined, o.error ? `${id}-error` : undefined)}>${legendOf(o)}${hintOf(id, o.hint)}${errorMessage(id, o.error)}<div class="govuk-radios${o.inline ? ' govuk-radios--inline' : ''}" data-module="govuk-radios">${o.choices.map(
    (c, i) => {
      const itemId = i === 0 ? id : `${id}-${i + 1}`;
      const checked = o.value === c.value;
      return html`<div class="govuk-radios__item"><input class="govuk-radios__input" id="${itemId}" name="${o.name}" type="radio" value="${c.value}"${checked ? html` checked` : undefined}${c.hint ? html` aria-describedby="${itemId}-item-hint"` : undefined}><label class="govuk-label govuk-radios__label" for="${itemId}">${c.text}</label>${c.hint ? html`<div id="${itemId}-item-hint" class="govuk-hint govuk-radios__hint">${c.hint}</div>` : undefined}</div>${c.conditional ? html`<div class="govuk-radios__conditional" id="conditional-${itemId}">${c.conditional}</div>` : undefined}`;
    },
  )}</div></fieldset></div>`;
}

export interface CheckboxGroup<V extends string> {
  legend: string;
  choices: readonly Choice<V>[];
}

/**
 * Checkboxes under one question, in groups (each a fieldset with its own legend, as the census
 * factors are about the child, a parent or someone else), with an optional exclusive "None".
 */
export function checkboxGroups<V extends string>(o: {
  name: string;
  legend: string;
  hint?: Markup;
  groups: readonly CheckboxGroup<V>[];
  none?: Choice<V>;
  values: readonly string[];
  error?: string | undefined;
}): SafeHtml {
  const id = o.name;
  let index = 0;
  const item = (c: Choice<V>, exclusive = false) => {
    const itemId = index === 0 ? id : `${id}-${c.value}`;
    index += 1;
    return html`<div class="govuk-checkboxes__item"><input class="govuk-checkboxes__input" id="${itemId}" name="${o.name}" type="checkbox" value="${c.value}"${o.values.includes(c.value) ? html` checked` : undefined}${exclusive ? html` data-behaviour="exclusive"` : undefined}><label class="govuk-label govuk-checkboxes__label" for="${itemId}">${c.text}</label></div>`;
  };
  return html`<div class="govuk-form-group${o.error ? ' govuk-form-group--error' : ''}"><fieldset class="govuk-fieldset"${describedBy(o.hint ? `${id}-hint` : undefined, o.error ? `${id}-error` : undefined)}><legend class="govuk-fieldset__legend govuk-fieldset__legend--m">${o.legend}</legend>${hintOf(id, o.hint)}${errorMessage(id, o.error)}<div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">${o.groups.map(
    (group) =>
      html`<fieldset class="govuk-fieldset govuk-!-margin-bottom-4"><legend class="govuk-fieldset__legend govuk-fieldset__legend--s">${group.legend}</legend>${group.choices.map((c) => item(c))}</fieldset>`,
  )}${o.none ? html`<div class="govuk-checkboxes__divider">or</div>${item(o.none, true)}` : undefined}</div></fieldset></div>`;
}

export function dateInput(o: { name: string; legend: string; hint?: string; value: DateParts; error?: string | undefined }): SafeHtml {
  const id = o.name;
  const part = (key: 'day' | 'month' | 'year', label: string, width: string) =>
    html`<div class="govuk-date-input__item"><div class="govuk-form-group"><label class="govuk-label govuk-date-input__label" for="${id}-${key}">${label}</label><input class="govuk-input govuk-date-input__input ${width}${o.error ? ' govuk-input--error' : ''}" id="${id}-${key}" name="${id}-${key}" type="text" inputmode="numeric" value="${o.value[key] ?? ''}"></div></div>`;
  return html`<div class="govuk-form-group${o.error ? ' govuk-form-group--error' : ''}"><fieldset class="govuk-fieldset" role="group"${describedBy(o.hint ? `${id}-hint` : undefined, o.error ? `${id}-error` : undefined)}><legend class="govuk-fieldset__legend govuk-fieldset__legend--s">${o.legend}</legend>${hintOf(id, o.hint)}${errorMessage(id, o.error)}<div class="govuk-date-input" id="${id}">${part('day', 'Day', 'govuk-input--width-2')}${part('month', 'Month', 'govuk-input--width-2')}${part('year', 'Year', 'govuk-input--width-4')}</div></fieldset></div>`;
}

export const button = (text: string, o: { secondary?: boolean; name?: string; value?: string } = {}): SafeHtml =>
  html`<button type="submit" class="govuk-button${o.secondary ? ' govuk-button--secondary' : ''}" data-module="govuk-button" data-prevent-double-click="true"${o.name ? html` name="${o.name}" value="${o.value ?? ''}"` : undefined}>${text}</button>`;

export const startButton = (text: string, href: string): SafeHtml =>
  html`<a href="${href}" role="button" draggable="false" class="govuk-button govuk-button--start" data-module="govuk-button">${text}<svg class="govuk-button__start-icon" xmlns="http://www.w3.org/2000/svg" width="17.5" height="19" viewBox="0 0 33 40" aria-hidden="true" focusable="false"><path fill="currentColor" d="M0 0h13l20 20-20 20H0l20-20z"/></svg></a>`;

export const warningText = (text: Markup): SafeHtml =>
  html`<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span> ${text}</strong></div>`;

export interface SummaryRow {
  key: string;
  value: Markup;
  /** A Change link and what it changes, for screen readers. */
  change?: { href: string; what: string };
}

export const summaryList = (rows: readonly SummaryRow[]): SafeHtml =>
  html`<dl class="govuk-summary-list">${rows.map(
    (row) =>
      html`<div class="govuk-summary-list__row${row.change ? '' : ' govuk-summary-list__row--no-actions'}"><dt class="govuk-summary-list__key">${row.key}</dt><dd class="govuk-summary-list__value">${row.value}</dd>${row.change ? html`<dd class="govuk-summary-list__actions"><a class="govuk-link" href="${row.change.href}">Change<span class="govuk-visually-hidden"> ${row.change.what}</span></a></dd>` : undefined}</div>`,
  )}</dl>`;

export const summaryCard = (o: {
  title: string;
  actions: readonly { href: string; text: string; what: string }[];
  rows: readonly SummaryRow[];
}): SafeHtml =>
  html`<div class="govuk-summary-card"><div class="govuk-summary-card__title-wrapper"><h3 class="govuk-summary-card__title">${o.title}</h3>${o.actions.length > 0 ? html`<ul class="govuk-summary-card__actions">${o.actions.map((a) => html`<li class="govuk-summary-card__action"><a class="govuk-link" href="${a.href}">${a.text}<span class="govuk-visually-hidden"> ${a.what}</span></a></li>`)}</ul>` : undefined}</div><div class="govuk-summary-card__content">${summaryList(o.rows)}</div></div>`;

export const panel = (title: string, body: Markup): SafeHtml =>
  html`<div class="govuk-panel govuk-panel--confirmation"><h1 class="govuk-panel__title">${title}</h1><div class="govuk-panel__body">${body}</div></div>`;

/** Multi-line text as a referrer wrote it: escaped, line breaks kept. */
export const multiline = (text: string | undefined): SafeHtml =>
  html`${(text ?? '').split('\n').map((line, i) => (i === 0 ? html`${line}` : html`<br>${line}`))}`;
