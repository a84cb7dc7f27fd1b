/**
 * What the administrators' webhook deliveries page shows of a delivery (src/store/delivery-store.ts):
 * one GOV.UK summary card each (a table of six columns does not fit a phone). Never the agency's
 * secret, the webhook's URL or the body. Pure.
 */
import type { ListedState, WebhookDelivery } from '../store/delivery-store';
import { capitalised, whenInWords } from './when';

interface Row {
  key: { text: string };
  value: { text: string };
}

export interface DeliveryCard {
  /** The agency's name (its id for a delivery made before names were kept). */
  title: string;
  rows: Row[];
  /** The template adds it as a mailto link (escaped there, like every value). */
  contactEmail?: string;
}

const when = (now: Date, at: string | undefined): string => (at ? capitalised(whenInWords(now, new Date(at))) : 'Not yet');

export function deliveryCard(delivery: WebhookDelivery, now: Date): DeliveryCard {
  const agency = delivery.agencyName ?? delivery.agencyId;
  const rows: Row[] = [
    { key: { text: 'Referral' }, value: { text: delivery.reference } },
    { key: { text: 'Attempts' }, value: { text: String(delivery.attempts) } },
    { key: { text: 'Last result' }, value: { text: delivery.lastResult ?? 'No attempt has finished yet' } },
    { key: { text: 'Last tried' }, value: { text: when(now, delivery.lastAttemptAt) } },
    delivery.state === 'dead'
      ? { key: { text: 'Stopped trying' }, value: { text: when(now, delivery.deadAt) } }
      : { key: { text: 'Next attempt' }, value: { text: when(now, delivery.nextAttemptAt) } },
    { key: { text: 'First sent' }, value: { text: when(now, delivery.createdAt) } },
  ];
  return { title: agency, rows, ...(delivery.agencyContactEmail ? { contactEmail: delivery.agencyContactEmail } : {}) };
}

/** The page's two lists, as the sub-navigation names them, in its order: the failures first (the default). */
export const DELIVERY_LISTS: Readonly<Record<ListedState, { text: string; heading: string }>> = {
  dead: { text: 'Failed', heading: 'Webhook deliveries that failed' },
  pending: { text: 'Being retried', heading: 'Webhook deliveries being retried' },
};
export const DELIVERY_LIST_ORDER: readonly ListedState[] = ['dead', 'pending'];
