import { CASE_WORKING_ROLES, ROLES, type Role } from '@fsp/shared/people';
import { AREAS, mayUse, navigationFor, rolesInWords } from '@fsp/shared/web/navigation';
import fc from 'fast-check';

const rolesArbitrary = fc.uniqueArray(fc.constantFrom(...ROLES), { maxLength: ROLES.length });

describe('the worker navigation', () => {
  it('shows each area to exactly the roles that may use it, in the platform’s order, whatever the mix of roles', () => {
    fc.assert(
      fc.property(rolesArbitrary, fc.option(fc.constantFrom(...AREAS), { nil: undefined }), fc.nat(500), (roles, current, unread) => {
        const items = navigationFor(roles, current, unread);
        const expected = AREAS.filter(
          (area) =>
            area === 'inbox' ||
            (area === 'front-door' && roles.includes('front-door')) ||
            ((area === 'cases' || area === 'supervision') &&
              roles.some((role) => (CASE_WORKING_ROLES as readonly Role[]).includes(role))) ||
            (area === 'admin' && roles.includes('administrator')),
        );
        expect(items.map((item) => item.area)).toEqual(expected);
        expect(items.filter((item) => item.active).map((item) => item.area)).toEqual(
          current && expected.includes(current) ? [current] : [],
        );
        expect(items.filter((item) => item.badgeCount !== undefined)).toEqual(
          unread > 0 ? [expect.objectContaining({ area: 'inbox', badgeCount: unread })] : [],
        );
      }),
    );
  });

  it('keeps the front door and administrators out of cases and supervision, and everyone in the inbox', () => {
    expect(mayUse('cases', ['front-door'])).toBe(false);
    expect(mayUse('supervision', ['administrator'])).toBe(false);
    expect(mayUse('admin', ['service-manager'])).toBe(false);
    expect(mayUse('inbox', [])).toBe(true);
  });
});

describe('roles in words', () => {
  it.each<[Role[], string]>([
    [['team-manager'], 'Team manager'],
    [['front-door', 'administrator'], 'Front door and administrator'],
    [['social-worker', 'adult-specialist', 'team-manager'], 'Social worker, adult specialist and team manager'],
    [['social-worker', 'social-worker'], 'Social worker'],
    [[], 'No platform role'],
  ])('%j → %s', (roles, words) => {
    expect(rolesInWords(roles)).toBe(words);
  });
});
