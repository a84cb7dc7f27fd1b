import { type KeyObject, sign, verify } from 'node:crypto';

export type JwtPayload = Record<string, unknown>;

export interface JwtHeader {
  alg: string;
  kid?: string;
  typ?: string;
}

const encodeSegment = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/** RS256 (RSASSA-PKCS1-v1_5 with SHA-256), as Cognito signs its tokens. */
export function signRs256(payload: JwtPayload, privateKey: KeyObject, kid: string): string {
  const signingInput = `${encodeSegment({ kid, alg: 'RS256', typ: 'JWT' })}.${encodeSegment(payload)}`;
  const signature = sign('sha256', Buffer.from(signingInput, 'ascii'), privateKey);
  return `${signingInput}.${signature.toString('base64url')}`;
}

export type DecodedJwt = { header: JwtHeader; payload: JwtPayload; signingInput: string; signature: Buffer };

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Decodes base64url only in its canonical form. Node ignores the unused low bits of the last
 * character, so without this check several different strings would decode to the same bytes and a
 * changed token could still verify.
 */
function canonicalBase64Url(segment: string): Buffer | undefined {
  if (!BASE64URL.test(segment)) return undefined;
  const bytes = Buffer.from(segment, 'base64url');
  return bytes.toString('base64url') === segment ? bytes : undefined;
}

function decodeJsonSegment(segment: string): unknown {
  const bytes = canonicalBase64Url(segment);
  if (bytes === undefined) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    // A segment that is not JSON makes the whole token malformed; the caller reports that.
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Splits and parses a compact JWS without trusting it; `undefined` when it is not a JWT at all. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [headerSegment, payloadSegment, signatureSegment] = parts as [string, string, string];
  const signature = canonicalBase64Url(signatureSegment);
  if (signature === undefined || signature.length === 0) return undefined;
  const header = decodeJsonSegment(headerSegment);
  const payload = decodeJsonSegment(payloadSegment);
  if (!isObject(header) || !isObject(payload) || typeof header.alg !== 'string') return undefined;
  return {
    header: header as unknown as JwtHeader,
    payload,
    signingInput: `${headerSegment}.${payloadSegment}`,
    signature,
  };
}

export function verifyRs256(decoded: DecodedJwt, publicKey: KeyObject): boolean {
  // Only RS256 is accepted: trusting the header's `alg` is how "none" and HS256-with-the-public-key attacks work.
  if (decoded.header.alg !== 'RS256') return false;
  return verify('sha256', Buffer.from(decoded.signingInput, 'ascii'), publicKey, decoded.signature);
}
