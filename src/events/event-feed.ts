import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EventFeedRepository, FeedRead, FeedSelection } from './event-feed.repository';

export type { FeedRead, FeedRow, FeedSelection } from './event-feed.repository';

/**
 * The outbox read as an ordered feed, for the modules above that must not reach into this module's tables: realtime
 * (the feed, streams and subscriptions) and webhooks (fan-out into deliveries).
 */
@Injectable()
export class EventFeedStore {
  constructor(private readonly repository: EventFeedRepository) {}

  /** With `manager`, reads inside the caller's transaction (the webhook fan-out holds its cursor's lock meanwhile). */
  read(workspaceId: string, after: string, selection: FeedSelection, limit: number, manager?: EntityManager): Promise<FeedRead> {
    return this.repository.read(workspaceId, after, selection, limit, manager);
  }

  heads(workspaceIds: string[]): Promise<Map<string, string>> {
    return workspaceIds.length ? this.repository.heads(workspaceIds) : Promise.resolve(new Map());
  }

  prune(before: Date, batch: number): Promise<number> {
    return this.repository.prune(before, batch);
  }
}
