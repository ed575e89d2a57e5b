import { FeedEvent, RealtimeHub, SubscriptionFilter, SubscriptionScope, Unsubscribe } from '../hub/realtime-hub';
import { LiveQueue } from './live-queue';

/**
 * A subscription's events as an async iterator: from `after`, the backlog is read page by page as the client takes it
 * (so a long backlog never piles up in memory), then the hub's live events follow from where the reading stopped,
 * nothing skipped and nothing twice (the hub reads whatever it dispatched in between when the subscription joins).
 */
export class FeedIterator implements AsyncIterableIterator<FeedEvent> {
  private readonly live: LiveQueue<FeedEvent>;
  private backlog: FeedEvent[] = [];
  private cursor: string | null;
  private catchingUp: boolean;
  private unsubscribe: Unsubscribe | null = null;
  private closed = false;

  constructor(
    private readonly hub: RealtimeHub,
    private readonly scope: SubscriptionScope,
    private readonly filter: SubscriptionFilter,
    after: string | null,
    private readonly batch: number,
    maxQueued: number,
  ) {
    this.cursor = after;
    this.catchingUp = after !== null;
    this.live = new LiveQueue(maxQueued, () => this.unsubscribe?.());
    if (!this.catchingUp) this.goLive();
  }

  async next(): Promise<IteratorResult<FeedEvent>> {
    while (this.catchingUp && this.backlog.length === 0 && !this.closed) {
      const page = await this.hub.read(this.scope, this.filter, this.cursor, this.batch);
      this.backlog = page.events;
      this.cursor = page.cursor;
      if (!page.more) {
        this.catchingUp = false;
        this.goLive();
      }
    }
    if (this.backlog.length > 0 && !this.closed) return { value: this.backlog.shift()!, done: false };
    return this.live.next();
  }

  return(): Promise<IteratorResult<FeedEvent>> {
    this.closed = true;
    this.backlog = [];
    return this.live.return();
  }

  throw(error?: unknown): Promise<IteratorResult<FeedEvent>> {
    this.closed = true;
    return this.live.throw(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private goLive(): void {
    if (this.closed) return;
    this.unsubscribe = this.hub.subscribe(this.scope, this.filter, this.cursor, {
      onEvents: (events) => {
        for (const event of events) this.live.push(event);
      },
      onError: (error) => this.live.fail(error instanceof Error ? error : new Error(String(error))),
    }, { caughtUp: this.cursor !== null });
    if (this.live.isClosed) this.unsubscribe();
  }
}
