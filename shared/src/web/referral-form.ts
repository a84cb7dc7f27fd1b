/**
 * The public referral form as the public meets it, named once: referrals draws its pages in this
 * layout, and notifications' `$default` route keeps someone who mistypes an address under `/refer`
 * in the same service (services share no code but shared/).
 */
import type { PublicLayout } from './page';

export const REFERRAL_FORM_LAYOUT = Object.freeze({
  service: Object.freeze({ name: 'Refer a child to children’s services', href: '/refer' }),
  footerText: 'If a child is in immediate danger, call 999.',
}) satisfies Pick<PublicLayout, 'service' | 'footerText'>;
