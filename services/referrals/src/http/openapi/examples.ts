/**
 * A complete, valid example of every request body of the partner API v1, shown in the OpenAPI
 * document. A test validates each against the schema its handler uses.
 */
export const submitReferralExample = {
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
    { firstName: 'Baby', lastName: 'Jones', expectedDateOfBirth: '2026-12-20' },
  ],
  adults: [
    { firstName: 'Kerry', lastName: 'Jones', dateOfBirth: '1994-07-02', relationship: 'mother' },
    { firstName: 'Dean', lastName: 'Walsh', relationship: "mother's partner" },
  ],
  concerns: {
    whatHappened: 'Mia said her mum was hurt by her partner at the weekend and that she hid in her room.',
    whyNow: 'This is the third disclosure this term and Mia is frightened to go home.',
  },
  factors: ['3B', '17A'],
  consent: { familyKnows: false, consentGiven: false, withoutConsentReason: 'Telling the mother first could put her and Mia at risk.' },
};

export const registerWebhookExample = { url: 'https://partner.example.org/hooks/fsp' };

export const tokenRequestExample = { grant_type: 'client_credentials', scope: 'referrals/submit referrals/read' };
