/**
 * Motivational interviewing (issue 14 Deliver 6; DOMAIN.md, Cases): each adult's stage of change
 * per concern, recorded over time. An adult is one of the case's household adults (its family
 * network, domain/family-network.ts); a concern is one of a closed list, or 'other' in the
 * worker's words (each distinct 'other' is its own history). Every assessment is kept: the
 * history of one adult's concern is shown latest first, each with the stage it moved from.
 *
 * Pure: no I/O; the clock comes in the context.
 */
import { compareLocalDates, type LocalDate } from '@fsp/shared/time/local-date';
import { londonDateOf } from '@fsp/shared/time/london';

export const STAGES = ['precontemplation', 'contemplation', 'preparation', 'action', 'maintenance', 'relapse'] as const;
export type Stage = (typeof STAGES)[number];

export const STAGE_WORDS: Readonly<Record<Stage, { name: string; meaning: string }>> = {
  precontemplation: { name: 'Precontemplation', meaning: 'Does not see a problem or a need to change' },
  contemplation: { name: 'Contemplation', meaning: 'Sees a problem, unsure about changing' },
  preparation: { name: 'Preparation', meaning: 'Intends to change soon and is planning how' },
  action: { name: 'Action', meaning: 'Is changing what they do' },
  maintenance: { name: 'Maintenance', meaning: 'Keeping the change going' },
  relapse: { name: 'Relapse', meaning: 'Has gone back to what they did before' },
};

export const CONCERNS = ['domestic-abuse', 'alcohol', 'drugs', 'mental-health', 'parenting', 'other'] as const;
export type Concern = (typeof CONCERNS)[number];

export const CONCERN_WORDS: Readonly<Record<Concern, string>> = {
  'domestic-abuse': 'Domestic abuse',
  alcohol: 'Substance misuse: alcohol',
  drugs: 'Substance misuse: drugs',
  'mental-health': 'Mental health',
  parenting: 'Parenting',
  other: 'Other',
};

/** How many assessments a case keeps (they live in one item of their own partition). */
export const MAX_STAGE_RECORDS = 300;

export interface Actor {
  userId: string;
  name: string;
}

export interface StageRecord {
  sequence: number;
  personId: string;
  concern: Concern;
  /** The worker's words for an 'other' concern; absent otherwise. */
  otherConcern?: string;
  stage: Stage;
  assessedOn: LocalDate;
  note: string;
  by: Actor;
  recordedAt: string;
}

export interface CaseMotivation {
  caseId: string;
  /** In the order recorded (sequence 1, 2, …). */
  records: StageRecord[];
  /** 0 until the first assessment is recorded. */
  version: number;
}

export interface StageInput {
  personId: string;
  concern: Concern;
  otherConcern?: string;
  stage: Stage;
  assessedOn: LocalDate;
  note: string;
}

export interface MotivationContext {
  now: Date;
  by: Actor;
  /** The case's household adults as its network holds them now. */
  adults: readonly { personId: string }[];
  /** The London day the case opened: nothing is assessed before it. */
  openedOn: LocalDate;
}

export type Refusal = { refused: true; field: string; reason: string };
export type MotivationResult = Refusal | { refused: false; motivation: CaseMotivation; record: StageRecord };

export const emptyMotivation = (caseId: string): CaseMotivation => ({ caseId, records: [], version: 0 });

const refuse = (field: string, reason: string): Refusal => ({ refused: true, field, reason });

/** The history an assessment belongs to: the adult and the concern ('other' by its words, case and spacing aside). */
export const concernKeyOf = (record: Pick<StageRecord, 'concern' | 'otherConcern'>): string =>
  record.concern === 'other' ? `other:${(record.otherConcern ?? '').trim().replace(/\s+/g, ' ').toLowerCase()}` : record.concern;

/** Records one assessment of an adult's stage of change, or says which field the rules refuse and why. */
export function recordStage(motivation: CaseMotivation, input: StageInput, context: MotivationContext): MotivationResult {
  if (!context.adults.some((adult) => adult.personId === input.personId))
    return refuse('personId', 'The adult must be one of the household adults in the case’s family network');
  const otherConcern = input.otherConcern?.trim().replace(/\s+/g, ' ');
  if (input.concern === 'other' && !otherConcern) return refuse('otherConcern', 'Say what the other concern is');
  const today = londonDateOf(context.now);
  if (compareLocalDates(input.assessedOn, today) > 0) return refuse('assessedOn', 'The date assessed must be today or in the past');
  if (compareLocalDates(input.assessedOn, context.openedOn) < 0)
    return refuse('assessedOn', 'The date assessed must be on or after the day the case opened');
  if (motivation.records.length >= MAX_STAGE_RECORDS)
    return refuse('case', `This case already has ${MAX_STAGE_RECORDS} stage of change assessments, as many as it can keep`);
  const record: StageRecord = {
    sequence: motivation.records.length + 1,
    personId: input.personId,
    concern: input.concern,
    ...(input.concern === 'other' && otherConcern ? { otherConcern } : {}),
    stage: input.stage,
    assessedOn: input.assessedOn,
    note: input.note.trim(),
    by: context.by,
    recordedAt: context.now.toISOString(),
  };
  return {
    refused: false,
    record,
    motivation: { ...motivation, records: [...motivation.records, record], version: motivation.version + 1 },
  };
}

/** Latest first: the later date assessed, and on the same day the later recorded. */
export const latestFirst = (a: StageRecord, b: StageRecord): number =>
  compareLocalDates(b.assessedOn, a.assessedOn) || b.sequence - a.sequence;

export interface HistoryEntry {
  record: StageRecord;
  /** The stage of the assessment before this one in time, when it was a different stage. */
  changedFrom?: Stage;
  /** The first assessment of this concern. */
  first: boolean;
}

export interface ConcernHistory {
  concernKey: string;
  concern: Concern;
  otherConcern?: string;
  /** Latest first. */
  entries: HistoryEntry[];
}

export interface AdultHistory {
  personId: string;
  concerns: ConcernHistory[];
}

/**
 * Each adult's histories, one per concern (latest first within each; concerns by their most
 * recent assessment, latest first). Adults in `personIds` order; an adult no longer in the
 * network keeps their history, after the others.
 */
export function stageHistories(records: readonly StageRecord[], personIds: readonly string[]): AdultHistory[] {
  const byPerson = new Map<string, Map<string, StageRecord[]>>();
  for (const record of records) {
    const concerns = byPerson.get(record.personId) ?? new Map<string, StageRecord[]>();
    const key = concernKeyOf(record);
    concerns.set(key, [...(concerns.get(key) ?? []), record]);
    byPerson.set(record.personId, concerns);
  }
  const order = [...personIds.filter((id) => byPerson.has(id)), ...[...byPerson.keys()].filter((id) => !personIds.includes(id))];
  return order.map((personId) => {
    const concerns = [...(byPerson.get(personId) ?? new Map<string, StageRecord[]>()).entries()].map(([concernKey, list]) => {
      const sorted = [...list].sort(latestFirst);
      const entries = sorted.map((record, index): HistoryEntry => {
        const before = sorted[index + 1];
        return { record, first: before === undefined, ...(before && before.stage !== record.stage ? { changedFrom: before.stage } : {}) };
      });
      const latest = sorted[0] as StageRecord;
      return { concernKey, concern: latest.concern, ...(latest.otherConcern ? { otherConcern: latest.otherConcern } : {}), entries };
    });
    concerns.sort((a, b) => latestFirst(a.entries[0]?.record as StageRecord, b.entries[0]?.record as StageRecord));
    return { personId, concerns };
  });
}
