/**
 * Partner webhooks (PARTNER-API.md, Webhooks), per the Standard Webhooks specification: the
 * payload, the signature, who may be called, and when a failed delivery is tried again. Pure: the
 * caller passes the time, the secret's bytes and the delivery's history.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import type { EventData } from '@fsp/shared/events/define';
import type { referralDecidedV1 } from '@fsp/shared/events/definitions/referrals';
import type { FactReference } from './notification';

/** Standard Webhooks secrets: `whsec_` + base64 of the key bytes (32 random bytes here). */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';
export const WEBHOOK_SECRET_BYTES = 32;
export const WEBHOOK_SECRET_PATTERN = /^whsec_[A-Za-z0-9+/]{43}=$/;

export function webhookSecretOf(keyBytes: Uint8Array): string {
  if (keyBytes.length !== WEBHOOK_SECRET_BYTES) throw new RangeError(`a webhook key is ${WEBHOOK_SECRET_BYTES} bytes`);
  return `${WEBHOOK_SECRET_PREFIX}${Buffer.from(keyBytes).toString('base64')}`;
}

function keyOf(secret: string): Buffer {
  if (!secret.startsWith(WEBHOOK_SECRET_PREFIX)) throw new RangeError('a webhook secret starts with whsec_');
  const key = Buffer.from(secret.slice(WEBHOOK_SECRET_PREFIX.length), 'base64');
  if (key.length === 0) throw new RangeError('a webhook secret holds a base64 key');
  return key;
}

/** `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">` keyed with the secret's decoded bytes. */
export function signWebhook(secret: string, webhookId: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', keyOf(secret)).update(`${webhookId}.${timestampSeconds}.${body}`, 'utf8').digest('base64');
  return `v1,${mac}`;
}

/** The three Standard Webhooks headers of one attempt: the id is the delivery's, the time and signature the attempt's. */
export function webhookHeaders(secret: string, webhookId: string, attemptAt: Date, body: string): Record<string, string> {
  const timestamp = Math.floor(attemptAt.getTime() / 1000);
  return {
    'content-type': 'application/json',
    'webhook-id': webhookId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signWebhook(secret, webhookId, timestamp, body),
  };
}

/** What a receiver does (used by the tests as the spec's verification, and available to a future "test my endpoint" call). */
export function verifyWebhookSignature(secret: string, webhookId: string, timestamp: string, body: string, header: string): boolean {
  const expected = Buffer.from(signWebhook(secret, webhookId, Number(timestamp), body).slice(3), 'base64');
  return header.split(' ').some((candidate) => {
    if (!candidate.startsWith('v1,')) return false;
    const given = Buffer.from(candidate.slice(3), 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

/** The body partners receive when a referral they made is decided. Nothing beyond what the API itself returns. */
export interface ReferralDecidedPayload {
  type: 'referral.decided';
  timestamp: string;
  data: { referralId: string; reference: string; outcome: string; decidedAt: string };
}

export function referralDecidedPayload(data: EventData<typeof referralDecidedV1>, fact: FactReference): ReferralDecidedPayload {
  return {
    type: 'referral.decided',
    // Standard Webhooks: when the event happened, not when this attempt was made.
    timestamp: new Date(fact.occurredAt).toISOString(),
    data: { referralId: data.referralId, reference: data.reference, outcome: data.outcome, decidedAt: data.decidedAt },
  };
}

/** One delivery per (fact, agency, webhook channel): the same fact arriving again finds the same id. */
export function webhookDeliveryIdOf(eventId: string, agencyId: string): string {
  return createHash('sha256').update(`${eventId}\nagency:${agencyId}\nwebhook`).digest('hex').slice(0, 32);
}

/** Stable for every attempt of one delivery, so a receiver can drop the repeats (Standard Webhooks `webhook-id`). */
export const webhookIdOf = (deliveryId: string): string => `msg_${deliveryId}`;

/** A webhook delivery as it is created, before any attempt: what is sent, to which agency, about which fact. */
export interface WebhookDeliveryDraft {
  deliveryId: string;
  webhookId: string;
  agencyId: string;
  /**
   * Who to contact when it fails, as the agency projection knew it at creation: the administrators'
   * list shows them without a second read (agencies have no fact that renames them).
   */
  agencyName?: string;
  agencyContactEmail?: string;
  eventType: ReferralDecidedPayload['type'];
  /** The exact bytes every attempt sends (and signs), fixed at creation. */
  body: string;
  referralId: string;
  reference: string;
  sourceEventId: string;
  correlationId: string;
}

/** The agency a delivery goes to, as its projection (src/store/agency-store.ts) knows it. */
export interface DeliveryAgency {
  agencyId: string;
  name?: string | undefined;
  contactEmail?: string | undefined;
}

/** ReferralDecided → the one delivery of its webhook payload to the agency that made the referral. */
export function referralDecidedDelivery(
  data: EventData<typeof referralDecidedV1>,
  fact: FactReference,
  agency: DeliveryAgency,
): WebhookDeliveryDraft {
  const { agencyId } = agency;
  const deliveryId = webhookDeliveryIdOf(fact.eventId, agencyId);
  const payload = referralDecidedPayload(data, fact);
  return {
    deliveryId,
    webhookId: webhookIdOf(deliveryId),
    agencyId,
    ...(agency.name !== undefined ? { agencyName: agency.name } : {}),
    ...(agency.contactEmail !== undefined ? { agencyContactEmail: agency.contactEmail } : {}),
    eventType: payload.type,
    body: JSON.stringify(payload),
    referralId: data.referralId,
    reference: data.reference,
    sourceEventId: fact.eventId,
    correlationId: fact.correlationId,
  };
}

// --- Retries -------------------------------------------------------------------------------------

/** PARTNER-API.md: retried for at least 24 hours. The last retry is the first one due after this much time. */
export const RETRY_FOR_MS = 24 * 60 * 60 * 1000;
export const FIRST_RETRY_DELAY_MS = 60 * 1000;
export const MAX_RETRY_DELAY_MS = 6 * 60 * 60 * 1000;
/** One attempt's budget (PARTNER-API.md does not say; Standard Webhooks receivers are told to answer fast). */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** Delay after the `failedAttempts`-th failure: 1, 2, 4 … minutes, doubling, at most 6 hours. */
export function retryDelayMs(failedAttempts: number): number {
  if (!Number.isInteger(failedAttempts) || failedAttempts < 1) throw new RangeError('failedAttempts counts from 1');
  return Math.min(FIRST_RETRY_DELAY_MS * 2 ** Math.min(failedAttempts - 1, 30), MAX_RETRY_DELAY_MS);
}

export type AfterFailure = { kind: 'retry'; at: Date } | { kind: 'dead' };

/**
 * After a failed attempt: retry with exponential backoff until 24 hours have passed since the
 * first attempt; the first failure after that dead-letters the delivery. With the delays above a
 * delivery is tried 13 times over about 29 hours.
 */
export function afterFailure(firstAttemptAt: Date, failedAttempts: number, now: Date): AfterFailure {
  if (now.getTime() - firstAttemptAt.getTime() >= RETRY_FOR_MS) return { kind: 'dead' };
  return { kind: 'retry', at: new Date(now.getTime() + retryDelayMs(failedAttempts)) };
}

// --- Who may be called ---------------------------------------------------------------------------

export const MAX_WEBHOOK_URL_LENGTH = 2048;

export interface WebhookUrlPolicy {
  /**
   * Only on the local stage: http://127.0.0.1 and http://localhost, so tests and demos can receive,
   * and any port (their receivers listen wherever the system puts them).
   */
  allowLocalHttp: boolean;
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The address ranges a webhook must never reach (IANA's special-purpose registries): this machine,
 * the platform's own networks, link-local (the cloud's metadata service), shared, multicast,
 * reserved and documentation ranges, and the IPv6 forms that carry an IPv4 address inside (an
 * IPv4-mapped address is judged by the IPv4 address it maps). Checked on the address a name
 * resolves to when the request is made, not only on the URL, so that a public-looking name
 * pointing inwards is refused too.
 */
const NON_PUBLIC_RANGES: readonly [address: string, prefix: number, type: 'ipv4' | 'ipv6'][] = [
  ['0.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.0.2.0', 24, 'ipv4'],
  ['192.88.99.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['198.51.100.0', 24, 'ipv4'],
  ['203.0.113.0', 24, 'ipv4'],
  ['224.0.0.0', 4, 'ipv4'],
  ['240.0.0.0', 4, 'ipv4'],
  // The unspecified address (::), loopback (::1) and the IPv4-compatible addresses (::a.b.c.d, RFC
  // 4291 2.5.5.1, deprecated): a stack that still tunnels them sends to a.b.c.d, so [::127.0.0.1]
  // (which the URL parser writes [::7f00:1]) could reach this machine. No partner needs the range.
  ['::', 96, 'ipv6'],
  ['64:ff9b::', 96, 'ipv6'],
  ['64:ff9b:1::', 48, 'ipv6'],
  ['100::', 64, 'ipv6'],
  ['2001::', 23, 'ipv6'],
  ['2001:db8::', 32, 'ipv6'],
  // 6to4 (RFC 3056, deprecated by RFC 7526): each address embeds an IPv4 one (2002:7f00:1:: holds
  // 127.0.0.1) that a host with a 6to4 interface sends to. Refused whole, like the range above.
  ['2002::', 16, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
];

let nonPublic: BlockList | undefined;

/** Whether an IP address (v4, or v6 with or without brackets) may receive webhooks: false for every range above. */
export function isPublicAddress(address: string): boolean {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const type = isIPv4(bare) ? 'ipv4' : isIPv6(bare) ? 'ipv6' : undefined;
  if (type === undefined) return false;
  // An IPv4 address written as IPv6 (::ffff:127.0.0.1) reaches the IPv4 address.
  const mapped = type === 'ipv6' ? /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(bare)?.[1] : undefined;
  if (mapped) return isPublicAddress(mapped);
  if (!nonPublic) {
    nonPublic = new BlockList();
    for (const [network, prefix, family] of NON_PUBLIC_RANGES) nonPublic.addSubnet(network, prefix, family);
  }
  return !nonPublic.check(bare, type);
}

/** The host a URL names, without the trailing dot DNS allows (`localhost.` is localhost). */
const hostOf = (url: URL): string => url.hostname.replace(/\.$/, '');

const isLoopbackName = (host: string): boolean => host === 'localhost' || host.endsWith('.localhost');

const isAddressLiteral = (host: string): boolean => isIPv4(host) || (host.startsWith('[') && host.endsWith(']'));

/** Why a URL cannot be a webhook, in words the partner can act on; undefined when it can. */
export function webhookUrlProblem(text: string, policy: WebhookUrlPolicy): string | undefined {
  const httpsOnly = policy.allowLocalHttp
    ? 'url must be an https:// address (on the local stage http://127.0.0.1 or http://localhost also works)'
    : 'url must be an https:// address';
  if (text.length > MAX_WEBHOOK_URL_LENGTH) return `url must be at most ${MAX_WEBHOOK_URL_LENGTH} characters`;
  if (!URL.canParse(text)) return `${httpsOnly}; this is not a URL`;
  const url = new URL(text);
  if (url.href.length > MAX_WEBHOOK_URL_LENGTH) return `url must be at most ${MAX_WEBHOOK_URL_LENGTH} characters`;
  if (url.username !== '' || url.password !== '' || /^[^/]*\/\/[^/]*@/.test(text.trim()))
    return 'url must not carry a user name or password';
  // `url.hash` is empty for a bare `#`, which is still a fragment.
  if (text.includes('#')) return 'url must not have a #fragment';
  const host = hostOf(url);
  if (policy.allowLocalHttp && LOCAL_HOSTS.has(host)) return url.protocol === 'http:' || url.protocol === 'https:' ? undefined : httpsOnly;
  if (url.protocol !== 'https:') return httpsOnly;
  if (isLoopbackName(host) || (isAddressLiteral(host) && !isPublicAddress(host)))
    return 'url must be a public internet address, not a private or loopback one';
  // The parser drops the scheme's default port, so an empty port is 443 (written or not). Any other
  // port would let a webhook probe services that listen on a public host beside its web server.
  if (!policy.allowLocalHttp && url.port !== '')
    return `url must use port 443, the https default: remove :${url.port} from the address, or serve the webhook on 443`;
  return undefined;
}

/**
 * The URL as stored and called: the parsed form (what `fetch` and the sender would use anyway),
 * so that the registration echoed back and shown to administrators is the address really called.
 */
export const normalisedWebhookUrl = (text: string): string => new URL(text).href;
