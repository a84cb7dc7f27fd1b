/**
 * The decision form (templates/front-door/decision.njk): what it offers, and what a worker's answers
 * mean. Every outcome of DOMAIN.md (Referrals 4) is offered, as the JSON API accepts them:
 * - the outcomes that open a case (an assessment, a strategy discussion) choose the team that will
 *   hold it, among the configured case-holding teams;
 * - "added to an open case" chooses the case among those the known-family matches found, and the
 *   team is that case's (the team the earlier referral was handed to), so the worker is not asked
 *   for something the record already knows. With no case among the matches it is not offered.
 * Answers are checked with GOV.UK's messages first, then by the API's own schema
 * (domain/decision.ts `decisionInputSchema`), so the page can never record what the API would refuse.
 * Pure.
 */
import { REFERRAL_OUTCOMES, type ReferralOutcome } from '@fsp/shared/events/codes';
import * as z from 'zod/mini';
import { type DecisionInput, decisionInputSchema } from '../../domain/decision';
import type { KnownFamilyMatch } from '../../domain/known-family';
import type { Referral } from '../../domain/referral';
import { childName, type Team, teamName } from './referral-view';
import { OUTCOME_HINTS, OUTCOME_WORDS, STRENGTH_WORDS } from './words';

/** The reason's limit, the API's (decisionInputSchema). */
export const REASON_MAX_LENGTH = 2000;

/** The form's fields as posted: each team choice is its own field, so that both can be on the page without JavaScript. */
export const DECISION_FIELDS = ['outcome', 'assessmentTeam', 'strategyTeam', 'existingCaseId', 'reason'] as const;
export type DecisionField = (typeof DECISION_FIELDS)[number];
export type DecisionFormValues = Partial<Record<DecisionField, string>>;

/** Which field holds the team for an outcome that opens a case. */
export const TEAM_FIELD: Readonly<Record<'assessment' | 'strategy-discussion', DecisionField>> = {
  assessment: 'assessmentTeam',
  'strategy-discussion': 'strategyTeam',
};

export interface CaseChoice {
  caseId: string;
  teamId: string;
  /** "Mia Jones’s case, held by North team": a case id is a long UUID, no name for a person to choose by. */
  text: string;
  /** Which match found it: "Strong match with referral FSP-2026-ABC123" (the case's id, a long UUID, would not fit a phone). */
  hint: string;
}

export interface FieldError {
  field: DecisionField;
  text: string;
}

/** A posted form as the handler parses it: a field sent twice is a list; only the first counts. */
export function decisionFormValues(body: Readonly<Record<string, string | string[] | undefined>>): DecisionFormValues {
  const values: DecisionFormValues = {};
  for (const field of DECISION_FIELDS) {
    const raw = body[field];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value !== undefined) values[field] = value;
  }
  return values;
}

/** The open cases the known-family matches found, each once, with the team it was handed to; cases without a known team are left out. */
export function caseChoices(
  referral: Pick<Referral, 'children'>,
  matches: readonly KnownFamilyMatch[],
  teams: readonly Team[],
): CaseChoice[] {
  const choices = new Map<string, CaseChoice>();
  for (const match of matches) {
    if (!match.caseId || !match.teamId || choices.has(match.caseId)) continue;
    choices.set(match.caseId, {
      caseId: match.caseId,
      teamId: match.teamId,
      text: `${childName(referral, match.childId)}’s case, held by ${teamName(teams, match.teamId)}`,
      hint: `${STRENGTH_WORDS[match.strength]} with referral ${match.reference}.`,
    });
  }
  return [...choices.values()];
}

/** The outcomes the form offers, in DOMAIN.md's order; "added to an open case" only when there is a case to add it to. */
export function offeredOutcomes(cases: readonly CaseChoice[]): { value: ReferralOutcome; text: string; hint: string }[] {
  return REFERRAL_OUTCOMES.filter((outcome) => outcome !== 'added-to-open-case' || cases.length > 0).map((outcome) => ({
    value: outcome,
    text: OUTCOME_WORDS[outcome],
    hint: OUTCOME_HINTS[outcome],
  }));
}

export type DecisionFormCheck = { ok: true; input: DecisionInput } | { ok: false; errors: FieldError[] };

const isOutcome = (value: string | undefined): value is ReferralOutcome =>
  value !== undefined && (REFERRAL_OUTCOMES as readonly string[]).includes(value);

/** Where an issue of the API's schema belongs on this form. */
function fieldOfIssue(path: readonly PropertyKey[], outcome: ReferralOutcome): DecisionField {
  const [first] = path;
  if (first === 'teamId')
    return outcome === 'strategy-discussion' ? 'strategyTeam' : outcome === 'assessment' ? 'assessmentTeam' : 'existingCaseId';
  if (first === 'existingCaseId' || first === 'reason' || first === 'outcome') return first;
  return 'outcome';
}

export function checkDecisionForm(
  values: DecisionFormValues,
  offered: { teams: readonly Team[]; cases: readonly CaseChoice[] },
): DecisionFormCheck {
  const errors: FieldError[] = [];
  const outcome = values.outcome;
  const reason = (values.reason ?? '').trim();
  const offeredOutcome = isOutcome(outcome) && (outcome !== 'added-to-open-case' || offered.cases.length > 0);
  if (!offeredOutcome) errors.push({ field: 'outcome', text: 'Select the decision' });

  let teamId: string | undefined;
  let existingCaseId: string | undefined;
  if (outcome === 'assessment' || outcome === 'strategy-discussion') {
    const field = TEAM_FIELD[outcome];
    const chosen = offered.teams.find((team) => team.id === values[field]);
    if (chosen) teamId = chosen.id;
    else errors.push({ field, text: 'Select the team that will hold the case' });
  }
  if (outcome === 'added-to-open-case' && offeredOutcome) {
    const chosen = offered.cases.find((choice) => choice.caseId === values.existingCaseId);
    if (chosen) {
      existingCaseId = chosen.caseId;
      teamId = chosen.teamId;
    } else errors.push({ field: 'existingCaseId', text: 'Select the open case to add the referral to' });
  }

  if (reason.length === 0) errors.push({ field: 'reason', text: 'Enter the reason for the decision' });
  else if (reason.length > REASON_MAX_LENGTH) errors.push({ field: 'reason', text: 'The reason must be 2,000 characters or fewer' });
  if (errors.length > 0 || !isOutcome(outcome)) return { ok: false, errors };

  // The API's own rules have the last word: nothing the JSON route would refuse is recorded from here.
  const parsed = z.safeParse(decisionInputSchema, {
    outcome,
    reason,
    ...(teamId ? { teamId } : {}),
    ...(existingCaseId ? { existingCaseId } : {}),
  });
  if (parsed.success) return { ok: true, input: parsed.data };
  return {
    ok: false,
    errors: parsed.error.issues.map((issue) => ({ field: fieldOfIssue(issue.path, outcome), text: `Check this answer: ${issue.message}` })),
  };
}
