import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The agent queue sorts by the next SLA due time. Kept on the ticket (written by the SLA clocks in the transaction
 * that moves them) so the sort and the due-before filter are read from an index instead of a subquery per ticket.
 * 'infinity' stands for "no running SLA": it sorts last and keeps the keyset comparison free of NULLs.
 * The backfill is one set-based UPDATE over the tickets that have a live metric.
 */
export class SlaNextDue1764288800000 implements MigrationInterface {
  name = 'SlaNextDue1764288800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE tickets ADD COLUMN sla_next_due_at timestamptz(3) NOT NULL DEFAULT 'infinity'`);
    await db.query(`
      UPDATE tickets t SET sla_next_due_at = due.next_due_at
        FROM (SELECT workspace_id, ticket_id, MIN(due_at) AS next_due_at FROM ticket_sla_metrics
               WHERE fulfilled_at IS NULL AND due_at IS NOT NULL AND status IN ('active', 'breached')
               GROUP BY workspace_id, ticket_id) due
       WHERE t.workspace_id = due.workspace_id AND t.id = due.ticket_id`);
    await db.query(`CREATE INDEX tickets_workspace_status_sla_due_idx ON tickets (workspace_id, status, sla_next_due_at, id)`);
    await db.query(`CREATE INDEX tickets_workspace_team_status_sla_due_idx ON tickets (workspace_id, team_id, status, sla_next_due_at, id)`);
    await db.query(`CREATE INDEX tickets_workspace_sla_due_idx ON tickets (workspace_id, sla_next_due_at, id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX IF EXISTS tickets_workspace_sla_due_idx`);
    await db.query(`DROP INDEX IF EXISTS tickets_workspace_team_status_sla_due_idx`);
    await db.query(`DROP INDEX IF EXISTS tickets_workspace_status_sla_due_idx`);
    await db.query(`ALTER TABLE tickets DROP COLUMN sla_next_due_at`);
  }
}
