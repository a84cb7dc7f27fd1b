import type { IncomingMessage, ServerResponse } from 'node:http';

/** A handler the local cloud chains: answers and returns true, or returns false so the next one can try. */
export type LocalHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/** Thrown by `readBody` so callers can answer 413 instead of buffering an unbounded body. */
export class BodyTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`request body is larger than ${limitBytes} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

export async function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > limitBytes) {
      // Keep reading nothing more; the caller answers 413 and closes.
      req.resume();
      throw new BodyTooLargeError(limitBytes);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendHtml(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    // Pages here never run script; a strict policy also keeps e-mail HTML shown in an iframe from fetching anything.
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'",
    ...headers,
  });
  res.end(html);
}

export function redirect(res: ServerResponse, location: string, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(303, { location, 'content-length': 0, ...headers });
  res.end();
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** The path and query of a request, parsed against a dummy origin because `req.url` is origin-relative. */
export function requestUrl(req: IncomingMessage): URL {
  return new URL(req.url ?? '/', 'http://local.invalid');
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (header === undefined) return cookies;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index <= 0) continue;
    const name = part.slice(0, index).trim();
    const value = part.slice(index + 1).trim();
    if (!cookies.has(name)) cookies.set(name, value);
  }
  return cookies;
}

/** The media type of a Content-Type header without parameters, lower-cased; '' when absent. */
export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/**
 * A page in the GOV.UK Design System's look, self-contained (inline styles, no script) so the
 * local cloud's own screens work before any service has built its assets.
 */
export function govukPage(options: { title: string; serviceName: string; body: string; wide?: boolean }): string {
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)} – ${escapeHtml(options.serviceName)}</title>
<style>
  body { margin: 0; font-family: "GDS Transport", arial, sans-serif; font-size: 19px; line-height: 1.32; color: #0b0c0c; background: #fff; }
  a { color: #1d70b8; text-decoration-thickness: max(1px, .0625rem); text-underline-offset: .1578em; }
  a:visited { color: #4c2c92; }
  a:focus, button:focus, input:focus { outline: 3px solid #ffdd00; outline-offset: 0; background-color: #ffdd00; box-shadow: 0 -2px #ffdd00, 0 4px #0b0c0c; color: #0b0c0c; }
  input:focus { background-color: #fff; box-shadow: inset 0 0 0 2px; }
  .skip-link { position: absolute; left: -9999px; }
  .skip-link:focus { position: static; display: block; padding: 10px 15px; }
  header { background: #0b0c0c; color: #fff; border-bottom: 10px solid #1d70b8; padding: 10px 15px; }
  header .service { font-weight: 700; font-size: 24px; color: #fff; text-decoration: none; }
  .tag { display: inline-block; margin-left: 10px; padding: 2px 8px; background: #f47738; color: #0b0c0c; font-size: 16px; font-weight: 700; }
  main { max-width: ${options.wide === true ? '1100px' : '960px'}; margin: 0 auto; padding: 30px 15px 60px; }
  h1 { font-size: 36px; margin: 0 0 30px; }
  h2 { font-size: 27px; margin: 30px 0 20px; }
  .hint { color: #505a5f; }
  label { display: block; font-weight: 700; margin-bottom: 5px; }
  input[type=text], input[type=password] { font: inherit; width: 100%; max-width: 20em; padding: 5px; border: 2px solid #0b0c0c; box-sizing: border-box; height: 40px; }
  .form-group { margin-bottom: 30px; }
  .form-group--error { border-left: 5px solid #d4351c; padding-left: 15px; }
  .error-message { color: #d4351c; font-weight: 700; display: block; margin-bottom: 10px; }
  .error-summary { border: 5px solid #d4351c; padding: 20px; margin-bottom: 30px; }
  .error-summary a { color: #d4351c; font-weight: 700; }
  button { font: inherit; background: #00703c; color: #fff; border: 0; padding: 8px 10px 7px; box-shadow: 0 2px 0 #002d18; cursor: pointer; }
  button.secondary { background: #f3f2f1; color: #0b0c0c; box-shadow: 0 2px 0 #929191; }
  table { border-collapse: collapse; width: 100%; margin-bottom: 30px; }
  caption { text-align: left; font-weight: 700; font-size: 24px; margin-bottom: 15px; }
  .table-scroll { overflow-x: auto; margin-bottom: 30px; }
  .table-scroll table { margin-bottom: 0; }
  .table-scroll:focus { outline: 3px solid #ffdd00; outline-offset: 0; box-shadow: 0 0 0 7px #0b0c0c; }
  th, td { text-align: left; padding: 10px 20px 10px 0; border-bottom: 1px solid #b1b4b6; vertical-align: top; }
  code, pre { font-family: monospace; font-size: 16px; }
  pre { white-space: pre-wrap; background: #f3f2f1; padding: 15px; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 5px 20px; }
  dt { font-weight: 700; }
  dd { margin: 0; }
  iframe { width: 100%; min-height: 480px; border: 1px solid #b1b4b6; }
</style>
</head>
<body>
<a href="#main" class="skip-link">Skip to main content</a>
<header><span class="service">${escapeHtml(options.serviceName)}</span><span class="tag">LOCAL</span></header>
<main id="main">
${options.body}
</main>
</body>
</html>
`;
}
