import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { EventEnvelope } from '../../events/event-catalogue';

export interface FanOutCursor {
  workspaceId: string;
  /** The last event feed position fanned out. */
  position: string;
}

/** The webhook side of fan-out: each workspace's cursor into the event feed, and the deliveries made from events. */
@Injectable()
export class FanOutRepository {
  private readonly knownCursors = new Set<string>();

  constructor(private readonly dataSource: DataSource) {}

  /**
   * Locks the workspace's cursor for the caller's transaction and answers its position, or null when another
   * instance holds it right now (SKIP LOCKED: instances fan out different workspaces side by side, never one twice).
   */
  async claimCursor(manager: EntityManager, workspaceId: string): Promise<string | null> {
    if (!this.knownCursors.has(workspaceId)) {
      await this.dataSource.query('INSERT INTO webhook_fanout_cursors (workspace_id) VALUES ($1) ON CONFLICT DO NOTHING', [workspaceId]);
      this.knownCursors.add(workspaceId);
    }
    const rows: Array<{ position: string }> = await manager.query(
      'SELECT feed_position::text AS position FROM webhook_fanout_cursors WHERE workspace_id = $1 FOR UPDATE SKIP LOCKED',
      [workspaceId],
    );
    return rows[0]?.position ?? null;
  }

  /**
   * One delivery per matching enabled subscription for each event, in feed order. Subscriptions receive events
   * recorded from their creation on, not the workspace's history; the unique key makes a repeat a no-op.
   */
  async insertDeliveries(manager: EntityManager, workspaceId: string, events: EventEnvelope[]): Promise<number> {
    if (events.length === 0) return 0;
    const inserted: unknown[] = await manager.query(
      `INSERT INTO webhook_deliveries (workspace_id, subscription_id, event_id, event_type, payload, status, attempt_count, next_attempt_at, created_at, updated_at)
       SELECT $1, s.id, (b.envelope->>'id')::uuid, b.envelope->>'type', b.envelope, 'pending', 0, now(), now(), now()
         FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS b(envelope, ordinal)
         JOIN webhook_subscriptions s ON s.workspace_id = $1
        WHERE s.enabled AND ('*' = ANY (s.events) OR b.envelope->>'type' = ANY (s.events))
          AND (b.envelope->>'createdAt')::timestamptz >= s.created_at
        ORDER BY b.ordinal
       ON CONFLICT (workspace_id, subscription_id, event_id) DO NOTHING
       RETURNING 1`,
      [workspaceId, JSON.stringify(events)],
    );
    return inserted.length;
  }

  async moveCursor(manager: EntityManager, workspaceId: string, position: string): Promise<void> {
    await manager.query('UPDATE webhook_fanout_cursors SET feed_position = $2::bigint, updated_at = now() WHERE workspace_id = $1', [workspaceId, position]);
  }

  /** Every workspace with an enabled subscription, with its cursor ('0' before its first fan-out). */
  async cursorsOfSubscribedWorkspaces(): Promise<FanOutCursor[]> {
    const rows: Array<{ workspace_id: string; position: string }> = await this.dataSource.query(
      `SELECT s.workspace_id, COALESCE(c.feed_position, 0)::text AS position
         FROM (SELECT DISTINCT workspace_id FROM webhook_subscriptions WHERE enabled) s
         LEFT JOIN webhook_fanout_cursors c ON c.workspace_id = s.workspace_id`,
    );
    return rows.map((row) => ({ workspaceId: row.workspace_id, position: row.position }));
  }
}
