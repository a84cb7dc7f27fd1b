/**
 * The family record's pure parts: a referral added to an open case bringing its people
 * (addReferralPeople), the case summary's text rule, the family page's words and the forms'
 * round trip between a person and the fields a browser posts (web/family-form.ts).
 */

import type { LocalDate } from '@fsp/shared/time/local-date';
import fc from 'fast-check';
import * as z from 'zod/mini';
import {
  addReferralPeople,
  type FamilyNetwork,
  type HouseholdAdult,
  type NetworkChild,
  type NetworkGroup,
  networkFromReferral,
  type Professional,
  type ReferralFamily,
  type WiderFamilyMember,
} from '../../src/domain/family-network';
import { SUMMARY_MAX_LENGTH, summaryTextSchema } from '../../src/domain/summary';
import { caseHeaderView, summaryView } from '../../src/web/case-view';
import { changeFromForm, fieldOfPath, formValuesOf, personFormValues, removalFromForm } from '../../src/web/family-form';
import { ageOn, familyPageView, groupOfSlug, lastChangedText, nhsNumberText } from '../../src/web/family-view';

const family: ReferralFamily = {
  children: [
    { childId: 'child-1', firstName: 'Mia', lastName: 'Jones', unborn: false, dateOfBirth: '2017-03-14', gender: 'female' },
    { childId: 'child-2', firstName: 'Baby', lastName: 'Jones', unborn: true, dateOfBirth: '2026-04-02' },
  ],
  adults: [
    { firstName: 'Kerry', lastName: 'Jones', dateOfBirth: '1992-07-30', relationship: 'mother' },
    { firstName: 'Dean', lastName: 'Carter', relationship: "mother's partner" },
  ],
  professionalReferrer: { name: 'Amara Okafor', organisation: 'Oakfield Primary School', email: 'dsl@oakfield.example.sch.uk' },
};
const opened = networkFromReferral(family, 'ref-1');

describe('addReferralPeople', () => {
  it('adds new children, relates a known adult to them, adds new adults, and keeps a known referrer once', () => {
    const second: ReferralFamily = {
      children: [
        { childId: 'child-1', firstName: 'Mia', lastName: 'Jones', unborn: false },
        { childId: 'child-3', firstName: 'Tyler', lastName: 'Jones', unborn: false, dateOfBirth: '2019-08-01' },
      ],
      adults: [
        { firstName: ' KERRY ', lastName: 'jones', dateOfBirth: '1992-07-30', relationship: 'mum' },
        { firstName: 'Wayne', lastName: 'Price', relationship: 'father' },
      ],
      professionalReferrer: { name: 'A. Okafor', email: 'DSL@oakfield.example.sch.uk' },
    };
    const { network, added, extended } = addReferralPeople(opened, second, 'ref-2');
    expect(network.children.map((child) => child.personId)).toEqual(['child-1', 'child-2', 'child-3']);
    expect(added.map(({ group, person }) => [group, person.personId.replace(/-[0-9a-f]{16}-/, '-…-')])).toEqual([
      ['children', 'child-3'],
      ['adults', 'adult-…-2'],
    ]);
    expect(extended).toHaveLength(1);
    // Kerry keeps what she was to the first children and gains only Tyler, in this referrer's words.
    expect(network.adults[0]?.relationships).toEqual([
      { childId: 'child-1', relationship: 'mother' },
      { childId: 'child-2', relationship: 'mother' },
      { childId: 'child-3', relationship: 'mum' },
    ]);
    expect(network.professionals).toHaveLength(1);
  });

  it('brings nothing new the second time, and never leaves two people with one id or an adult related to a stranger', () => {
    const person = fc.record({ firstName: fc.constantFrom('Kerry', 'Dean', 'Wayne', 'Sue'), lastName: fc.constantFrom('Jones', 'Price') });
    const referral = fc.record({
      children: fc.uniqueArray(
        fc.record({
          childId: fc.constantFrom('child-1', 'child-2', 'child-3', 'child-4'),
          firstName: fc.constant('C'),
          lastName: fc.constant('J'),
          unborn: fc.boolean(),
        }),
        { minLength: 1, maxLength: 4, selector: (child) => child.childId },
      ),
      adults: fc.array(
        fc.record({
          ...{ firstName: person.map((p) => p.firstName), lastName: person.map((p) => p.lastName) },
          relationship: fc.constantFrom('mother', 'father', 'aunt'),
        }),
        { maxLength: 4 },
      ),
    });
    fc.assert(
      fc.property(referral, fc.constantFrom('ref-2', 'ref-3'), (next, referralId) => {
        const once = addReferralPeople(opened, next, referralId);
        const twice = addReferralPeople(once.network, next, referralId);
        expect(twice.added).toEqual([]);
        expect(twice.extended).toEqual([]);
        expect(twice.network).toEqual(once.network);
        const ids = (['children', 'adults', 'widerFamily', 'professionals'] as const).flatMap((group) =>
          once.network[group].map((p) => p.personId),
        );
        expect(new Set(ids).size).toBe(ids.length);
        const childIds = new Set(once.network.children.map((child) => child.personId));
        for (const adult of once.network.adults) for (const entry of adult.relationships) expect(childIds.has(entry.childId)).toBe(true);
        // Nothing already recorded is removed.
        for (const child of opened.children) expect(once.network.children).toContainEqual(child);
      }),
    );
  });
});

describe('summaryTextSchema', () => {
  it('keeps plain text of up to 2000 characters, trimmed and with \\n line breaks', () => {
    expect(z.parse(summaryTextSchema, '  One.\r\n\r\nTwo.\rThree.  ')).toBe('One.\n\nTwo.\nThree.');
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\n', 'é', '’'), minLength: 1, maxLength: SUMMARY_MAX_LENGTH }),
        (text) => {
          fc.pre(text.trim() !== '');
          expect(z.parse(summaryTextSchema, text)).toBe(text.trim());
        },
      ),
    );
  });

  it('refuses an empty summary, one over 2000 characters and invisible characters, naming the field', () => {
    const message = (text: string) => z.safeParse(summaryTextSchema, text).error?.issues[0]?.message ?? '';
    expect(message('   ')).toBe('Enter the case summary');
    expect(message('x'.repeat(SUMMARY_MAX_LENGTH + 1))).toBe('The case summary must be 2000 characters or fewer');
    fc.assert(
      fc.property(fc.constantFrom('\u0000', '\u202E', '\u200B', '\uFEFF', '\u001B'), fc.string({ maxLength: 20 }), (bad, around) => {
        // Inside the text: at either end a BOM (U+FEFF) is whitespace to trim, and trimmed away harmlessly.
        expect(message(`Hello${bad}x${around}`)).toBe('The case summary must not contain invisible or control characters');
      }),
    );
  });
});

describe('the family page’s words', () => {
  it('gives ages in whole years, NHS numbers in 3-3-4 groups, and the group of an address', () => {
    expect(ageOn('2017-03-14' as LocalDate, '2026-03-13' as LocalDate)).toBe(8);
    expect(ageOn('2017-03-14' as LocalDate, '2026-03-14' as LocalDate)).toBe(9);
    expect(ageOn('2024-02-29' as LocalDate, '2025-02-28' as LocalDate)).toBe(0);
    expect(nhsNumberText('4857773456')).toBe('485 777 3456');
    expect(groupOfSlug('wider-family')).toBe('widerFamily');
    expect(groupOfSlug('widerFamily')).toBeUndefined();
  });

  it('says who changed the network last, or that it is as the referral gave it', () => {
    expect(lastChangedText({ updatedAt: '2026-12-01T10:00:00.000Z' })).toBe('As the referral gave it, Tuesday 1 December 2026');
    expect(lastChangedText({ updatedAt: '2026-12-01T10:00:00.000Z', updatedBy: { userId: 'u', name: 'Sam Patel' } })).toBe(
      'Last changed Tuesday 1 December 2026 by Sam Patel',
    );
  });

  it('offers forms only to a worker who may change the network, and never a removal of a child', () => {
    const item = { caseId: 'case-1', network: opened, version: 1, updatedAt: '2026-01-05T10:00:00.000Z' };
    const now = new Date('2026-01-06T10:00:00.000Z');
    const reader = familyPageView(item, 'case-1', { now, mayChange: false });
    expect(
      reader.groups.flatMap((group) => [group.addHref, ...group.people.flatMap((p) => [p.editHref, p.removeHref])]).filter(Boolean),
    ).toEqual([]);
    const writer = familyPageView(item, 'case-1', { now, mayChange: true });
    const children = writer.groups.find((group) => group.group === 'children');
    expect(children?.people.map((p) => [p.name, p.editHref, p.removeHref])).toEqual([
      ['Mia Jones', '/cases/case-1/family/children/child-1/edit', undefined],
      ['Baby Jones', '/cases/case-1/family/children/child-2/edit', undefined],
    ]);
    expect(writer.groups.find((group) => group.group === 'adults')?.people[0]?.lines).toEqual([
      { key: 'Relationship to each child', items: ['Mother of Mia Jones', 'Mother of Baby Jones'] },
    ]);
  });

  it('marks the current page in the case header and shows a summary’s paragraphs and its last update', () => {
    const header = caseHeaderView({ caseId: 'case-1', reference: 'FSP-1', status: 'child-protection', urgent: true }, 'family');
    expect(header).toMatchObject({ status: 'Child protection', statusClasses: 'govuk-tag--red', urgent: true });
    expect(header.navigation.map((item) => [item.text, item.href, item.active])).toEqual([
      ['Overview', '/cases/case-1', false],
      ['Family and network', '/cases/case-1/family', true],
      ['Notes', '/cases/case-1/notes', false],
      ['Chronology', '/cases/case-1/chronology', false],
      ['Statutory path', '/cases/case-1/path', false],
      ['Plan', '/cases/case-1/plan', false],
    ]);
    expect(
      summaryView({ text: 'One\ntwo\n\nThree', updatedAt: '2026-12-03T09:00:00.000Z', updatedBy: { userId: 'u', name: 'Sam Patel' } }),
    ).toEqual({
      paragraphs: [['One', 'two'], ['Three']],
      lastUpdated: 'Last updated Thursday 3 December 2026 by Sam Patel',
    });
  });
});

describe('the family forms', () => {
  const network: FamilyNetwork = {
    ...opened,
    widerFamily: [
      {
        personId: 'gran-1',
        firstName: 'Pat',
        lastName: 'Jones',
        relationship: 'grandmother',
        possibleFamilyGroupConferenceParticipant: true,
        phone: '01632 960 001',
      },
    ],
  };
  const people: Array<[NetworkGroup, NetworkChild | HouseholdAdult | WiderFamilyMember | Professional]> = [
    [
      'children',
      {
        ...(network.children[0] as NetworkChild),
        ethnicity: 'WBRI',
        disabilities: ['HEAR', 'VIS'],
        nhsNumber: '9434765919',
        upnUnknownReason: 'UN1',
      },
    ],
    ['children', network.children[1] as NetworkChild],
    ['adults', network.adults[0] as HouseholdAdult],
    ['adults', network.adults[1] as HouseholdAdult],
    ['widerFamily', network.widerFamily[0] as WiderFamilyMember],
    ['professionals', network.professionals[0] as Professional],
  ];

  it('shows a person in their correction form and reads the same fields back as the same person', () => {
    for (const [group, person] of people) {
      const values = personFormValues(group, person, network);
      const posted = formValuesOf(group, values as Record<string, string | string[]>, network);
      const result = changeFromForm('correct', group, posted, network, person.personId, person);
      expect({ group, result }).toEqual({
        group,
        result: { ok: true, change: { kind: 'correct', group, personId: person.personId, person } },
      });
    }
  });

  it('reads any date typed as day, month and year as that date, or names the date field', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1920-01-01'), max: new Date('2025-12-31'), noInvalidDate: true }), (date) => {
        const [year, month, day] = date.toISOString().slice(0, 10).split('-');
        const values = {
          firstName: 'Sue',
          lastName: 'Price',
          'dateOfBirth-day': String(Number(day)),
          'dateOfBirth-month': String(Number(month)),
          'dateOfBirth-year': year ?? '',
        };
        const result = changeFromForm('add', 'adults', values, network, 'adult-x');
        expect(result.ok && result.change.kind === 'add' && (result.change.person as HouseholdAdult).dateOfBirth).toBe(
          `${year}-${month}-${day}`,
        );
      }),
    );
    for (const [day, month, year] of [
      ['31', '2', '2019'],
      ['1', '', '2019'],
      ['x', '1', '2019'],
      ['1', '1', '19'],
    ]) {
      const result = changeFromForm(
        'add',
        'adults',
        {
          firstName: 'Sue',
          lastName: 'Price',
          'dateOfBirth-day': day ?? '',
          'dateOfBirth-month': month ?? '',
          'dateOfBirth-year': year ?? '',
        },
        network,
        'adult-x',
      );
      expect(result).toEqual({
        ok: false,
        errors: [{ field: 'dateOfBirth', href: '#dateOfBirth-day', text: 'Enter the date of birth as a real date, like 27 3 2019' }],
      });
    }
  });

  it('names each field of a refused form once, with the id the error summary links to', () => {
    const result = changeFromForm(
      'add',
      'children',
      {
        firstName: '',
        lastName: '',
        unborn: '',
        nhsNumber: '12',
        addressLine1: '1 High St',
        addressPostcode: 'nope',
        disabilities: ['NONE', 'MOB'],
      },
      network,
      'child-x',
    );
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.errors.map((error) => error.href)).toEqual([
      '#firstName',
      '#lastName',
      '#unborn',
      '#disabilities',
      '#nhsNumber',
      '#addressTown',
      '#addressPostcode',
    ]);
    expect(
      fieldOfPath('adults', ['person', 'relationships', 0, 'relationship'], { relationships: [{ childId: 'child-2' }] }, network),
    ).toEqual({
      field: 'relationship-1',
      href: '#relationship-1',
    });
    expect(removalFromForm('adults', '', 'adult-1')).toEqual({
      ok: false,
      errors: [{ field: 'reason', href: '#reason', text: 'Enter the reason for removing them' }],
    });
    expect(removalFromForm('children', 'Left', 'child-1').ok).toBe(false);
  });

  it('takes whatever a browser posts without throwing, answering a change or the fields to correct', () => {
    const field = fc.oneof(fc.string({ maxLength: 30 }), fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }));
    const groups = fc.constantFrom<NetworkGroup>('children', 'adults', 'widerFamily', 'professionals');
    fc.assert(
      fc.property(groups, fc.dictionary(fc.string({ maxLength: 20 }), field), (group, body) => {
        const values = formValuesOf(group, body, network);
        const result = changeFromForm('add', group, values, network, 'person-new');
        if (!result.ok) {
          expect(result.errors.length).toBeGreaterThan(0);
          expect(new Set(result.errors.map((error) => error.field)).size).toBe(result.errors.length);
        }
      }),
    );
  });
});
