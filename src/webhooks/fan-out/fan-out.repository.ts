import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface FanOutResult {
  /** False when another instance holds this workspace's cursor right now. */
  claimed: boolean;
  events: number;
  deliveries: number;
}

/**
 * Turns committed outbox events into one delivery per matching enabled subscription, in the order the events
 * became final. Each workspace's cursor row is claimed with SKIP LOCKED, so instances fan out different
 * workspaces side by side and never the same event twice (the unique key makes a repeat a no-op anyway).
 */
@Injectable()
export class FanOutRepository {
  private readonly knownCursors = new Set<string>();

  constructor(private readonly dataSource: DataSource) {}

  async fanOut(workspaceId: string, batchSize: number): Promise<FanOutResult> {
    if (!this.knownCursors.has(workspaceId)) {
      await this.dataSource.query('INSERT INTO webhook_fanout_cursors (workspace_id) VALUES ($1) ON CONFLICT DO NOTHING', [workspaceId]);
      this.knownCursors.add(workspaceId);
    }
    // Only events of transactions older than every running one (pg_snapshot_xmin) are read: no transaction still
    // in flight can commit an event that sorts before them, so the cursor never jumps over one.
    // Subscriptions receive events recorded from their creation on, not the workspace's history.
    const [result] = await this.dataSource.query(
      `WITH cursor AS (
         SELECT transaction_id, position FROM webhook_fanout_cursors WHERE workspace_id = $1 FOR UPDATE SKIP LOCKED
       ), batch AS (
         SELECT e.workspace_id, e.id, e.type, e.payload, e.created_at, e.transaction_id, e.position
           FROM outbox_events e, cursor c
          WHERE e.workspace_id = $1
            AND (e.transaction_id, e.position) > (c.transaction_id, c.position)
            AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
          ORDER BY e.transaction_id, e.position
          LIMIT $2
       ), fanned AS (
         INSERT INTO webhook_deliveries (workspace_id, subscription_id, event_id, event_type, payload, status, attempt_count, next_attempt_at, created_at, updated_at)
         SELECT b.workspace_id, s.id, b.id, b.type, b.payload, 'pending', 0, now(), now(), now()
           FROM batch b
           JOIN webhook_subscriptions s ON s.workspace_id = b.workspace_id
          WHERE s.enabled AND b.type <> 'webhook.ping' AND ('*' = ANY (s.events) OR b.type = ANY (s.events)) AND b.created_at >= s.created_at
          ORDER BY b.transaction_id, b.position
         ON CONFLICT (workspace_id, subscription_id, event_id) DO NOTHING
         RETURNING 1
       ), last AS (
         SELECT transaction_id, position FROM batch ORDER BY transaction_id DESC, position DESC LIMIT 1
       ), moved AS (
         UPDATE webhook_fanout_cursors c SET transaction_id = last.transaction_id, position = last.position, updated_at = now()
           FROM last WHERE c.workspace_id = $1
         RETURNING 1
       )
       SELECT (SELECT count(*) FROM cursor)::int AS claimed, (SELECT count(*) FROM batch)::int AS events,
              (SELECT count(*) FROM fanned)::int AS deliveries, (SELECT count(*) FROM moved)::int AS moved`,
      [workspaceId, batchSize],
    );
    return { claimed: result.claimed > 0, events: result.events, deliveries: result.deliveries };
  }

  /** Workspaces with subscriptions and final events beyond their cursor: the polling fallback's work list. */
  async workspacesWithBacklog(): Promise<string[]> {
    const rows: Array<{ workspace_id: string }> = await this.dataSource.query(
      `SELECT s.workspace_id
         FROM (SELECT DISTINCT workspace_id FROM webhook_subscriptions WHERE enabled) s
         LEFT JOIN webhook_fanout_cursors c ON c.workspace_id = s.workspace_id
        WHERE EXISTS (
          SELECT 1 FROM outbox_events e
           WHERE e.workspace_id = s.workspace_id
             AND (e.transaction_id, e.position) > (COALESCE(c.transaction_id, '0'::xid8), COALESCE(c.position, 0))
             AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot()))`,
    );
    return rows.map((row) => row.workspace_id);
  }
}
