/**
 * The known-family check at intake (DOMAIN.md, Referrals 3): is a child in a new referral one the
 * front door has met before? Children are compared by normalised name and date of birth, with the
 * postcode as a tie-breaker. Pure rules; the store finds the candidates by match key.
 *
 * Normalisation (`normaliseName`):
 * - case and accents do not matter: "ZOË" = "Zoe", "Łukasz" = "Lukasz", "Strauß" = "Strauss";
 * - apostrophes, hyphens, dots and spaces do not matter: "O'Brien" = "O Brien" = "OBrien",
 *   "Smith-Jones" = "Smith Jones", "Mary Ann" = "Maryann";
 * - a leading title is noise ("Miss Mia" = "Mia", "Master Tom Jones" = "Tom Jones") when something
 *   follows it: a name that is only a title is kept, so that "Miss" as a name still matches itself;
 * - "Mc" and "Mac" are left as they are: "McDonald" ≠ "MacDonald" (they are different families
 *   often enough that equating them would make false matches, and a front-door practitioner sees
 *   near-misses in the record anyway).
 *
 * Match strength (`compareChildren`), for two children whose normalised first and last names agree:
 * - both dates of birth known and equal, same postcode: **strong**;
 * - both dates of birth known and equal, postcode different or unknown: **possible**;
 * - both dates of birth known and different: **no match**, whatever else agrees;
 * - either date of birth unknown, or either child unborn (an expected date is not a date of
 *   birth): **possible** when both postcodes are known and equal, otherwise no match.
 * Names that normalise to nothing never match.
 */

import type { ReferralOutcome } from '@fsp/shared/events/codes';
import { onFirstUse } from '@fsp/shared/first-use';
import { byCodeUnits } from '@fsp/shared/order';
import type { Referral, ReferralStatus } from './referral';

export type MatchStrength = 'strong' | 'possible';

/** What the check compares: one child as a referral names them. */
export interface ChildIdentity {
  firstName: string;
  lastName: string;
  unborn: boolean;
  /** For an unborn child, the expected date: not used as a date of birth. */
  dateOfBirth?: string;
  postcode?: string;
}

/** Titles a referrer sometimes writes into a name field; stripped only from the front, and only when a name follows. */
const TITLES: ReadonlySet<string> = new Set([
  'mr',
  'mrs',
  'ms',
  'miss',
  'mx',
  'master',
  'dr',
  'prof',
  'rev',
  'sir',
  'dame',
  'lady',
  'lord',
]);

/** Letters that Unicode decomposition does not reduce to a base letter and its accents. */
const FOLDED: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
};
// Unicode property classes cost about a millisecond to build; built at the first name, not at load.
const patterns = onFirstUse(() => ({
  foldable: new RegExp(`[${Object.keys(FOLDED).join('')}]`, 'gu'),
  marks: /\p{M}+/gu,
  separators: /[^\p{L}\p{N}]+/u,
}));

function foldLetters(text: string): string {
  const { foldable, marks } = patterns();
  const lowered = text.normalize('NFKD').replace(marks, '').toLowerCase();
  // Lower-casing can produce new combining marks (İ becomes i + dot above): strip them again.
  return lowered
    .normalize('NFKD')
    .replace(marks, '')
    .replace(foldable, (letter) => FOLDED[letter] ?? letter);
}

/** The form a name is compared in: lower-case letters and digits only, title noise removed. */
export function normaliseName(name: string): string {
  const tokens = foldLetters(name)
    .split(patterns().separators)
    .filter((token) => token.length > 0);
  while (tokens.length > 1 && TITLES.has(tokens[0] as string)) tokens.shift();
  return tokens.join('');
}

/** UK postcodes compare without case or spaces: "nt1 4ab" = "NT14AB". */
export function normalisePostcode(postcode: string): string {
  return postcode.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/** A child's identity in the form the index stores and compares. */
export interface NormalisedChild {
  firstName: string;
  lastName: string;
  /** Absent when not known, and for an unborn child. */
  dateOfBirth?: string;
  postcode?: string;
}

export function normaliseChild(child: ChildIdentity): NormalisedChild {
  const postcode = child.postcode ? normalisePostcode(child.postcode) : '';
  return {
    firstName: normaliseName(child.firstName),
    lastName: normaliseName(child.lastName),
    ...(child.dateOfBirth && !child.unborn ? { dateOfBirth: child.dateOfBirth } : {}),
    ...(postcode ? { postcode } : {}),
  };
}

/**
 * The keys under which a child is indexed and looked up: name + date of birth when the date is
 * known, name + postcode when the postcode is. Every pair of children `compareChildren` matches
 * shares at least one key, so a lookup by the new child's keys finds every earlier match.
 */
export function matchKeysOf(child: NormalisedChild): string[] {
  const { nameDob, namePostcode } = childMatchKeysOf(child);
  return [...(nameDob ? [nameDob] : []), ...(namePostcode ? [namePostcode] : [])];
}

/**
 * A child's two match keys by kind, each absent when its part is unknown (both when a name
 * normalises to nothing). The index keeps these, hashed (ADR 0021), instead of the name, date of
 * birth and postcode: `compareMatchKeys` decides on them alone what `compareChildren` decides.
 */
export interface ChildMatchKeys {
  /** Name and date of birth. */
  nameDob?: string;
  /** Name and postcode. */
  namePostcode?: string;
}

export function childMatchKeysOf(child: NormalisedChild): ChildMatchKeys {
  if (!child.firstName || !child.lastName) return {};
  const name = `${child.firstName}|${child.lastName}`;
  return {
    ...(child.dateOfBirth ? { nameDob: `NAME-DOB#${name}#${child.dateOfBirth}` } : {}),
    ...(child.postcode ? { namePostcode: `NAME-POSTCODE#${name}#${child.postcode}` } : {}),
  };
}

/**
 * `compareChildren` on match keys (or equality-preserving hashes of them), for two children that
 * share at least one key, so have the same name: equal name-and-date keys are equal dates of
 * birth, equal name-and-postcode keys equal postcodes; two name-and-date keys that differ are
 * different dates of birth. Symmetric; undefined for children that share no key.
 */
export function compareMatchKeys(candidate: ChildMatchKeys, known: ChildMatchKeys): MatchStrength | undefined {
  const sameDob = candidate.nameDob !== undefined && candidate.nameDob === known.nameDob;
  const samePostcode = candidate.namePostcode !== undefined && candidate.namePostcode === known.namePostcode;
  if (!sameDob && !samePostcode) return undefined;
  if (candidate.nameDob !== undefined && known.nameDob !== undefined) {
    if (!sameDob) return undefined;
    return samePostcode ? 'strong' : 'possible';
  }
  return 'possible';
}

/** How strongly `candidate` matches `known`, or undefined when it does not. Symmetric. */
export function compareChildren(candidate: NormalisedChild, known: NormalisedChild): MatchStrength | undefined {
  if (!candidate.firstName || !candidate.lastName) return undefined;
  if (candidate.firstName !== known.firstName || candidate.lastName !== known.lastName) return undefined;
  const samePostcode = candidate.postcode !== undefined && candidate.postcode === known.postcode;
  if (candidate.dateOfBirth !== undefined && known.dateOfBirth !== undefined) {
    if (candidate.dateOfBirth !== known.dateOfBirth) return undefined;
    return samePostcode ? 'strong' : 'possible';
  }
  return samePostcode ? 'possible' : undefined;
}

/** A child of a new referral matched to a child of an earlier one; stored on the new referral at intake. */
export interface FamilyMatch {
  /** The child in this referral. */
  childId: string;
  strength: MatchStrength;
  /** The earlier referral and its child. */
  referralId: string;
  reference: string;
  receivedAt: string;
  matchedChildId: string;
}

/** Where an earlier referral stands now, as a match shows it: read from that referral when shown, so always current. */
export interface MatchedReferralState {
  status: ReferralStatus;
  outcome?: ReferralOutcome;
  /** The case opened from it, or the open case it was added to. */
  caseId?: string;
  /**
   * `caseId`'s reference, which workers name the case by: a case's reference is that of the
   * referral it was opened from, so this referral's own for the case opened from it, and the one
   * recorded with its decision for the case it was added to (absent from decisions recorded before).
   */
  caseReference?: string;
  /** The team the front door handed it to (every decision that opens or joins a case names one): the team of `caseId` when it was decided. */
  teamId?: string;
}

/** A match as the front door sees it: the stored match with the earlier referral's current state. */
export type KnownFamilyMatch = FamilyMatch & Partial<MatchedReferralState>;

/**
 * The references of the cases a referral's page links to, by case id: its own case's (opened from
 * it, so its reference), the case it was added to, and each match's case, as far as they are known.
 * A case a match was added to may be known from another match, the one it was opened from.
 */
export function caseReferencesOf(
  referral: Pick<Referral, 'reference' | 'openCase' | 'decision'>,
  matches: readonly KnownFamilyMatch[],
): ReadonlyMap<string, string> {
  const references = new Map<string, string>();
  for (const match of matches) if (match.caseId && match.caseReference) references.set(match.caseId, match.caseReference);
  const { decision, openCase } = referral;
  if (decision?.existingCaseId && decision.existingCaseReference) references.set(decision.existingCaseId, decision.existingCaseReference);
  if (openCase) references.set(openCase.caseId, referral.reference);
  return references;
}

/** Strongest first, then the most recent earlier referral. */
export function compareMatches(a: FamilyMatch, b: FamilyMatch): number {
  if (a.strength !== b.strength) return a.strength === 'strong' ? -1 : 1;
  return byCodeUnits(b.receivedAt, a.receivedAt) || byCodeUnits(a.referralId, b.referralId);
}

/** One entry per (child, earlier child), keeping the strongest; ordered by `compareMatches`, at most `limit`. */
export function bestMatches(matches: readonly FamilyMatch[], limit: number): FamilyMatch[] {
  const best = new Map<string, FamilyMatch>();
  for (const match of matches) {
    const key = `${match.childId}|${match.referralId}|${match.matchedChildId}`;
    const seen = best.get(key);
    if (!seen || compareMatches(match, seen) < 0) best.set(key, match);
  }
  return [...best.values()].sort(compareMatches).slice(0, limit);
}
