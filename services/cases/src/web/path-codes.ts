/**
 * The statutory path's census codes as a practitioner reads them on the pages (DOMAIN.md, Codes):
 * each factor identified at assessment with its code and words, grouped by whom it concerns (the
 * code's suffix: A the child, B a parent or carer, C another person in the household), and the
 * category of abuse, primary need and closure reason with theirs. domain/path.ts holds the words of
 * every code but the factors; theirs are here, where only the pages need them. Pure.
 */
import { FACTOR_WORDS_BY_NUMBER, FACTORS_FOR_ANYONE } from '@fsp/shared/events/code-words';
import type { CategoryOfAbuse, ClosureReasonCode } from '@fsp/shared/events/codes';
import {
  ASSESSMENT_FACTOR_CODES,
  type AssessmentFactorCode,
  CATEGORY_WORDS,
  CLOSURE_REASON_WORDS,
  PRIMARY_NEED_WORDS,
  type PrimaryNeedCode,
} from '../domain/path';

/** Private fostering is one factor with five census codes, each saying which arrangement it is. */
const PRIVATE_FOSTERING_WORDS: Readonly<Record<string, string>> = {
  '8B': 'Privately fostered: overseas, intending to return',
  '8C': 'Privately fostered: overseas, intending to stay',
  '8D': 'Privately fostered: UK, educational placement',
  '8E': 'Privately fostered: UK, alternative family arrangement',
  '8F': 'Privately fostered: other',
};

const numberOf = (code: string): string => /^\d+/.exec(code)?.[0] ?? code;

/** Each factor's words, without whom it concerns: "Domestic abuse" for 3A, 3B and 3C. */
export const FACTOR_WORDS: Readonly<Record<AssessmentFactorCode, string>> = Object.fromEntries(
  ASSESSMENT_FACTOR_CODES.map((code) => [code, PRIVATE_FOSTERING_WORDS[code] ?? FACTOR_WORDS_BY_NUMBER[numberOf(code)] ?? code]),
) as Record<AssessmentFactorCode, string>;

export type FactorSubject = 'child' | 'parent' | 'other-person' | 'private-fostering' | 'overall';

const SUBJECT_OF_SUFFIX: Readonly<Record<string, FactorSubject>> = { A: 'child', B: 'parent', C: 'other-person' };

export function subjectOf(code: AssessmentFactorCode): FactorSubject {
  if (code in PRIVATE_FOSTERING_WORDS) return 'private-fostering';
  if (code === '20' || code === '21') return 'overall';
  return SUBJECT_OF_SUFFIX[code.slice(-1)] ?? 'overall';
}

/** The assessment form's groups of factors, in the order it shows them, each with its legend. */
export const FACTOR_GROUPS: ReadonlyArray<{ subject: FactorSubject; legend: string; codes: AssessmentFactorCode[] }> = [
  { subject: 'child', legend: 'Concerns about the child' },
  { subject: 'parent', legend: 'Concerns about a parent or carer' },
  { subject: 'other-person', legend: 'Concerns about another person in the household' },
  { subject: 'private-fostering', legend: 'Private fostering' },
  { subject: 'overall', legend: 'Other, or none' },
].map((group) => ({
  ...(group as { subject: FactorSubject; legend: string }),
  codes: ASSESSMENT_FACTOR_CODES.filter((code) => subjectOf(code) === group.subject),
}));

const CONCERNING: Readonly<Partial<Record<FactorSubject, string>>> = {
  child: 'the child',
  parent: 'a parent or carer',
  'other-person': 'another person in the household',
};

/** "3B Domestic abuse, concerning a parent or carer"; "16A Neglect": the code first, as the census lists it. */
export function factorText(code: AssessmentFactorCode): string {
  const whom = FACTORS_FOR_ANYONE.has(numberOf(code)) ? CONCERNING[subjectOf(code)] : undefined;
  return `${code} ${FACTOR_WORDS[code]}${whom ? `, concerning ${whom}` : ''}`;
}

/** "NEG Neglect". */
export const categoryText = (code: CategoryOfAbuse): string => `${code} ${CATEGORY_WORDS[code]}`;

/** "N1 Abuse or neglect". */
export const primaryNeedText = (code: PrimaryNeedCode): string => `${code} ${PRIMARY_NEED_WORDS[code]}`;

/** "RC7 Services ceased for any other reason, including the child no longer in need". */
export const closureReasonText = (code: ClosureReasonCode): string => `${code} ${CLOSURE_REASON_WORDS[code]}`;
