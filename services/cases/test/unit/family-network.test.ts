import fc from 'fast-check';
import * as z from 'zod/mini';
import {
  type Actor,
  changeNetwork,
  type FamilyNetwork,
  isRefusal,
  isValidNhsNumber,
  isValidUpn,
  type NetworkChangeRecord,
  type NetworkChild,
  networkChildSchema,
  networkFromChildIds,
  networkFromReferral,
  normaliseNhsNumber,
  parseNetworkChange,
  type ReferralFamily,
} from '../../src/domain/family-network';

const referralId = '01JGZ8Q4V7K3M2N5P6R8S9T0VW';
const worker: Actor = { userId: '5f0c2a8e-3b7d-4f61-9a2e-8c1d4b6e7f90', name: 'Sam Patel' };
const at = new Date('2026-02-10T10:00:00.000Z');

const family: ReferralFamily = {
  children: [
    {
      childId: 'child-01JGZ8R1',
      firstName: 'Mia',
      lastName: 'Jones',
      unborn: false,
      dateOfBirth: '2017-03-14',
      gender: 'female',
      school: 'Oakfield Primary',
      address: { line1: '1 High Street', town: 'Northtown', postcode: 'NT1 1AA' },
    },
    { childId: 'child-01JGZ8R2', firstName: 'Baby', lastName: 'Jones', unborn: true, dateOfBirth: '2026-04-02', gender: 'other' },
  ],
  adults: [
    { firstName: 'Kim', lastName: 'Jones', dateOfBirth: '1990-06-01', relationship: 'mother' },
    { firstName: 'Lee', lastName: 'Smith', relationship: "mother's partner" },
  ],
  professionalReferrer: {
    name: 'Ann Teacher',
    role: 'Designated safeguarding lead',
    organisation: 'Oakfield Primary',
    email: 'ann@example.org',
  },
};

/** The check digit a valid NHS number ends with, or undefined when the first nine digits can never make one. */
function nhsCheckDigit(nine: string): number | undefined {
  const sum = [...nine].reduce((total, digit, i) => total + Number(digit) * (10 - i), 0);
  const check = 11 - (sum % 11);
  return check === 11 ? 0 : check === 10 ? undefined : check;
}

describe('isValidNhsNumber', () => {
  it('accepts a number whose check digit is right and refuses one with any other last digit', () => {
    expect(isValidNhsNumber('9434765919')).toBe(true);
    for (let last = 0; last <= 9; last++) if (last !== 9) expect(isValidNhsNumber(`943476591${last}`)).toBe(false);
  });

  it('agrees with the modulus 11 rule for every ten digits', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{9}$/), fc.integer({ min: 0, max: 9 }), (nine, last) => {
        expect(isValidNhsNumber(`${nine}${last}`)).toBe(nhsCheckDigit(nine) === last);
      }),
    );
  });

  it('catches any single mistyped digit of a valid number', () => {
    const valid = fc
      .stringMatching(/^\d{9}$/)
      .filter((nine) => nhsCheckDigit(nine) !== undefined)
      .map((nine) => `${nine}${nhsCheckDigit(nine)}`);
    fc.assert(
      fc.property(valid, fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 9 }), (number, position, shift) => {
        const digits = [...number];
        digits[position] = String((Number(digits[position]) + shift) % 10);
        expect(isValidNhsNumber(digits.join(''))).toBe(false);
      }),
    );
  });

  it('refuses anything but exactly ten digits', () => {
    fc.assert(
      fc.property(
        fc.string().filter((text) => !/^\d{10}$/.test(text)),
        (text) => {
          expect(isValidNhsNumber(text)).toBe(false);
        },
      ),
    );
  });

  it('reads a number written in groups as the same number', () => {
    expect(normaliseNhsNumber('943 476 5919')).toBe('9434765919');
    expect(normaliseNhsNumber('943-476-5919')).toBe('9434765919');
  });
});

const UPN_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ';
const upnWithCheckLetter = (twelve: string): string => {
  const sum = [...twelve].reduce((total, c, i) => total + (/\d/.test(c) ? Number(c) : UPN_LETTERS.indexOf(c)) * (i + 2), 0);
  return `${UPN_LETTERS[sum % 23]}${twelve}`;
};
const upnBody = fc
  .tuple(fc.stringMatching(/^\d{11}$/), fc.constantFrom(...'0123456789', ...UPN_LETTERS))
  .map(([digits, last]) => `${digits}${last}`);

describe('isValidUpn', () => {
  it('accepts the DfE guide example and permanent and temporary UPNs with their check letter', () => {
    expect(isValidUpn('A123456789012')).toBe(true);
    fc.assert(
      fc.property(upnBody, (twelve) => {
        expect(isValidUpn(upnWithCheckLetter(twelve))).toBe(true);
      }),
    );
  });

  it('refuses a UPN whose check letter is wrong', () => {
    fc.assert(
      fc.property(upnBody, fc.constantFrom(...UPN_LETTERS), (twelve, letter) => {
        fc.pre(letter !== upnWithCheckLetter(twelve)[0]);
        expect(isValidUpn(`${letter}${twelve}`)).toBe(false);
      }),
    );
  });

  it('refuses I, O and S, lower case, and any other length', () => {
    expect(isValidUpn('I123456789012')).toBe(false);
    expect(isValidUpn('a123456789012')).toBe(false);
    expect(isValidUpn('A12345678901')).toBe(false);
    expect(isValidUpn('A1234567890123')).toBe(false);
  });
});

describe('networkChildSchema', () => {
  const child = { personId: 'child-1', firstName: 'Mia', lastName: 'Jones', unborn: false, disabilities: [] };
  const messages = (input: unknown) => {
    const result = z.safeParse(networkChildSchema, input);
    return result.success ? [] : result.error.issues.map((issue) => issue.message);
  };

  it('keeps an NHS number as bare digits and a UPN in capitals', () => {
    const parsed = z.parse(networkChildSchema, { ...child, nhsNumber: '943 476 5919', upn: ' a123456789012 ' });
    expect(parsed).toMatchObject({ nhsNumber: '9434765919', upn: 'A123456789012' });
  });

  it('names the field a worker must correct', () => {
    expect(messages({ ...child, nhsNumber: '9434765918' })).toEqual(['The child’s NHS number must be 10 digits, like 485 777 3456']);
    expect(messages({ ...child, firstName: '  ' })).toEqual(['Enter the child’s first name']);
    expect(messages({ ...child, ethnicity: 'XXXX' })).toEqual(['The child’s ethnicity must be a census ethnicity code, like WBRI']);
    expect(messages({ ...child, dateOfBirth: '2017-02-30' })).toEqual([
      'The child’s date of birth or expected date must be a real date written as YYYY-MM-DD',
    ]);
    expect(messages({ ...child, upn: 'A123456789012', upnUnknownReason: 'UN1' })).toEqual([
      'Give the child’s UPN or the reason it is unknown, not both',
    ]);
    expect(messages({ ...child, disabilities: ['NONE', 'MOB'] })).toEqual([
      'The child’s disabilities cannot be “no disability” and a disability',
    ]);
    expect(messages({ ...child, lastName: 'Jo\u202Ees' })).toEqual([
      'The child’s last name must not contain invisible or control characters',
    ]);
  });

  it('never accepts an NHS number that fails its check digit, however it is spaced', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{10}$/), fc.constantFrom('', ' ', '-'), (digits, separator) => {
        const written = `${digits.slice(0, 3)}${separator}${digits.slice(3, 6)}${separator}${digits.slice(6)}`;
        expect(z.safeParse(networkChildSchema, { ...child, nhsNumber: written }).success).toBe(isValidNhsNumber(digits));
      }),
    );
  });
});

describe('networkFromReferral', () => {
  it('opens with the referral’s children, adults related to each child in the referrer’s words, and the referrer', () => {
    const network = networkFromReferral(family, referralId);
    expect(network.children).toEqual([
      {
        personId: 'child-01JGZ8R1',
        firstName: 'Mia',
        lastName: 'Jones',
        unborn: false,
        dateOfBirth: '2017-03-14',
        sex: 'female',
        genderAsReferred: 'female',
        disabilities: [],
        school: 'Oakfield Primary',
        address: { line1: '1 High Street', town: 'Northtown', postcode: 'NT1 1AA' },
      },
      // "Other" is not a sex the census records: it stays as the referrer's word, and sex waits for a worker.
      {
        personId: 'child-01JGZ8R2',
        firstName: 'Baby',
        lastName: 'Jones',
        unborn: true,
        dateOfBirth: '2026-04-02',
        genderAsReferred: 'other',
        disabilities: [],
      },
    ]);
    expect(
      network.adults.map(({ firstName, relationships, relationshipAsReferred }) => ({ firstName, relationships, relationshipAsReferred })),
    ).toEqual([
      {
        firstName: 'Kim',
        relationshipAsReferred: 'mother',
        relationships: [
          { childId: 'child-01JGZ8R1', relationship: 'mother' },
          { childId: 'child-01JGZ8R2', relationship: 'mother' },
        ],
      },
      {
        firstName: 'Lee',
        relationshipAsReferred: "mother's partner",
        relationships: [
          { childId: 'child-01JGZ8R1', relationship: "mother's partner" },
          { childId: 'child-01JGZ8R2', relationship: "mother's partner" },
        ],
      },
    ]);
    expect(network.professionals).toEqual([
      expect.objectContaining({
        name: 'Ann Teacher',
        role: 'Designated safeguarding lead',
        agency: 'Oakfield Primary',
        email: 'ann@example.org',
        referrer: true,
      }),
    ]);
    expect(network.widerFamily).toEqual([]);
  });

  it('has no professional when the referrer was not one', () => {
    const { professionalReferrer: _, ...fromARelative } = family;
    expect(networkFromReferral(fromARelative, referralId).professionals).toEqual([]);
  });

  it('builds the same network from the same referral, and different ids from another referral', () => {
    expect(networkFromReferral(family, referralId)).toEqual(networkFromReferral(family, referralId));
    const other = networkFromReferral(family, '01JGZ9A1B2C3D4E5F6G7H8J9KM');
    const ids = (network: FamilyNetwork) => [...network.adults, ...network.professionals].map((person) => person.personId);
    expect(ids(other).filter((id) => ids(networkFromReferral(family, referralId)).includes(id))).toEqual([]);
  });

  it('gives every person a distinct id that a change can name', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 30 }),
        fc.stringMatching(/^[A-Za-z0-9]{1,64}$/),
        (childCount, adultCount, id) => {
          const network = networkFromReferral(
            {
              children: Array.from({ length: childCount }, (_, i) => ({
                childId: `child-${i}`,
                firstName: 'A',
                lastName: 'B',
                unborn: false,
              })),
              adults: Array.from({ length: adultCount }, () => ({ firstName: 'C', lastName: 'D', relationship: 'carer' })),
              professionalReferrer: family.professionalReferrer,
            },
            id,
          );
          const ids = [...network.children, ...network.adults, ...network.professionals].map((person) => person.personId);
          expect(new Set(ids).size).toBe(childCount + adultCount + 1);
          for (const personId of ids) expect(personId).toMatch(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/);
        },
      ),
    );
  });

  it('opens a case from an older event with the children’s ids and dates only', () => {
    expect(networkFromChildIds([{ childId: 'child-1', unborn: true, dateOfBirth: '2026-04-02' }])).toEqual({
      children: [{ personId: 'child-1', firstName: '', lastName: '', unborn: true, dateOfBirth: '2026-04-02', disabilities: [] }],
      adults: [],
      widerFamily: [],
      professionals: [],
    });
  });
});

describe('parseNetworkChange', () => {
  const firstMessage = (input: unknown) => {
    const result = parseNetworkChange(input);
    return result.success ? undefined : result.error.issues[0]?.message;
  };

  it('reads each kind of change', () => {
    const adding = parseNetworkChange({
      kind: 'add',
      group: 'widerFamily',
      person: {
        personId: 'p-1',
        firstName: 'Joan',
        lastName: 'Jones',
        relationship: 'maternal grandmother',
        possibleFamilyGroupConferenceParticipant: true,
      },
    });
    expect(adding.success).toBe(true);
    expect(parseNetworkChange({ kind: 'remove', group: 'professionals', personId: 'p-2', reason: 'Moved school' }).success).toBe(true);
  });

  it('reports the field that is wrong, not that the shape matched nothing', () => {
    expect(
      firstMessage({
        kind: 'add',
        group: 'children',
        person: { personId: 'c-9', firstName: '', lastName: 'Jones', unborn: false, disabilities: [] },
      }),
    ).toBe('Enter the child’s first name');
    expect(firstMessage({ kind: 'rename', group: 'children' })).toBe('Say whether to add, correct or remove a person');
    expect(firstMessage({ kind: 'remove', group: 'adults', personId: 'a-1', reason: ' ' })).toBe('Enter the reason for removing them');
    expect(firstMessage({ kind: 'remove', group: 'children', personId: 'c-1', reason: 'Left' })).toBe(
      'A child cannot be removed from the family network',
    );
  });
});

describe('changeNetwork', () => {
  const opened = networkFromReferral(family, referralId);
  const [mia] = opened.children as [NetworkChild];
  const [kim] = opened.adults;
  if (kim === undefined) throw new Error('fixture has adults');

  it('corrects a child and records who, when, and the child before and after', () => {
    const corrected: NetworkChild = { ...mia, ethnicity: 'WBRI', nhsNumber: '9434765919', upnUnknownReason: 'UN2' };
    const result = changeNetwork(opened, { kind: 'correct', group: 'children', personId: mia.personId, person: corrected }, worker, at);
    if (isRefusal(result)) throw new Error(result.refused);
    expect(result.network.children[0]).toEqual(corrected);
    expect(result.network.children[1]).toBe(opened.children[1]);
    expect(result.record).toEqual<NetworkChangeRecord>({
      by: worker,
      at: '2026-02-10T10:00:00.000Z',
      kind: 'correct',
      group: 'children',
      personId: mia.personId,
      before: mia,
      after: corrected,
    });
    // The network read is never changed in place: the store still holds it until the write succeeds.
    expect(opened.children[0]).toBe(mia);
  });

  it('corrects an adult’s relationship to one child and keeps what the referrer said', () => {
    const person = {
      ...kim,
      relationships: [
        { childId: 'child-01JGZ8R1', relationship: 'mother' },
        { childId: 'child-01JGZ8R2', relationship: 'stepmother' },
      ],
    };
    const result = changeNetwork(opened, { kind: 'correct', group: 'adults', personId: kim.personId, person }, worker, at);
    if (isRefusal(result)) throw new Error(result.refused);
    expect(result.network.adults[0]).toMatchObject({ relationshipAsReferred: 'mother', relationships: person.relationships });
  });

  it('adds wider family marked for a family group conference, and removes a professional with the reason', () => {
    const joan = {
      personId: 'p-joan',
      firstName: 'Joan',
      lastName: 'Jones',
      relationship: 'maternal grandmother',
      possibleFamilyGroupConferenceParticipant: true,
    };
    const added = changeNetwork(opened, { kind: 'add', group: 'widerFamily', person: joan }, worker, at);
    if (isRefusal(added)) throw new Error(added.refused);
    expect(added.network.widerFamily).toEqual([joan]);
    expect(added.record).toMatchObject({ kind: 'add', personId: 'p-joan', after: joan });
    expect(added.record.before).toBeUndefined();

    const referrer = opened.professionals[0];
    if (referrer === undefined) throw new Error('fixture has the referrer');
    const removed = changeNetwork(
      opened,
      { kind: 'remove', group: 'professionals', personId: referrer.personId, reason: 'Mia moved school' },
      worker,
      at,
    );
    if (isRefusal(removed)) throw new Error(removed.refused);
    expect(removed.network.professionals).toEqual([]);
    expect(removed.record).toMatchObject({ kind: 'remove', before: referrer, reason: 'Mia moved school' });
  });

  it('refuses a relationship to a child who is not in the network', () => {
    const person = { ...kim, relationships: [{ childId: 'child-elsewhere', relationship: 'aunt' }] };
    expect(changeNetwork(opened, { kind: 'correct', group: 'adults', personId: kim.personId, person }, worker, at)).toEqual({
      refused: 'unknown-child',
      personId: kim.personId,
      childId: 'child-elsewhere',
    });
  });

  it('refuses an unknown person, an id already used anywhere in the network, and a changed id', () => {
    expect(changeNetwork(opened, { kind: 'remove', group: 'adults', personId: 'nobody', reason: 'x' }, worker, at)).toEqual({
      refused: 'unknown-person',
      group: 'adults',
      personId: 'nobody',
    });
    const clash = { personId: mia.personId, name: 'Dr Who', role: 'GP' };
    expect(changeNetwork(opened, { kind: 'add', group: 'professionals', person: clash }, worker, at)).toEqual({
      refused: 'person-id-taken',
      personId: mia.personId,
    });
    expect(
      changeNetwork(
        opened,
        { kind: 'correct', group: 'children', personId: mia.personId, person: { ...mia, personId: 'other' } },
        worker,
        at,
      ),
    ).toEqual({
      refused: 'person-id-changed',
      personId: mia.personId,
    });
  });

  it('refuses a date of birth after today (London), but not an unborn child’s expected date', () => {
    // 23:30 UTC on 31 March is already 1 April in London (BST).
    const lateEvening = new Date('2026-03-31T23:30:00.000Z');
    const born = (dateOfBirth: string) => ({ ...mia, dateOfBirth: dateOfBirth as NetworkChild['dateOfBirth'] });
    const correct = (person: NetworkChild) =>
      changeNetwork(opened, { kind: 'correct', group: 'children', personId: mia.personId, person }, worker, lateEvening);
    expect(isRefusal(correct(born('2026-04-01')))).toBe(false);
    expect(correct(born('2026-04-02'))).toEqual({ refused: 'date-in-future', personId: mia.personId, field: 'dateOfBirth' });
    expect(isRefusal(correct({ ...born('2026-09-01'), unborn: true }))).toBe(false);
  });

  it('refuses a correction that changes nothing, so the history holds only real changes', () => {
    expect(changeNetwork(opened, { kind: 'correct', group: 'children', personId: mia.personId, person: { ...mia } }, worker, at)).toEqual({
      refused: 'nothing-changed',
      personId: mia.personId,
    });
  });

  it('changes exactly the person named, and the record holds what it replaced', () => {
    const people = fc.constantFrom(...opened.children.map((child) => child.personId));
    fc.assert(
      fc.property(people, fc.constantFrom('WBRI', 'AIND', 'NOBT') as fc.Arbitrary<NetworkChild['ethnicity']>, (personId, ethnicity) => {
        const before = opened.children.find((child) => child.personId === personId) as NetworkChild;
        const result = changeNetwork(
          opened,
          { kind: 'correct', group: 'children', personId, person: { ...before, ethnicity } },
          worker,
          at,
        );
        if (isRefusal(result)) throw new Error(result.refused);
        expect(result.record.before).toEqual(before);
        for (const child of result.network.children) {
          if (child.personId !== personId) expect(child).toBe(opened.children.find((old) => old.personId === child.personId));
        }
        expect(result.network.adults).toBe(opened.adults);
      }),
    );
  });
});
