/** Children in Need census vocabulary (DOMAIN.md, Codes), as the events carry it. */
export const REFERRAL_SOURCE_CODES = [
  '1A', // family member / relative / carer
  '1B', // acquaintance
  '1C', // self
  '1D', // other individual
  '2A', // schools
  '2B', // education services
  '3A', // GP
  '3B', // health visitor
  '3C', // school nurse
  '3D', // other primary health services
  '3E', // A&E
  '3F', // other health services
  '4', // housing
  '5A', // LA services: social care
  '5B', // LA services: other internal
  '5C', // LA services: external (another local authority)
  '5D', // early help
  '6', // police
  '7', // other legal agency
  '8', // other
  '9', // anonymous
  '10', // unknown
] as const;

export type ReferralSourceCode = (typeof REFERRAL_SOURCE_CODES)[number];

export const REFERRAL_OUTCOMES = ['no-further-action', 'early-help', 'assessment', 'strategy-discussion', 'added-to-open-case'] as const;
export type ReferralOutcome = (typeof REFERRAL_OUTCOMES)[number];

/** The outcomes that hand the family to a case-holding team. */
export const ACCEPTED_OUTCOMES = ['assessment', 'strategy-discussion', 'added-to-open-case'] as const;
export type AcceptedOutcome = (typeof ACCEPTED_OUTCOMES)[number];
