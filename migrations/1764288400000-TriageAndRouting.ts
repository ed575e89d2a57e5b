import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Triage and routing: team assignment strategies with their rotation cursor, per-agent assignment recency,
 * macros and automation rules. As everywhere, workspace_id leads every key and index, and references include it.
 */
export class TriageAndRouting1764288400000 implements MigrationInterface {
  name = 'TriageAndRouting1764288400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE teams ADD COLUMN assignment_strategy text NOT NULL DEFAULT 'manual'
        CHECK (assignment_strategy IN ('manual', 'round_robin', 'load_balanced'))`);

    // One row per team, locked FOR UPDATE by every strategy pick so concurrent picks in a team take turns.
    await db.query(`
      CREATE TABLE team_assignment_cursors (
        workspace_id uuid NOT NULL,
        team_id uuid NOT NULL,
        last_agent_id uuid,
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, team_id),
        FOREIGN KEY (workspace_id, team_id) REFERENCES teams(workspace_id, id) ON DELETE CASCADE
      )`);

    // Locked per candidate agent so capacity holds even when one agent sits in several teams picking at once.
    await db.query(`
      CREATE TABLE agent_assignment_load (
        workspace_id uuid NOT NULL,
        agent_id uuid NOT NULL,
        last_assigned_at timestamptz(3),
        PRIMARY KEY (workspace_id, agent_id),
        FOREIGN KEY (workspace_id, agent_id) REFERENCES agents(workspace_id, id) ON DELETE CASCADE
      )`);

    await db.query(`
      CREATE TABLE macros (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name text NOT NULL,
        visibility text NOT NULL CHECK (visibility IN ('workspace', 'team', 'agent')),
        team_id uuid,
        agent_id uuid,
        actions jsonb NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, id),
        CHECK ((visibility = 'team') = (team_id IS NOT NULL) AND (visibility = 'agent') = (agent_id IS NOT NULL)),
        FOREIGN KEY (workspace_id, team_id) REFERENCES teams(workspace_id, id) ON DELETE CASCADE,
        FOREIGN KEY (workspace_id, agent_id) REFERENCES agents(workspace_id, id) ON DELETE CASCADE
      )`);
    await db.query(`CREATE INDEX macros_workspace_created_idx ON macros (workspace_id, created_at, id)`);

    await db.query(`
      CREATE TABLE automation_rules (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name text NOT NULL,
        position integer NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        events text[] NOT NULL,
        conditions jsonb NOT NULL,
        actions jsonb NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, id)
      )`);
    await db.query(`CREATE INDEX automation_rules_workspace_position_idx ON automation_rules (workspace_id, position, id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['automation_rules', 'macros', 'agent_assignment_load', 'team_assignment_cursors']) {
      await db.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await db.query(`ALTER TABLE teams DROP COLUMN IF EXISTS assignment_strategy`);
  }
}
