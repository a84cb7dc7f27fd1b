/**
 * The census codes (DOMAIN.md, Codes) as a member of the public would recognise them. The form
 * shows the words; the referral carries the codes.
 */
import type { FactorCode, ReferralSourceCode } from '@fsp/shared/events/codes';

export interface Choice<V extends string> {
  value: V;
  text: string;
  hint?: string;
}

/** The first question about the referrer: which of the two lists below to ask from. */
export type ReferrerType = 'professional' | 'public';

export const REFERRER_TYPE_CHOICES: readonly Choice<ReferrerType>[] = [
  {
    value: 'professional',
    text: 'A professional',
    hint: 'You work with children or families, for example in a school, the NHS, the police, the council or a charity.',
  },
  {
    value: 'public',
    text: 'A member of the public',
    hint: 'For example, a parent, a relative, a neighbour, or the child or young person themselves. You can also refer without saying who you are.',
  },
];

/**
 * Who is referring, when a member of the public. "I would rather not say" is an anonymous referral
 * (9): no contact details are asked, and nobody is told the outcome (DOMAIN.md, Referrals 5).
 */
export const PUBLIC_SOURCE_CHOICES: readonly Choice<ReferralSourceCode>[] = [
  { value: '1A', text: 'A member of the child’s family, a relative or carer' },
  { value: '1B', text: 'A friend, neighbour or someone else who knows the family' },
  { value: '1C', text: 'The child or young person, referring themselves' },
  { value: '1D', text: 'Another member of the public' },
  {
    value: '9',
    text: 'I would rather not say',
    hint: 'You can refer anonymously. We will not ask for your name or contact details, so we will not be able to tell you what happens.',
  },
];

/** Who is referring, when a professional: where they work, by the census's sources. */
export const PROFESSIONAL_SOURCE_CHOICES: readonly Choice<ReferralSourceCode>[] = [
  { value: '2A', text: 'Someone from a school or college' },
  { value: '2B', text: 'Someone from another education service' },
  { value: '3A', text: 'Someone from a GP practice' },
  { value: '3B', text: 'A health visitor' },
  { value: '3C', text: 'A school nurse' },
  { value: '3D', text: 'Someone from another primary health service, for example a dentist or pharmacy' },
  { value: '3E', text: 'Someone from A&E (accident and emergency)' },
  { value: '3F', text: 'Someone from another health service, for example a hospital or mental health service' },
  { value: '4', text: 'Someone from a housing service or landlord' },
  { value: '5A', text: 'Someone from the council’s children’s social care' },
  { value: '5B', text: 'Someone from another council service' },
  { value: '5C', text: 'Someone from another council' },
  { value: '5D', text: 'Someone from an early help service' },
  { value: '6', text: 'Someone from the police' },
  { value: '7', text: 'Someone from another legal service, for example probation, youth justice or a court' },
  { value: '8', text: 'Someone from another organisation' },
];

/**
 * Every source the form offers, in two steps (WEB.md: a professional or a member of the public,
 * then which). 10 (unknown) is not offered: a referrer either says who they are or refers
 * anonymously. The codes stored are the census's (DOMAIN.md, Codes), whichever step offered them.
 */
export const REFERRAL_SOURCE_CHOICES: readonly Choice<ReferralSourceCode>[] = [...PUBLIC_SOURCE_CHOICES, ...PROFESSIONAL_SOURCE_CHOICES];

export const SOURCE_CHOICES_BY_TYPE: Readonly<Record<ReferrerType, readonly Choice<ReferralSourceCode>[]>> = {
  professional: PROFESSIONAL_SOURCE_CHOICES,
  public: PUBLIC_SOURCE_CHOICES,
};

/** Which list a source is in: what the first question's answer was. */
export const referrerTypeOf = (source: ReferralSourceCode): ReferrerType =>
  PUBLIC_SOURCE_CHOICES.some((choice) => choice.value === source) ? 'public' : 'professional';

/** What can concern anyone in the household; the census suffix says who: A the child, B a parent or carer, C someone else. */
const CONCERNS_ABOUT_ANYONE: readonly [string, string][] = [
  ['1', 'Drinking too much alcohol'],
  ['2', 'Using drugs'],
  ['3', 'Domestic abuse'],
  ['4', 'Mental health'],
  ['5', 'Learning disability'],
  ['6', 'Physical disability or illness'],
  ['18', 'Physical abuse'],
  ['19', 'Sexual abuse'],
];

export interface FactorGroup {
  legend: string;
  choices: readonly Choice<FactorCode>[];
}

const about = (suffix: 'A' | 'B' | 'C'): Choice<FactorCode>[] =>
  CONCERNS_ABOUT_ANYONE.map(([code, text]) => ({ value: `${code}${suffix}` as FactorCode, text }));

export const FACTOR_GROUPS: readonly FactorGroup[] = [
  {
    legend: 'About the child',
    choices: [
      ...about('A'),
      { value: '16A', text: 'Neglect' },
      { value: '17A', text: 'Emotional abuse' },
      { value: '15A', text: 'Self-harm' },
      { value: '10A', text: 'Going missing' },
      { value: '11A', text: 'Child sexual exploitation' },
      { value: '24A', text: 'Child criminal exploitation, for example county lines' },
      { value: '13A', text: 'Involvement with gangs' },
      { value: '12A', text: 'Trafficking' },
      { value: '22A', text: 'Female genital mutilation (FGM)' },
      { value: '23A', text: 'Abuse linked to faith or belief' },
      { value: '14A', text: 'Behaviour that puts them or others at risk' },
      { value: '7A', text: 'Caring for someone in the family (young carer)' },
      { value: '8', text: 'Living with someone who is not a close relative (private fostering)' },
      { value: '9A', text: 'Came to the UK alone to seek asylum' },
    ],
  },
  { legend: 'About a parent or carer', choices: about('B') },
  { legend: 'About someone else in the household', choices: about('C') },
  { legend: 'Anything else', choices: [{ value: '20', text: 'Something else' }] },
];

/** Census 21: no factors identified. Offered as "None of these", which excludes the others. */
export const NO_FACTORS: FactorCode = '21';

export const GENDER_CHOICES = [
  { value: 'female', text: 'Female' },
  { value: 'male', text: 'Male' },
  { value: 'other', text: 'Another gender' },
  { value: 'not-known', text: 'Not known' },
] as const satisfies readonly Choice<string>[];

export const YES_NO = [
  { value: 'yes', text: 'Yes' },
  { value: 'no', text: 'No' },
] as const satisfies readonly Choice<string>[];

export const textOf = <V extends string>(choices: readonly Choice<V>[], value: V | undefined): string =>
  choices.find((choice) => choice.value === value)?.text ?? '';

export const factorText = (code: FactorCode): string => {
  if (code === NO_FACTORS) return 'None of these';
  for (const group of FACTOR_GROUPS) {
    const choice = group.choices.find((c) => c.value === code);
    if (choice) return group.choices === FACTOR_GROUPS[3]?.choices ? choice.text : `${choice.text} (${group.legend.toLowerCase()})`;
  }
  return code;
};
