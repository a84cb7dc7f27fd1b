import type { ServiceManifest } from '@fsp/shared/manifest';
import { MANIFEST_DEFAULTS, resolveManifest } from '@fsp/shared/manifest-resolve';

const base: ServiceManifest = {
  name: 'notes',
  directory: '/services/notes',
  http: {
    function: { name: 'http', entry: 'src/entries/http.ts' },
    routes: [{ method: 'GET', path: '/notes', auth: { kind: 'worker', roles: ['social-worker'] } }],
  },
  subscriptions: [
    { name: 'note-written', function: { name: 'on-note-written', entry: 'src/entries/on-note-written.ts' }, pattern: { source: ['x'] } },
    {
      name: 'bulk',
      function: { name: 'on-bulk', entry: 'src/entries/on-bulk.ts', timeoutSeconds: 60, memoryMb: 1024 },
      pattern: { source: ['y'] },
      batchSize: 5,
      maxReceiveCount: 3,
    },
  ],
  schedules: [{ name: 'sweep', function: { name: 'http', entry: 'src/entries/http.ts' }, expression: 'rate(1 minute)' }],
  publishes: [],
};

describe('resolveManifest', () => {
  it('applies every default once, and keeps what the manifest says', () => {
    const resolved = resolveManifest(base);
    expect(resolved.eventSource).toBe('fsp.notes');
    const [noteWritten, bulk] = resolved.subscriptions;
    expect(noteWritten).toMatchObject({
      batchSize: MANIFEST_DEFAULTS.batchSize,
      maxReceiveCount: 5,
      visibilityTimeoutSeconds: 6 * 30,
      idempotencyName: 'notes.note-written',
    });
    expect(noteWritten!.consumer).toMatchObject({ timeoutSeconds: 30, memoryMb: 512, uses: ['consumer'] });
    expect(bulk).toMatchObject({ batchSize: 5, maxReceiveCount: 3, visibilityTimeoutSeconds: 6 * 60, idempotencyName: 'notes.bulk' });
    expect(bulk!.consumer).toMatchObject({ timeoutSeconds: 60, memoryMb: 1024 });
    expect(resolved.schedules[0]).toMatchObject({ timezone: 'Europe/London' });
  });

  it('builds a function used twice once, with the longest timeout its uses ask for', () => {
    const http = resolveManifest(base).functions.find((fn) => fn.name === 'http');
    expect(http).toMatchObject({ uses: ['http', 'schedule'], timeoutSeconds: 30, routes: [{ method: 'GET', path: '/notes' }] });
    expect(resolveManifest(base).functions.map((fn) => fn.name)).toEqual(['http', 'on-note-written', 'on-bulk']);
  });

  it('refuses one function name with two entries, two subscriptions of one name, and a worker route without roles', () => {
    const twoEntries = { ...base, schedules: [{ ...base.schedules[0]!, function: { name: 'http', entry: 'src/entries/sweep.ts' } }] };
    expect(() => resolveManifest(twoEntries)).toThrow(
      'service notes: function http is declared with two entries, src/entries/http.ts and src/entries/sweep.ts',
    );
    const twice = { ...base, subscriptions: [base.subscriptions[0]!, { ...base.subscriptions[1]!, name: 'note-written' }] };
    expect(() => resolveManifest(twice)).toThrow('service notes: two subscriptions are named note-written');
    const noRoles = {
      ...base,
      http: { ...base.http!, routes: [{ method: 'GET' as const, path: '/notes', auth: { kind: 'worker' as const, roles: [] } }] },
    };
    expect(() => resolveManifest(noRoles)).toThrow('service notes: route GET /notes admits workers but names no role');
  });

  it("keeps a subscription's maxConcurrency within AWS's limits (2 to 1,000), naming the subscription", () => {
    const withConcurrency = (maxConcurrency: number) => ({
      ...base,
      subscriptions: [{ ...base.subscriptions[0]!, maxConcurrency }, base.subscriptions[1]!],
    });
    expect(resolveManifest(withConcurrency(2)).subscriptions[0]?.maxConcurrency).toBe(2);
    expect(resolveManifest(base).subscriptions[0]?.maxConcurrency).toBeUndefined();
    for (const refused of [1, 1001, 2.5]) {
      expect(() => resolveManifest(withConcurrency(refused))).toThrow(
        `service notes: subscription note-written: maxConcurrency must be a whole number from 2 to 1000 (AWS's limits), got ${refused}`,
      );
    }
  });

  it('refuses a page route without roles, as it refuses a worker route without roles', () => {
    const pageWithoutRoles = {
      ...base,
      http: { ...base.http!, routes: [{ method: 'GET' as const, path: '/home', auth: { kind: 'page' as const, roles: [] } }] },
    };
    expect(() => resolveManifest(pageWithoutRoles)).toThrow('service notes: route GET /home admits workers but names no role');
  });

  it('keeps a page route, with its roles, on the function that serves it', () => {
    const page = { method: 'GET' as const, path: '/home', auth: { kind: 'page' as const, roles: ['social-worker' as const] } };
    const withPage = { ...base, http: { ...base.http!, routes: [...base.http!.routes, page] } };
    const http = resolveManifest(withPage).functions.find((fn) => fn.name === 'http');
    expect(http?.routes).toEqual([base.http!.routes[0], page]);
  });
});
