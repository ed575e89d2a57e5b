import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export interface ResolvedTicketDue {
  workspaceId: string;
  ticketId: string;
  afterDays: number;
}

@Injectable()
export class SlaSettingsRepository {
  /** The workspace's auto-close delay in days, or null when it never set one. */
  async autoCloseAfterDays(manager: EntityManager, workspaceId: string): Promise<number | null> {
    const [row] = await manager.query('SELECT auto_close_after_days FROM sla_settings WHERE workspace_id = $1', [workspaceId]);
    return row ? Number(row.auto_close_after_days) : null;
  }

  async storeAutoCloseAfterDays(manager: EntityManager, workspaceId: string, days: number, now: Date): Promise<void> {
    await manager.query(
      `INSERT INTO sla_settings (workspace_id, auto_close_after_days, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (workspace_id) DO UPDATE SET auto_close_after_days = EXCLUDED.auto_close_after_days, updated_at = EXCLUDED.updated_at`,
      [workspaceId, days, now],
    );
  }

  /**
   * Resolved tickets whose workspace's waiting time has passed, locked with SKIP LOCKED so concurrent instances
   * split them. `resolvedBefore` is the earliest any workspace may close, which bounds the scan of the index on
   * resolution time of resolved tickets.
   */
  lockResolvedTicketsDue(manager: EntityManager, defaultDays: number, now: Date, resolvedBefore: Date, limit: number): Promise<ResolvedTicketDue[]> {
    return manager.query(
      `SELECT t.workspace_id AS "workspaceId", t.id AS "ticketId", COALESCE(s.auto_close_after_days, $4::int)::int AS "afterDays" FROM tickets t
        LEFT JOIN sla_settings s ON s.workspace_id = t.workspace_id
        WHERE t.status = 'resolved' AND t.resolved_at <= $2
          AND t.resolved_at <= $1::timestamptz - make_interval(days => COALESCE(s.auto_close_after_days, $4::int))
        ORDER BY t.resolved_at LIMIT $3
        FOR UPDATE OF t SKIP LOCKED`,
      [now, resolvedBefore, limit, defaultDays],
    );
  }
}
