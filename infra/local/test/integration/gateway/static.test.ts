import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveStatic } from '../../../src/gateway/static';
import { rawRequest, startServer, type TestServer } from './support';

describe('serveStatic', () => {
  let server: TestServer;
  let root: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'fsp-static-'));
    const assets = join(root, 'assets');
    mkdirSync(join(assets, 'css'), { recursive: true });
    writeFileSync(join(assets, 'css', 'app.css'), 'body { color: #0b0c0c; }');
    writeFileSync(join(assets, 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(assets, 'font.woff2'), Buffer.from([0x77, 0x4f, 0x46, 0x32]));
    writeFileSync(join(root, 'secret.txt'), 'outside the asset directory');
    server = await startServer();
    server.use(serveStatic({ prefix: '/assets', directory: assets }));
  });
  afterAll(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves files with their content type, a validator and no-cache', async () => {
    const css = await fetch(`${server.url}/assets/css/app.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(css.headers.get('cache-control')).toBe('no-cache');
    expect(css.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await css.text()).toBe('body { color: #0b0c0c; }');
    expect((await fetch(`${server.url}/assets/logo.svg`)).headers.get('content-type')).toBe('image/svg+xml');
    expect((await fetch(`${server.url}/assets/font.woff2`)).headers.get('content-type')).toBe('font/woff2');

    const etag = css.headers.get('etag')!;
    const again = await fetch(`${server.url}/assets/css/app.css`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  it('answers HEAD without a body', async () => {
    const res = await fetch(`${server.url}/assets/css/app.css`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe('24');
  });

  it('marks fingerprinted assets immutable when asked', async () => {
    const other = await startServer();
    other.use(serveStatic({ prefix: '/static/', directory: join(root, 'assets'), immutable: true }));
    const res = await fetch(`${other.url}/static/logo.svg`);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    await other.close();
  });

  it.each([
    '/assets/../secret.txt',
    '/assets/%2e%2e/secret.txt',
    '/assets/css/..%2f..%2fsecret.txt',
    '/assets/..%5csecret.txt',
    '/assets/css%00.css',
    '/assets/%E0%A4%A',
    '/assets/css',
    '/assets/missing.css',
  ])('never serves %s', async (path) => {
    const res = await rawRequest(server.port, `GET ${path} HTTP/1.1\nHost: 127.0.0.1`);
    expect(res.status).toBe(404);
    expect(res.body).not.toContain('outside the asset directory');
  });

  it('leaves paths outside its prefix to other handlers', async () => {
    expect((await fetch(`${server.url}/assetsx/logo.svg`)).status).toBe(404);
    expect(await (await fetch(`${server.url}/other`)).json()).toEqual({ message: 'Not Found' });
  });
});
