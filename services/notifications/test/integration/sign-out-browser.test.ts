/**
 * Signing out when the identity provider is another origin, as Cognito's hosted UI is in AWS (the
 * local cloud serves both on one origin, so its end-to-end test cannot show this): Chromium, with
 * JavaScript off, posts the header's form under the page's CSP (`form-action 'self'`), and still
 * reaches the provider's logout and comes back to /signed-out. A 303 from the form post to the
 * provider would be refused by the browser; the "Signing you out" page's refresh is not.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalIssuer } from '@fsp/infra/local/oidc/issuer';
import type { ApiGatewayV2Event } from '@fsp/shared/http/api-gateway';
import { createHttpHandler, defineRoute, type HttpHandler, html } from '@fsp/shared/http/handler';
import { oidcClient } from '@fsp/shared/http/oidc-client';
import { pageSessions } from '@fsp/shared/http/page-session';
import { generateSessionKey, newSession, SESSION_COOKIE, sealSession, serializeSessionKeys } from '@fsp/shared/http/session';
import { capturingLogger } from '@fsp/shared/testing/api-gateway-event';
import { describeWithBrowser } from '@fsp/shared/testing/browser';
import { signedInWorkerOf } from '@fsp/shared/web/page';
import type { Locator } from 'playwright-core';
import { signInRoutes } from '../../src/http/sign-in';
import { createNotificationsRenderer } from '../../src/web/pages';

/** An element's text as a screen reader reads it (visually hidden text included), whitespace collapsed. */
const textOf = async (locator: Locator): Promise<string> => ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();

jest.setTimeout(60_000);

const listen = async (server: Server): Promise<number> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};
const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** Serves `handler` as API Gateway would call it: enough of the v2 event for these pages. */
function serve(handler: HttpHandler): Listener {
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const [rawPath = '/', rawQueryString = ''] = (req.url ?? '/').split('?');
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string' && name !== 'cookie') headers[name] = value;
      const cookies = (req.headers.cookie ?? '')
        .split(';')
        .map((c) => c.trim())
        .filter((c) => c !== '');
      const body = Buffer.concat(chunks);
      const event = {
        version: '2.0',
        routeKey: '$default',
        rawPath,
        rawQueryString,
        headers,
        ...(cookies.length > 0 ? { cookies } : {}),
        requestContext: { http: { method: req.method ?? 'GET', path: rawPath }, requestId: `r-${Date.now()}` },
        ...(body.length > 0 ? { body: body.toString('base64') } : {}),
        isBase64Encoded: body.length > 0,
      } as unknown as ApiGatewayV2Event;
      handler(event).then(
        (result) => {
          const responseHeaders: Record<string, string | string[]> = { ...(result.headers as Record<string, string>) };
          if (result.cookies) responseHeaders['set-cookie'] = result.cookies;
          res.writeHead(result.statusCode ?? 200, responseHeaders);
          res.end(result.body ?? '');
        },
        (error: unknown) => {
          res.writeHead(500);
          res.end(String(error));
        },
      );
    });
  };
}

describeWithBrowser('signing out to an identity provider on another origin', (browser) => {
  const keys = [generateSessionKey(1)];
  let app: Server;
  let provider: Server;
  let appOrigin: string;
  let providerOrigin: string;

  beforeAll(async () => {
    // The provider at `localhost`, the app at `127.0.0.1`: two origins (and two sites), as the hosted UI's domain and CloudFront's are.
    let issuer: ReturnType<typeof createLocalIssuer> | undefined;
    provider = createServer((req, res) => {
      if (!issuer?.handle(req, res)) {
        res.writeHead(404);
        res.end();
      }
    });
    app = createServer((req, res) => listener(req, res));
    const [providerPort, appPort] = [await listen(provider), await listen(app)];
    providerOrigin = `http://localhost:${providerPort}`;
    appOrigin = `http://127.0.0.1:${appPort}`;
    issuer = createLocalIssuer({ issuerUrl: providerOrigin, webLogoutUris: [`${appOrigin}/signed-out`], log: () => {} });

    const environment = {
      SESSION_KEYS: serializeSessionKeys(keys),
      PUBLIC_ORIGIN: appOrigin,
      OIDC_ISSUER: providerOrigin,
      OIDC_DOMAIN: providerOrigin,
      WEB_CLIENT_ID: issuer.webClientId,
    };
    const renderer = createNotificationsRenderer('local');
    const pages = pageSessions({ environment, errorPages: renderer });
    const clock = () => new Date();
    // A signed-in page with the layout's header (and its "Sign out" form), under the pages' own CSP.
    const somePage = defineRoute(
      { method: 'GET', path: '/some-page', auth: { kind: 'page', roles: ['front-door'] } },
      {
        handle: async ({ claims }) =>
          html(
            200,
            renderer.renderPage('sign-in/signed-out.njk', { title: 'Some page', worker: signedInWorkerOf(claims) }, { signInHref: '/' }),
            { ...renderer.headers },
          ),
      },
    );
    const handler = createHttpHandler([somePage, ...signInRoutes({ pages, oidc: oidcClient({ environment }), renderer, clock })], {
      logger: capturingLogger().logger,
      pages,
    });
    listener = serve(handler);
  });
  let listener: Listener = (_req, res) => {
    res.writeHead(503);
    res.end();
  };
  afterAll(async () => {
    await close(app);
    await close(provider);
  });

  it('reaches the provider’s logout from the header’s form and returns to /signed-out, JavaScript off', async () => {
    const context = await browser().newContext({ javaScriptEnabled: false });
    try {
      const now = new Date();
      const session = newSession(
        { userId: 'u-1', username: 'frontdoor', name: 'Priya Shah', roles: ['front-door'], teamId: 'front-door' },
        now,
      );
      await context.addCookies([
        {
          name: SESSION_COOKIE,
          value: sealSession(session, keys, now),
          domain: '127.0.0.1',
          path: '/',
          secure: true,
          httpOnly: true,
          sameSite: 'Lax',
        },
      ]);
      const page = await context.newPage();
      const refused: string[] = [];
      page.on('console', (message) => {
        if (message.text().includes('Content Security Policy')) refused.push(message.text());
      });
      const visited: string[] = [];
      page.on('request', (request) => {
        if (request.isNavigationRequest())
          visited.push(`${request.method()} ${new URL(request.url()).origin}${new URL(request.url()).pathname}`);
      });
      await page.goto(`${appOrigin}/some-page`);
      expect(await textOf(page.locator('.moj-identity-bar'))).toContain('Signed in as Priya Shah');
      expect((await page.goto(`${appOrigin}/some-page`))?.headers()['content-security-policy']).toContain("form-action 'self'");

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(`${appOrigin}/signed-out`);
      expect(await textOf(page.locator('h1'))).toBe('You have signed out');
      expect(visited).toEqual([
        `GET ${appOrigin}/some-page`,
        `GET ${appOrigin}/some-page`,
        `POST ${appOrigin}/signout`,
        `GET ${providerOrigin}/logout`,
        `GET ${appOrigin}/signed-out`,
      ]);
      expect(refused).toEqual([]);
      expect(await context.cookies(appOrigin)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
