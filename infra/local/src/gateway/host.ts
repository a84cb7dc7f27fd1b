import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The local cloud listens on 127.0.0.1 only, but a page on any web site can still reach it through
 * DNS rebinding: the attacker's name first resolves to their server, then to 127.0.0.1, and the
 * browser, seeing one origin, lets the page read the answers (the sign-in page lists the demo
 * passwords; the token endpoint and the mail outbox hold more). The one thing such a request cannot
 * change is its Host header, which still names the attacker's domain. So every request must name a
 * loopback host: `localhost` or a name under it (RFC 6761 reserves `.localhost` for loopback), an
 * IPv4 address in 127.0.0.0/8, or `[::1]`, with or without a port, in any letter case.
 */
export function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined) return false;
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(host);
  if (match === null) return false;
  const [, name = '', port] = match;
  if (port !== undefined && Number(port) > 65_535) return false;
  const lower = name.toLowerCase();
  if (lower === '[::1]') return true;
  if (lower === 'localhost' || (lower.endsWith('.localhost') && isDnsName(lower))) return true;
  return isLoopbackIpv4(lower);
}

/** Dotted-decimal only: browsers put an address in the Host header in this form, whatever the user typed. */
function isLoopbackIpv4(name: string): boolean {
  const octets = name.split('.');
  if (octets.length !== 4 || octets[0] !== '127') return false;
  return octets.every((octet) => /^(0|[1-9]\d{0,2})$/.test(octet) && Number(octet) <= 255);
}

/** Letters, digits and hyphens in labels of 1-63 characters, no empty label (so no trailing dot). */
function isDnsName(name: string): boolean {
  return name.split('.').every((label) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(label));
}

const MISDIRECTED =
  'Misdirected Request: this local cloud only answers requests addressed to a loopback host (127.0.0.1, localhost or [::1]).\n';

/**
 * Answers 421 Misdirected Request (RFC 9110: "the request was directed at a server that is unable
 * or unwilling to produce an authoritative response for the target URI") to a request whose Host is
 * not a loopback name, and returns true; returns false, answering nothing, otherwise.
 */
export function refuseForeignHost(req: IncomingMessage, res: ServerResponse): boolean {
  if (isLoopbackHost(req.headers.host)) return false;
  req.resume();
  res.writeHead(421, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(MISDIRECTED),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    connection: 'close',
  });
  res.end(MISDIRECTED);
  return true;
}
