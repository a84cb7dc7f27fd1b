/** Reading a rendered page as a worker would, without a DOM: its visible text, its links, its forms' fields. Pure. */

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

export const decodeEntities = (text: string): string =>
  text.replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    return ENTITIES[name.toLowerCase()] ?? whole;
  });

/** The text of `html` with tags, scripts and styles gone and whitespace collapsed, as a screen shows it (hidden text included). */
export const textOf = (html: string): string =>
  decodeEntities(
    html
      .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1>/gi, ' ')
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' '),
  ).trim();

/** The `<main>` element's text: the page's own content, without the layout's navigation. */
export const mainTextOf = (html: string): string => textOf(/<main\b[\s\S]*<\/main>/i.exec(html)?.[0] ?? '');

export interface Link {
  href: string;
  text: string;
}

/** Every link in the page's `<main>`, in order. */
export function mainLinksOf(html: string): Link[] {
  const main = /<main\b[\s\S]*<\/main>/i.exec(html)?.[0] ?? '';
  return [...main.matchAll(/<a\b[^>]*\bhref="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi)].map((match) => ({
    href: decodeEntities(match[1]!),
    text: textOf(match[2]!),
  }));
}

export interface Form {
  action: string;
  /** Each hidden field's value; of a name given more than once, the last. */
  fields: Record<string, string>;
  /** Every value of each name, in order: what a browser submits for a name given more than once. */
  lists: Record<string, string[]>;
}

/** Every POST form in the page, with its hidden fields' values, as a browser would submit them. */
export function formsOf(html: string): Form[] {
  return [...html.matchAll(/<form\b[^>]*\baction="([^"]*)"[^>]*>([\s\S]*?)<\/form>/gi)].map((match) => {
    const inputs = [...match[2]!.matchAll(/<input\b[^>]*\bname="([^"]*)"[^>]*\bvalue="([^"]*)"[^>]*>/gi)].map(
      (input) => [decodeEntities(input[1]!), decodeEntities(input[2]!)] as const,
    );
    const lists: Record<string, string[]> = {};
    for (const [name, value] of inputs) lists[name] = [...(lists[name] ?? []), value];
    return { action: decodeEntities(match[1]!), fields: Object.fromEntries(inputs), lists };
  });
}
