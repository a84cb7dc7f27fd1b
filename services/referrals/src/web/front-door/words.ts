/**
 * The front door's words for what a referral holds: the census codes as a practitioner knows them
 * (DOMAIN.md, Codes: the words and the code), the outcomes, the statuses. The public form has its
 * own words for the same codes (src/web/choices.ts), written for the person referring.
 */
import { FACTOR_WORDS_BY_NUMBER, FACTORS_FOR_ANYONE, REFERRAL_SOURCE_WORDS } from '@fsp/shared/events/code-words';
import type { FactorCode, ReferralOutcome, ReferralSourceCode } from '@fsp/shared/events/codes';
import type { MatchStrength } from '../../domain/known-family';
import type { ReferralChannel, ReferralStatus } from '../../domain/referral';

/** "School (2A)". */
export const sourceText = (code: ReferralSourceCode): string => `${REFERRAL_SOURCE_WORDS[code]} (${code})`;

const CONCERNING: Readonly<Record<string, string>> = { A: 'the child', B: 'a parent or carer', C: 'another person in the household' };
/** "Domestic abuse, concerning a parent or carer (3B)"; "Neglect (16A)". */
export function factorText(code: FactorCode): string {
  const [, number = '', suffix = ''] = /^(\d+)([A-C]?)$/.exec(code) ?? [];
  const words = FACTOR_WORDS_BY_NUMBER[number] ?? 'Unknown factor';
  const whom = FACTORS_FOR_ANYONE.has(number) ? CONCERNING[suffix] : undefined;
  return `${whom ? `${words}, concerning ${whom}` : words} (${code})`;
}

export const OUTCOME_WORDS: Readonly<Record<ReferralOutcome, string>> = {
  'no-further-action': 'No further action',
  'early-help': 'Step down to early help or signpost',
  assessment: 'Child and Family assessment (section 17)',
  'strategy-discussion': 'Strategy discussion (section 47)',
  'added-to-open-case': 'Added to an open case',
};

/** The outcomes in the order the decision form offers them, each with what it means. */
export const OUTCOME_HINTS: Readonly<Record<ReferralOutcome, string>> = {
  'no-further-action': 'Give the reason. The referral is closed.',
  'early-help': 'The family is offered early help, or signposted to another service.',
  assessment: 'Opens a case for the team you choose. The assessment is due within 45 working days.',
  'strategy-discussion': 'Reasonable cause to suspect significant harm. Opens an urgent case for the team you choose.',
  'added-to-open-case': 'The family already has an open case: the referral is added to it.',
};

export const STATUS_WORDS: Readonly<Record<ReferralStatus, string>> = {
  received: 'New',
  'in-screening': 'In screening',
  decided: 'Decided',
};

/** GOV.UK tag colours: new work stands out, work in hand is quieter, finished work is grey. */
export const STATUS_TAG_CLASSES: Readonly<Record<ReferralStatus, string>> = {
  received: 'govuk-tag--blue',
  'in-screening': 'govuk-tag--yellow',
  decided: 'govuk-tag--grey',
};

export const CHANNEL_WORDS: Readonly<Record<ReferralChannel, string>> = {
  form: 'Online referral form',
  'partner-api': 'Partner agency’s system',
};

export const STRENGTH_WORDS: Readonly<Record<MatchStrength, string>> = {
  strong: 'Strong match',
  possible: 'Possible match',
};

export const GENDER_WORDS: Readonly<Record<string, string>> = {
  female: 'Female',
  male: 'Male',
  other: 'Another gender',
  'not-known': 'Not known',
};

/** "1 child", "2 children". */
export const childrenText = (count: number): string => `${count} ${count === 1 ? 'child' : 'children'}`;

/** "Sentence case" for a word that opens a line: "due today" → "Due today". */
export const capitalised = (text: string): string => (text.length === 0 ? text : `${text[0]!.toUpperCase()}${text.slice(1)}`);
