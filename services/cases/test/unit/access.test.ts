import { CASE_WORKING_ROLES, ROLES, type Role } from '@fsp/shared/people';
import fc from 'fast-check';
import * as z from 'zod/mini';
import {
  BREAK_GLASS_HOURS,
  BREAK_GLASS_REASON_MAX,
  type BreakGlassGrant,
  breakGlassExpiresAt,
  breakGlassGrant,
  breakGlassRequestSchema,
  breakGlassUsesNewestFirst,
  type CaseAccessFacts,
  type CaseReader,
  caseAccess,
  isBreakGlassValid,
  mayAllocate,
  mayBreakGlass,
  mayReadNotes,
  mayWrite,
} from '../../src/domain/access';

const now = new Date('2026-03-02T10:00:00.000Z');
const hoursBefore = (hours: number) => new Date(now.getTime() - hours * 3_600_000).toISOString();
const worker = (userId: string) => ({ userId, name: userId, allocatedAt: hoursBefore(100), allocatedBy: 'tm-1' });

const facts = (overrides: Partial<CaseAccessFacts> = {}): CaseAccessFacts => ({
  caseId: 'case-1',
  teamId: 'north',
  allocation: { socialWorker: worker('sw-alloc'), specialists: { 'mental-health': worker('as-alloc') } },
  breakGlass: [],
  ...overrides,
});
const reader = (userId: string, roles: Role[], teamId = 'south'): CaseReader => ({ userId, roles, teamId });

describe('caseAccess', () => {
  it('the allocated social worker and specialists see the case as allocated, whatever their team says', () => {
    expect(caseAccess(reader('sw-alloc', ['social-worker']), facts(), now)).toBe('allocated');
    expect(caseAccess(reader('as-alloc', ['adult-specialist']), facts(), now)).toBe('allocated');
    // Allocation is the closer relationship, so it is named even for a member of the holding team.
    expect(caseAccess(reader('sw-alloc', ['social-worker'], 'north'), facts(), now)).toBe('allocated');
  });

  it('every case-working role of the holding team sees it as a team member', () => {
    for (const role of CASE_WORKING_ROLES) expect(caseAccess(reader('member', [role], 'north'), facts(), now)).toBe('team-member');
  });

  it('a worker of another team, an administrator and a worker without a role see nothing', () => {
    expect(caseAccess(reader('other', ['social-worker', 'team-manager'], 'south'), facts(), now)).toBeUndefined();
    expect(caseAccess(reader('admin', ['administrator'], 'north'), facts(), now)).toBeUndefined();
    expect(caseAccess(reader('nobody', [], 'north'), facts(), now)).toBeUndefined();
  });

  it('an allocated worker who no longer has a case-working role sees nothing', () => {
    expect(caseAccess(reader('sw-alloc', ['administrator'], 'north'), facts(), now)).toBeUndefined();
  });

  it('break-glass lets its own worker in for 8 hours from the grant, and nobody else', () => {
    const grant = { userId: 'other', at: hoursBefore(1) };
    expect(caseAccess(reader('other', ['social-worker']), facts({ breakGlass: [grant] }), now)).toBe('break-glass');
    expect(caseAccess(reader('someone-else', ['social-worker']), facts({ breakGlass: [grant] }), now)).toBeUndefined();
    const expired = { userId: 'other', at: hoursBefore(BREAK_GLASS_HOURS) };
    expect(caseAccess(reader('other', ['social-worker']), facts({ breakGlass: [expired] }), now)).toBeUndefined();
    const justInTime = { userId: 'other', at: new Date(now.getTime() - BREAK_GLASS_HOURS * 3_600_000 + 1).toISOString() };
    expect(caseAccess(reader('other', ['social-worker']), facts({ breakGlass: [justInTime] }), now)).toBe('break-glass');
  });

  it('break-glass is a case worker’s: the front door or an administrator with a grant sees nothing by it', () => {
    const breakGlass = [
      { userId: 'fd', at: hoursBefore(1) },
      { userId: 'admin', at: hoursBefore(1) },
    ];
    expect(caseAccess(reader('fd', ['front-door'], 'front-door'), facts({ breakGlass }), now)).toBeUndefined();
    expect(caseAccess(reader('admin', ['administrator']), facts({ breakGlass }), now)).toBeUndefined();
  });

  it('the front door sees the case only through a referral it names that belongs to this case', () => {
    const fd = reader('fd', ['front-door'], 'front-door');
    expect(caseAccess(fd, facts(), now)).toBeUndefined();
    expect(caseAccess(fd, facts(), now, { referralId: 'ref-1', caseIdOfReferral: 'case-1' })).toBe('front-door-referral');
    expect(caseAccess(fd, facts(), now, { referralId: 'ref-2', caseIdOfReferral: 'case-2' })).toBeUndefined();
    expect(caseAccess(fd, facts(), now, { referralId: 'ref-3', caseIdOfReferral: undefined })).toBeUndefined();
    // A referral route is the front door's: another team's social worker cannot use it to get in.
    expect(
      caseAccess(reader('other', ['social-worker']), facts(), now, { referralId: 'ref-1', caseIdOfReferral: 'case-1' }),
    ).toBeUndefined();
  });

  it('an unallocated case is seen by its team only', () => {
    expect(caseAccess(reader('sw-alloc', ['social-worker']), facts({ allocation: undefined }), now)).toBeUndefined();
    expect(caseAccess(reader('sw-alloc', ['social-worker'], 'north'), facts({ allocation: undefined }), now)).toBe('team-member');
  });

  describe('properties', () => {
    const roles = fc.subarray([...ROLES]);
    const ids = fc.constantFrom('u1', 'u2', 'u3', 'sw-alloc', 'as-alloc');
    const teams = fc.constantFrom('north', 'south', 'front-door');
    const grants = fc.array(fc.record({ userId: ids, at: fc.integer({ min: -20, max: 20 }).map((h) => hoursBefore(h)) }), {
      maxLength: 4,
    });
    const via = fc.option(fc.record({ referralId: fc.constant('ref'), caseIdOfReferral: fc.constantFrom('case-1', 'case-2', undefined) }), {
      nil: undefined,
    });
    const anyFacts = fc.record({
      allocated: fc.boolean(),
      breakGlass: grants,
    });

    it('nobody without a case-working role gets in except the front door by its referral', () => {
      fc.assert(
        fc.property(roles, ids, teams, anyFacts, via, (r, userId, teamId, f, route) => {
          const who = reader(userId, r, teamId);
          const access = caseAccess(
            who,
            facts({ breakGlass: f.breakGlass, ...(f.allocated ? {} : { allocation: undefined }) }),
            now,
            route,
          );
          if (!r.some((role) => (CASE_WORKING_ROLES as readonly string[]).includes(role))) {
            expect(access === undefined || access === 'front-door-referral').toBe(true);
          }
          if (access === 'front-door-referral') {
            expect(r).toContain('front-door');
            expect(route?.caseIdOfReferral).toBe('case-1');
          }
          if (access !== undefined) expect(mayReadNotes(access)).toBe(access !== 'front-door-referral');
          // Only the people working with the family record in it.
          expect(mayWrite(access)).toBe(access === 'allocated' || access === 'team-member');
        }),
      );
    });

    it('a case worker of another team, not allocated, gets in only by a valid grant of their own', () => {
      fc.assert(
        fc.property(fc.constantFrom(...CASE_WORKING_ROLES), grants, (role, breakGlass) => {
          const access = caseAccess(reader('u1', [role], 'south'), facts({ breakGlass }), now);
          const valid = breakGlass.some((grant) => grant.userId === 'u1' && isBreakGlassValid(grant, now));
          expect(access).toBe(valid ? 'break-glass' : undefined);
        }),
      );
    });
  });
});

describe('break-glass grants', () => {
  it('are valid from their instant for 8 hours, never before', () => {
    const grant = { at: now.toISOString() };
    expect(isBreakGlassValid(grant, now)).toBe(true);
    expect(isBreakGlassValid(grant, new Date(now.getTime() - 1))).toBe(false);
    expect(breakGlassExpiresAt(grant).toISOString()).toBe('2026-03-02T18:00:00.000Z');
    expect(isBreakGlassValid(grant, breakGlassExpiresAt(grant))).toBe(false);
  });

  it('record who, why, when and the request', () => {
    expect(
      breakGlassGrant('case-1', { userId: 'u1', name: 'Kim Lee' }, 'Out-of-hours call from the police', now, 'req-1'),
    ).toEqual<BreakGlassGrant>({
      caseId: 'case-1',
      userId: 'u1',
      name: 'Kim Lee',
      reason: 'Out-of-hours call from the police',
      at: now.toISOString(),
      requestId: 'req-1',
    });
  });

  it('are listed newest first', () => {
    const grant = (userId: string, hours: number) =>
      breakGlassGrant('case-1', { userId, name: userId }, 'r', new Date(hoursBefore(hours)), userId);
    expect(breakGlassUsesNewestFirst([grant('a', 3), grant('b', 1), grant('c', 2)]).map((g) => g.userId)).toEqual(['b', 'c', 'a']);
  });
});

describe('the break-glass request', () => {
  const parse = (body: unknown) => z.safeParse(breakGlassRequestSchema, body);

  it('needs a reason, trimmed, at most 1000 characters of plain text', () => {
    expect(parse({ reason: '  Called by the police about the youngest child  ' })).toMatchObject({
      success: true,
      data: { reason: 'Called by the police about the youngest child' },
    });
    expect(parse({ reason: 'Line one\nline two' }).success).toBe(true);
    for (const reason of [undefined, '', '   ', 'x'.repeat(BREAK_GLASS_REASON_MAX + 1), 'hidden\u202Etext', 'nul\u0000']) {
      const result = parse({ reason });
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual(['reason']);
    }
    expect(parse({ reason: 'x'.repeat(BREAK_GLASS_REASON_MAX) }).success).toBe(true);
  });

  it('accepts exactly the plain-text reasons of 1 to 1000 characters after trimming (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 1100 }), (reason) => {
        const trimmed = reason.trim();
        const plain = !/[\p{Cc}\p{Cf}]/u.test(trimmed.replace(/[\t\n\r]/g, ''));
        const expected = trimmed.length >= 1 && trimmed.length <= BREAK_GLASS_REASON_MAX && plain;
        expect(parse({ reason }).success).toBe(expected);
      }),
    );
  });
});

describe('who may do what', () => {
  it('allocation is the team manager’s of the holding team', () => {
    expect(mayAllocate(reader('tm', ['team-manager'], 'north'), facts())).toBe(true);
    expect(mayAllocate(reader('tm', ['team-manager'], 'south'), facts())).toBe(false);
    expect(mayAllocate(reader('sw', ['social-worker'], 'north'), facts())).toBe(false);
    expect(mayAllocate(reader('sm', ['service-manager'], 'north'), facts())).toBe(false);
  });

  it('break-glass is asked for by case-working roles only', () => {
    for (const role of ROLES) expect(mayBreakGlass({ roles: [role] })).toBe((CASE_WORKING_ROLES as readonly Role[]).includes(role));
    expect(mayBreakGlass({ roles: [] })).toBe(false);
  });
});
