/**
 * The census codes' words as a practitioner knows them (DOMAIN.md, Codes), shared by every page
 * that shows a code: the front door's referral and the case's census return say a source or a
 * factor the same way. The public form has its own words for the same codes, written for the
 * person referring (services/referrals/src/web/choices.ts).
 */
import type { ReferralSourceCode } from './codes';

export const REFERRAL_SOURCE_WORDS: Readonly<Record<ReferralSourceCode, string>> = {
  '1A': 'Family member, relative or carer',
  '1B': 'Acquaintance',
  '1C': 'Self',
  '1D': 'Other individual',
  '2A': 'School',
  '2B': 'Education services',
  '3A': 'GP',
  '3B': 'Health visitor',
  '3C': 'School nurse',
  '3D': 'Other primary health services',
  '3E': 'A&E',
  '3F': 'Other health services',
  '4': 'Housing',
  '5A': 'Local authority children’s social care',
  '5B': 'Other internal local authority service',
  '5C': 'External local authority',
  '5D': 'Early help',
  '6': 'Police',
  '7': 'Other legal agency',
  '8': 'Other',
  '9': 'Anonymous',
  '10': 'Unknown',
};

/** A factor's words by its number (the code without its suffix); the suffix says whom it concerns. */
export const FACTOR_WORDS_BY_NUMBER: Readonly<Record<string, string>> = {
  '1': 'Alcohol misuse',
  '2': 'Drug misuse',
  '3': 'Domestic abuse',
  '4': 'Mental health',
  '5': 'Learning disability',
  '6': 'Physical disability or illness',
  '7': 'Young carer',
  '8': 'Privately fostered',
  '9': 'Unaccompanied asylum-seeking child',
  '10': 'Going or being missing',
  '11': 'Child sexual exploitation',
  '12': 'Trafficking',
  '13': 'Gangs',
  '14': 'Socially unacceptable behaviour',
  '15': 'Self-harm',
  '16': 'Neglect',
  '17': 'Emotional abuse',
  '18': 'Physical abuse',
  '19': 'Sexual abuse',
  '20': 'Other',
  '21': 'No factors identified',
  '22': 'Female genital mutilation',
  '23': 'Abuse linked to faith or belief',
  '24': 'Child criminal exploitation',
};

/** The factors that can concern the child, a parent or carer or another person: for these the suffix is worth saying. */
export const FACTORS_FOR_ANYONE: ReadonlySet<string> = new Set(['1', '2', '3', '4', '5', '6', '18', '19']);
