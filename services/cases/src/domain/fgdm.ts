/**
 * Family group decision making (issue 14 Deliver 7; DOMAIN.md, Cases: Leeds' family group
 * conferences): a conference is offered to the family (accepted, or declined with their reason),
 * held (who came from the family's network, and anyone else by name), and the family's own plan
 * recorded in their words. One is required before pre-proceedings: `fgdmHeld` says whether any was.
 *
 * The steps in order: a conference is held only after the latest offer was accepted (and not
 * before it was offered); the family's plan only after a conference was held (and not before it).
 * No step is dated in the future or before the case opened. Each refusal names its field ('case'
 * for what the record's state forbids).
 *
 * Pre-proceedings (the Public Law Outline's letter before proceedings and its meetings) are kept
 * here, beside what must come before them (issue 14 Deliver 10; ADR 0016): started by the team
 * manager only once a conference was held, or the family declined the latest offer of one
 * (`preProceedingsBasis`), on or after that day and the referral date and not in the future, one
 * at a time; ended with the outcome (care proceedings issued, stepped down, or another in words).
 *
 * Pure: no I/O; the clock comes in the context.
 */
import { compareLocalDates, type LocalDate } from '@fsp/shared/time/local-date';
import { londonDateOf } from '@fsp/shared/time/london';
import { localDateText } from '@fsp/shared/time/words';

export const FGDM_STEPS = ['offer', 'held', 'family-plan', 'pre-proceedings', 'pre-proceedings-ended'] as const;
export type FgdmStep = (typeof FGDM_STEPS)[number];

/** The steps the holding team's manager alone records: starting and ending pre-proceedings. */
export const MANAGER_FGDM_STEPS: ReadonlySet<FgdmStep> = new Set(['pre-proceedings', 'pre-proceedings-ended']);

export const PRE_PROCEEDINGS_OUTCOMES = ['care-proceedings-issued', 'step-down', 'other'] as const;
export type PreProceedingsOutcome = (typeof PRE_PROCEEDINGS_OUTCOMES)[number];

export const PRE_PROCEEDINGS_OUTCOME_WORDS: Readonly<Record<PreProceedingsOutcome, string>> = {
  'care-proceedings-issued': 'Care proceedings issued',
  'step-down': 'Stepped down: the concerns reduced without proceedings',
  other: 'Another outcome',
};

export const OFFER_RESPONSES = ['accepted', 'declined'] as const;
export type OfferResponse = (typeof OFFER_RESPONSES)[number];

/** How many offers, conferences and pre-proceedings one case keeps (they live in one item of their own partition). */
export const MAX_FGDM_RECORDS = 50;

export interface Actor {
  userId: string;
  name: string;
}

export interface FgdmOffer {
  sequence: number;
  offeredOn: LocalDate;
  response: OfferResponse;
  /** Why the family declined, in their words where they gave them; absent when accepted. */
  declinedReason?: string;
  by: Actor;
  recordedAt: string;
}

export interface Attendee {
  personId: string;
  /** The name as the network held it when the conference was recorded. */
  name: string;
}

export interface FamilyPlan {
  agreedOn: LocalDate;
  inFamilysWords: string;
  by: Actor;
  recordedAt: string;
}

export interface FgdmConference {
  sequence: number;
  heldOn: LocalDate;
  /** People from the family's network who came. */
  attendees: Attendee[];
  /** Others who came (a coordinator, a friend not in the network), by name. */
  others: string[];
  by: Actor;
  recordedAt: string;
  /** The family's own plan from this conference; absent until recorded. A later one replaces it, the earlier kept in `earlierPlans`. */
  familyPlan?: FamilyPlan;
  earlierPlans?: FamilyPlan[];
}

export interface PreProceedingsEnd {
  endedOn: LocalDate;
  outcome: PreProceedingsOutcome;
  /** For 'other': what the outcome was, in words. */
  otherOutcome?: string;
  by: Actor;
  recordedAt: string;
}

export interface PreProceedings {
  sequence: number;
  startedOn: LocalDate;
  by: Actor;
  recordedAt: string;
  /** Absent while they run. */
  ended?: PreProceedingsEnd;
}

export interface CaseFgdm {
  caseId: string;
  offers: FgdmOffer[];
  conferences: FgdmConference[];
  /** Oldest first; at most the latest is running. */
  preProceedings: PreProceedings[];
  /** 0 until the first step is recorded. */
  version: number;
}

export interface OfferInput {
  offeredOn: LocalDate;
  response: OfferResponse;
  declinedReason?: string;
}

export interface HeldInput {
  heldOn: LocalDate;
  attendeeIds: string[];
  others: string[];
}

export interface FamilyPlanInput {
  agreedOn: LocalDate;
  inFamilysWords: string;
}

export interface PreProceedingsStartInput {
  startedOn: LocalDate;
}

export interface PreProceedingsEndInput {
  endedOn: LocalDate;
  outcome: PreProceedingsOutcome;
  otherOutcome?: string;
}

export interface FgdmContext {
  now: Date;
  by: Actor;
  /** The London day the case opened. */
  openedOn: LocalDate;
  /** The referral date (the statutory path's): pre-proceedings cannot start before it. */
  referralDate: LocalDate;
  /** The case is closed: pre-proceedings cannot start (a running one can still be ended). */
  caseClosed: boolean;
  /** Who in the network may attend: its children, household adults and wider family, with their names. */
  network: readonly Attendee[];
}

export type Refusal = { refused: true; field: string; reason: string };
export type FgdmResult = Refusal | { refused: false; fgdm: CaseFgdm; line: string };

export const emptyFgdm = (caseId: string): CaseFgdm => ({ caseId, offers: [], conferences: [], preProceedings: [], version: 0 });

const refuse = (field: string, reason: string): Refusal => ({ refused: true, field, reason });
const clean = (text: string): string => text.trim();

/** Today or earlier, and not before the case opened; else the refusal naming `field`. */
function dateRefusal(field: string, what: string, date: LocalDate, context: FgdmContext): Refusal | undefined {
  if (compareLocalDates(date, londonDateOf(context.now)) > 0) return refuse(field, `${what} must be today or in the past`);
  if (compareLocalDates(date, context.openedOn) < 0)
    return refuse(field, `${what} must be on or after the day the case opened, ${localDateText(context.openedOn)}`);
  return undefined;
}

const next = (fgdm: CaseFgdm, change: Partial<CaseFgdm>): CaseFgdm => ({ ...fgdm, ...change, version: fgdm.version + 1 });

export const latestOffer = (fgdm: CaseFgdm): FgdmOffer | undefined => fgdm.offers[fgdm.offers.length - 1];
export const latestConference = (fgdm: CaseFgdm): FgdmConference | undefined => fgdm.conferences[fgdm.conferences.length - 1];
/** Whether a family group conference has been held: required before pre-proceedings. */
export const fgdmHeld = (fgdm: CaseFgdm): boolean => fgdm.conferences.length > 0;

/** The pre-proceedings running now: the latest, while it has no end. */
export const runningPreProceedings = (fgdm: CaseFgdm): PreProceedings | undefined => {
  const latest = fgdm.preProceedings[fgdm.preProceedings.length - 1];
  return latest && !latest.ended ? latest : undefined;
};

const recordCount = (fgdm: CaseFgdm): number => fgdm.offers.length + fgdm.conferences.length + fgdm.preProceedings.length;

/**
 * What allows pre-proceedings to start (DOMAIN.md: family group decision making is "required before
 * pre-proceedings"): the first conference held, or else the family declining the latest offer (a
 * family may refuse a conference; that cannot stop the local authority acting). The day it happened
 * is the earliest pre-proceedings can start. Otherwise why not, in words.
 */
export function preProceedingsBasis(fgdm: CaseFgdm): { on: LocalDate; words: string } | { why: string } {
  const [conference] = fgdm.conferences;
  if (conference) return { on: conference.heldOn, words: `the family group conference held on ${localDateText(conference.heldOn)}` };
  const offer = latestOffer(fgdm);
  if (offer?.response === 'declined')
    return { on: offer.offeredOn, words: `the family declining the conference offered on ${localDateText(offer.offeredOn)}` };
  if (offer)
    return {
      why: `The family accepted the conference offered on ${localDateText(offer.offeredOn)}: record it as held before pre-proceedings start`,
    };
  return {
    why: 'Pre-proceedings can start only after a family group conference was held, or offered and declined by the family: record the offer first',
  };
}

export function recordOffer(fgdm: CaseFgdm, input: OfferInput, context: FgdmContext): FgdmResult {
  const wrongDate = dateRefusal('offeredOn', 'The date offered', input.offeredOn, context);
  if (wrongDate) return wrongDate;
  const reason = clean(input.declinedReason ?? '');
  if (input.response === 'declined' && !reason) return refuse('declinedReason', 'Say why the family declined');
  const before = latestOffer(fgdm);
  if (before && compareLocalDates(input.offeredOn, before.offeredOn) < 0)
    return refuse('offeredOn', `The date offered must be on or after the last offer, ${localDateText(before.offeredOn)}`);
  if (recordCount(fgdm) >= MAX_FGDM_RECORDS) return refuse('case', 'This case already has as many offers and conferences as it can keep');
  const offer: FgdmOffer = {
    sequence: fgdm.offers.length + 1,
    offeredOn: input.offeredOn,
    response: input.response,
    ...(input.response === 'declined' ? { declinedReason: reason } : {}),
    by: context.by,
    recordedAt: context.now.toISOString(),
  };
  const line =
    input.response === 'accepted'
      ? `Family group conference offered on ${localDateText(input.offeredOn)}: the family accepted`
      : `Family group conference offered on ${localDateText(input.offeredOn)}: the family declined (${reason})`;
  return { refused: false, fgdm: next(fgdm, { offers: [...fgdm.offers, offer] }), line };
}

export function recordHeld(fgdm: CaseFgdm, input: HeldInput, context: FgdmContext): FgdmResult {
  const offer = latestOffer(fgdm);
  if (!offer) return refuse('case', 'A family group conference can be recorded as held only after it was offered: record the offer first');
  if (offer.response !== 'accepted')
    return refuse('case', 'The family declined the latest offer: record a new offer they accepted before recording a conference as held');
  const wrongDate = dateRefusal('heldOn', 'The date held', input.heldOn, context);
  if (wrongDate) return wrongDate;
  if (compareLocalDates(input.heldOn, offer.offeredOn) < 0)
    return refuse('heldOn', `The date held must be on or after the day it was offered, ${localDateText(offer.offeredOn)}`);
  const previous = latestConference(fgdm);
  if (previous && compareLocalDates(input.heldOn, previous.heldOn) < 0)
    return refuse('heldOn', `The date held must be on or after the last conference, ${localDateText(previous.heldOn)}`);
  const attendees: Attendee[] = [];
  for (const [index, personId] of input.attendeeIds.entries()) {
    const person = context.network.find((each) => each.personId === personId);
    if (!person) return refuse(`attendeeIds[${index}]`, 'Each person who attended must be in the case’s family network');
    if (!attendees.some((each) => each.personId === personId)) attendees.push(person);
  }
  const others = input.others.map(clean).filter((name) => name.length > 0);
  if (attendees.length === 0) return refuse('attendeeIds', 'Select at least one person from the family’s network who attended');
  if (recordCount(fgdm) >= MAX_FGDM_RECORDS) return refuse('case', 'This case already has as many offers and conferences as it can keep');
  const conference: FgdmConference = {
    sequence: fgdm.conferences.length + 1,
    heldOn: input.heldOn,
    attendees,
    others,
    by: context.by,
    recordedAt: context.now.toISOString(),
  };
  const who = [...attendees.map((each) => each.name), ...others].join(', ');
  return {
    refused: false,
    fgdm: next(fgdm, { conferences: [...fgdm.conferences, conference] }),
    line: `Family group conference held on ${localDateText(input.heldOn)}, attended by ${who}`,
  };
}

export function recordFamilyPlan(fgdm: CaseFgdm, input: FamilyPlanInput, context: FgdmContext): FgdmResult {
  const conference = latestConference(fgdm);
  if (!conference) return refuse('case', 'The family’s plan can be recorded only after a family group conference was held');
  const wrongDate = dateRefusal('agreedOn', 'The date agreed', input.agreedOn, context);
  if (wrongDate) return wrongDate;
  if (compareLocalDates(input.agreedOn, conference.heldOn) < 0)
    return refuse('agreedOn', `The date agreed must be on or after the conference, ${localDateText(conference.heldOn)}`);
  const words = clean(input.inFamilysWords);
  if (!words) return refuse('inFamilysWords', 'Enter the family’s plan in their words');
  const plan: FamilyPlan = { agreedOn: input.agreedOn, inFamilysWords: words, by: context.by, recordedAt: context.now.toISOString() };
  const updated: FgdmConference = {
    ...conference,
    familyPlan: plan,
    ...(conference.familyPlan ? { earlierPlans: [...(conference.earlierPlans ?? []), conference.familyPlan] } : {}),
  };
  return {
    refused: false,
    fgdm: next(fgdm, { conferences: [...fgdm.conferences.slice(0, -1), updated] }),
    line: `The family’s plan from the conference of ${localDateText(conference.heldOn)} ${conference.familyPlan ? 'revised' : 'recorded'}, agreed on ${localDateText(input.agreedOn)}`,
  };
}

export function recordPreProceedingsStart(fgdm: CaseFgdm, input: PreProceedingsStartInput, context: FgdmContext): FgdmResult {
  const running = runningPreProceedings(fgdm);
  if (running)
    return refuse('case', `Pre-proceedings started on ${localDateText(running.startedOn)} have not ended: record their end first`);
  if (context.caseClosed) return refuse('case', 'The case is closed: pre-proceedings cannot start on a closed case');
  const basis = preProceedingsBasis(fgdm);
  if ('why' in basis) return refuse('case', basis.why);
  const what = 'The date pre-proceedings started';
  if (compareLocalDates(input.startedOn, londonDateOf(context.now)) > 0) return refuse('startedOn', `${what} must be today or in the past`);
  if (compareLocalDates(input.startedOn, context.referralDate) < 0)
    return refuse('startedOn', `${what} must be on or after the referral date, ${localDateText(context.referralDate)}`);
  if (compareLocalDates(input.startedOn, basis.on) < 0) return refuse('startedOn', `${what} must be on or after ${basis.words}`);
  const before = fgdm.preProceedings[fgdm.preProceedings.length - 1]?.ended;
  if (before && compareLocalDates(input.startedOn, before.endedOn) < 0)
    return refuse('startedOn', `${what} must be on or after the last pre-proceedings ended, ${localDateText(before.endedOn)}`);
  if (recordCount(fgdm) >= MAX_FGDM_RECORDS)
    return refuse('case', 'This case already has as many offers, conferences and pre-proceedings as it can keep');
  const started: PreProceedings = {
    sequence: fgdm.preProceedings.length + 1,
    startedOn: input.startedOn,
    by: context.by,
    recordedAt: context.now.toISOString(),
  };
  return {
    refused: false,
    fgdm: next(fgdm, { preProceedings: [...fgdm.preProceedings, started] }),
    line: `Pre-proceedings started on ${localDateText(input.startedOn)}, after ${basis.words}`,
  };
}

export function recordPreProceedingsEnd(fgdm: CaseFgdm, input: PreProceedingsEndInput, context: FgdmContext): FgdmResult {
  const running = runningPreProceedings(fgdm);
  if (!running) return refuse('case', 'No pre-proceedings are running: record their start first');
  const what = 'The date pre-proceedings ended';
  if (compareLocalDates(input.endedOn, londonDateOf(context.now)) > 0) return refuse('endedOn', `${what} must be today or in the past`);
  if (compareLocalDates(input.endedOn, running.startedOn) < 0)
    return refuse('endedOn', `${what} must be on or after the day they started, ${localDateText(running.startedOn)}`);
  const words = clean(input.otherOutcome ?? '');
  if (input.outcome === 'other' && !words) return refuse('otherOutcome', 'Say what the outcome was');
  const ended: PreProceedingsEnd = {
    endedOn: input.endedOn,
    outcome: input.outcome,
    ...(input.outcome === 'other' ? { otherOutcome: words } : {}),
    by: context.by,
    recordedAt: context.now.toISOString(),
  };
  const outcome = input.outcome === 'other' ? words : PRE_PROCEEDINGS_OUTCOME_WORDS[input.outcome].toLowerCase();
  return {
    refused: false,
    fgdm: next(fgdm, { preProceedings: [...fgdm.preProceedings.slice(0, -1), { ...running, ended }] }),
    line: `Pre-proceedings started on ${localDateText(running.startedOn)} ended on ${localDateText(input.endedOn)}: ${outcome}`,
  };
}

/** Which steps can be recorded now, and why not the others: the FGDM page offers only the first. */
export function whyNotNow(fgdm: CaseFgdm, step: FgdmStep): string | undefined {
  switch (step) {
    case 'offer':
      return undefined;
    case 'held': {
      const offer = latestOffer(fgdm);
      if (!offer) return 'A conference can be recorded as held only after it was offered and the family accepted';
      if (offer.response !== 'accepted') return 'The family declined the latest offer: record a new offer they accepted first';
      return undefined;
    }
    case 'family-plan':
      return fgdmHeld(fgdm) ? undefined : 'The family’s plan can be recorded only after a conference was held';
    case 'pre-proceedings': {
      const running = runningPreProceedings(fgdm);
      if (running) return `Pre-proceedings started on ${localDateText(running.startedOn)} have not ended: record their end first`;
      const basis = preProceedingsBasis(fgdm);
      return 'why' in basis ? basis.why : undefined;
    }
    case 'pre-proceedings-ended':
      return runningPreProceedings(fgdm) ? undefined : 'No pre-proceedings are running: record their start first';
  }
}
