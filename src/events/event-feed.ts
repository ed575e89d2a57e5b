import { Injectable } from '@nestjs/common';
import { EventFeedRepository, FeedRead, FeedSelection } from './event-feed.repository';

export type { FeedRead, FeedRow, FeedSelection } from './event-feed.repository';

/** The outbox read as an ordered feed, for modules above (realtime) that must not reach into this module's tables. */
@Injectable()
export class EventFeedStore {
  constructor(private readonly repository: EventFeedRepository) {}

  read(workspaceId: string, after: string, selection: FeedSelection, limit: number): Promise<FeedRead> {
    return this.repository.read(workspaceId, after, selection, limit);
  }

  prune(before: Date, batch: number): Promise<number> {
    return this.repository.prune(before, batch);
  }
}
