import { Inject, Injectable } from '@nestjs/common';
import { Principal } from '../../auth/principal';
import { InvalidCursor } from '../../common/errors/domain-errors';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { TicketView } from '../../tickets/dto/ticket.dto';
import { TicketsService } from '../../tickets/tickets.service';
import { EventEdge, EventFilterInput } from '../dto/event-feed.dto';
import { EventFeedService } from '../feed/event-feed.service';
import { FeedEvent, RealtimeHub, Unsubscribe } from '../hub/realtime-hub';
import { FeedIterator } from './feed-iterator';
import { LiveQueue } from './live-queue';

const CURSOR = /^(0|[1-9]\d{0,17})$/;

export function toEventEdge(event: FeedEvent): EventEdge {
  const { id, type, createdAt, data } = event.envelope;
  return { cursor: event.cursor, node: { id, type, createdAt, sequence: 'sequence' in data && typeof data.sequence === 'number' ? data.sequence : null, data } };
}

/** The GraphQL subscriptions over the event feed: every event (resumable), and one ticket's view after each change. */
@Injectable()
export class FeedSubscriptionsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly hub: RealtimeHub,
    private readonly feed: EventFeedService,
    private readonly tickets: TicketsService,
  ) {}

  /** The caller's events from `after` (a feed cursor; absent: from now on), in commit order, each with its cursor. */
  async events(principal: Principal, filter: EventFilterInput | undefined, after: string | null): Promise<AsyncIterableIterator<FeedEvent>> {
    const scope = this.feed.scopeOf(principal);
    const selection = { ...this.feed.filterOf({ types: filter?.types, ticketId: filter?.ticketId ?? null }, 'filter.types'), ephemeral: false };
    if (after !== null) {
      if (!CURSOR.test(after)) throw new InvalidCursor('after', 'must be a cursor of this feed (a nextCursor or an event cursor)');
      await this.hub.checkCursor(scope, after);
    }
    return new FeedIterator(this.hub, scope, selection, after, this.config.realtime.readBatch, this.config.realtimePush.maxQueuedMessages);
  }

  /**
   * The ticket as GET /v1/tickets/:id shows it now, then again after each committed change to it (one read per batch of
   * events the hub delivers together, in order).
   */
  async ticket(principal: Principal, ticketId: string): Promise<AsyncIterableIterator<TicketView>> {
    const first = await this.tickets.get(principal, ticketId);
    let unsubscribe: Unsubscribe | null = null;
    const queue = new LiveQueue<TicketView>(this.config.realtimePush.maxQueuedMessages, () => unsubscribe?.());
    queue.push(first);
    let reading: Promise<void> = Promise.resolve();
    let stale = false;
    const reread = () => {
      if (stale) return;
      stale = true;
      reading = reading.then(async () => {
        stale = false;
        if (queue.isClosed) return;
        queue.push(await this.tickets.get(principal, ticketId));
      }).catch((error: Error) => queue.fail(error));
    };
    const scope = this.feed.scopeOf(principal);
    unsubscribe = this.hub.subscribe(scope, { types: [], typePrefixes: [], ticketId, ephemeral: false }, null, {
      onEvents: reread,
      onError: (error) => queue.fail(error instanceof Error ? error : new Error(String(error))),
    });
    if (queue.isClosed) unsubscribe();
    return queue;
  }
}
