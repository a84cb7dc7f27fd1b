/**
 * The demo data set `npm start -- --seed` loads (WEB.md, Demo data): entirely fictional families in
 * two fictional towns, Brindleford (the north team's patch, postcodes XN…) and Calder Heath (the
 * south team's, XS…). No UK postcode area begins with X, so none of these addresses exists. Every
 * email address is at a reserved example domain.
 *
 * Data only. Dates are relative (working days before the seed's present, ages in years), so the
 * set reads the same whenever it is loaded: `plan.ts` turns it into dated steps, `steps.ts` runs
 * them through the platform's own APIs.
 *
 * Each family's story is told by its referrals, each with what the front door did and when. Later
 * issues add to a family (allocation, the plan, group supervision records) with new fields and
 * new step kinds; nothing here needs to move.
 */
import type { FactorCode, ReferralOutcome, ReferralSourceCode } from '@fsp/shared/events/codes';
import type { Role } from '@fsp/shared/people';

export type TeamId = 'north' | 'south';

/** "`workingDaysAgo` working days before the seed's present, at `at` London time" (0 is the present's own day). */
export interface When {
  workingDaysAgo: number;
  /** 24-hour London wall-clock time, `HH:MM`. */
  at: string;
}

/** A date of birth as an age: `on` (`MM-DD`) of the year `yearsAgo` years before the present's; or `daysAgo` days before it. */
export type Born = { yearsAgo: number; on: string } | { daysAgo: number };

export interface SeedWorker {
  username: string;
  name: string;
  email: string;
  roles: Role[];
  teamId: string;
}

/**
 * The south team's people. The local cloud's own demo workers are the front door, the north team
 * (a social worker, an adult specialist, a manager) and an administrator; the seed adds the south
 * team to the local user pool, since a team's records and inbox are its members' alone.
 */
export const SEED_WORKERS: readonly SeedWorker[] = [
  { username: 'southmanager', name: 'Hannah Brooks', email: 'hannah.brooks@example.gov.uk', roles: ['team-manager'], teamId: 'south' },
  { username: 'southworker', name: 'Tomasz Nowicki', email: 'tomasz.nowicki@example.gov.uk', roles: ['social-worker'], teamId: 'south' },
];

/** Who sees what the seed made: the ready screen names them. */
export const SIGN_IN_AS: readonly { username: string; sees: string }[] = [
  { username: 'frontdoor', sees: 'the front door: its queue, due and overdue decisions, known families' },
  { username: 'manager', sees: 'the north team: its cases, the Fletchers’ supervision records, what is overdue' },
  { username: 'socialworker', sees: 'the north social worker: his caseload, the Khans’ notes and his draft, his actions' },
  { username: 'specialist', sees: 'the north adult specialist: the Khans’ restricted entry in full, an overdue action' },
  { username: 'southmanager', sees: 'the south team: its cases and their supervision' },
];

export interface Referrer {
  name: string;
  role?: string;
  organisation?: string;
  email: string;
  phone?: string;
}

/** A partner agency the seed onboards through the admin API (the demo school is the local cloud's own). */
export interface SeedAgency {
  key: AgencyKey;
  /** Absent for the demo school, which the local cloud onboards at every start. */
  onboard?: { agencyId: string; name: string; type: string; referralSource: ReferralSourceCode; contactEmail: string };
  /** Who usually refers from it. */
  referrer: Referrer;
}

export type AgencyKey = 'demo-school' | 'gp' | 'police' | 'health-visitors';

export const SEED_AGENCIES: readonly SeedAgency[] = [
  {
    key: 'demo-school',
    referrer: {
      name: 'Rachel Ogden',
      role: 'Designated safeguarding lead',
      organisation: 'Demo Primary School',
      email: 'dsl@demo-school.example',
      phone: '01632 960 114',
    },
  },
  {
    key: 'gp',
    onboard: {
      agencyId: 'brindleford-medical-practice',
      name: 'Brindleford Medical Practice',
      type: 'gp-practice',
      referralSource: '3A',
      contactEmail: 'safeguarding@brindleford-medical.example',
    },
    referrer: {
      name: 'Dr Emma Lawson',
      role: 'GP and safeguarding lead',
      organisation: 'Brindleford Medical Practice',
      email: 'emma.lawson@brindleford-medical.example',
      phone: '01632 960 271',
    },
  },
  {
    key: 'police',
    onboard: {
      agencyId: 'middleshire-police',
      name: 'Middleshire Police',
      type: 'police',
      referralSource: '6',
      contactEmail: 'mash@middleshire-police.example',
    },
    referrer: {
      name: 'DC Gareth Pryce',
      role: 'Detective constable, Multi-Agency Safeguarding Hub',
      organisation: 'Middleshire Police',
      email: 'gareth.pryce@middleshire-police.example',
    },
  },
  {
    key: 'health-visitors',
    onboard: {
      agencyId: 'calder-heath-health-visiting',
      name: 'Calder Heath Health Visiting Team',
      type: 'health',
      referralSource: '3B',
      contactEmail: 'hv.calderheath@nhs-trust.example',
    },
    referrer: {
      name: 'Sophie Marsden',
      role: 'Health visitor',
      organisation: 'Calder Heath Health Visiting Team',
      email: 'sophie.marsden@nhs-trust.example',
      phone: '01632 960 388',
    },
  },
];

export interface Address {
  line1: string;
  line2?: string;
  town: string;
  postcode: string;
}

export interface SeedChild {
  firstName: string;
  lastName: string;
  gender?: 'female' | 'male' | 'other' | 'not-known';
  /** Absent when nobody knows it; `expected` instead for an unborn child. */
  born?: Born;
  /** Days after the present an unborn child is expected. */
  expectedInDays?: number;
  school?: string;
}

export interface SeedAdult {
  firstName: string;
  lastName: string;
  relationship: string;
  born?: Born;
}

export interface SeedDecision {
  at: When;
  outcome: ReferralOutcome;
  reason: string;
  /** The team that will hold the case (the accepted outcomes). */
  team?: TeamId;
  /** added-to-open-case: the earlier referral (`<family>/<referral>`) whose case it joins. */
  addedToCaseOf?: string;
  /**
   * For a case it opens: when its team manager allocated it, to whom (demo workers' usernames, of
   * the case's team) — which schedules its first group supervision. Absent: awaiting allocation.
   */
  allocated?: SeedAllocation;
  /** For a case it opens: its case summary, written by its social worker once allocated. */
  summary?: SeedCaseSummary;
  /** For a case it opens: what its workers recorded in it, each written at `at` about a contact before it. */
  notes?: SeedNote[];
  /**
   * For a case it opens and allocates: its group supervisions held so far, oldest first, each chaired
   * by the team's manager on the day the platform scheduled it for (plan.ts works the days out from
   * the allocation, as the platform does). The one after them is left scheduled: overdue if its due
   * date has passed before the present (a case with none held, its first).
   */
  supervisions?: SeedSupervision[];
  /**
   * For a case it opens: its statutory path and plan (services/cases' JSON routes), oldest first,
   * each recorded at `at` by `by` (a demo worker's username) about the day it was recorded.
   */
  practice?: SeedPracticeStep[];
}

/**
 * One step of a case's practice: a step of its statutory path (`POST /api/cases/{caseId}/path/{step}`
 * with `fields`), its plan agreed or reviewed, or an adult's stage of change
 * (`POST /api/cases/{caseId}/motivation`). In `fields`, the string 'DAY' is the London day of `at`,
 * and `{ daysAfter: n }` is the day n calendar days after it.
 */
export interface SeedPracticeStep {
  at: When;
  by: string;
  step: 'path' | 'plan' | 'plan-review' | 'stage-of-change';
  /** For 'path': the step's name (complete-assessment, strategy-discussion, …). */
  pathStep?: string;
  /** For 'stage-of-change': the adult (the family's key for them) whose stage it is. */
  adult?: string;
  fields: Record<string, unknown>;
}

export type SeedRating = 'red' | 'amber' | 'green';

/**
 * A group supervision's record (PUT then POST …/record/complete), by the team manager, who chairs:
 * held at the platform's 10:00 on its scheduled day, the record completed at `recordedAt` that day.
 * People are demo workers' usernames: the case's allocated workers and the chair.
 */
export interface SeedSupervision {
  /** 24-hour London time, `HH:MM`, after the 10:00 meeting. */
  recordedAt: string;
  attendees: string[];
  apologies?: string[];
  rating: SeedRating;
  ratingRationale: string;
  discussion: string;
  risks: string;
  strengths: string;
  decisions: string;
  actions: SeedSupervisionAction[];
}

/**
 * An action set at a supervision, owned by an allocated worker: due `dueInWorkingDays` working days
 * after the day held; done by its owner (POST …/actions/{caseId}/{actionId}/complete) `done`
 * working days after that day at `done.at`, or left open (overdue once its due date has passed,
 * when the supervision-timescales schedule tells its owner, then the team manager).
 */
export interface SeedSupervisionAction {
  what: string;
  owner: string;
  dueInWorkingDays: number;
  done?: { workingDaysAfterHeld: number; at: string };
}

/** The case summary (PUT /api/cases/{id}/summary): who the family is and why we are involved. */
export interface SeedCaseSummary {
  at: When;
  /** The demo worker's username. */
  by: string;
  text: string;
}

export type SeedNoteType = 'home-visit' | 'office-appointment' | 'professional-contact' | 'management-oversight';
export type SeedCaseWorkingRole = 'social-worker' | 'adult-specialist' | 'team-manager' | 'service-manager';

/**
 * A note on the case (POST /api/cases/{id}/notes), by a demo worker who may record in it: written at
 * `at` and completed then, or left a draft (`draft: true`). `seen`: keys of the family's children and
 * adults; each child seen has an answer in `childrenSeenAlone`.
 */
export interface SeedNote {
  key: string;
  by: string;
  type: SeedNoteType;
  /** When the contact happened: before `at`. */
  contact: When;
  at: When;
  draft?: boolean;
  seen?: string[];
  seenOthers?: string;
  childrenSeenAlone?: Record<string, 'yes' | 'no' | 'not-applicable'>;
  narrative: string;
  significant?: boolean;
  /** Restricted to these roles (and its author). */
  visibleTo?: SeedCaseWorkingRole[];
  /** An amendment by its author: the reason, and the words it corrects (each found once in the narrative). */
  amended?: { at: When; reason: string; corrects: { from: string; to: string } };
}

export type SeedSpecialism = 'domestic-abuse-victim' | 'domestic-abuse-perpetrator' | 'mental-health' | 'substance-misuse';

export interface SeedAllocation {
  at: When;
  socialWorker: string;
  specialists?: Partial<Record<SeedSpecialism, string>>;
}

export interface SeedReferral {
  key: string;
  /** Through the partner API as an agency, or through the public web form (named, or anonymous: source 9, no referrer). */
  from: { agency: AgencyKey; referrer?: Referrer } | { form: Referrer | 'anonymous' };
  referralSource: ReferralSourceCode;
  received: When;
  /** Keys of the family's children and adults this referral names. */
  children: string[];
  adults: string[];
  /** What the referrer knows: an anonymous neighbour may not know a date of birth or school. */
  knows?: { datesOfBirth?: boolean; schools?: boolean };
  whatHappened: string;
  whyNow: string;
  factors: FactorCode[];
  consent: { familyKnows: boolean; consentGiven: boolean; withoutConsentReason?: string };
  /** When the front door picked it up (POST …/screening). */
  screened?: When;
  decided?: SeedDecision;
}

export interface SeedFamily {
  key: string;
  /** "the Khan family": how the ready screen and logs name it. */
  name: string;
  /** The team whose patch the family lives in. */
  area: TeamId;
  address: Address;
  children: Record<string, SeedChild>;
  adults: Record<string, SeedAdult>;
  referrals: SeedReferral[];
}

const BRINDLEFORD = 'Brindleford';
const CALDER_HEATH = 'Calder Heath';

export const SEED_FAMILIES: readonly SeedFamily[] = [
  {
    key: 'khan',
    name: 'the Khan family',
    area: 'north',
    address: { line1: '8 Larch Close', town: BRINDLEFORD, postcode: 'XN2 4LD' },
    children: {
      zara: {
        firstName: 'Zara',
        lastName: 'Khan',
        gender: 'female',
        born: { yearsAgo: 6, on: '05-09' },
        school: 'Brindleford Primary School',
      },
      ibrahim: { firstName: 'Ibrahim', lastName: 'Khan', gender: 'male', born: { yearsAgo: 2, on: '11-21' } },
    },
    adults: {
      ayesha: { firstName: 'Ayesha', lastName: 'Khan', relationship: 'mother', born: { yearsAgo: 31, on: '02-14' } },
      imran: { firstName: 'Imran', lastName: 'Khan', relationship: 'father', born: { yearsAgo: 34, on: '09-30' } },
    },
    referrals: [
      {
        key: 'gp',
        from: { agency: 'gp' },
        referralSource: '3A',
        received: { workingDaysAgo: 15, at: '10:20' },
        children: ['zara', 'ibrahim'],
        adults: ['ayesha', 'imran'],
        whatHappened:
          'Mrs Khan came to see me about her low mood. Her depression after Ibrahim’s birth has deepened over the last two months: she is hardly eating, some days cannot get out of bed to take Zara to school, and she told me she has had thoughts of not wanting to be here. Mr Khan works nights and sleeps during the day, so the children are often with her alone. The health visitor tells me Ibrahim has missed his last two reviews.',
        whyNow:
          'She told me at this appointment that she has thought about ending her life. She has agreed to see the crisis team today, but she is frightened about who will look after the children.',
        factors: ['4B', '16A'],
        consent: { familyKnows: true, consentGiven: true },
        screened: { workingDaysAgo: 14, at: '09:10' },
        decided: {
          at: { workingDaysAgo: 14, at: '11:05' },
          outcome: 'assessment',
          reason:
            'Mrs Khan’s mental health is affecting the care of two young children, and the family want help. A Child and Family assessment by the north team, with the team’s mental health worker.',
          team: 'north',
          allocated: {
            at: { workingDaysAgo: 13, at: '10:30' },
            socialWorker: 'socialworker',
            specialists: { 'mental-health': 'specialist' },
          },
          summary: {
            at: { workingDaysAgo: 12, at: '17:30' },
            by: 'socialworker',
            text: 'Ayesha and Imran Khan live at 8 Larch Close with their children Zara (6) and Ibrahim (2). Their GP referred the family because Mrs Khan’s depression since Ibrahim’s birth has deepened, with thoughts of ending her life, and Mr Khan’s night work leaves her alone with the children most days. The family asked for help. We are completing a Child and Family assessment; Dana Lewis, the team’s mental health worker, is working with Mrs Khan alongside her crisis team.',
          },
          notes: [
            {
              key: 'first-visit',
              by: 'socialworker',
              type: 'home-visit',
              contact: { workingDaysAgo: 12, at: '15:45' },
              at: { workingDaysAgo: 12, at: '17:10' },
              seen: ['zara', 'ibrahim', 'ayesha'],
              childrenSeenAlone: { zara: 'yes', ibrahim: 'not-applicable' },
              significant: true,
              narrative:
                'First home visit, announced. Mrs Khan let me in; Mr Khan was asleep upstairs after his night shift and I did not meet him. The house was warm and tidy downstairs, with food in the fridge, but the washing was piled up and Mrs Khan said she had not been out for a week.\n\nMrs Khan was tearful and spoke quietly. She said the crisis team have been visiting every day since she saw her GP and that she is taking her new medication. She said she has no plans to harm herself and that the thought of the children keeps her going. Her sister, who lives in Brindleford, has been collecting Zara from school.\n\nI saw Zara alone in her bedroom. She showed me her drawings and said that “Mummy is sad and sleeps a lot” and that she helps by getting Ibrahim his milk. She said she feels safe at home and that Daddy plays with her at weekends. Ibrahim is 2 and does not yet talk in sentences, so I saw him with his mother: he was clean, well dressed and went to her for comfort. The health visitor, Ms Hunt, is seeing him next week for the review he missed.\n\nNext: I will meet Mr Khan, speak to Zara’s school, and agree with Dana Lewis how we share the work with Mrs Khan.',
              amended: {
                at: { workingDaysAgo: 11, at: '09:20' },
                reason: 'I wrote the health visitor’s name wrongly: she is Ms Hart, not Ms Hunt.',
                corrects: { from: 'Ms Hunt', to: 'Ms Hart' },
              },
            },
            {
              key: 'mental-health',
              by: 'specialist',
              type: 'office-appointment',
              contact: { workingDaysAgo: 10, at: '11:00' },
              at: { workingDaysAgo: 10, at: '14:20' },
              seen: ['ayesha'],
              significant: true,
              visibleTo: ['adult-specialist'],
              narrative:
                'Appointment with Mrs Khan at the family centre, at her request, without the children. She told me she had a serious episode of depression at 19, with a short stay in hospital, which she has never told her husband or his family about and does not want shared with them. She is on sertraline, now at 100mg, and the crisis team are handing her care to the community mental health team next week.\n\nShe described low mood most days, poor sleep and feeling that she is failing the children. She said the thoughts of ending her life have eased since she started talking about them and that she would call the crisis line or her sister if they came back. We agreed a safety plan, which she has a copy of.\n\nThis note is restricted to adult specialists because of the history she asked us to keep private. I have told Sam Okafor what he needs to know for the children: Mrs Khan is engaging, her risk has reduced, and her sister is her main support.',
            },
            {
              key: 'oversight',
              by: 'manager',
              type: 'management-oversight',
              contact: { workingDaysAgo: 2, at: '15:30' },
              at: { workingDaysAgo: 2, at: '15:50' },
              narrative:
                'Management oversight after the police told us of the incident at home, when Mr Khan came home drunk and kicked a door off its hinges with both children in the house. I discussed the case with Sam Okafor today.\n\nThe assessment stays a Child and Family assessment, but the risk has changed. Direction: Sam to visit within two working days, see Zara alone about the night of the incident and meet Mr Khan to talk about his drinking and what happened. Dana Lewis to keep seeing Mrs Khan weekly and to ask how safe she feels at home. Sam to ask the police whether there have been other calls we do not know about. I will review the case again at its first group supervision.',
            },
            {
              key: 'school-call',
              by: 'socialworker',
              type: 'professional-contact',
              contact: { workingDaysAgo: 1, at: '10:15' },
              at: { workingDaysAgo: 1, at: '10:40' },
              draft: true,
              narrative:
                'Phone call with the designated safeguarding lead at Brindleford Primary School about Zara. Her attendance has dropped to 82% this half term, mostly late arrivals. Her teacher says she has been quieter this week and',
            },
          ],
        },
      },
      {
        key: 'police',
        from: { agency: 'police' },
        referralSource: '6',
        received: { workingDaysAgo: 3, at: '09:30' },
        children: ['zara', 'ibrahim'],
        adults: ['ayesha', 'imran'],
        whatHappened:
          'Officers went to the address at 11:40pm after neighbours reported shouting. Mr Khan had come home drunk and had kicked the kitchen door off its hinges during an argument. Both children were in the house; Zara was found crying on the stairs. No arrest was made and words of advice were given.',
        whyNow: 'The first domestic incident recorded at this address, in a family we understand already has a social worker.',
        factors: ['3B', '1B'],
        consent: {
          familyKnows: true,
          consentGiven: false,
          withoutConsentReason: 'We share every domestic incident where children are present; the family were told we would.',
        },
        decided: {
          at: { workingDaysAgo: 3, at: '14:10' },
          outcome: 'added-to-open-case',
          reason: 'The family already have an open case with the north team: added to it, so that the incident is part of the assessment.',
          team: 'north',
          addedToCaseOf: 'khan/gp',
        },
      },
    ],
  },
  {
    key: 'walsh',
    name: 'the Walsh family',
    area: 'south',
    address: { line1: '41 Tannery Row', town: CALDER_HEATH, postcode: 'XS4 7RT' },
    children: {
      liam: {
        firstName: 'Liam',
        lastName: 'Walsh',
        gender: 'male',
        born: { yearsAgo: 9, on: '08-02' },
        school: 'Calder Heath Junior School',
      },
      grace: {
        firstName: 'Grace',
        lastName: 'Walsh',
        gender: 'female',
        born: { yearsAgo: 4, on: '01-17' },
        school: 'Little Acorns Nursery',
      },
    },
    adults: {
      shannon: { firstName: 'Shannon', lastName: 'Walsh', relationship: 'mother', born: { yearsAgo: 29, on: '06-03' } },
      dean: { firstName: 'Dean', lastName: 'Marsh', relationship: 'mother’s partner', born: { yearsAgo: 33, on: '10-11' } },
    },
    referrals: [
      {
        key: 'police-assault',
        from: { agency: 'police' },
        referralSource: '6',
        received: { workingDaysAgo: 10, at: '08:50' },
        children: ['liam', 'grace'],
        adults: ['shannon', 'dean'],
        whatHappened:
          'Officers attended at 2:15am after Ms Walsh called 999. Mr Marsh is alleged to have pushed her against a wall and held her by the throat. Liam tried to pull him away and was pushed to the floor; he has a red mark on his cheek. Mr Marsh was arrested and released on bail, on condition that he does not go to the address.',
        whyNow:
          'The fourth call to this address in six months and the first where a child was hurt. The risk assessment (DASH) is high. Bail conditions end in 28 days.',
        factors: ['3B', '3C', '18C'],
        consent: {
          familyKnows: true,
          consentGiven: false,
          withoutConsentReason:
            'A child was injured in a high-risk domestic abuse incident; we share it without consent to protect the children.',
        },
        screened: { workingDaysAgo: 10, at: '09:35' },
        decided: {
          at: { workingDaysAgo: 10, at: '15:30' },
          outcome: 'strategy-discussion',
          reason:
            'Liam was hurt during a high-risk domestic abuse incident: reasonable cause to suspect significant harm. Strategy discussion with the police and health today; section 47 enquiries by the south team.',
          team: 'south',
          // Urgent: allocated within the hour.
          allocated: { at: { workingDaysAgo: 10, at: '16:15' }, socialWorker: 'southworker' },
          summary: {
            at: { workingDaysAgo: 9, at: '16:45' },
            by: 'southworker',
            text: 'Shannon Walsh lives at 41 Tannery Row with her children Liam (9) and Grace (4). Her partner, Dean Marsh, is on police bail after assaulting her in front of the children; Liam was hurt trying to stop him. It was the fourth domestic abuse call to the address in six months and the risk is high. We are making section 47 enquiries, agreed at a strategy discussion with the police and health. Mr Marsh must not come to the house while on bail. Ms Walsh has been referred to the domestic abuse service.',
          },
          notes: [
            {
              key: 'visit',
              by: 'southworker',
              type: 'home-visit',
              contact: { workingDaysAgo: 9, at: '14:00' },
              at: { workingDaysAgo: 9, at: '16:20' },
              seen: ['liam', 'grace', 'shannon'],
              childrenSeenAlone: { liam: 'yes', grace: 'no' },
              significant: true,
              narrative:
                'Home visit as part of the section 47 enquiries, the day after the strategy discussion. Ms Walsh was at home with both children; Mr Marsh was not there and she said he has not been back since his arrest.\n\nI saw Liam alone in the living room. The mark on his cheek has faded. He said Dean “grabbed Mum by the neck” and that he tried to pull him off and was pushed over. He said this has happened before, when Grace was asleep, and that he worries about his mum when he is at school. He said he does not want Dean to come back.\n\nGrace is 4 and would not leave her mother, so I saw her with Ms Walsh. She played with her dolls and seemed relaxed.\n\nMs Walsh was shaken but clear that the relationship is over. She agreed to a safety plan, to call 999 if Mr Marsh comes to the house, and to see the domestic abuse service. I will see the children again next week and speak to Liam’s school.',
            },
          ],
        },
      },
      {
        key: 'police-bail-breach',
        from: {
          agency: 'police',
          referrer: {
            name: 'PC Amy Clarke',
            role: 'Response officer',
            organisation: 'Middleshire Police',
            email: 'amy.clarke@middleshire-police.example',
          },
        },
        referralSource: '6',
        received: { workingDaysAgo: 0, at: '08:10' },
        children: ['liam', 'grace'],
        adults: ['shannon', 'dean'],
        whatHappened:
          'A neighbour called us at 10:30pm last night to say Mr Marsh was at the house and there was shouting. When officers arrived he had gone. Ms Walsh said he had only come to collect his belongings and she had let him in.',
        whyNow: 'Mr Marsh breached his bail conditions while the section 47 enquiries are still open.',
        factors: ['3B', '3C'],
        consent: {
          familyKnows: true,
          consentGiven: false,
          withoutConsentReason: 'Shared because of the open child protection enquiries; Ms Walsh knows we have told children’s services.',
        },
      },
    ],
  },
  {
    key: 'adeyemi',
    name: 'the Adeyemi family',
    area: 'north',
    address: { line1: '19 Orchard Way', town: BRINDLEFORD, postcode: 'XN5 2QW' },
    children: {
      tobi: { firstName: 'Tobi', lastName: 'Adeyemi', gender: 'male', born: { yearsAgo: 8, on: '10-30' }, school: 'Demo Primary School' },
      funmi: {
        firstName: 'Funmi',
        lastName: 'Adeyemi',
        gender: 'female',
        born: { yearsAgo: 5, on: '06-12' },
        school: 'Demo Primary School',
      },
    },
    adults: { bisi: { firstName: 'Bisi', lastName: 'Adeyemi', relationship: 'mother' } },
    referrals: [
      {
        key: 'school',
        from: { agency: 'demo-school' },
        referralSource: '2A',
        received: { workingDaysAgo: 8, at: '11:45' },
        children: ['tobi', 'funmi'],
        adults: ['bisi'],
        whatHappened:
          'Tobi and Funmi have come to school hungry most days this half term, in the same unwashed uniform. Funmi has had head lice for several weeks. Tobi has a dental abscess that we told his mother about a month ago and that has not been treated. Mum has missed two meetings with us.',
        whyNow:
          'On Monday Tobi told his teacher there had been no food at home all weekend and that the electricity had run out. He has been falling asleep in class.',
        factors: ['16A'],
        consent: { familyKnows: true, consentGiven: true },
        decided: {
          at: { workingDaysAgo: 7, at: '15:20' },
          outcome: 'assessment',
          reason:
            'A pattern of neglect that is affecting both children’s health and schooling. Ms Adeyemi agrees she needs help since losing her job. A Child and Family assessment by the north team.',
          team: 'north',
          // Not allocated yet: the north team manager's next task.
        },
      },
    ],
  },
  {
    key: 'price',
    name: 'the Price family',
    area: 'south',
    address: { line1: 'Flat 6, Heron Court', line2: 'Quayside', town: CALDER_HEATH, postcode: 'XS2 9HN' },
    children: {
      ruby: { firstName: 'Ruby', lastName: 'Price', gender: 'female', born: { daysAgo: 124 } },
      alfie: { firstName: 'Alfie', lastName: 'Price', gender: 'male', born: { yearsAgo: 3, on: '09-03' }, school: 'Little Acorns Nursery' },
    },
    adults: {
      chloe: { firstName: 'Chloe', lastName: 'Price', relationship: 'mother', born: { yearsAgo: 24, on: '04-27' } },
      ryan: { firstName: 'Ryan', lastName: 'Cole', relationship: 'Ruby’s father', born: { yearsAgo: 27, on: '12-08' } },
    },
    referrals: [
      {
        key: 'health-visitor',
        from: { agency: 'health-visitors' },
        referralSource: '3B',
        received: { workingDaysAgo: 6, at: '13:20' },
        children: ['ruby', 'alfie'],
        adults: ['chloe', 'ryan'],
        whatHappened:
          'At Ruby’s four-month visit Ms Price was drowsy and slurring her words. There was foil and a lighter on the kitchen worktop within Alfie’s reach. Ruby has not been weighed since she was eight weeks old and has dropped two centile lines.',
        whyNow: 'Ms Price told me she has started using heroin again, after two years clean, since Mr Cole moved back in.',
        factors: ['2B', '2C', '16A'],
        consent: {
          familyKnows: true,
          consentGiven: false,
          withoutConsentReason: 'Ms Price asked me not to tell anyone. I explained that I have to share this to keep the children safe.',
        },
        decided: {
          at: { workingDaysAgo: 5, at: '09:40' },
          outcome: 'assessment',
          reason:
            'Parental drug use with a baby who is losing weight. Ms Price has agreed to see the substance misuse service. A Child and Family assessment by the south team with its substance misuse worker.',
          team: 'south',
          allocated: { at: { workingDaysAgo: 4, at: '11:00' }, socialWorker: 'southworker' },
          summary: {
            at: { workingDaysAgo: 3, at: '16:00' },
            by: 'southworker',
            text: 'Chloe Price lives at Flat 6, Heron Court with her children Ruby (4 months) and Alfie (3). Ruby’s father, Ryan Cole, has recently moved back in. The health visitor referred the family because Ms Price has started using heroin again after two years clean, Ruby is losing weight, and drug equipment was within Alfie’s reach. We are completing a Child and Family assessment. Ms Price has agreed to see the substance misuse service.',
          },
        },
      },
    ],
  },
  {
    key: 'hughes',
    name: 'the Hughes family',
    area: 'north',
    address: { line1: '3 Chapel Street', town: BRINDLEFORD, postcode: 'XN1 6HS' },
    children: {
      ellie: {
        firstName: 'Ellie',
        lastName: 'Hughes',
        gender: 'female',
        born: { yearsAgo: 7, on: '02-25' },
        school: 'Demo Primary School',
      },
    },
    adults: { kirsty: { firstName: 'Kirsty', lastName: 'Hughes', relationship: 'mother' } },
    referrals: [
      {
        key: 'neighbour',
        from: { form: { name: 'Paul Fenwick', email: 'paul.fenwick@example.com', phone: '07700 900 461' } },
        referralSource: '1B',
        received: { workingDaysAgo: 9, at: '19:40' },
        children: ['ellie'],
        adults: ['kirsty'],
        whatHappened:
          'I live next door. Most evenings there is shouting from the house, mostly the mum shouting at Ellie, and loud music until late.',
        whyNow: 'Last night I heard Ellie crying for a long time and I was worried about her.',
        factors: ['17A'],
        consent: {
          familyKnows: false,
          consentGiven: false,
          withoutConsentReason:
            'I don’t know the mum well enough to talk to her about it, and I didn’t want to make things worse between us.',
        },
        decided: {
          at: { workingDaysAgo: 8, at: '10:15' },
          outcome: 'no-further-action',
          reason:
            'The school and the health visitor have no concerns: Ellie attends every day, is doing well and appears well cared for. The shouting the neighbour hears is not, on its own, a safeguarding concern.',
        },
      },
      {
        key: 'school',
        from: { agency: 'demo-school' },
        referralSource: '2A',
        received: { workingDaysAgo: 1, at: '11:05' },
        children: ['ellie'],
        adults: ['kirsty'],
        whatHappened:
          'Ellie came into school with fingertip-shaped bruises on her upper arm. She told her teacher that her mum grabbed her because she would not get dressed. Since the October half term Ellie has been withdrawn and tearful, and she says she is “always in trouble” at home.',
        whyNow: 'This is the first mark we have seen on Ellie, and she told us how it happened herself.',
        factors: ['18B', '17A'],
        consent: { familyKnows: true, consentGiven: true },
      },
    ],
  },
  {
    key: 'bennett',
    name: 'the Bennett family',
    area: 'north',
    address: { line1: '62 Victoria Road', town: BRINDLEFORD, postcode: 'XN3 8PF' },
    children: {
      jayden: {
        firstName: 'Jayden',
        lastName: 'Bennett',
        gender: 'male',
        born: { yearsAgo: 13, on: '12-19' },
        school: 'Brindleford Academy',
      },
      mia: { firstName: 'Mia', lastName: 'Bennett', gender: 'female', born: { yearsAgo: 11, on: '04-04' }, school: 'Brindleford Academy' },
    },
    adults: { lisa: { firstName: 'Lisa', lastName: 'Bennett', relationship: 'mother' } },
    referrals: [
      {
        key: 'education-welfare',
        from: {
          form: {
            name: 'Martin Shaw',
            role: 'Education welfare officer',
            organisation: 'Brindleford Education Welfare Service',
            email: 'martin.shaw@brindleford-council.example',
            phone: '01632 960 502',
          },
        },
        referralSource: '2B',
        received: { workingDaysAgo: 5, at: '15:10' },
        children: ['jayden', 'mia'],
        adults: ['lisa'],
        whatHappened:
          'Jayden’s attendance has fallen to 61% this term and Mia’s to 78%. Mum says Jayden refuses to go since he was bullied last year, and she is struggling to get them both out of the house on her own while working early shifts.',
        whyNow: 'Attendance has fallen further since half term, and Jayden told me he stays in his room gaming all day.',
        factors: ['20'],
        consent: { familyKnows: true, consentGiven: true },
        decided: {
          at: { workingDaysAgo: 4, at: '11:30' },
          outcome: 'early-help',
          reason:
            'No safeguarding concerns. The family want help with school attendance and with Jayden’s wellbeing: stepped down to the early help team, who will call Ms Bennett this week.',
        },
      },
    ],
  },
  {
    key: 'campbell',
    name: 'the Campbell family',
    area: 'north',
    address: { line1: '27 Moorland Drive', town: BRINDLEFORD, postcode: 'XN6 3JE' },
    children: {
      kai: { firstName: 'Kai', lastName: 'Campbell', gender: 'male', born: { yearsAgo: 15, on: '07-08' }, school: 'Brindleford Academy' },
    },
    adults: {
      mark: { firstName: 'Mark', lastName: 'Campbell', relationship: 'father', born: { yearsAgo: 44, on: '03-19' } },
      joanne: { firstName: 'Joanne', lastName: 'Campbell', relationship: 'mother', born: { yearsAgo: 41, on: '08-23' } },
    },
    referrals: [
      {
        key: 'gp',
        from: {
          agency: 'gp',
          referrer: {
            name: 'Dr Nikhil Rao',
            role: 'GP',
            organisation: 'Brindleford Medical Practice',
            email: 'nikhil.rao@brindleford-medical.example',
          },
        },
        referralSource: '3A',
        received: { workingDaysAgo: 3, at: '10:40' },
        children: ['kai'],
        adults: ['mark', 'joanne'],
        whatHappened:
          'Kai came in with his father after cutting his forearms. He has done this before and says he feels numb most of the time. On his own with me he said his parents argue all the time and that his dad has pushed his mum. I have referred him to CAMHS.',
        whyNow: 'Kai said he has thought about ending his life and does not feel safe at home when his dad has been drinking.',
        factors: ['15A', '3B', '1B'],
        consent: { familyKnows: true, consentGiven: true },
      },
    ],
  },
  {
    key: 'okoro',
    name: 'the Okoro family',
    area: 'south',
    address: { line1: '5 Wharf Lane', town: CALDER_HEATH, postcode: 'XS1 3DU' },
    children: {
      precious: { firstName: 'Precious', lastName: 'Okoro', gender: 'female' },
      daniel: { firstName: 'Daniel', lastName: 'Okoro', gender: 'male' },
    },
    adults: {},
    referrals: [
      {
        key: 'anonymous',
        from: { form: 'anonymous' },
        referralSource: '9',
        received: { workingDaysAgo: 2, at: '16:40' },
        children: ['precious', 'daniel'],
        adults: [],
        knows: { datesOfBirth: false, schools: false },
        whatHappened:
          'Two young children, I think about 3 and 5, are often left on their own in the flat in the evenings. I have seen the older one at the window late at night and heard them crying. I think their mum works nights.',
        whyNow: 'Last Friday they were on their own from about 7pm until after midnight.',
        factors: ['16A'],
        consent: { familyKnows: false, consentGiven: false, withoutConsentReason: 'I don’t want them to know it was me.' },
        screened: { workingDaysAgo: 1, at: '09:20' },
      },
    ],
  },
  {
    key: 'murphy',
    name: 'the Murphy family',
    area: 'south',
    address: { line1: '11 Canal Cottages', town: CALDER_HEATH, postcode: 'XS3 5BA' },
    children: {
      unborn: { firstName: 'Unborn', lastName: 'Murphy', expectedInDays: 49 },
      lilyMae: { firstName: 'Lily-Mae', lastName: 'Murphy', gender: 'female', born: { yearsAgo: 2, on: '08-27' } },
    },
    adults: {
      shauna: { firstName: 'Shauna', lastName: 'Murphy', relationship: 'mother', born: { yearsAgo: 22, on: '01-09' } },
      connor: { firstName: 'Connor', lastName: 'Doyle', relationship: 'father of the unborn baby' },
    },
    referrals: [
      {
        key: 'health-visitor',
        from: { agency: 'health-visitors' },
        referralSource: '3B',
        received: { workingDaysAgo: 1, at: '14:25' },
        children: ['unborn', 'lilyMae'],
        adults: ['shauna', 'connor'],
        whatHappened:
          'Ms Murphy is 33 weeks pregnant and booked late, at 28 weeks. She has bipolar disorder and stopped her medication when she found out she was pregnant. At my visit she had not slept for three days, there was no food in the flat, and she was talking fast and jumping between subjects. Lily-Mae was in a soiled nappy.',
        whyNow: 'Her mental health has got much worse in the last week, and the baby is due in seven weeks.',
        factors: ['4B', '16A'],
        consent: { familyKnows: true, consentGiven: true },
        screened: { workingDaysAgo: 0, at: '09:15' },
      },
    ],
  },
  {
    key: 'kowalski',
    name: 'the Kowalski family',
    area: 'north',
    address: { line1: '88 Station Road', town: BRINDLEFORD, postcode: 'XN4 1TY' },
    children: {
      oliwia: {
        firstName: 'Oliwia',
        lastName: 'Kowalska',
        gender: 'female',
        born: { yearsAgo: 10, on: '09-15' },
        school: 'Brindleford Primary School',
      },
      szymon: {
        firstName: 'Szymon',
        lastName: 'Kowalski',
        gender: 'male',
        born: { yearsAgo: 6, on: '03-22' },
        school: 'Brindleford Primary School',
      },
    },
    adults: { marta: { firstName: 'Marta', lastName: 'Kowalska', relationship: 'mother' } },
    referrals: [
      {
        key: 'grandmother',
        from: { form: { name: 'Teresa Nowak', email: 'teresa.nowak@example.com', phone: '07700 900 217' } },
        referralSource: '1A',
        received: { workingDaysAgo: 1, at: '09:05' },
        children: ['oliwia', 'szymon'],
        adults: ['marta'],
        whatHappened:
          'I am the children’s grandmother. My daughter Marta has been drinking heavily since her husband left in the summer. When I visited on Sunday she was asleep at 2pm and the children had not eaten. Oliwia is doing the cooking and taking Szymon to school.',
        whyNow: 'Oliwia phoned me at 11pm on Sunday because her mum had fallen over and she could not wake her.',
        factors: ['1B', '7A', '16A'],
        consent: {
          familyKnows: false,
          consentGiven: false,
          withoutConsentReason: 'My daughter would be very angry with me and might stop me seeing the children.',
        },
      },
    ],
  },
  {
    key: 'ali',
    name: 'the Ali family',
    area: 'south',
    address: { line1: '12 Foundry Street', town: CALDER_HEATH, postcode: 'XS6 2GF' },
    children: {
      yusuf: {
        firstName: 'Yusuf',
        lastName: 'Ali',
        gender: 'male',
        born: { yearsAgo: 14, on: '01-30' },
        school: 'Calder Heath High School',
      },
    },
    adults: { samira: { firstName: 'Samira', lastName: 'Ali', relationship: 'mother' } },
    referrals: [
      {
        key: 'police',
        from: { agency: 'police' },
        referralSource: '6',
        received: { workingDaysAgo: 0, at: '07:45' },
        children: ['yusuf'],
        adults: ['samira'],
        whatHappened:
          'Officers found Yusuf at 1:30am in a car in another county with two older men, £400 in cash and two phones. His mother had reported him missing the evening before. He would not say how he got there.',
        whyNow: 'His third missing episode in five weeks. Our intelligence suggests he is being used to carry drugs on a county line.',
        factors: ['10A', '24A'],
        consent: { familyKnows: true, consentGiven: true },
      },
    ],
  },
  {
    key: 'thompson',
    name: 'the Thompson family',
    area: 'south',
    address: { line1: '7 Beacon Walk', town: CALDER_HEATH, postcode: 'XS5 4NW' },
    children: {
      noah: {
        firstName: 'Noah',
        lastName: 'Thompson',
        gender: 'male',
        born: { yearsAgo: 5, on: '10-10' },
        school: 'Calder Heath Infant School',
      },
      isla: { firstName: 'Isla', lastName: 'Thompson', gender: 'female', born: { yearsAgo: 1, on: '06-01' } },
    },
    adults: { jade: { firstName: 'Jade', lastName: 'Thompson', relationship: 'mother' } },
    referrals: [
      {
        key: 'housing',
        from: {
          form: {
            name: 'Femi Adebayo',
            role: 'Housing officer',
            organisation: 'Calder Heath Homes',
            email: 'femi.adebayo@calderheathhomes.example',
            phone: '01632 960 645',
          },
        },
        referralSource: '4',
        received: { workingDaysAgo: 0, at: '09:50' },
        children: ['noah', 'isla'],
        adults: ['jade'],
        whatHappened:
          'I inspected the flat for damp and found it in a very poor state: rotting food, dog mess on the floor of the children’s bedroom and no working heating. Ms Thompson says the boiler has been broken for three weeks and she did not report it.',
        whyNow: 'It is getting colder, Isla has a chest infection, and Ms Thompson seemed very low. She told me she cannot cope.',
        factors: ['16A', '4B'],
        consent: { familyKnows: true, consentGiven: true },
      },
    ],
  },
  {
    // Four months of group supervision: rated Red, then Amber, Amber and Green as the family grew safer.
    key: 'fletcher',
    name: 'the Fletcher family',
    area: 'north',
    address: { line1: '23 Ferndale Road', town: BRINDLEFORD, postcode: 'XN7 5MB' },
    children: {
      mason: {
        firstName: 'Mason',
        lastName: 'Fletcher',
        gender: 'male',
        born: { yearsAgo: 9, on: '03-14' },
        school: 'Brindleford Primary School',
      },
      poppy: {
        firstName: 'Poppy',
        lastName: 'Fletcher',
        gender: 'female',
        born: { yearsAgo: 5, on: '10-02' },
        school: 'Brindleford Primary School',
      },
    },
    adults: {
      natalie: { firstName: 'Natalie', lastName: 'Fletcher', relationship: 'mother', born: { yearsAgo: 31, on: '07-21' } },
      craig: { firstName: 'Craig', lastName: 'Dawson', relationship: 'father', born: { yearsAgo: 34, on: '01-05' } },
    },
    referrals: [
      {
        key: 'police',
        from: { agency: 'police' },
        referralSource: '6',
        received: { workingDaysAgo: 93, at: '07:55' },
        children: ['mason', 'poppy'],
        adults: ['natalie', 'craig'],
        whatHappened:
          'Officers attended at 11:20pm after Ms Fletcher called 999. Her partner, Craig Dawson, the children’s father, came home drunk, accused her of seeing someone else and punched her in the face. Mason ran to a neighbour’s house for help; Poppy was asleep upstairs. Ms Fletcher has a cut lip and bruising to her cheek. Mr Dawson was arrested and released on bail, on condition that he does not contact her or go to the address.',
        whyNow:
          'The risk assessment (DASH) is high: Ms Fletcher told officers that he has held her by the throat before and that it has got worse since he lost his job. The case is being referred to MARAC.',
        factors: ['3B', '1B', '17A'],
        consent: {
          familyKnows: true,
          consentGiven: false,
          withoutConsentReason: 'We share every domestic incident where children are present; Ms Fletcher was told we would.',
        },
        screened: { workingDaysAgo: 93, at: '09:05' },
        decided: {
          at: { workingDaysAgo: 93, at: '11:30' },
          outcome: 'assessment',
          reason:
            'High-risk domestic abuse with both children in the house, and Mason saw his mother hurt. Ms Fletcher wants help to keep the children safe. A Child and Family assessment by the north team, with the team’s domestic abuse worker.',
          team: 'north',
          allocated: {
            at: { workingDaysAgo: 93, at: '14:40' },
            socialWorker: 'socialworker',
            specialists: { 'domestic-abuse-victim': 'specialist' },
          },
          summary: {
            at: { workingDaysAgo: 92, at: '16:30' },
            by: 'socialworker',
            text: 'Natalie Fletcher lives at 23 Ferndale Road with her children Mason (9) and Poppy (5). The police referred the family after the children’s father, Craig Dawson, assaulted Ms Fletcher at home while drunk; Mason ran to a neighbour for help. The risk is high and the case is going to MARAC. Mr Dawson is on bail and must not contact Ms Fletcher or come to the house. We are completing a Child and Family assessment; Dana Lewis, the team’s domestic abuse worker, is working with Ms Fletcher.',
          },
          practice: [
            {
              at: { workingDaysAgo: 52, at: '15:00' },
              by: 'manager',
              step: 'path',
              pathStep: 'complete-assessment',
              fields: {
                completedOn: 'DAY',
                factors: ['1B', '3B', '17A'],
                primaryNeed: 'N1',
                outcome: 'child-in-need-plan',
                familySafeguardingEligible: true,
                summary:
                  'Ms Fletcher has been abused by her partner for years; Mason has seen it and carries the worry. She has kept him away since the assault and wants help to stay safe. Mr Dawson drinks heavily. A child in need plan with the team’s domestic abuse worker, and work with Mason at school.',
              },
            },
            {
              at: { workingDaysAgo: 51, at: '10:30' },
              by: 'socialworker',
              step: 'path',
              pathStep: 'start-cin-plan',
              fields: { startedOn: 'DAY' },
            },
            {
              at: { workingDaysAgo: 51, at: '16:00' },
              by: 'socialworker',
              step: 'plan',
              fields: {
                agreedOn: 'DAY',
                goals: [
                  {
                    inFamilysWords: 'Me and the kids feel safe at home and Craig keeps away until he has sorted his drinking',
                    actions: [
                      {
                        what: 'Keep the safety plan by the phone and call 999 if Craig comes to the house',
                        who: 'Natalie',
                        byWhen: { daysAfter: 7 },
                      },
                      {
                        what: 'Weekly sessions on the Freedom Programme',
                        who: 'Dana Lewis (domestic abuse worker)',
                        byWhen: { daysAfter: 70 },
                      },
                    ],
                  },
                  {
                    inFamilysWords: 'Mason stops worrying about everyone and enjoys being nine',
                    actions: [
                      { what: 'Time with Mason on his own every fortnight', who: 'Sam Okafor (social worker)', byWhen: { daysAfter: 60 } },
                      { what: 'Lunchtime club with his class teacher', who: 'Brindleford Primary School', byWhen: { daysAfter: 30 } },
                    ],
                  },
                ],
                nextReviewDate: { daysAfter: 42 },
              },
            },
            {
              at: { workingDaysAgo: 48, at: '14:00' },
              by: 'specialist',
              step: 'stage-of-change',
              adult: 'natalie',
              fields: {
                concern: 'domestic-abuse',
                stage: 'contemplation',
                assessedOn: 'DAY',
                note: 'Natalie says the assault was “a one-off because he’d been drinking”, but she has changed the locks and kept to the safety plan. She is weighing up what staying apart would mean for the children.',
              },
            },
            {
              at: { workingDaysAgo: 46, at: '11:00' },
              by: 'specialist',
              step: 'stage-of-change',
              adult: 'craig',
              fields: {
                concern: 'alcohol',
                stage: 'precontemplation',
                assessedOn: 'DAY',
                note: 'Craig agreed to meet at the probation office. He says his drinking is “no worse than anyone’s” and that Natalie provoked him; he does not see a link between the drink and what happened.',
              },
            },
            {
              at: { workingDaysAgo: 12, at: '15:30' },
              by: 'specialist',
              step: 'stage-of-change',
              adult: 'natalie',
              fields: {
                concern: 'domestic-abuse',
                stage: 'action',
                assessedOn: 'DAY',
                note: 'Natalie has finished six weeks of the Freedom Programme and named the controlling behaviour herself: the money, the phone checks. She has told Craig’s mother she will not have him back while he is drinking.',
              },
            },
          ],
          supervisions: [
            {
              recordedAt: '15:40',
              attendees: ['manager', 'socialworker', 'specialist'],
              rating: 'red',
              ratingRationale:
                'Red. Ms Fletcher was assaulted in front of Mason a month ago, the risk assessment is high and Mr Dawson has held her by the throat before. He is on bail but has texted her twice since, and we do not yet know how much the children have seen over the years.',
              discussion:
                'Sam described the first weeks. Ms Fletcher has been open with us, has changed the locks and has got Mason and Poppy to school every day. Mason is quiet and watchful, and at home he checks the doors at night. Poppy talks about her dad a lot and asks when he is coming home.\n\nWe talked about why Ms Fletcher stayed so long. Our first hypothesis is that she was frightened of managing alone with no money of her own: Mr Dawson controlled their money, and that made leaving feel impossible. Our second is that Mason has taken on the job of protecting his mother and sister, which would explain his watchfulness and why he ran for help.\n\nDana said that Ms Fletcher plays down the earlier incidents (“he only grabbed me”), which is common in the first weeks, and that the texts are testing whether she will keep him away.',
              risks:
                'Mr Dawson contacting Ms Fletcher in breach of his bail, and her letting him back because of money or pressure from his family. He has held her by the throat before, a strong warning sign of serious harm. Mason carrying the worry on his own.',
              strengths:
                'Ms Fletcher called the police and has worked with us from the first day. Her mother lives nearby and the children stay with her when Ms Fletcher needs a break. The school knows the children well and Mason trusts his class teacher.',
              decisions:
                'The Child and Family assessment continues, with a meeting of everyone working with the family within two weeks. Dana will see Ms Fletcher every week. Sam will see both children on their own. We will tell the police about the texts, as a breach of bail.',
              actions: [
                {
                  what: 'Tell the officer in the case about Mr Dawson’s texts and ask for the history of police calls to the address',
                  owner: 'socialworker',
                  dueInWorkingDays: 2,
                  done: { workingDaysAfterHeld: 1, at: '11:10' },
                },
                {
                  what: 'Make a safety plan with Ms Fletcher, including what she will do if Mr Dawson comes to the house',
                  owner: 'specialist',
                  dueInWorkingDays: 3,
                  done: { workingDaysAfterHeld: 2, at: '16:05' },
                },
                {
                  what: 'See Mason and Poppy on their own at school and hear from each of them what home has been like',
                  owner: 'socialworker',
                  dueInWorkingDays: 5,
                  done: { workingDaysAfterHeld: 3, at: '15:20' },
                },
              ],
            },
            {
              recordedAt: '14:50',
              attendees: ['manager', 'socialworker'],
              apologies: ['specialist'],
              rating: 'amber',
              ratingRationale:
                'Amber. Mr Dawson has been charged, he is keeping to his bail conditions and Ms Fletcher has a safety plan. The risk is lower than a month ago but not settled: the trial is months away and the pressure on her to drop the case is real.',
              discussion:
                'Sam saw both children on their own. Mason said he is “glad it’s quiet now” and that he used to put his headphones on when the shouting started. Poppy said she misses her dad and wants to see him. Both children are safe and well cared for, and Ms Fletcher is warm and patient with them.\n\nDana was at MARAC and sent her update: Ms Fletcher has her safety plan and has started the Freedom Programme. She told Dana that Mr Dawson’s mother keeps phoning to ask her to withdraw her statement.\n\nOur hypothesis is that Poppy’s wish to see her dad, and his family’s pressure, are the two things most likely to draw Ms Fletcher back into contact with him. The children need a plan for their relationship with their father that keeps them safe, rather than leaving it to her.',
              risks:
                'Pressure from Mr Dawson’s family to withdraw her statement. Contact between Poppy and her father through his family, without a plan.',
              strengths:
                'Ms Fletcher has kept to her safety plan and told us about the phone calls straight away. Mason is doing well at school and has a good group of friends.',
              decisions:
                'Sam to finish the assessment. Dana to help Ms Fletcher apply for a non-molestation order, which would protect her after the bail conditions end. Any contact between the children and their father to be supervised until the assessment is finished.',
              actions: [
                {
                  what: 'Help Ms Fletcher apply for a non-molestation order',
                  owner: 'specialist',
                  dueInWorkingDays: 10,
                  done: { workingDaysAfterHeld: 7, at: '14:30' },
                },
                {
                  what: 'Finish the Child and Family assessment and go through it with Ms Fletcher',
                  owner: 'socialworker',
                  dueInWorkingDays: 10,
                  done: { workingDaysAfterHeld: 8, at: '16:40' },
                },
              ],
            },
            {
              recordedAt: '16:15',
              attendees: ['manager', 'socialworker', 'specialist'],
              rating: 'amber',
              ratingRationale:
                'Still Amber. The non-molestation order is in place and the assessment is finished, but Mason’s anger at school is new, and Mr Dawson has asked through a solicitor to see the children.',
              discussion:
                'The assessment is finished and Ms Fletcher agrees with it. The court made a non-molestation order for a year.\n\nMason has shouted at staff at school three times and once pushed another boy. Sam’s view is that now home is calmer, Mason feels safe enough to show his anger. Another hypothesis: Mason has heard that his dad wants to see them and is frightened of it. Both may be true, and Mason needs a safe adult to talk to about it.\n\nMr Dawson’s solicitor has written asking for contact. Dana told us he has been offered a place on a perpetrator programme; whether he has started it matters for any plan for contact.',
              risks: 'Mason’s behaviour leading to exclusion from school. Contact starting before we know whether Mr Dawson has changed.',
              strengths:
                'Ms Fletcher is confident with the school and went to the meeting about Mason herself. Poppy has settled and no longer asks every day about her dad.',
              decisions:
                'The case stays open to us as a child in need. No contact with Mr Dawson until we have heard from the perpetrator programme. Sam to ask the school for counselling for Mason.',
              actions: [
                {
                  what: 'Refer Mason to the school’s counselling service and agree with his teacher how to respond when he is angry',
                  owner: 'socialworker',
                  dueInWorkingDays: 5,
                  done: { workingDaysAfterHeld: 4, at: '10:30' },
                },
                {
                  // Left open: the programme never answered. Overdue, its owner told, then the team manager.
                  what: 'Find out from the perpetrator programme whether Mr Dawson has started the course',
                  owner: 'specialist',
                  dueInWorkingDays: 8,
                },
              ],
            },
            {
              recordedAt: '15:05',
              attendees: ['manager', 'socialworker', 'specialist'],
              rating: 'green',
              ratingRationale:
                'Green. The order is being kept, Ms Fletcher has nearly finished the Freedom Programme, Mason has started counselling and there have been no incidents at school for three weeks. The children are safe and settled.',
              discussion:
                'Sam reported that Mason has had four counselling sessions and his teacher says he is calmer and talking more. At home he no longer checks the doors at night. Poppy is happy at school.\n\nDana’s question to the perpetrator programme is overdue: they have not answered her two emails. Jo will ask the programme’s manager. Until we know, there is still no contact with Mr Dawson, and Ms Fletcher agrees.\n\nWe talked about what the family needs next. Our hypothesis is that they can keep themselves safe with help from early help and universal services, as long as any contact with Mr Dawson is decided by a court or a plan we trust, not arranged informally.',
              risks: 'Informal contact through Mr Dawson’s family, if the order is thought to be “over” when the criminal case ends.',
              strengths:
                'Ms Fletcher has used every support offered and now speaks clearly about what happened and why it was not her fault. Mason and Poppy are close to their grandmother, who supports the plan.',
              decisions:
                'Plan to step down to early help at the next supervision if things stay settled. Jo to chase the perpetrator programme. Sam to hold a review meeting with Ms Fletcher and the school.',
              actions: [
                {
                  what: 'Agree with Ms Fletcher what support she wants when the Freedom Programme ends',
                  owner: 'specialist',
                  dueInWorkingDays: 19,
                },
                {
                  what: 'Hold a review meeting with Ms Fletcher and the school to plan stepping down to early help',
                  owner: 'socialworker',
                  dueInWorkingDays: 20,
                },
              ],
            },
          ],
        },
      },
    ],
  },
  {
    // Allocated six weeks ago; its first group supervision was not held by its due date.
    key: 'robinson',
    name: 'the Robinson family',
    area: 'north',
    address: { line1: '4 Brook Terrace', town: BRINDLEFORD, postcode: 'XN8 3AR' },
    children: {
      amelia: {
        firstName: 'Amelia',
        lastName: 'Robinson',
        gender: 'female',
        born: { yearsAgo: 11, on: '06-18' },
        school: 'Demo Primary School',
      },
      finley: { firstName: 'Finley', lastName: 'Robinson', gender: 'male', born: { yearsAgo: 4, on: '12-03' } },
    },
    adults: { karen: { firstName: 'Karen', lastName: 'Robinson', relationship: 'mother', born: { yearsAgo: 38, on: '04-11' } } },
    referrals: [
      {
        key: 'school',
        from: { agency: 'demo-school' },
        referralSource: '2A',
        received: { workingDaysAgo: 33, at: '13:40' },
        children: ['amelia', 'finley'],
        adults: ['karen'],
        whatHappened:
          'Amelia has missed 14 days this term and comes in exhausted. She told her teacher that she looks after her mum, who has multiple sclerosis and has been much worse since the summer, and her little brother Finley, who is 4. She gets Finley up, dressed and to nursery before school, and does the shopping and cooking.',
        whyNow:
          'Amelia was found crying in the toilets on Monday. She said her mum had fallen at the weekend and she could not lift her, and that there was no food in the house.',
        factors: ['7A', '16A'],
        consent: { familyKnows: true, consentGiven: true },
        decided: {
          at: { workingDaysAgo: 32, at: '10:20' },
          outcome: 'assessment',
          reason:
            'Amelia is caring for her mother and brother at the cost of her schooling and her own wellbeing, and Ms Robinson wants help. A Child and Family assessment by the north team, and a carer’s assessment from adult social care.',
          team: 'north',
          allocated: { at: { workingDaysAgo: 31, at: '11:15' }, socialWorker: 'socialworker' },
          summary: {
            at: { workingDaysAgo: 29, at: '17:00' },
            by: 'socialworker',
            text: 'Karen Robinson lives at 4 Brook Terrace with her children Amelia (11) and Finley (4). Ms Robinson has multiple sclerosis, which has got much worse since the summer. The school referred the family because Amelia is caring for her mother and brother, missing school and exhausted. Ms Robinson loves her children and wants help. We are completing a Child and Family assessment and have asked adult social care for a carer’s assessment and support at home.',
          },
          // No supervision held: the first, due a calendar month after the allocation, is overdue.
          supervisions: [],
        },
      },
    ],
  },
];
