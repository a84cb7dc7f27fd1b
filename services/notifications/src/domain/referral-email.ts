/**
 * The email that tells a web-form referrer what the front door decided (DOMAIN.md, Referrals 5):
 * the outcome in plain words, the front door's reason (written for this reader), the reference. It
 * names no child; the referral's content never leaves the referrals service.
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

export function referralDecidedEmail(data: EventData<typeof referralDecidedV1>, referrer: { name: string; email: string }): EmailMessage {
  const outcome = OUTCOME_IN_PLAIN_WORDS[data.outcome];
  const decidedAt = londonDateTimeText(new Date(data.decidedAt));
  const subject = `Your referral ${data.reference}: our decision`;
  const text = [
    `Dear ${referrer.name},`,
    '',
    `Thank you for your referral to children's services. We made our decision at ${decidedAt}.`,
    '',
    `What happens next: ${outcome}`,
    '',
    `Why: ${data.reason}`,
    '',
    `Your reference is ${data.reference}. Please quote it if you contact us.`,
    '',
    'If you think a child is in immediate danger, call 999.',
    '',
    "Children's services front door",
  ].join('\n');
  const paragraph = (content: string) => `<p style="font-family: Arial, sans-serif; font-size: 19px;">${content}</p>`;
  const html = [
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>',
    escapeHtml(subject),
    '</title></head><body>',
    paragraph(`Dear ${escapeHtml(referrer.name)},`),
    paragraph(`Thank you for your referral to children's services. We made our decision at ${escapeHtml(decidedAt)}.`),
    paragraph(`<strong>What happens next:</strong> ${escapeHtml(outcome)}`),
    paragraph(`<strong>Why:</strong> ${escapeHtml(data.reason)}`),
    paragraph(`Your reference is <strong>${escapeHtml(data.reference)}</strong>. Please quote it if you contact us.`),
    paragraph('If you think a child is in immediate danger, call 999.'),
    paragraph("Children's services front door"),
    '</body></html>',
  ].join('');
  return { to: referrer.email, subject, text, html };
}
