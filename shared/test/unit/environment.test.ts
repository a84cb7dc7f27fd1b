import { ConfigurationError, readEnvironment, variable } from '@fsp/shared/environment';
import * as z from 'zod/mini';

const variables = {
  FRONT_DOOR_TEAM_ID: variable(z.string().check(z.minLength(1)), "a team id, set by the notifications manifest's environment"),
  MAIL_FROM: variable(z.email(), 'an email address'),
  STAGE: variable(z.optional(z.enum(['local', 'dev'])), 'local or dev'),
};

describe('readEnvironment', () => {
  it('gives each variable as its schema reads it', () => {
    expect(readEnvironment(variables, { FRONT_DOOR_TEAM_ID: 'front-door', MAIL_FROM: 'noreply@council.example.org' })).toEqual({
      FRONT_DOOR_TEAM_ID: 'front-door',
      MAIL_FROM: 'noreply@council.example.org',
      STAGE: undefined,
    });
  });

  it('names every missing or wrong variable and what it should be, never the value', () => {
    const read = () => readEnvironment(variables, { MAIL_FROM: 'not-an-address-secret', STAGE: 'prod' });
    expect(read).toThrow(ConfigurationError);
    expect(read).toThrow(
      "The function's environment is not usable: FRONT_DOOR_TEAM_ID must be a team id, set by the notifications manifest's environment; MAIL_FROM must be an email address; STAGE must be local or dev",
    );
    expect(read).not.toThrow(/not-an-address-secret/);
  });
});
