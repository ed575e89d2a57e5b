import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Saved views: a named ticket-list filter and sort, shared with the workspace or personal to one agent (agent_id),
 * ordered by position in the caller's sidebar. workspace_id leads the key and the index; a personal view goes with its
 * agent.
 */
export class SavedViews1764900300000 implements MigrationInterface {
  name = 'SavedViews1764900300000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE saved_views (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name text NOT NULL,
        filter jsonb NOT NULL DEFAULT '{}',
        sort text NOT NULL,
        visibility text NOT NULL CHECK (visibility IN ('shared', 'personal')),
        agent_id uuid,
        position integer NOT NULL CHECK (position >= 0),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, id),
        CHECK ((visibility = 'personal') = (agent_id IS NOT NULL)),
        FOREIGN KEY (workspace_id, agent_id) REFERENCES agents(workspace_id, id) ON DELETE CASCADE
      )`);
    await db.query(`CREATE INDEX saved_views_workspace_position_idx ON saved_views (workspace_id, agent_id, position, id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE saved_views`);
  }
}
