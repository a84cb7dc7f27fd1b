/**
 * Opaque list cursors: a store's position in a list (a small JSON object) carried base64url in an
 * address. Only a cursor the same codec could have issued decodes: valid base64url of JSON the schema
 * accepts, that `accepts` agrees with, in its one canonical spelling — so a cursor altered in an
 * address is refused (undefined, never a throw) rather than half-read.
 */
import * as z from 'zod/mini';

export interface CursorCodec<T> {
  encode(position: T): string;
  decode(text: string): T | undefined;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function jsonCursorCodec<T>(
  schema: () => z.ZodMiniType<T>,
  options: { maxLength?: number; accepts?: (position: T) => boolean } = {},
): CursorCodec<T> {
  const maxLength = options.maxLength ?? 512;
  // Positions are built with their fields in the schema's order, the order a parse gives them back in.
  const encode = (position: T): string => Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
  return {
    encode,
    decode(text) {
      if (text.length === 0 || text.length > maxLength || !BASE64URL.test(text)) return undefined;
      let value: unknown;
      try {
        value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
      } catch (error) {
        if (error instanceof SyntaxError) return undefined;
        throw error;
      }
      const parsed = z.safeParse(schema(), value);
      if (!parsed.success || (options.accepts !== undefined && !options.accepts(parsed.data))) return undefined;
      return encode(parsed.data) === text ? parsed.data : undefined;
    },
  };
}
