import type { z } from 'zod/mini';
import type { referralSubmissionSchema } from '../../src/domain/submission';

/** A complete, valid referral as a school would send it. */
export const schoolReferral = (): z.input<typeof referralSubmissionSchema> => ({
  referrer: {
    name: 'Amara Okafor',
    role: 'Designated safeguarding lead',
    organisation: 'Oakfield Primary School',
    email: 'dsl@oakfield.example.sch.uk',
    phone: '01632 960 123',
  },
  referralSource: '2A',
  children: [
    {
      firstName: 'Mia',
      lastName: 'Jones',
      dateOfBirth: '2018-03-14',
      gender: 'female',
      address: { line1: '12 Elm Road', town: 'Northtown', postcode: 'NT1 4AB' },
      school: 'Oakfield Primary School',
    },
  ],
  adults: [{ firstName: 'Kerry', lastName: 'Jones', relationship: 'mother' }],
  concerns: {
    whatHappened: 'Mia said her mum was hurt by her partner at the weekend and that she hid in her room.',
    whyNow: 'This is the third disclosure this term and Mia is frightened to go home.',
  },
  factors: ['3B', '17A'],
  consent: { familyKnows: false, consentGiven: false, withoutConsentReason: 'Telling the mother first could put her and Mia at risk.' },
});
