/**
 * What every notification consumer does with the drafts its domain rule made of a fact: deliver each
 * to its recipient, in the channels the recipient chose (issue 15: preferences, email, the digest),
 * once per (fact, recipient, channel).
 *
 * For each draft (ADR 0017, "Preferences and routing"):
 * 1. a personal draft whose owner has left (not in the directory, or disabled) goes instead to the
 *    team managers of the draft's team (the team's mailbox when it lists none), saying whom it was for;
 * 2. the item is delivered to the inbox (once: the store's conditional write);
 * 3. for a personal mailbox, what is to be emailed is recorded as the owner prefers (their saved
 *    preference, else their role's default): at once, or in their digest. This is recorded whether or
 *    not the inbox item was new, so a redelivery after a crash between the two writes still emails,
 *    and once: the intents are keyed by the item they tell of. Team mailboxes are not emailed.
 */
import type { ConsumerContext } from '@fsp/shared/consumer';
import type { Directory, DirectoryWorker } from '@fsp/shared/directory';
import { type Mailbox, userMailbox } from '@fsp/shared/inbox/mailbox';
import type { ServiceRuntime } from '@fsp/shared/runtime';
import { factNotificationIdOf, type NotificationDraft, teamManagerMailboxes } from '../domain/notification';
import { effectivePreference, mailIntentsFor } from '../domain/preferences';
import type { WorkerMailIntents } from '../domain/worker-mail';
import { createInboxStore, type InboxStore } from '../store/inbox-store';
import { createPreferencesStore, type PreferencesStore } from '../store/preferences-store';
import { createWorkerMailStore } from '../store/worker-mail-store';

/** Delivers one draft to the inbox once; a repeat is logged, not an error, because redelivery of a fact is normal. */
async function deliverToInbox(store: InboxStore, draft: NotificationDraft, context: ConsumerContext) {
  const outcome = await store.deliver(draft, context.now);
  context.logger.info(outcome === 'delivered' ? 'Notification delivered' : 'Notification was already delivered', {
    notificationId: draft.notificationId,
    mailbox: draft.mailbox,
    channel: draft.channel,
    kind: draft.kind,
  });
  return outcome;
}

export interface NotificationDelivery {
  /**
   * Delivers the drafts of one fact: to the inbox, and by email or the digest as each recipient
   * prefers. Returns how many inbox items were new (0: the fact was delivered before).
   */
  deliver(drafts: readonly NotificationDraft[], context: ConsumerContext): Promise<number>;
}

const USER_PREFIX = 'user:';
/** The owner of a personal mailbox, or undefined for a team's. */
export const userIdOf = (mailbox: Mailbox): string | undefined =>
  mailbox.startsWith(USER_PREFIX) ? mailbox.slice(USER_PREFIX.length) : undefined;

/** A recipient who cannot be told in person: nobody in the directory has their id, or their account is disabled. */
export const hasLeft = (worker: DirectoryWorker | undefined): boolean => worker === undefined || !worker.enabled;

/**
 * A personal draft for a worker who has left, re-addressed to their team's managers (`managerIds`,
 * the enabled team managers of `draft.teamId`; none: the team's mailbox), its title saying whom it
 * was for. Each forwarded item is known by a natural key made of the fact and the leaver's mailbox,
 * so the same fact again (under any event id) forwards nothing more to the same manager.
 */
export function forwardedFromLeaver(
  draft: NotificationDraft,
  managerIds: readonly string[],
  leaverName: string | undefined,
): NotificationDraft[] {
  if (draft.teamId === undefined) {
    throw new Error(`Notification ${draft.notificationId} is for ${draft.mailbox}, who has left, and names no team to forward it to`);
  }
  const { teamId, ...rest } = draft;
  const factKey = `ForLeaver:${draft.factKey ?? `event:${draft.sourceEventId}`}:${draft.mailbox}`;
  const forWhom = leaverName === undefined ? 'For a worker who has left' : `For ${leaverName}, who has left`;
  return teamManagerMailboxes(
    teamId,
    managerIds.filter((id) => userMailbox(id) !== draft.mailbox),
  ).map((mailbox) => ({
    ...rest,
    notificationId: factNotificationIdOf(factKey, draft.createdAt, mailbox, draft.channel),
    mailbox,
    title: `${forWhom}: ${draft.title}`,
    factKey,
    teamId,
  }));
}

export interface DeliveryPorts {
  inbox: InboxStore;
  preferences: PreferencesStore;
  intents: WorkerMailIntents;
  directory: Directory;
}

/**
 * The drafts of one fact through leaver routing, the inbox and the recipients' email preferences
 * (module comment); how many inbox items were new.
 */
export async function deliverWithPreferences(
  ports: DeliveryPorts,
  drafts: readonly NotificationDraft[],
  context: ConsumerContext,
): Promise<number> {
  const { inbox, preferences, intents, directory } = ports;
  let delivered = 0;
  for (const addressed of drafts) {
    const ownerId = userIdOf(addressed.mailbox);
    const owner = ownerId === undefined ? undefined : await directory.worker(ownerId);
    let recipients: NotificationDraft[] = [addressed];
    if (ownerId !== undefined && hasLeft(owner)) {
      const managers = addressed.teamId === undefined ? [] : await directory.teamMembers(addressed.teamId, { role: 'team-manager' });
      recipients = forwardedFromLeaver(
        addressed,
        managers.map((manager) => manager.userId),
        owner?.name,
      );
      context.logger.info('Notification forwarded: its recipient has left', {
        notificationId: addressed.notificationId,
        mailbox: addressed.mailbox,
        forwardedTo: recipients.map((draft) => draft.mailbox),
      });
    }
    for (const draft of recipients) {
      const outcome = await deliverToInbox(inbox, draft, context);
      if (outcome === 'delivered') delivered += 1;
      const userId = userIdOf(draft.mailbox);
      if (userId === undefined) continue;
      const notificationId = outcome === 'delivered' ? draft.notificationId : await inbox.deliveredIdOf(draft);
      if (notificationId === undefined)
        throw new Error(`Notification ${draft.notificationId} was already delivered, but its item cannot be found`);
      const person = userId === ownerId ? owner : await directory.worker(userId);
      const saved = await preferences.get(userId);
      const { preference } = effectivePreference(saved?.preference, person?.roles ?? []);
      const toSend = mailIntentsFor({ ...draft, notificationId }, userId, preference);
      if (toSend.length > 0) await intents.record(toSend, context.now);
    }
  }
  return delivered;
}

/**
 * The delivery every consumer uses. The directory says who a user mailbox's owner is (their role,
 * whether they have left); the preferences store what they chose; the intents store (workers' mail,
 * src/store/worker-mail-store.ts) what is to be emailed. `ports` replaces any of the stores (tests).
 */
export function createNotificationDelivery(
  runtime: ServiceRuntime,
  directory: Directory,
  ports: Partial<Omit<DeliveryPorts, 'directory'>> = {},
): NotificationDelivery {
  const resolved: DeliveryPorts = {
    inbox: ports.inbox ?? createInboxStore(runtime.documents, runtime.tableName),
    preferences: ports.preferences ?? createPreferencesStore(runtime.documents, runtime.tableName),
    intents: ports.intents ?? createWorkerMailStore(runtime.documents, runtime.tableName),
    directory,
  };
  return { deliver: (drafts, context) => deliverWithPreferences(resolved, drafts, context) };
}
