import { Inject, Injectable } from '@nestjs/common';
import { Principal } from '../../auth/principal';
import { ValidationFailed } from '../../common/errors/domain-errors';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { FeedEventView, FeedPageView } from '../dto/event-feed.dto';
import { FeedEvent, RealtimeHub, SubscriptionFilter, SubscriptionScope } from '../hub/realtime-hub';
import { parseTypes } from './event-selection';

/** Sent to one endpoint on demand, and naming its URL: never part of the feed. */
const NEVER_IN_FEED = ['webhook.ping'];
/** Webhook configuration is the admins' business (the webhook routes are admin only). */
const ADMIN_ONLY = ['webhook.disabled'];

export interface FeedQuery {
  after?: string | null;
  types?: string | string[];
  ticketId?: string | null;
  limit?: number;
  wait?: number;
}

export function toFeedEventView(event: FeedEvent): FeedEventView {
  return { cursor: event.cursor, ...(event.envelope as Omit<FeedEventView, 'cursor'>) };
}

/** The workspace's events in commit order, for REST and GraphQL readers, with long-polling over the hub. */
@Injectable()
export class EventFeedService {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig, private readonly hub: RealtimeHub) {}

  scopeOf(principal: Principal): SubscriptionScope {
    return { workspaceId: principal.workspaceId, excludedTypes: principal.role === 'admin' ? NEVER_IN_FEED : [...NEVER_IN_FEED, ...ADMIN_ONLY], requesterId: null };
  }

  filterOf(query: Pick<FeedQuery, 'types' | 'ticketId'>, field = 'types'): SubscriptionFilter {
    const types = Array.isArray(query.types) ? query.types.join(',') : query.types;
    const check = parseTypes(types, query.ticketId ?? null);
    if ('field' in check) throw ValidationFailed.field(field, check.message);
    return check.selection;
  }

  async list(principal: Principal, query: FeedQuery): Promise<FeedPageView> {
    const scope = this.scopeOf(principal);
    const filter = this.filterOf(query);
    const limit = query.limit ?? 100;
    const page = await this.hub.read(scope, filter, query.after ?? null, limit);
    const waitMs = Math.min((query.wait ?? 0) * 1000, this.config.realtime.maxWaitSeconds * 1000, this.config.http.requestTimeoutMs - 1000);
    if (page.events.length || waitMs <= 0) return { data: page.events.map(toFeedEventView), nextCursor: page.cursor };
    return this.waitForEvents(scope, filter, page.cursor, limit, waitMs);
  }

  /** Waits on the hub, which reads once per commit for all waiters of a workspace; no query while nothing happens. */
  private waitForEvents(scope: SubscriptionScope, filter: SubscriptionFilter, cursor: string, limit: number, waitMs: number): Promise<FeedPageView> {
    return new Promise((resolve, reject) => {
      let done = false;
      const finish = (outcome: () => void) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        unsubscribe();
        outcome();
      };
      const timer = setTimeout(() => finish(() => resolve({ data: [], nextCursor: cursor })), waitMs);
      const unsubscribe = this.hub.subscribe(scope, filter, cursor, {
        onEvents: (events, reached) => {
          const shown = events.slice(0, limit);
          finish(() => resolve({ data: shown.map(toFeedEventView), nextCursor: shown.length < events.length ? shown[shown.length - 1].cursor : reached }));
        },
        onError: (error) => finish(() => reject(error instanceof Error ? error : new Error(String(error)))),
      }, { caughtUp: true });
    });
  }
}
