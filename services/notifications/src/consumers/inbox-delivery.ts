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
import { createInboxDeliveryStore, type Delivery, type DeliveryOutcome, type InboxDeliveryStore } from '../store/inbox-delivery-store';
import { createPreferencesStore, type PreferencesStore } from '../store/preferences-store';
import { createWorkerMailIntentsStore } from '../store/worker-mail-intents-store';

/** Logs where a draft went; a repeat is logged, not an error, because redelivery of a fact is normal. */
function logDelivery(draft: NotificationDraft, outcome: DeliveryOutcome, context: ConsumerContext) {
  context.logger.info(outcome === 'delivered' ? 'Notification delivered' : 'Notification was already delivered', {
    notificationId: draft.notificationId,
    mailbox: draft.mailbox,
    channel: draft.channel,
    kind: draft.kind,
  });
}

export interface NotificationDelivery {
  /**
   * Delivers the drafts of one fact: to the inbox, and by email or the digest as each recipient
   * prefers. Returns how many inbox items were new (0: the fact was delivered before).
   */
  deliver(drafts: readonly NotificationDraft[], context: ConsumerContext): Promise<number>;
  /** The same for the facts of a batch together (each mailbox's items in one transaction); each fact's result, in order. */
  deliverFacts(facts: readonly FactDrafts[]): Promise<PromiseSettledResult<number>[]>;
}

/** The drafts one fact made, with the fact's context. */
export interface FactDrafts {
  drafts: readonly NotificationDraft[];
  context: ConsumerContext;
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
  inbox: InboxDeliveryStore;
  preferences: PreferencesStore;
  intents: WorkerMailIntents;
  directory: Directory;
}

/** A draft re-addressed if its owner has left (rule 1 of the module comment), with the owner as the directory knows them. */
async function routed(directory: Directory, addressed: NotificationDraft, context: ConsumerContext) {
  const ownerId = userIdOf(addressed.mailbox);
  const owner = ownerId === undefined ? undefined : await directory.worker(ownerId);
  if (ownerId === undefined || !hasLeft(owner)) return { recipients: [addressed], ownerId, owner };
  const managers = addressed.teamId === undefined ? [] : await directory.teamMembers(addressed.teamId, { role: 'team-manager' });
  const recipients = forwardedFromLeaver(
    addressed,
    managers.map((manager) => manager.userId),
    owner?.name,
  );
  context.logger.info('Notification forwarded: its recipient has left', {
    notificationId: addressed.notificationId,
    mailbox: addressed.mailbox,
    forwardedTo: recipients.map((draft) => draft.mailbox),
  });
  return { recipients, ownerId, owner };
}

/** What is to be emailed about a draft delivered to a personal mailbox, as its owner prefers (rule 3). */
async function recordMailIntents(
  ports: DeliveryPorts,
  draft: NotificationDraft,
  outcome: DeliveryOutcome,
  owner: Owner,
  context: ConsumerContext,
) {
  const userId = userIdOf(draft.mailbox);
  if (userId === undefined) return;
  const notificationId = outcome === 'delivered' ? draft.notificationId : await ports.inbox.deliveredIdOf(draft);
  if (notificationId === undefined)
    throw new Error(`Notification ${draft.notificationId} was already delivered, but its item cannot be found`);
  const person = userId === owner.ownerId ? owner.owner : await ports.directory.worker(userId);
  const saved = await ports.preferences.get(userId);
  const { preference } = effectivePreference(saved?.preference, person?.roles ?? []);
  const toSend = mailIntentsFor({ ...draft, notificationId }, userId, preference);
  if (toSend.length > 0) await ports.intents.record(toSend, context.now);
}

type Owner = { ownerId: string | undefined; owner: DirectoryWorker | undefined };

/**
 * The drafts of a batch's facts through leaver routing, the inbox (every mailbox's items together)
 * and the recipients' email preferences (module comment); per fact, how many inbox items were new.
 * A fact fails alone when its routing, one of its items or its mail intents fail: a mailbox whose
 * items could not be delivered together is tried draft by draft (deliverInMailbox).
 */
export async function deliverFactsWithPreferences(
  ports: DeliveryPorts,
  facts: readonly FactDrafts[],
): Promise<PromiseSettledResult<number>[]> {
  const addressed = await Promise.allSettled(
    facts.map(async ({ drafts, context }) => {
      const routes = [];
      for (const draft of drafts) routes.push(await routed(ports.directory, draft, context));
      return routes.flatMap(({ recipients, ownerId, owner }) => recipients.map((draft) => ({ draft, owner: { ownerId, owner } })));
    }),
  );
  const deliveries = addressed.flatMap((routes, factIndex) =>
    routes.status === 'fulfilled' ? routes.value.map((route) => ({ ...route, factIndex })) : [],
  );
  const byMailbox = new Map<string, typeof deliveries>();
  for (const delivery of deliveries) byMailbox.set(delivery.draft.mailbox, [...(byMailbox.get(delivery.draft.mailbox) ?? []), delivery]);
  const outcomes = new Map<(typeof deliveries)[number], PromiseSettledResult<DeliveryOutcome>>();
  await Promise.all(
    [...byMailbox.values()].map(async (inMailbox) => {
      const delivered = await deliverInMailbox(
        ports.inbox,
        inMailbox.map(({ draft, factIndex }) => ({ draft, now: (facts[factIndex] as FactDrafts).context.now })),
      );
      inMailbox.forEach((delivery, position) => {
        outcomes.set(delivery, delivered[position] as PromiseSettledResult<DeliveryOutcome>);
      });
    }),
  );
  return Promise.allSettled(
    facts.map(async ({ context }, factIndex) => {
      const routes = addressed[factIndex] as PromiseSettledResult<unknown>;
      if (routes.status === 'rejected') throw routes.reason;
      const own = deliveries.filter((candidate) => candidate.factIndex === factIndex);
      const failure = own.map((delivery) => outcomes.get(delivery)).find((outcome) => outcome?.status === 'rejected');
      if (failure?.status === 'rejected') throw failure.reason;
      let delivered = 0;
      for (const delivery of own) {
        const outcome = (outcomes.get(delivery) as PromiseFulfilledResult<DeliveryOutcome>).value;
        logDelivery(delivery.draft, outcome, context);
        if (outcome === 'delivered') delivered += 1;
        await recordMailIntents(ports, delivery.draft, outcome, delivery.owner, context);
      }
      return delivered;
    }),
  );
}

/**
 * Delivers drafts to one mailbox together; if that fails, each alone, so that a draft that cannot
 * be delivered fails its own fact and not the others it was batched with.
 */
async function deliverInMailbox(
  inbox: InboxDeliveryStore,
  deliveries: readonly Delivery[],
): Promise<PromiseSettledResult<DeliveryOutcome>[]> {
  try {
    return (await inbox.deliverAll(deliveries)).map((value) => ({ status: 'fulfilled', value }));
  } catch (error) {
    if (deliveries.length === 1) return [{ status: 'rejected', reason: error }];
    const alone: PromiseSettledResult<DeliveryOutcome>[] = [];
    for (const { draft, now } of deliveries) {
      try {
        alone.push({ status: 'fulfilled', value: await inbox.deliver(draft, now) });
      } catch (failure) {
        alone.push({ status: 'rejected', reason: failure });
      }
    }
    return alone;
  }
}

/** One fact's drafts through deliverFactsWithPreferences: how many inbox items were new. */
export async function deliverWithPreferences(
  ports: DeliveryPorts,
  drafts: readonly NotificationDraft[],
  context: ConsumerContext,
): Promise<number> {
  const [result] = await deliverFactsWithPreferences(ports, [{ drafts, context }]);
  if (result?.status !== 'fulfilled') throw result?.reason;
  return result.value;
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
    inbox: ports.inbox ?? createInboxDeliveryStore(runtime.documents, runtime.tableName),
    preferences: ports.preferences ?? createPreferencesStore(runtime.documents, runtime.tableName),
    intents: ports.intents ?? createWorkerMailIntentsStore(runtime.documents, runtime.tableName),
    directory,
  };
  return {
    deliver: (drafts, context) => deliverWithPreferences(resolved, drafts, context),
    deliverFacts: (facts) => deliverFactsWithPreferences(resolved, facts),
  };
}
