import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SLA: business-hours calendars, ordered policies, and the clocks of each ticket's metrics. The breach scanner
 * reads only the partial index on due time of active metrics, so its cost follows the work due, not the tickets.
 */
export class Sla1764288200000 implements MigrationInterface {
  name = 'Sla1764288200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE business_hours (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name citext NOT NULL,
        timezone text NOT NULL,
        weekly jsonb NOT NULL,
        holidays jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, id)
      )`);
    await db.query(`CREATE UNIQUE INDEX business_hours_workspace_name_key ON business_hours (workspace_id, name)`);
    await db.query(`CREATE INDEX business_hours_workspace_created_idx ON business_hours (workspace_id, created_at, id)`);

    await db.query(`
      CREATE TABLE sla_policies (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name citext NOT NULL,
        position integer NOT NULL,
        business_hours_id uuid,
        conditions jsonb NOT NULL DEFAULT '{}',
        targets jsonb NOT NULL DEFAULT '{}',
        paused_statuses jsonb NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, id),
        FOREIGN KEY (workspace_id, business_hours_id) REFERENCES business_hours(workspace_id, id)
      )`);
    await db.query(`CREATE UNIQUE INDEX sla_policies_workspace_name_key ON sla_policies (workspace_id, name)`);
    await db.query(`CREATE INDEX sla_policies_workspace_position_idx ON sla_policies (workspace_id, position, id)`);
    await db.query(`CREATE INDEX sla_policies_workspace_business_hours_idx ON sla_policies (workspace_id, business_hours_id)`);

    // One row per metric and cycle (next response starts a new cycle at each requester message after a reply).
    // The clock runs even without a target, so a policy applied later can be measured from the metric's start.
    await db.query(`
      CREATE TABLE ticket_sla_metrics (
        workspace_id uuid NOT NULL,
        ticket_id uuid NOT NULL,
        metric text NOT NULL CHECK (metric IN ('first_response', 'next_response', 'resolution')),
        cycle integer NOT NULL,
        policy_id uuid,
        business_hours_id uuid,
        target_minutes integer,
        status text NOT NULL CHECK (status IN ('active', 'paused', 'fulfilled', 'breached')),
        started_at timestamptz(3) NOT NULL,
        run_started_at timestamptz(3),
        accumulated_ms bigint NOT NULL DEFAULT 0,
        due_at timestamptz(3),
        fulfilled_at timestamptz(3),
        breached_at timestamptz(3),
        warned_at timestamptz(3),
        paused_at timestamptz(3),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, ticket_id, metric, cycle),
        FOREIGN KEY (workspace_id, ticket_id) REFERENCES tickets(workspace_id, id) ON DELETE CASCADE
      )`);
    await db.query(`CREATE INDEX ticket_sla_metrics_due_idx ON ticket_sla_metrics (due_at) WHERE status = 'active'`);
    await db.query(`CREATE INDEX ticket_sla_metrics_workspace_due_idx ON ticket_sla_metrics (workspace_id, due_at) WHERE status = 'active'`);
    await db.query(`CREATE INDEX ticket_sla_metrics_workspace_fulfilled_idx ON ticket_sla_metrics (workspace_id, fulfilled_at) WHERE status = 'fulfilled'`);
    await db.query(`CREATE INDEX ticket_sla_metrics_workspace_breached_idx ON ticket_sla_metrics (workspace_id, breached_at) WHERE status = 'breached'`);

    await db.query(`
      CREATE TABLE sla_settings (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        auto_close_after_days integer NOT NULL DEFAULT 4 CHECK (auto_close_after_days BETWEEN 1 AND 365),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id)
      )`);
    // The auto-close scan reads resolved tickets by resolution time only.
    await db.query(`CREATE INDEX tickets_resolved_at_idx ON tickets (resolved_at) WHERE status = 'resolved'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX IF EXISTS tickets_resolved_at_idx`);
    await db.query(`DROP TABLE IF EXISTS sla_settings`);
    await db.query(`DROP TABLE IF EXISTS ticket_sla_metrics`);
    await db.query(`DROP TABLE IF EXISTS sla_policies`);
    await db.query(`DROP TABLE IF EXISTS business_hours`);
  }
}
