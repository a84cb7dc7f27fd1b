import { ConfigurationError } from '@fsp/shared/environment';
import { mailConfig, notificationsConfig, webhookConfig } from '../../src/config';

const messageOf = (read: () => unknown): string => {
  try {
    read();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the configuration to be refused');
};

describe('the notifications configuration', () => {
  it('needs FRONT_DOOR_TEAM_ID to be a team id, and says so', () => {
    expect(notificationsConfig({ FRONT_DOOR_TEAM_ID: 'front-door' })).toEqual({ frontDoorTeamId: 'front-door' });
    for (const env of [{}, { FRONT_DOOR_TEAM_ID: '' }, { FRONT_DOOR_TEAM_ID: 'front door/1' }]) {
      expect(() => notificationsConfig(env)).toThrow(ConfigurationError);
      expect(() => notificationsConfig(env)).toThrow(/FRONT_DOOR_TEAM_ID must be a team id/);
    }
  });

  it('needs MAIL_FROM to be an email address, and does not repeat the value in the error', () => {
    expect(mailConfig({ MAIL_FROM: 'referrals@fsp.example.gov.uk' })).toEqual({ mailFrom: 'referrals@fsp.example.gov.uk' });
    expect(() => mailConfig({})).toThrow(/MAIL_FROM must be an email address/);
    expect(messageOf(() => mailConfig({ MAIL_FROM: 'not-an-address-x7' }))).toMatch(/^(?!.*x7).*MAIL_FROM must be an email address/);
  });

  it('allows plain-http webhooks on the local stage only; a missing stage counts as deployed', () => {
    expect(webhookConfig({ STAGE: 'local' })).toEqual({ allowLocalHttp: true });
    for (const stage of ['dev', 'staging', 'prod']) expect(webhookConfig({ STAGE: stage })).toEqual({ allowLocalHttp: false });
    expect(webhookConfig({})).toEqual({ allowLocalHttp: false });
    expect(() => webhookConfig({ STAGE: 'Local' })).toThrow(/STAGE must be one of local, dev, staging, prod/);
  });
});
