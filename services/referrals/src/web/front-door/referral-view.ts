/**
 * The referral page (templates/front-door/referral.njk) as data: everything the referrer said, the
 * known-family matches with where each earlier referral stands now, the decision clock, the
 * referral's history and who has read it lately. A case is named by its reference (that of the
 * referral it was opened from, as the cases pages head it), never by its internal id; one whose
 * reference is not known here is named in words. Pure: the route gives it what it read and the
 * clock's reading.
 */
import { byCodeUnits } from '@fsp/shared/order';
import { localDateSchema, parseLocalDate, partsOf } from '@fsp/shared/time/local-date';
import { londonDateOf } from '@fsp/shared/time/london';
import type { AccessView, ReferralAccess } from '../../domain/access-log';
import { type DecisionClock, decisionClock, decisionClockText } from '../../domain/decision-clock';
import { caseReferencesOf, type KnownFamilyMatch } from '../../domain/known-family';
import type { Referral } from '../../domain/referral';
import {
  CHANNEL_WORDS,
  capitalised,
  factorText,
  GENDER_WORDS,
  OUTCOME_WORDS,
  STATUS_TAG_CLASSES,
  STATUS_WORDS,
  STRENGTH_WORDS,
  sourceText,
} from './words';

/** A team the front door can hand a family to: CASE_HOLDING_TEAMS (src/config.ts). */
export interface Team {
  id: string;
  name: string;
}

export const referralHref = (referralId: string): string => `/front-door/referrals/${encodeURIComponent(referralId)}`;
/**
 * A case's page as the front door reaches it: through the referral it follows there, which must
 * belong to the case (cases' access rule, ADR 0014 §6: the front door reads a case only so).
 */
export const caseHref = (caseId: string, referralId: string): string =>
  `/cases/${encodeURIComponent(caseId)}?referralId=${encodeURIComponent(referralId)}`;

/** A link to a case's page, its text the case's reference, or words saying which case when the reference is not known. */
export interface CaseLink {
  href: string;
  text: string;
  /** The case's reference, when known: "FSP-2026-000123". */
  reference?: string;
}

/** `referralId`: a referral of that case, the one the front door follows there. */
export function caseLink(caseId: string, referralId: string, references: ReadonlyMap<string, string>, otherwise: string): CaseLink {
  const reference = references.get(caseId);
  return { href: caseHref(caseId, referralId), text: reference ?? otherwise, ...(reference ? { reference } : {}) };
}

/** The case a decided referral went to: the case opened from it, or the open case it was added to. */
export function decisionCaseLink(
  referral: Pick<Referral, 'referralId' | 'reference' | 'openCase' | 'decision'>,
  matches: readonly KnownFamilyMatch[],
): CaseLink | undefined {
  const caseId = referral.decision?.existingCaseId ?? referral.openCase?.caseId;
  return caseId
    ? caseLink(caseId, referral.referralId, caseReferencesOf(referral, matches), 'The open case this referral was added to')
    : undefined;
}

/** The team's name, or its id when it is not (or no longer) one of the configured teams. */
export const teamName = (teams: readonly Team[], teamId: string): string => teams.find((team) => team.id === teamId)?.name ?? teamId;

/** Whole years between a date of birth and `today`: "8 years old", "4 months old" under one. */
export function ageText(dateOfBirth: string, today: string): string | undefined {
  const born = partsOf(parseLocalDate(dateOfBirth));
  const now = partsOf(parseLocalDate(today));
  let months = (now.year - born.year) * 12 + (now.month - born.month);
  if (now.day < born.day) months -= 1;
  if (months < 0) return undefined;
  if (months < 12) return `${months} month${months === 1 ? '' : 's'} old`;
  const years = Math.floor(months / 12);
  return `${years} year${years === 1 ? '' : 's'} old`;
}

export interface ClockView {
  text: string;
  overdue: boolean;
  decided: boolean;
  dueBy: string;
}

export const clockView = (clock: DecisionClock): ClockView => ({
  text: capitalised(decisionClockText(clock)),
  overdue: clock.state === 'overdue',
  decided: clock.state === 'decided',
  dueBy: clock.dueBy,
});

export interface Row {
  key: string;
  value: string;
  /** Calendar date or instant to show with mojDate, instead of `value`. */
  date?: { at: string; type: 'date' | 'datetime' };
  /** Lines of free text, each its own paragraph. */
  lines?: string[];
}

export interface ChildView {
  childId: string;
  name: string;
  rows: Row[];
}

export interface MatchView {
  child: string;
  strength: string;
  strong: boolean;
  reference: string;
  href: string;
  receivedAt: string;
  /** Where the earlier referral stands: its status, or its outcome once decided. */
  standing: string;
  /** The case opened from the earlier referral, or the open case it was added to. */
  case?: CaseLink;
}

export interface TimelineItem {
  label: string;
  text: string;
  at: string;
  by?: string;
  /** A link the item points to (the case opened). */
  link?: { text: string; href: string };
}

export interface AccessItem {
  name: string;
  at: string;
  what: string;
  purpose: string;
}

const ACCESS_WORDS: Readonly<Record<AccessView, string>> = {
  'referral-page': 'Opened the referral',
  'screening-form': 'Opened the screening page',
  'decision-form': 'Opened the decision page',
  api: 'Read it through the front door’s API',
};

/** An adult's date of birth is stored as the referrer's text (YYYY-MM-DD when checked at intake); one that is not a real date is shown as it is. */
const isCalendarDate = (value: string): boolean => localDateSchema.safeParse(value).success;

const yesNo = (value: boolean): string => (value ? 'Yes' : 'No');
const linesOf = (text: string): string[] =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);

export function childName(referral: Pick<Referral, 'children'>, childId: string): string {
  const child = referral.children.find((candidate) => candidate.childId === childId);
  return child ? `${child.firstName} ${child.lastName}` : 'A child';
}

/** Where an earlier referral stands, in words. */
export function standingOf(match: KnownFamilyMatch): string {
  if (match.status === undefined) return 'Not found';
  if (match.status !== 'decided') return STATUS_WORDS[match.status];
  return match.outcome ? `Decided: ${OUTCOME_WORDS[match.outcome]}` : STATUS_WORDS.decided;
}

export function matchViews(
  referral: Pick<Referral, 'children' | 'reference' | 'openCase' | 'decision'>,
  matches: readonly KnownFamilyMatch[],
): MatchView[] {
  const references = caseReferencesOf(referral, matches);
  return matches.map((match) => ({
    child: childName(referral, match.childId),
    strength: STRENGTH_WORDS[match.strength],
    strong: match.strength === 'strong',
    reference: match.reference,
    href: referralHref(match.referralId),
    receivedAt: match.receivedAt,
    standing: standingOf(match),
    // Through the earlier referral, which belongs to that case.
    ...(match.caseId
      ? { case: caseLink(match.caseId, match.referralId, references, `The case referral ${match.reference} was added to`) }
      : {}),
  }));
}

export function timelineOf(referral: Referral, teams: readonly Team[]): TimelineItem[] {
  const referrer = referral.referrer
    ? [referral.referrer.name, referral.referrer.organisation].filter((part) => part !== undefined).join(', ')
    : 'an anonymous referrer';
  const items: TimelineItem[] = [
    {
      label: 'Referral received',
      text: `${CHANNEL_WORDS[referral.channel]}. Source: ${sourceText(referral.referralSource)}.`,
      at: referral.receivedAt,
      by: referrer,
    },
  ];
  if (referral.decisionDueNotifiedAt) {
    items.push({
      label: 'Decision due today',
      text: 'The front door was reminded that the decision is due.',
      at: referral.decisionDueNotifiedAt,
    });
  }
  if (referral.decisionOverdueNotifiedAt) {
    items.push({
      label: 'Decision overdue',
      text: 'The decision was not made in time; the front door was told.',
      at: referral.decisionOverdueNotifiedAt,
    });
  }
  if (referral.screening) {
    items.push({
      label: 'Screening started',
      text: 'Picked up for screening.',
      at: referral.screening.startedAt,
      by: referral.screening.startedByName ?? 'a front door worker',
    });
  }
  if (referral.decision) {
    const handedTo = referral.decision.teamId ? ` Handed to ${teamName(teams, referral.decision.teamId)}.` : '';
    items.push({
      label: `Decided: ${OUTCOME_WORDS[referral.decision.outcome]}`,
      text: `${referral.decision.reason}${handedTo}`,
      at: referral.decision.decidedAt,
      by: referral.decision.decidedByName ?? 'a front door worker',
    });
  }
  if (referral.openCase) {
    items.push({
      label: 'Case opened',
      text: 'A case was opened from this referral.',
      at: referral.openCase.openedAt,
      // The case opened from this referral bears its reference.
      link: { text: referral.reference, href: caseHref(referral.openCase.caseId, referral.referralId) },
    });
  }
  // Newest first; a tie keeps the order things happen in, reversed.
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => byCodeUnits(b.item.at, a.item.at) || b.index - a.index)
    .map(({ item }) => item);
}

export const accessItems = (accesses: readonly ReferralAccess[]): AccessItem[] =>
  accesses.map((access) => ({ name: access.name, at: access.at, what: ACCESS_WORDS[access.view], purpose: access.purpose }));

export interface ReferralPageView {
  referralId: string;
  reference: string;
  status: { text: string; classes: string };
  clock: ClockView;
  receivedAt: string;
  familySafeguarding: boolean;
  knownFamilyCheck: 'pending' | 'done';
  /** While it is in screening: by whom, since when, and whether it is the reader. */
  screening?: { by: string; at: string; mine: boolean };
  canScreen: boolean;
  canDecide: boolean;
  screeningHref: string;
  decisionHref: string;
  decision?: { outcome: string; reason: string; at: string; by: string; team?: string; case?: CaseLink };
  referral: Row[];
  referrer: Row[];
  children: ChildView[];
  adults: { name: string; rows: Row[] }[];
  concerns: Row[];
  factors: string[];
  consent: Row[];
  matches: MatchView[];
  timeline: TimelineItem[];
  accesses: AccessItem[];
}

export function referralPageView(
  referral: Referral,
  matches: readonly KnownFamilyMatch[],
  accesses: readonly ReferralAccess[],
  context: { now: Date; userId: string; teams: readonly Team[] },
): ReferralPageView {
  const clock = clockView(decisionClock(referral, context.now));
  const today = londonDateOf(context.now);
  const decisionCase = decisionCaseLink(referral, matches);
  const { referrer } = referral;
  return {
    referralId: referral.referralId,
    reference: referral.reference,
    status: { text: STATUS_WORDS[referral.status], classes: STATUS_TAG_CLASSES[referral.status] },
    clock,
    receivedAt: referral.receivedAt,
    familySafeguarding: referral.familySafeguardingFlag,
    knownFamilyCheck: referral.familyMatches ? 'done' : 'pending',
    // Who is screening it matters while it is in screening; the history keeps who did.
    ...(referral.screening && referral.status === 'in-screening'
      ? {
          screening: {
            by: referral.screening.startedByName ?? 'a front door worker',
            at: referral.screening.startedAt,
            mine: referral.screening.startedBy === context.userId,
          },
        }
      : {}),
    canScreen: referral.status === 'received',
    canDecide: referral.status !== 'decided',
    screeningHref: `${referralHref(referral.referralId)}/screening`,
    decisionHref: `${referralHref(referral.referralId)}/decision`,
    ...(referral.decision
      ? {
          decision: {
            outcome: OUTCOME_WORDS[referral.decision.outcome],
            reason: referral.decision.reason,
            at: referral.decision.decidedAt,
            by: referral.decision.decidedByName ?? 'a front door worker',
            ...(referral.decision.teamId ? { team: teamName(context.teams, referral.decision.teamId) } : {}),
            ...(decisionCase ? { case: decisionCase } : {}),
          },
        }
      : {}),
    referral: [
      { key: 'Channel', value: CHANNEL_WORDS[referral.channel] },
      { key: 'Referral source', value: sourceText(referral.referralSource) },
      {
        key: 'Family Safeguarding',
        value: referral.familySafeguardingFlag
          ? 'May be eligible: adults present domestic abuse, substance misuse or mental health factors, and a child is under 13. The assessment confirms it.'
          : 'Not flagged',
      },
    ],
    referrer: referrer
      ? [
          { key: 'Name', value: referrer.name },
          { key: 'Role', value: referrer.role ?? 'Not given' },
          { key: 'Organisation', value: referrer.organisation ?? 'Not given' },
          { key: 'Email', value: referrer.email },
          { key: 'Telephone', value: referrer.phone ?? 'Not given' },
        ]
      : [{ key: 'Referrer', value: 'Anonymous: no contact details were asked for, and nobody is told the outcome.' }],
    children: referral.children.map((child) => {
      const age = child.dateOfBirth && !child.unborn ? ageText(child.dateOfBirth, today) : undefined;
      const address = child.address ? [child.address.line1, child.address.line2, child.address.town, child.address.postcode] : undefined;
      return {
        childId: child.childId,
        name: `${child.firstName} ${child.lastName}`,
        rows: [
          child.unborn
            ? child.dateOfBirth
              ? { key: 'Expected date of birth', value: 'Unborn', date: { at: child.dateOfBirth, type: 'date' as const } }
              : { key: 'Expected date of birth', value: 'Not known' }
            : child.dateOfBirth
              ? { key: 'Date of birth', value: age ?? '', date: { at: child.dateOfBirth, type: 'date' as const } }
              : { key: 'Date of birth', value: 'Not known' },
          { key: 'Gender', value: child.gender ? (GENDER_WORDS[child.gender] ?? child.gender) : 'Not given' },
          address
            ? { key: 'Address', value: '', lines: address.filter((line): line is string => line !== undefined) }
            : { key: 'Address', value: 'Not given' },
          { key: 'School or nursery', value: child.school ?? 'Not given' },
        ],
      };
    }),
    adults: referral.adults.map((adult) => ({
      name: `${adult.firstName} ${adult.lastName}`,
      rows: [
        { key: 'Relationship to the children', value: adult.relationship },
        adult.dateOfBirth
          ? isCalendarDate(adult.dateOfBirth)
            ? { key: 'Date of birth', value: '', date: { at: adult.dateOfBirth, type: 'date' } }
            : { key: 'Date of birth', value: adult.dateOfBirth }
          : { key: 'Date of birth', value: 'Not known' },
      ],
    })),
    concerns: [
      { key: 'What has happened', value: '', lines: linesOf(referral.concerns.whatHappened) },
      { key: 'Why the referrer is worried now', value: '', lines: linesOf(referral.concerns.whyNow) },
    ],
    factors: referral.factors.map(factorText),
    consent: [
      { key: 'Does the family know about the referral?', value: yesNo(referral.consent.familyKnows) },
      { key: 'Has the family consented?', value: yesNo(referral.consent.consentGiven) },
      ...(referral.consent.withoutConsentReason
        ? [{ key: 'Why it was made without consent', value: '', lines: linesOf(referral.consent.withoutConsentReason) }]
        : []),
    ],
    matches: matchViews(referral, matches),
    timeline: timelineOf(referral, context.teams),
    accesses: accessItems(accesses),
  };
}
