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

/**
 * Presenting factors. Where a factor can concern more than the child, suffix A is the child, B a
 * parent or carer, C another person in the household; the others are as DOMAIN.md lists them.
 */
const PERSON_SUFFIXES = ['A', 'B', 'C'] as const;
const FACTORS_FOR_ANYONE = ['1', '2', '3', '4', '5', '6', '18', '19'] as const;
export const FACTOR_CODES = [
  ...FACTORS_FOR_ANYONE.flatMap((factor) => PERSON_SUFFIXES.map((suffix) => `${factor}${suffix}` as const)),
  '7A', // young carer
  '8', // privately fostered
  '9A', // unaccompanied asylum-seeking child
  '10A', // missing
  '11A', // child sexual exploitation
  '12A', // trafficking
  '13A', // gangs
  '14A', // socially unacceptable behaviour
  '15A', // self-harm
  '16A', // neglect
  '17A', // emotional abuse
  '20', // other
  '21', // no factors identified
  '22A', // female genital mutilation
  '23A', // abuse linked to faith or belief
  '24A', // child criminal exploitation
] as const;
export type FactorCode = (typeof FACTOR_CODES)[number];

/**
 * Alcohol, drugs, domestic violence and mental health concerning a parent, carer or another adult
 * in the household: the adult factors Family Safeguarding's specialists work with.
 */
export const FAMILY_SAFEGUARDING_ADULT_FACTORS: readonly FactorCode[] = ['1B', '1C', '2B', '2C', '3B', '3C', '4B', '4C'];

/** Children in Need census closure reasons (DOMAIN.md, Codes): RC8 no further action after assessment, RC9 early help after assessment. */
export const CLOSURE_REASON_CODES = ['RC1', 'RC2', 'RC3', 'RC4', 'RC5', 'RC6', 'RC7', 'RC8', 'RC9'] as const;
export type ClosureReasonCode = (typeof CLOSURE_REASON_CODES)[number];

/** Children in Need census category of abuse of a child protection plan (DOMAIN.md, Codes). */
export const CATEGORIES_OF_ABUSE = ['NEG', 'PHY', 'SAB', 'EMO', 'MUL'] as const;
export type CategoryOfAbuse = (typeof CATEGORIES_OF_ABUSE)[number];
