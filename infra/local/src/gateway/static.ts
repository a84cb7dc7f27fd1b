import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import { type LocalHandler, requestUrl } from './http-util';

const CONTENT_TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.pdf': 'application/pdf',
  '.webmanifest': 'application/manifest+json',
};

export const contentTypeOf = (path: string): string => CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';

export interface StaticOptions {
  /** URL prefix, e.g. `/assets`. */
  prefix: string;
  directory: string;
  /**
   * For fingerprinted files: cache for a year without revalidating. Otherwise browsers revalidate
   * every time (cheap, thanks to the ETag), so edited assets show up on the next reload.
   */
  immutable?: boolean;
}

function notFound(res: ServerResponse): void {
  const body = 'Not Found';
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Serves files under `directory` at `prefix`; anything resolving outside the directory is a 404. */
export function serveStatic(options: StaticOptions): LocalHandler {
  const prefix = options.prefix.replace(/\/+$/, '');
  const root = resolve(options.directory);
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const { pathname } = requestUrl(req);
    if (!pathname.startsWith(`${prefix}/`)) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-length': 0 });
      res.end();
      return true;
    }
    let relative: string;
    try {
      relative = decodeURIComponent(pathname.slice(prefix.length + 1));
    } catch (error) {
      if (!(error instanceof URIError)) throw error;
      notFound(res);
      return true;
    }
    // Refuse dot-segments and NULs outright rather than trusting normalisation alone.
    if (relative === '' || relative.includes('\0') || relative.split(/[\\/]/).some((part) => part === '..' || part === '.')) {
      notFound(res);
      return true;
    }
    const file = resolve(root, relative);
    if (!file.startsWith(root + sep)) {
      notFound(res);
      return true;
    }
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
      notFound(res);
      return true;
    }
    if (!info.isFile()) {
      notFound(res);
      return true;
    }
    const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
    const headers = {
      'content-type': contentTypeOf(file),
      etag,
      'last-modified': info.mtime.toUTCString(),
      'cache-control': options.immutable === true ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff',
    };
    const ifNoneMatch = req.headers['if-none-match'];
    if (ifNoneMatch?.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*')) {
      res.writeHead(304, headers);
      res.end();
      return true;
    }
    res.writeHead(200, { ...headers, 'content-length': info.size });
    if (req.method === 'HEAD') {
      res.end();
      return true;
    }
    await new Promise<void>((done, fail) => {
      const stream = createReadStream(file);
      stream.once('error', (error) => {
        res.destroy(error);
        fail(error);
      });
      res.once('close', () => {
        stream.destroy();
        done();
      });
      stream.pipe(res);
    });
    return true;
  };
}
