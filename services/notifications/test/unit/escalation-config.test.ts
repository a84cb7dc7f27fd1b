/** SERVICE_MANAGER_ESCALATION_WORKING_DAYS, read at cold start by the functions that record or sweep breaches. */
import { ESCALATION_WORKING_DAYS_ENV, escalationConfig } from '../../src/escalation-config';

describe('the working days before a breach goes to the service manager', () => {
  it('reads a whole number of working days', () => {
    expect(escalationConfig({ [ESCALATION_WORKING_DAYS_ENV]: '5' })).toEqual({ serviceManagerAfterWorkingDays: 5 });
    expect(escalationConfig({ [ESCALATION_WORKING_DAYS_ENV]: '1' })).toEqual({ serviceManagerAfterWorkingDays: 1 });
  });

  it('refuses to start without one, or with none, a fraction or words, naming the variable', () => {
    for (const value of [undefined, '', '0', '2.5', 'five', '61'])
      expect(() => escalationConfig({ [ESCALATION_WORKING_DAYS_ENV]: value })).toThrow(
        /SERVICE_MANAGER_ESCALATION_WORKING_DAYS must be a whole number of working days from 1 to 60/,
      );
  });
});
