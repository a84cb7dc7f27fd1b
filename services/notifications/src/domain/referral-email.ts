/**
 * What the web-form referrer is told of the front door's decision (DOMAIN.md, Referrals 5, revised),
 * decided here and nowhere else:
 *
 * - a professional (they chose a professional source and gave their role and organisation; the
 *   referrals service says so as `formReferrer.professional`) gets the outcome in plain words, the
 *   front door's reason (written for this reader) and the reference;
 * - a member of the public gets only that the referral has been looked at and that, to protect the
 *   family's privacy, they may not be told more: never the outcome, the reason or its time, so never
 *   a strategy discussion or the police (the referrer may be the person who harms). A fact without
 *   `professional` (published before it existed) is told as to a member of the public;
 * - an anonymous referrer left no contact details: nothing is sent. A partner agency (a
 *   professional) is told by its signed webhook (webhook.ts), not here.
 *
 * The email names no child; the referral's content never leaves the referrals service.
 */
import { createHash } from 'node:crypto';
import type { ReferralOutcome } from '@fsp/shared/events/codes';
import type { EventData } from '@fsp/shared/events/define';
import type { referralDecidedV1 } from '@fsp/shared/events/definitions/referrals';
import { londonDateTimeText } from '@fsp/shared/time/london-words';

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** What each outcome means for the person who made the referral. */
export const OUTCOME_IN_PLAIN_WORDS: Record<ReferralOutcome, string> = {
  'no-further-action': "Children's social care will not take any further action.",
  'early-help': 'The family will be offered support from the early help service.',
  assessment: 'A social worker will assess what support the children and family need (a Child and Family assessment).',
  'strategy-discussion':
    'We are concerned for the children’s safety. Social workers, the police and health professionals will meet urgently to decide how to keep them safe (a strategy discussion).',
  'added-to-open-case': 'A social worker is already working with the family, and your information has been passed to them.',
};

/** One email per (fact, recipient address): the same fact arriving again finds the same id. */
export function referralEmailIdOf(eventId: string, address: string): string {
  return createHash('sha256').update(`${eventId}\nemail:${address.trim().toLowerCase()}\nemail`).digest('hex').slice(0, 32);
}

const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** Who the referrer is to the front door, as far as telling them goes. */
export type ReferrerAudience = 'professional' | 'member-of-the-public';

type ReferralDecidedData = EventData<typeof referralDecidedV1>;
type FormReferrer = NonNullable<ReferralDecidedData['formReferrer']>;

/** Only an explicit `professional: true` opens the outcome and the reason; anything else is the public's email. */
export const referrerAudienceOf = (referrer: Pick<FormReferrer, 'professional'>): ReferrerAudience =>
  referrer.professional === true ? 'professional' : 'member-of-the-public';

/**
 * The email the form referrer is sent, or undefined when nobody is to be emailed: a partner
 * referral (told by webhook) or an anonymous one (no contact details).
 */
export function referrerEmailOf(data: ReferralDecidedData): EmailMessage | undefined {
  const referrer = data.formReferrer;
  if (!referrer) return undefined;
  return referrerAudienceOf(referrer) === 'professional'
    ? professionalEmail(data, referrer)
    : memberOfThePublicEmail(data.reference, referrer);
}

const paragraph = (content: string) => `<p style="font-family: Arial, sans-serif; font-size: 19px;">${content}</p>`;

/** Plain text, and the same paragraphs as HTML (each already escaped where it quotes). */
function emailOf(to: string, subject: string, paragraphs: readonly { text: string; html: string }[]): EmailMessage {
  const text = paragraphs.map((part) => part.text).join('\n\n');
  const html = [
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>',
    escapeHtml(subject),
    '</title></head><body>',
    ...paragraphs.map((part) => paragraph(part.html)),
    '</body></html>',
  ].join('');
  return { to, subject, text, html };
}

const plain = (words: string) => ({ text: words, html: escapeHtml(words) });
const SIGN_OFF = [plain('If you think a child is in immediate danger, call 999.'), plain("Children's services front door")];
const referenceLine = (reference: string) => ({
  text: `Your reference is ${reference}. Please quote it if you contact us.`,
  html: `Your reference is <strong>${escapeHtml(reference)}</strong>. Please quote it if you contact us.`,
});

/** A professional: the outcome in plain words, the front door's reason, when it was decided, the reference. */
function professionalEmail(data: ReferralDecidedData, referrer: FormReferrer): EmailMessage {
  const outcome = OUTCOME_IN_PLAIN_WORDS[data.outcome];
  const decidedAt = londonDateTimeText(new Date(data.decidedAt));
  return emailOf(referrer.email, `Your referral ${data.reference}: our decision`, [
    plain(`Dear ${referrer.name},`),
    plain(`Thank you for your referral to children's services. We made our decision at ${decidedAt}.`),
    { text: `What happens next: ${outcome}`, html: `<strong>What happens next:</strong> ${escapeHtml(outcome)}` },
    { text: `Why: ${data.reason}`, html: `<strong>Why:</strong> ${escapeHtml(data.reason)}` },
    referenceLine(data.reference),
    ...SIGN_OFF,
  ]);
}

/**
 * A member of the public: that the referral has been looked at, and no more. Built from the reference
 * and the referrer alone, so that nothing of the decision can reach it.
 */
function memberOfThePublicEmail(reference: string, referrer: Pick<FormReferrer, 'name' | 'email'>): EmailMessage {
  return emailOf(referrer.email, `Your referral ${reference} has been looked at`, [
    plain(`Dear ${referrer.name},`),
    plain("Thank you for your referral to children's services. We have looked at it."),
    plain("To protect the family's privacy, we cannot tell you what we have done or why."),
    referenceLine(reference),
    plain('If you have new worries about a child, contact us.'),
    ...SIGN_OFF,
  ]);
}
