/**
 * The worker web app's wiring rules (infra/cdk/worker-web.ts), on their own: which functions serve
 * the web app, the URLs registered with Cognito, and the context values an operator may set
 * (publicOrigin, userPoolDomainPrefix, workerIdentityProviders), each refused at synth with the
 * reason rather than by CloudFormation at deploy.
 */
import { SIGN_IN_CALLBACK_PATH as APP_CALLBACK_PATH, SIGNED_OUT_PATH as APP_SIGNED_OUT_PATH } from '@fsp/shared/http/oidc-client';
import type { HttpRoute } from '@fsp/shared/manifest';
import fc from 'fast-check';
import {
  callbackUrlOf,
  checkedPublicOrigin,
  checkedUserPoolDomainPrefix,
  parseIdentityProviders,
  servesWorkerWeb,
  signedOutUrlOf,
} from '../../worker-web';

const route = (path: string, auth: HttpRoute['auth'], method: HttpRoute['method'] = 'GET'): HttpRoute => ({ method, path, auth });
const page = { kind: 'page', roles: ['social-worker'] } as const;
const worker = { kind: 'worker', roles: ['social-worker'] } as const;
const anyone = { kind: 'public' } as const;

describe('which functions serve the worker web app', () => {
  test('a page route, or one of the sign-in routes (public as they are), makes one; JSON, partner and other public routes do not', () => {
    expect(servesWorkerWeb({ routes: [route('/inbox', page)] })).toBe(true);
    expect(servesWorkerWeb({ routes: [route('/signin', anyone)] })).toBe(true);
    expect(servesWorkerWeb({ routes: [route('/signin/callback', anyone)] })).toBe(true);
    expect(servesWorkerWeb({ routes: [route('/signout', anyone, 'POST')] })).toBe(true);
    expect(
      servesWorkerWeb({
        routes: [
          route('/api/inbox', worker),
          route('/v1/referrals', { kind: 'partner', scopes: ['referrals/submit'] }, 'POST'),
          route('/refer', anyone),
          route('/signed-out', anyone),
          route('/signin/other', anyone),
        ],
      }),
    ).toBe(false);
    expect(servesWorkerWeb({ routes: [] })).toBe(false);
  });

  test("the $default route's function makes one, even alone: its page shows a signed-in worker their navigation", () => {
    expect(servesWorkerWeb({ routes: [], servesDefaultRoute: true })).toBe(true);
    expect(servesWorkerWeb({ routes: [route('/api/inbox', worker)], servesDefaultRoute: false })).toBe(false);
  });

  test('the URLs registered with Cognito are the ones the app sends: its callback and signed-out page on the public origin', () => {
    expect(callbackUrlOf('https://fsp.council.example')).toBe(`https://fsp.council.example${APP_CALLBACK_PATH}`);
    expect(callbackUrlOf('https://fsp.council.example')).toBe('https://fsp.council.example/signin/callback');
    expect(signedOutUrlOf('https://fsp.council.example')).toBe(`https://fsp.council.example${APP_SIGNED_OUT_PATH}`);
    expect(signedOutUrlOf('https://fsp.council.example')).toBe('https://fsp.council.example/signed-out');
  });
});

describe('publicOrigin', () => {
  const host = fc.domain();

  test('any https origin is taken as it is', () => {
    fc.assert(
      fc.property(host, fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }), (name, port) => {
        const origin = new URL(`https://${name}${port === undefined ? '' : `:${port}`}`).origin;
        expect(checkedPublicOrigin(origin)).toBe(origin);
      }),
    );
  });

  test('a path, a trailing slash, a query, another scheme or no scheme is refused, naming the value', () => {
    fc.assert(
      fc.property(host, fc.constantFrom('/', '/x', '?a=1', '#top', '/signin/callback'), (name, rest) => {
        expect(() => checkedPublicOrigin(`https://${name}${rest}`)).toThrow(
          `publicOrigin must be an https origin such as https://fsp.council.example (no path, no trailing slash): https://${name}${rest}`,
        );
      }),
    );
    for (const wrong of ['http://fsp.council.example', 'fsp.council.example', '', 'https://']) {
      expect(() => checkedPublicOrigin(wrong)).toThrow('publicOrigin must be an https origin');
    }
  });
});

describe('userPoolDomainPrefix', () => {
  const allowed = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-');
  const edge = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789');
  const prefix = fc
    .tuple(edge, fc.string({ unit: allowed, maxLength: 61 }), edge)
    .map(([first, middle, last]) => `${first}${middle}${last}`)
    .filter((value) => !['aws', 'amazon', 'cognito'].some((word) => value.includes(word)));

  test('any prefix Cognito accepts is taken as it is, one character long included', () => {
    fc.assert(fc.property(prefix, (value) => expect(checkedUserPoolDomainPrefix(value)).toBe(value)));
    expect(checkedUserPoolDomainPrefix('f')).toBe('f');
  });

  test('an upper-case letter, another character, an edge hyphen or a 64th character is refused', () => {
    fc.assert(
      fc.property(prefix, fc.constantFrom('A', '_', '.', ' ', '/', 'é'), fc.nat(), (value, bad, at) => {
        const position = at % (value.length + 1);
        const wrong = `${value.slice(0, position)}${bad}${value.slice(position)}`;
        expect(() => checkedUserPoolDomainPrefix(wrong)).toThrow('userPoolDomainPrefix must be 1 to 63 lower-case letters');
      }),
    );
    expect(() => checkedUserPoolDomainPrefix('-fsp')).toThrow('userPoolDomainPrefix must be');
    expect(() => checkedUserPoolDomainPrefix('fsp-')).toThrow('userPoolDomainPrefix must be');
    expect(() => checkedUserPoolDomainPrefix('f'.repeat(64))).toThrow('userPoolDomainPrefix must be');
    expect(() => checkedUserPoolDomainPrefix('')).toThrow('userPoolDomainPrefix must be');
  });

  test('a word Cognito reserves, anywhere in the prefix, is refused by name', () => {
    fc.assert(
      fc.property(prefix, prefix, fc.constantFrom('aws', 'amazon', 'cognito'), (before, after, word) => {
        const wrong = `${before}${word}${after}`;
        fc.pre(wrong.length <= 63);
        expect(() => checkedUserPoolDomainPrefix(wrong)).toThrow(/userPoolDomainPrefix may not contain "(aws|amazon|cognito)"/);
      }),
    );
  });
});

describe('workerIdentityProviders', () => {
  const name = fc
    .tuple(
      fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'),
      fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-'), maxLength: 31 }),
    )
    .map(([first, rest]) => `${first}${rest}`);
  const names = fc.uniqueArray(name, { minLength: 1, maxLength: 5 });

  test("the pool's own accounts when nothing is set", () => {
    for (const unset of [undefined, null, '']) expect(parseIdentityProviders(unset)).toEqual(['COGNITO']);
  });

  test('a comma-separated list (spaces allowed around the commas) or an array gives back the names, in order', () => {
    fc.assert(
      fc.property(names, fc.constantFrom(',', ', ', ' , '), (list, separator) => {
        expect(parseIdentityProviders(list.join(separator))).toEqual(list);
        expect(parseIdentityProviders(list)).toEqual(list);
      }),
    );
  });

  test('a name twice, an empty name, a name Cognito would refuse or anything but text is refused, naming it', () => {
    fc.assert(fc.property(names, (list) => expect(() => parseIdentityProviders([...list, list[0]!])).toThrow(`names ${list[0]} twice`)));
    expect(() => parseIdentityProviders('EntraID,,COGNITO')).toThrow('workerIdentityProviders: "" is not a provider name');
    expect(() => parseIdentityProviders('Entra ID')).toThrow('workerIdentityProviders: "Entra ID" is not a provider name');
    expect(() => parseIdentityProviders(`E${'x'.repeat(32)}`)).toThrow('is not a provider name');
    expect(() => parseIdentityProviders('_EntraID')).toThrow('is not a provider name');
    expect(() => parseIdentityProviders([])).toThrow('workerIdentityProviders must be a comma-separated list of provider names; got []');
    expect(() => parseIdentityProviders(7)).toThrow('workerIdentityProviders must be a comma-separated list of provider names; got 7');
    expect(() => parseIdentityProviders([7])).toThrow('workerIdentityProviders: 7 is not a provider name');
  });
});
