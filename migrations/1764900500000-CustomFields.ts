import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Typed custom fields: one definition per (workspace, entity, key), the workspace's strictCustomFields switch, custom
 * field values on contacts (tickets have had custom_fields since the foundation), and the index the ticket list's
 * custom field filters use: a GIN index over (workspace_id, custom_fields jsonb_path_ops) answers equality filters
 * (`custom_fields @> '{"tier":"gold"}'`) for any key without one index per field.
 */
export class CustomFields1764900500000 implements MigrationInterface {
  name = 'CustomFields1764900500000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE custom_field_definitions (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        id uuid NOT NULL,
        entity text NOT NULL CHECK (entity IN ('ticket', 'contact', 'organization')),
        key text NOT NULL,
        label text NOT NULL,
        type text NOT NULL CHECK (type IN ('text', 'textarea', 'integer', 'decimal', 'date', 'checkbox', 'dropdown', 'multiselect', 'regex')),
        options jsonb NOT NULL DEFAULT '[]',
        pattern text,
        required text NOT NULL DEFAULT 'never' CHECK (required IN ('never', 'always', 'on_solve')),
        visible_to_requesters boolean NOT NULL DEFAULT false,
        editable_by_requesters boolean NOT NULL DEFAULT false,
        position integer NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, id)
      )`);
    await db.query(`CREATE UNIQUE INDEX custom_field_definitions_key ON custom_field_definitions (workspace_id, entity, key)`);
    await db.query(`
      CREATE TABLE custom_field_settings (
        workspace_id uuid PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
        strict boolean NOT NULL DEFAULT false,
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await db.query(`ALTER TABLE contacts ADD COLUMN custom_fields jsonb NOT NULL DEFAULT '{}'`);
    await db.query(`CREATE INDEX tickets_workspace_custom_fields_idx ON tickets USING gin (workspace_id, custom_fields jsonb_path_ops)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX IF EXISTS tickets_workspace_custom_fields_idx`);
    await db.query(`ALTER TABLE contacts DROP COLUMN IF EXISTS custom_fields`);
    await db.query(`DROP TABLE IF EXISTS custom_field_settings`);
    await db.query(`DROP TABLE IF EXISTS custom_field_definitions`);
  }
}
