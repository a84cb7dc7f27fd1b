/**
 * Markup as TypeScript: one tagged template, `html`, that escapes every interpolated value unless
 * it is already markup (`SafeHtml`, made only by `html` itself or `raw`). So there is one escape
 * helper, `escapeHtml`, and no way to forget it: a string from a referrer is always text.
 */

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Text → markup that shows exactly that text, in element content and in quoted attribute values. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"'`]/g, (c) => ESCAPES[c] as string);

export type Markup = SafeHtml | string | number | boolean | null | undefined | readonly Markup[];

function render(value: Markup): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** `html\`<p>${name}</p>\``: interpolated strings are escaped; SafeHtml and arrays of it are kept; null, undefined and false vanish. */
export function html(strings: TemplateStringsArray, ...values: readonly Markup[]): SafeHtml {
  let out = strings[0] as string;
  for (let i = 0; i < values.length; i++) out += render(values[i] as Markup) + (strings[i + 1] as string);
  return new SafeHtml(out);
}

/** Markup this module's callers wrote themselves (never input): trusted as it is. */
export const raw = (markup: string): SafeHtml => new SafeHtml(markup);

/** Several pieces of markup as one. */
export const join = (parts: readonly Markup[]): SafeHtml => new SafeHtml(render(parts));
