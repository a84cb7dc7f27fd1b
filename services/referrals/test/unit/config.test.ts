import { ConfigurationError } from '@fsp/shared/environment';
import { identityProviderConfig, pagesConfig } from '../../src/config';

describe('the referrals configuration', () => {
  it('takes the platform’s user pool id from USER_POOL_ID', () => {
    expect(identityProviderConfig({ USER_POOL_ID: 'eu-west-2_fsplocal' })).toEqual({ userPoolId: 'eu-west-2_fsplocal' });
  });

  it('refuses a missing or malformed USER_POOL_ID, naming it and who sets it, and not repeating the value', () => {
    for (const env of [{}, { USER_POOL_ID: '' }, { USER_POOL_ID: 'not a pool x7' }]) {
      expect(() => identityProviderConfig(env)).toThrow(ConfigurationError);
      expect(() => identityProviderConfig(env)).toThrow(/USER_POOL_ID must be a Cognito user pool id .*the platform sets it/);
      expect(() => identityProviderConfig(env)).not.toThrow(/x7/);
    }
  });

  it('takes the pages’ stage from STAGE, and refuses a missing or unknown one, naming it', () => {
    expect(pagesConfig({ STAGE: 'prod' })).toEqual({ stage: 'prod' });
    for (const env of [{}, { STAGE: 'production' }]) {
      expect(() => pagesConfig(env)).toThrow(ConfigurationError);
      expect(() => pagesConfig(env)).toThrow(/STAGE must be one of local, dev, staging, prod/);
    }
  });
});
