import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { sessionUrl } from '../../database/session-url';
import { InvalidCursor } from '../../common/errors/domain-errors';
import { isUuid } from '../../common/ids';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { EventEnvelope } from '../../events/event-catalogue';
import { EventFeedStore, FeedRead, FeedRow, FeedSelection } from '../../events/event-feed';
import { laterCursor, typeSelected } from '../feed/event-selection';
import { CursorExpired } from '../realtime-errors';
import { NotificationListener } from '../../database/notification-listener';
import { RealtimeNotificationsRepository } from './realtime-notifications.repository';

/** The channel src/events/outbox.ts notifies at commit, with the workspace id as payload. */
export const OUTBOX_CHANNEL = 'deskline_outbox';
/** Ephemeral messages between instances (presence): JSON `{workspaceId, type, ticketId, data}`. */
export const EPHEMERAL_CHANNEL = 'deskline_realtime';
/** NOTIFY payloads must stay under 8000 bytes. */
const MAX_EPHEMERAL_BYTES = 7000;

/** One event of the feed as subscribers receive it. */
export interface FeedEvent {
  /** The feed position: resume after it with `after=<cursor>` or `Last-Event-ID`. */
  cursor: string;
  type: string;
  subjectType: string;
  subjectId: string;
  envelope: EventEnvelope;
}

/** A message that is not an event of the feed (presence): never stored, never sent to webhooks or requesters. */
export interface EphemeralMessage {
  type: string;
  workspaceId: string;
  ticketId: string | null;
  data: Record<string, unknown>;
}

/** Whose events a subscription may see, fixed by the caller's principal; the filter only narrows it. */
export interface SubscriptionScope {
  workspaceId: string;
  /** Types this caller may not see (an agent sees no webhook.* events). */
  excludedTypes: string[];
  /** Only ticket events of this requester's tickets and those they are a CC of (the portal); null for agents and keys. */
  requesterId: string | null;
}

export interface SubscriptionFilter {
  types: string[];
  typePrefixes: string[];
  ticketId: string | null;
  /** Whether to receive ephemeral messages (never for requesters). */
  ephemeral?: boolean;
}

export interface Subscriber {
  /** Events in feed order, never one twice; `cursor` is where the subscriber now stands (at or past the last event). */
  onEvents(events: FeedEvent[], cursor: string): void;
  onEphemeral?(message: EphemeralMessage): void;
  /** Joining failed (CursorExpired, InvalidCursor, a database error); the subscription has ended. */
  onError(error: unknown): void;
  /** The subscription is live: every later event reaches onEvents. */
  onLive?(cursor: string): void;
}

export type Unsubscribe = () => void;

export interface SubscribeOptions {
  /**
   * The caller has just read the feed up to `after` with `read` (a long-poll that found nothing): skip the catch-up
   * read. Joining still reads whatever live reads dispatched since, so nothing falls in between.
   */
  caughtUp?: boolean;
}

interface Subscription {
  scope: SubscriptionScope;
  filter: SubscriptionFilter;
  subscriber: Subscriber;
  cursor: string | null;
  live: boolean;
  closed: boolean;
}

interface WorkspaceState {
  workspaceId: string;
  subscriptions: Set<Subscription>;
  /** The position up to which live reads have dispatched; null until the first subscription joins. */
  position: string | null;
  /** Reads of this workspace run one after another, so a joining subscription never falls between two of them. */
  queue: Promise<void>;
  wakeQueued: boolean;
}

const EVERYTHING: FeedSelection = { types: [], typePrefixes: [], excludedTypes: [], subjectId: null, requesterId: null };

/**
 * Fans committed events out to this instance's subscribers. One LISTEN connection per instance is the wake-up; the
 * feed (outbox_events in feed order) is the truth: a wake-up of a workspace that has subscribers costs one read,
 * shared by all of them, and a workspace without subscribers costs nothing. Nothing polls while nothing happens.
 *
 * Joining: a subscription with a cursor catches up with reads of its own, then joins on the workspace's queue; there
 * it is live from the position the hub has dispatched to, so no event falls between its catch-up and the live reads
 * (and none is delivered twice: each subscription keeps its cursor and drops what it has passed).
 */
@Injectable()
export class RealtimeHub implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('RealtimeHub');
  private readonly workspaces = new Map<string, WorkspaceState>();
  private listener: NotificationListener | null = null;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly feed: EventFeedStore,
    private readonly notifications: RealtimeNotificationsRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const databaseUrl = sessionUrl(this.dataSource);
    this.listener = new NotificationListener(databaseUrl, 'realtime', [OUTBOX_CHANNEL, EPHEMERAL_CHANNEL], (channel, payload) => this.notified(channel, payload), () => {
      // Notifications sent while the connection was down are lost: read every followed workspace once.
      for (const workspaceId of this.workspaces.keys()) this.wake(workspaceId);
    });
    await this.listener.start();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    await this.listener?.stop();
    await Promise.all([...this.workspaces.values()].map((state) => state.queue));
  }

  /** Subscriptions open on this instance, for metrics and tests. */
  get subscriptionCount(): number {
    let count = 0;
    for (const state of this.workspaces.values()) count += state.subscriptions.size;
    return count;
  }

  /**
   * Follows a workspace's events from `after` (a feed cursor; null: from now on). Returns the function that ends the
   * subscription; call it when the client goes away.
   */
  subscribe(scope: SubscriptionScope, filter: SubscriptionFilter, after: string | null, subscriber: Subscriber, options: SubscribeOptions = {}): Unsubscribe {
    const state = this.stateOf(scope.workspaceId);
    const subscription: Subscription = { scope, filter, subscriber, cursor: after, live: false, closed: false };
    state.subscriptions.add(subscription);
    const unsubscribe = () => {
      if (subscription.closed) return;
      subscription.closed = true;
      state.subscriptions.delete(subscription);
      if (state.subscriptions.size === 0 && this.workspaces.get(state.workspaceId) === state) this.workspaces.delete(state.workspaceId);
    };
    void this.join(state, subscription, options.caughtUp === true).catch((error: unknown) => {
      if (subscription.closed) return;
      unsubscribe();
      subscriber.onError(error);
    });
    return unsubscribe;
  }

  /** Sends a message that is not an event to the workspace's ephemeral subscribers on every instance. */
  async publishEphemeral(message: EphemeralMessage): Promise<void> {
    const payload = JSON.stringify(message);
    if (Buffer.byteLength(payload) > MAX_EPHEMERAL_BYTES) throw new Error(`ephemeral message of ${payload.length} bytes is over ${MAX_EPHEMERAL_BYTES}`);
    await this.notifications.notify(EPHEMERAL_CHANNEL, payload);
  }

  /**
   * Reads the feed for one reader (REST pages, GraphQL connections) with the same selection rules as subscriptions;
   * `after` null reads from the oldest event kept.
   */
  async read(scope: SubscriptionScope, filter: SubscriptionFilter, after: string | null, limit: number): Promise<{ events: FeedEvent[]; cursor: string; more: boolean }> {
    const read = await this.feed.read(scope.workspaceId, after ?? '0', this.selectionOf(scope, filter), limit);
    if (after !== null) this.checkCursorAgainst(after, read);
    after ??= '0';
    const events = read.rows.map(toFeedEvent);
    const more = read.rows.length === limit;
    // A page that is not full saw everything up to the head, so the cursor moves past events the filter left out.
    const cursor = more ? events[events.length - 1].cursor : laterCursor(events.at(-1)?.cursor ?? after, read.head);
    return { events, cursor, more };
  }

  /** Refuses a cursor the feed cannot continue from (410 past retention, 400 not issued here) with one cheap read. */
  async checkCursor(scope: SubscriptionScope, after: string): Promise<void> {
    this.checkCursorAgainst(after, await this.feed.read(scope.workspaceId, after, EVERYTHING, 0));
  }

  private stateOf(workspaceId: string): WorkspaceState {
    let state = this.workspaces.get(workspaceId);
    if (!state) {
      state = { workspaceId, subscriptions: new Set(), position: null, queue: Promise.resolve(), wakeQueued: false };
      this.workspaces.set(workspaceId, state);
    }
    return state;
  }

  private async join(state: WorkspaceState, subscription: Subscription, caughtUp: boolean): Promise<void> {
    const { scope, filter } = subscription;
    let cursor = subscription.cursor;
    if (cursor !== null && !caughtUp) {
      // Catch-up outside the queue, page by page, so a long backlog does not hold up the workspace's live reads.
      for (;;) {
        const page = await this.read(scope, filter, cursor, this.config.realtime.readBatch);
        if (subscription.closed) return;
        cursor = page.cursor;
        subscription.cursor = cursor;
        if (page.events.length) subscription.subscriber.onEvents(page.events, cursor);
        if (!page.more) break;
      }
    }
    await this.enqueue(state, async () => {
      if (subscription.closed) return;
      if (cursor === null) {
        cursor = state.position ?? (await this.feed.read(scope.workspaceId, '0', EVERYTHING, 0)).head;
      } else if (state.position !== null && BigInt(state.position) > BigInt(cursor)) {
        // Live reads already dispatched past where the catch-up ended: read the difference for this subscription.
        for (;;) {
          const page = await this.read(scope, filter, cursor, this.config.realtime.readBatch);
          cursor = page.cursor;
          subscription.cursor = cursor;
          if (page.events.length && !subscription.closed) subscription.subscriber.onEvents(page.events, cursor);
          if (!page.more) break;
        }
      }
      subscription.cursor = cursor;
      // Only the first subscription sets where live reads start; moving it later would skip events for the others.
      if (state.position === null) state.position = cursor;
      subscription.live = true;
      if (!subscription.closed) subscription.subscriber.onLive?.(cursor);
    });
  }

  private enqueue(state: WorkspaceState, work: () => Promise<void>): Promise<void> {
    const run = state.queue.then(work);
    state.queue = run.catch(() => undefined);
    return run;
  }

  private notified(channel: string, payload: string): void {
    if (channel === OUTBOX_CHANNEL) {
      if (isUuid(payload)) this.wake(payload.toLowerCase());
      return;
    }
    let message: EphemeralMessage;
    try {
      message = JSON.parse(payload);
    } catch {
      return;
    }
    const state = typeof message?.workspaceId === 'string' ? this.workspaces.get(message.workspaceId) : undefined;
    if (!state) return;
    for (const subscription of state.subscriptions) {
      const { scope, filter, subscriber } = subscription;
      if (!subscription.live || !filter.ephemeral || scope.requesterId !== null || !subscriber.onEphemeral) continue;
      if (filter.ticketId && message.ticketId !== filter.ticketId) continue;
      subscriber.onEphemeral(message);
    }
  }

  private wake(workspaceId: string): void {
    const state = this.workspaces.get(workspaceId);
    if (!state || state.wakeQueued || this.stopped) return;
    state.wakeQueued = true;
    void this.enqueue(state, async () => {
      state.wakeQueued = false;
      await this.dispatchNew(state);
    }).catch((error: unknown) => {
      // The next wake-up reads from the same position, so nothing is lost; say why this one failed.
      if (!this.stopped) this.logger.warn({ msg: 'Realtime read failed; the next wake-up retries', workspaceId, error: (error as Error).message });
    });
  }

  /** One read of everything new in the workspace, handed to each live subscription through its own filter. */
  private async dispatchNew(state: WorkspaceState): Promise<void> {
    // No live subscription means no position to read from; whoever joins next reads for itself.
    if (state.position === null || state.subscriptions.size === 0) return;
    for (;;) {
      const from: string = state.position;
      const read = await this.feed.read(state.workspaceId, from, EVERYTHING, this.config.realtime.readBatch);
      const events = read.rows.map(toFeedEvent);
      const reached: string = read.rows.length === this.config.realtime.readBatch ? events[events.length - 1].cursor : laterCursor(events.at(-1)?.cursor ?? from, read.head);
      state.position = reached;
      for (const subscription of state.subscriptions) {
        if (!subscription.live || subscription.closed || subscription.cursor === null) continue;
        const from = BigInt(subscription.cursor);
        const matching = events.filter((event) => BigInt(event.cursor) > from && this.matches(subscription, event));
        subscription.cursor = laterCursor(subscription.cursor, reached);
        if (matching.length) {
          try {
            subscription.subscriber.onEvents(matching, subscription.cursor);
          } catch (error) {
            this.logger.error({ msg: 'A realtime subscriber failed on delivery', error: (error as Error).message });
          }
        }
      }
      if (read.rows.length < this.config.realtime.readBatch) return;
    }
  }

  private matches({ scope, filter }: Subscription, event: FeedEvent): boolean {
    if (scope.excludedTypes.includes(event.type)) return false;
    if (!typeSelected(filter, event.type)) return false;
    if (filter.ticketId && event.subjectId !== filter.ticketId) return false;
    if (scope.requesterId !== null) {
      const ticket = (event.envelope.data as { ticket?: { requester?: { id?: string }; ccs?: Array<{ id?: string }> } }).ticket;
      const participant = ticket?.requester?.id === scope.requesterId || (ticket?.ccs ?? []).some((cc) => cc.id === scope.requesterId);
      if (event.subjectType !== 'ticket' || !participant) return false;
    }
    return true;
  }

  private selectionOf(scope: SubscriptionScope, filter: SubscriptionFilter): FeedSelection {
    return { types: filter.types, typePrefixes: filter.typePrefixes, excludedTypes: scope.excludedTypes, subjectId: filter.ticketId, requesterId: scope.requesterId };
  }

  private checkCursorAgainst(after: string, read: FeedRead): void {
    if (BigInt(after) < BigInt(read.prunedThrough)) throw new CursorExpired(this.config.realtime.eventRetentionDays, read.prunedThrough);
    if (BigInt(after) > BigInt(read.head)) throw new InvalidCursor('after', 'is past the end of this workspace\'s feed; it was not issued here');
  }
}

function toFeedEvent(row: FeedRow): FeedEvent {
  return { cursor: row.position, type: row.envelope.type, subjectType: row.subjectType, subjectId: row.subjectId, envelope: row.envelope };
}
