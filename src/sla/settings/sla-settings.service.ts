import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Principal } from '../../auth/principal';
import { Clock } from '../../common/clock';
import { TransactionRunner } from '../../database/transaction-runner';
import { SlaSettingsView, UpdateSlaSettingsInput } from './sla-settings.dto';

export const DEFAULT_AUTO_CLOSE_DAYS = 4;
export const MIN_AUTO_CLOSE_DAYS = 1;

@Injectable()
export class SlaSettingsService {
  constructor(private readonly transactions: TransactionRunner, private readonly clock: Clock) {}

  async get(principal: Principal): Promise<SlaSettingsView> {
    const [row] = await this.transactions.manager.query('SELECT auto_close_after_days FROM sla_settings WHERE workspace_id = $1', [principal.workspaceId]);
    return { autoCloseAfterDays: row ? Number(row.auto_close_after_days) : DEFAULT_AUTO_CLOSE_DAYS };
  }

  async update(principal: Principal, input: UpdateSlaSettingsInput): Promise<SlaSettingsView> {
    return this.transactions.run(async (manager) => {
      if (input.autoCloseAfterDays !== undefined) {
        await manager.query(
          `INSERT INTO sla_settings (workspace_id, auto_close_after_days, updated_at) VALUES ($1, $2, $3)
           ON CONFLICT (workspace_id) DO UPDATE SET auto_close_after_days = EXCLUDED.auto_close_after_days, updated_at = EXCLUDED.updated_at`,
          [principal.workspaceId, input.autoCloseAfterDays, this.clock.now()],
        );
      }
      return this.get(principal);
    });
  }

  /**
   * Resolved tickets whose workspace's waiting time has passed, locked with SKIP LOCKED so concurrent instances
   * split them. `resolvedBefore` is the earliest any workspace may close, which bounds the scan of the index on
   * resolution time of resolved tickets.
   */
  async lockResolvedTicketsDue(
    manager: EntityManager,
    now: Date,
    resolvedBefore: Date,
    limit: number,
  ): Promise<Array<{ workspaceId: string; ticketId: string; afterDays: number }>> {
    return manager.query(
      `SELECT t.workspace_id AS "workspaceId", t.id AS "ticketId", COALESCE(s.auto_close_after_days, ${DEFAULT_AUTO_CLOSE_DAYS})::int AS "afterDays" FROM tickets t
        LEFT JOIN sla_settings s ON s.workspace_id = t.workspace_id
        WHERE t.status = 'resolved' AND t.resolved_at <= $2
          AND t.resolved_at <= $1::timestamptz - make_interval(days => COALESCE(s.auto_close_after_days, ${DEFAULT_AUTO_CLOSE_DAYS}))
        ORDER BY t.resolved_at LIMIT $3
        FOR UPDATE OF t SKIP LOCKED`,
      [now, resolvedBefore, limit],
    );
  }
}
