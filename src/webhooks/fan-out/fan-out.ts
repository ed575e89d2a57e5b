import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '../../database/transaction-runner';
import { EventFeedStore, FeedSelection } from '../../events/event-feed';
import { FanOutRepository } from './fan-out.repository';

export interface FanOutResult {
  /** False when another instance holds this workspace's cursor right now. */
  claimed: boolean;
  events: number;
  deliveries: number;
}

/** Pings are delivered to their one subscription directly, never fanned out. */
const FANNED_OUT: FeedSelection = { types: [], typePrefixes: [], excludedTypes: ['webhook.ping'], subjectId: null, requesterId: null };

/**
 * Turns committed events into one delivery per matching enabled subscription, reading the events module's feed in
 * commit order (the same order the realtime feed serves), so a consumer receives a ticket's events in `sequence`
 * order and the cursor never passes an event still to commit. The cursor's lock, the read, the deliveries and the
 * cursor's move share one transaction: either the batch is fanned out and the cursor past it, or neither.
 */
@Injectable()
export class FanOut {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly feed: EventFeedStore,
    private readonly repository: FanOutRepository,
  ) {}

  fanOut(workspaceId: string, batchSize: number): Promise<FanOutResult> {
    return this.transactions.run(async (manager) => {
      const cursor = await this.repository.claimCursor(manager, workspaceId);
      if (cursor === null) return { claimed: false, events: 0, deliveries: 0 };
      const read = await this.feed.read(workspaceId, cursor, FANNED_OUT, batchSize, manager);
      const deliveries = await this.repository.insertDeliveries(manager, workspaceId, read.rows.map((row) => row.envelope));
      // A short batch saw every event up to the head (pings included, which it skips): the cursor may move there.
      const next = read.rows.length === batchSize ? read.rows[read.rows.length - 1].position : read.head;
      if (next !== cursor) await this.repository.moveCursor(manager, workspaceId, next);
      return { claimed: true, events: read.rows.length, deliveries };
    });
  }

  /** Workspaces with subscriptions and events beyond their cursor: the polling fallback's work list. */
  async workspacesWithBacklog(): Promise<string[]> {
    const cursors = await this.repository.cursorsOfSubscribedWorkspaces();
    const heads = await this.feed.heads(cursors.map((cursor) => cursor.workspaceId));
    return cursors.filter((cursor) => BigInt(heads.get(cursor.workspaceId) ?? '0') > BigInt(cursor.position)).map((cursor) => cursor.workspaceId);
  }
}
