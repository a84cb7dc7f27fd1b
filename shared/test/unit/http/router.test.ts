import { compilePath, matchAll, matchPath, pathSegments } from '@fsp/shared/http/router';

const entries = ['/v1/referrals', '/v1/referrals/{id}', '/v1/referrals/latest', '/v1/{proxy+}', '/'].map((template) => ({
  compiled: compilePath(template),
}));
const best = (path: string) => matchAll(entries, pathSegments(path) ?? [])[0];

describe('the router', () => {
  it('picks the most specific template', () => {
    expect(best('/v1/referrals/latest')?.entry.compiled.template).toBe('/v1/referrals/latest');
    expect(best('/v1/referrals/ref-1')).toMatchObject({ entry: { compiled: { template: '/v1/referrals/{id}' } }, params: { id: 'ref-1' } });
    expect(best('/v1/agencies/me/webhook')).toMatchObject({ params: { proxy: 'agencies/me/webhook' } });
    expect(best('/')?.entry.compiled.template).toBe('/');
  });

  it('decodes parameters, keeping an encoded slash inside its segment', () => {
    expect(matchPath(compilePath('/v1/referrals/{id}'), pathSegments('/v1/referrals/a%2Fb%20c') ?? [])).toEqual({ id: 'a/b c' });
  });

  it('does not match empty or missing segments', () => {
    expect(matchPath(compilePath('/v1/referrals/{id}'), pathSegments('/v1/referrals//') ?? [])).toBeUndefined();
    expect(matchPath(compilePath('/v1/referrals/{id}'), pathSegments('/v1/referrals/1/extra') ?? [])).toBeUndefined();
  });

  it('rejects templates API Gateway would reject', () => {
    expect(() => compilePath('v1/referrals')).toThrow('must start with /');
    expect(() => compilePath('/v1/{proxy+}/more')).toThrow('must be the last segment');
    expect(() => compilePath('/v1/{id}/{id}')).toThrow('twice');
    expect(() => compilePath('/v1/ref-{id}')).toThrow('whole-segment');
  });
});
