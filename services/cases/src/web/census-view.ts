/**
 * What a case's census page (templates/census.njk) and its JSON show of domain/census.ts's return,
 * in words (WEB.md): what is still missing at the top, each a link to where a worker records it
 * (or who to ask); what waits on a later step, with its due day; then a summary card per child and
 * the episode's cards (assessment, section 47 enquiries, plans, family group decision making,
 * pre-proceedings). Codes as the census lists them, with their words. Pure.
 */
import { REFERRAL_SOURCE_WORDS } from '@fsp/shared/events/code-words';
import type { ReferralSourceCode } from '@fsp/shared/events/codes';
import { compareLocalDates, type LocalDate } from '@fsp/shared/time/local-date';
import { localDayText } from '@fsp/shared/time/words';
import type { CaseRecord } from '../domain/case';
import {
  type CensusChild,
  type CensusEpisode,
  type CensusGap,
  type CensusPlace,
  type CensusReturn,
  censusChildName,
} from '../domain/census';
import { DISABILITY_CODES, ETHNICITY_CODES, UPN_UNKNOWN_REASONS } from '../domain/family-network';
import { PRE_PROCEEDINGS_OUTCOME_WORDS } from '../domain/fgdm';
import { caseHeaderView } from './case-view';
import { fgdmHref } from './fgdm-view';
import { categoryText, closureReasonText, factorText, primaryNeedText } from './path-codes';

export const censusHref = (caseId: string): string => `/cases/${caseId}/census`;

/** "Tuesday 3 December 2026" for a London calendar day. */

/**
 * Where a gap is recorded: a child's correction form (for a worker who may change the network, else
 * the family page, which shows who can), the statutory path's page, or the family group decision
 * making page; no link for what only the front door holds.
 */
export function placeHref(caseId: string, place: CensusPlace, mayChange: boolean): string | undefined {
  switch (place.kind) {
    case 'family-child':
      return mayChange ? `/cases/${caseId}/family/children/${place.childId}/edit` : `/cases/${caseId}/family`;
    case 'path':
      return `/cases/${caseId}/path`;
    case 'fgdm':
      return fgdmHref(caseId);
    case 'front-door':
      return undefined;
  }
}

const PLACE_WORDS = {
  'family-child': 'the family page',
  path: 'the statutory path',
  fgdm: 'the family group decision making page',
} as const;

/** "2A School": the code first, as the census lists it. */
export const referralSourceText = (code: ReferralSourceCode): string => `${code} ${REFERRAL_SOURCE_WORDS[code]}`;

const SEX_WORDS = { female: 'Female', male: 'Male', 'not-known': 'Not known' } as const;

const NOT_RECORDED = 'Not recorded';

interface Row {
  key: { text: string };
  value: { text: string } | { html: string };
  actions?: { items: Array<{ href: string; text: string; visuallyHiddenText: string }> };
}

export interface GapView {
  key: string;
  /** "Mia Jones: ethnicity"; the episode's fields by themselves ("Primary need"). */
  text: string;
  why: string;
  href?: string;
  /** "Record it on the family page". */
  where: string;
  /** "Due by Monday 9 March 2026". */
  due?: string;
  /** Its due day has passed (a red tag): if the step happened, it is waiting to be recorded. */
  overdue?: boolean;
}

/** Due, or overdue: then it may have happened and be waiting to be recorded. */
const dueOf = (dueBy: LocalDate, today: LocalDate): Pick<GapView, 'due' | 'overdue'> =>
  compareLocalDates(dueBy, today) < 0
    ? { due: `Was due by ${localDayText(dueBy)}: if it has happened, record it`, overdue: true }
    : { due: `Due by ${localDayText(dueBy)}` };

const lowerFirst = (words: string): string => words.charAt(0).toLowerCase() + words.slice(1);

function gapView(
  gap: CensusGap,
  caseId: string,
  children: readonly CensusChild[],
  options: { mayChange: boolean; today: LocalDate },
): GapView {
  const child = gap.childId === undefined ? undefined : children.find((each) => each.laChildId === gap.childId);
  const href = placeHref(caseId, gap.where, options.mayChange);
  return {
    key: gap.key,
    text: child ? `${censusChildName(child)}: ${lowerFirst(gap.field)}` : gap.field,
    why: `${gap.why}.`,
    ...(href ? { href } : {}),
    where: gap.where.kind === 'front-door' ? `${gap.where.why}.` : `Recorded on ${PLACE_WORDS[gap.where.kind]}.`,
    ...(gap.dueBy ? dueOf(gap.dueBy, options.today) : {}),
  };
}

function childRows(child: CensusChild, caseId: string, mayChange: boolean): Row[] {
  const name = censusChildName(child);
  const editHref = mayChange ? `/cases/${caseId}/family/children/${child.laChildId}/edit` : undefined;
  const row = (key: string, text: string | undefined, missing: boolean): Row => ({
    key: { text: key },
    value: { text: text ?? NOT_RECORDED },
    ...(missing && editHref
      ? { actions: { items: [{ href: editHref, text: 'Record', visuallyHiddenText: `${key.toLowerCase()} of ${name}` }] } }
      : {}),
  });
  if (child.unborn) {
    return [
      row('Local authority child id', child.laChildId, false),
      row(
        'Expected date of birth',
        child.expectedDateOfBirth && localDayText(child.expectedDateOfBirth),
        child.expectedDateOfBirth === undefined,
      ),
      { key: { text: 'Other details' }, value: { text: 'Asked once the child is born' } },
    ];
  }
  const upn =
    child.upn ?? (child.upnUnknownReason ? `Unknown: ${child.upnUnknownReason} ${UPN_UNKNOWN_REASONS[child.upnUnknownReason]}` : undefined);
  const disabilities = child.disabilities.length
    ? child.disabilities.map((code) => (code === 'NONE' ? 'No disability' : `${code} ${DISABILITY_CODES[code]}`)).join(', ')
    : undefined;
  return [
    row('Local authority child id', child.laChildId, false),
    row('Unique pupil number', upn, upn === undefined),
    row('Date of birth', child.dateOfBirth && localDayText(child.dateOfBirth), child.dateOfBirth === undefined),
    row('Sex', child.sex && SEX_WORDS[child.sex], child.sex === undefined),
    row('Ethnicity', child.ethnicity && `${child.ethnicity} ${ETHNICITY_CODES[child.ethnicity]}`, child.ethnicity === undefined),
    row('Disabilities', disabilities, disabilities === undefined),
  ];
}

const textRow = (key: string, text: string): Row => ({ key: { text: key }, value: { text } });

function episodeView(episode: CensusEpisode, inProgress: readonly CensusGap[]) {
  const waiting = (key: string) => inProgress.find((gap) => gap.key === key);
  const assessmentDue = waiting('episode:assessment')?.dueBy;
  const pending = (what: string, due: LocalDate | undefined) => `${what}${due ? `: due by ${localDayText(due)}` : ''}`;
  const closure = episode.closureDate
    ? `${localDayText(episode.closureDate)}${episode.closureReason ? `: ${closureReasonText(episode.closureReason)}` : ''}`
    : 'The case is open';
  const fgdm = episode.familyGroupDecisionMaking;
  return {
    rows: [
      textRow('Referral date', localDayText(episode.referralDate)),
      textRow(
        'Referral source',
        episode.referralSource ? referralSourceText(episode.referralSource) : 'Not on the case: ask the front door (see above)',
      ),
      textRow('No further action at referral', 'No: the referral opened this case'),
      textRow(
        'Primary need',
        episode.primaryNeed ? primaryNeedText(episode.primaryNeed) : pending('Recorded when the assessment is authorised', assessmentDue),
      ),
      textRow('Closure', closure),
    ],
    assessments: episode.assessments.map((assessment, index) => ({
      title: episode.assessments.length > 1 ? `Assessment ${index + 1}` : 'Child and Family assessment',
      started: localDayText(assessment.startDate),
      authorised: assessment.authorisationDate ? localDayText(assessment.authorisationDate) : pending('In progress', assessmentDue),
      // Listed once authorised; until then, said to come with the authorisation.
      ...(assessment.authorisationDate ? { factors: assessment.factors.map(factorText) } : {}),
    })),
    section47Enquiries: episode.section47Enquiries.map((enquiry, index) => ({
      title: `Section 47 enquiry ${index + 1}`,
      rows: [
        textRow('Started', localDayText(enquiry.startDate)),
        textRow(
          'Initial conference due by',
          enquiry.initialConferenceTargetDate ? localDayText(enquiry.initialConferenceTargetDate) : NOT_RECORDED,
        ),
        textRow(
          'Initial conference',
          enquiry.initialConferenceDate
            ? `Held on ${localDayText(enquiry.initialConferenceDate)}`
            : enquiry.initialConferenceNotRequired
              ? 'Not required'
              : 'Not held yet',
        ),
      ],
    })),
    childProtectionPlans: episode.childProtectionPlans.map((plan, index) => ({
      title: `Child protection plan ${index + 1}`,
      rows: [
        textRow('Started', localDayText(plan.startDate)),
        textRow('Ended', plan.endDate ? localDayText(plan.endDate) : 'The plan is running'),
        textRow('Initial category', categoryText(plan.initialCategory)),
        textRow('Latest category', categoryText(plan.latestCategory)),
        textRow('Reviews', plan.reviewDates.length ? plan.reviewDates.map(localDayText).join('; ') : 'None yet'),
      ],
    })),
    childInNeedPlans: episode.childInNeedPlans.map((plan, index) =>
      textRow(
        `Child in need plan ${index + 1}`,
        `Started ${localDayText(plan.startDate)}${plan.endDate ? `, ended ${localDayText(plan.endDate)}` : ', running'}`,
      ),
    ),
    familyGroupDecisionMaking: [
      textRow(
        'Offered',
        fgdm.offers.length
          ? fgdm.offers
              .map((offer) => `${localDayText(offer.offeredOn)}: ${offer.response === 'accepted' ? 'accepted' : 'declined by the family'}`)
              .join('; ')
          : 'Not offered',
      ),
      textRow(
        'Held',
        fgdm.conferences.length ? fgdm.conferences.map((conference) => localDayText(conference.heldOn)).join('; ') : 'Not held',
      ),
      textRow(
        'Outcome',
        fgdm.conferences.length
          ? fgdm.conferences
              .map((conference) =>
                conference.familyPlanAgreedOn
                  ? `The family’s plan agreed ${localDayText(conference.familyPlanAgreedOn)}`
                  : `No plan recorded yet from the conference of ${localDayText(conference.heldOn)}`,
              )
              .join('; ')
          : fgdm.offers.at(-1)?.response === 'declined'
            ? 'The family declined the conference'
            : 'None: no conference held',
      ),
    ],
    preProceedings: episode.preProceedings.length
      ? episode.preProceedings.map((pre, index) =>
          textRow(
            `Pre-proceedings ${index + 1}`,
            `Started ${localDayText(pre.startDate)}${
              pre.endDate
                ? `, ended ${localDayText(pre.endDate)}${pre.outcome ? `: ${PRE_PROCEEDINGS_OUTCOME_WORDS[pre.outcome]}` : ''}`
                : ', running'
            }`,
          ),
        )
      : [textRow('Pre-proceedings', 'None started')],
  };
}

/** The census page's data for `record`'s case, the return as at `today`; `mayChange`: the worker may correct the family network. */
export function censusPageView(
  record: Pick<CaseRecord, 'caseId' | 'reference' | 'status' | 'urgent'>,
  census: CensusReturn,
  options: { mayChange: boolean; today: LocalDate },
) {
  const { caseId } = record;
  const header = caseHeaderView(record, { text: 'Census', href: censusHref(caseId) });
  const gaps = (list: readonly CensusGap[]) => list.map((gap) => gapView(gap, caseId, census.children, options));
  return {
    caseHeader: header,
    missing: gaps(census.missing),
    inProgress: gaps(census.inProgress),
    children: census.children.map((child) => ({
      id: `child-${child.laChildId}`,
      name: censusChildName(child),
      rows: childRows(child, caseId, options.mayChange),
    })),
    episodes: census.episodes.map((episode) => episodeView(episode, census.inProgress)),
    familyHref: `/cases/${caseId}/family`,
    pathHref: `/cases/${caseId}/path`,
    fgdmHref: fgdmHref(caseId),
  };
}

export type CensusPageView = ReturnType<typeof censusPageView>;
