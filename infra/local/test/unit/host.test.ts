import fc from 'fast-check';
import { isLoopbackHost } from '../../src/gateway/host';

describe('isLoopbackHost', () => {
  it.each([
    '127.0.0.1',
    '127.0.0.1:3000',
    '127.1.2.3',
    '127.255.255.255:65535',
    'localhost',
    'LOCALHOST:3000',
    'LocalHost',
    'app.localhost',
    'a-b.c.localhost:8080',
    '[::1]',
    '[::1]:3000',
  ])('accepts %s', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each([
    undefined,
    '',
    'evil.example',
    'evil.example:3000',
    'localhost.evil.example',
    'localhost.',
    'xlocalhost',
    '.localhost',
    'a..localhost',
    '-a.localhost',
    '127.0.0.1.evil.example',
    '127.0.0.1.nip.io',
    '128.0.0.1',
    '10.0.0.1',
    '0.0.0.0',
    '127.0.0.256',
    '127.0.0',
    '127.1',
    '127.0.0.01',
    '2130706433',
    '0x7f.0.0.1',
    '127.0.0.1:',
    '127.0.0.1:65536',
    '127.0.0.1:3000:3000',
    '[::2]',
    '[::ffff:127.0.0.1]',
    '::1',
    '[::1',
    'localhost:abc',
    'user@localhost',
  ])('refuses %s', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });

  const octet = fc.integer({ min: 0, max: 255 });
  const port = fc.option(fc.integer({ min: 0, max: 65_535 }), { nil: undefined });
  const withPort = (name: string, value: number | undefined) => (value === undefined ? name : `${name}:${value}`);
  const recase = (text: string, upper: boolean[]) =>
    [...text].map((character, index) => (upper[index] ? character.toUpperCase() : character.toLowerCase())).join('');

  it('accepts every address in 127.0.0.0/8, with or without a port', () => {
    fc.assert(
      fc.property(octet, octet, octet, port, (b, c, d, p) => {
        expect(isLoopbackHost(withPort(`127.${b}.${c}.${d}`, p))).toBe(true);
      }),
    );
  });

  it('refuses every other IPv4 address', () => {
    fc.assert(
      fc.property(
        octet.filter((a) => a !== 127),
        octet,
        octet,
        octet,
        port,
        (a, b, c, d, p) => {
          expect(isLoopbackHost(withPort(`${a}.${b}.${c}.${d}`, p))).toBe(false);
        },
      ),
    );
  });

  it('accepts localhost and names under it in any letter case, and refuses them with anything appended', () => {
    const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?$/);
    fc.assert(
      fc.property(
        fc.array(label, { maxLength: 3 }),
        fc.array(fc.boolean()),
        port,
        fc.stringMatching(/^\.[a-z]{1,10}$/),
        (labels, upper, p, suffix) => {
          const name = recase([...labels, 'localhost'].join('.'), upper);
          expect(isLoopbackHost(withPort(name, p))).toBe(true);
          expect(isLoopbackHost(withPort(`${name}${suffix}`, p))).toBe(false);
        },
      ),
    );
  });

  it('refuses any other name, whatever it contains', () => {
    fc.assert(
      fc.property(fc.domain(), port, (domain, p) => {
        fc.pre(domain !== 'localhost' && !domain.endsWith('.localhost'));
        expect(isLoopbackHost(withPort(domain, p))).toBe(false);
      }),
    );
  });
});
