import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Organizations (the requesters' companies) and the email domains that make a new contact join one. A domain belongs to
 * at most one organization of a workspace (the domains table's key). Contacts and tickets carry an organization_id:
 * a contact's keeps the organization from being deleted (the service detaches them first when asked), a ticket's is
 * cleared when its organization goes (ON DELETE SET NULL of that column alone).
 */
export class Organizations1764900400000 implements MigrationInterface {
  name = 'Organizations1764900400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE organizations (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        id uuid NOT NULL,
        name citext NOT NULL,
        external_id text,
        notes text,
        tags text[] NOT NULL DEFAULT '{}',
        custom_fields jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz(3) NOT NULL,
        updated_at timestamptz(3) NOT NULL,
        PRIMARY KEY (workspace_id, id)
      )`);
    await db.query(`CREATE UNIQUE INDEX organizations_workspace_name_key ON organizations (workspace_id, name)`);
    await db.query(`CREATE UNIQUE INDEX organizations_workspace_external_id_key ON organizations (workspace_id, external_id) WHERE external_id IS NOT NULL`);
    await db.query(`CREATE INDEX organizations_workspace_created_idx ON organizations (workspace_id, created_at, id)`);
    await db.query(`
      CREATE TABLE organization_domains (
        workspace_id uuid NOT NULL,
        domain citext NOT NULL,
        organization_id uuid NOT NULL,
        PRIMARY KEY (workspace_id, domain),
        FOREIGN KEY (workspace_id, organization_id) REFERENCES organizations(workspace_id, id) ON DELETE CASCADE
      )`);
    await db.query(`CREATE INDEX organization_domains_organization_idx ON organization_domains (workspace_id, organization_id)`);

    await db.query(`ALTER TABLE contacts ADD COLUMN organization_id uuid`);
    await db.query(`ALTER TABLE contacts ADD CONSTRAINT contacts_organization_fkey FOREIGN KEY (workspace_id, organization_id) REFERENCES organizations(workspace_id, id)`);
    await db.query(`CREATE INDEX contacts_workspace_organization_idx ON contacts (workspace_id, organization_id, created_at DESC, id DESC) WHERE organization_id IS NOT NULL`);

    await db.query(`ALTER TABLE tickets ADD COLUMN organization_id uuid`);
    await db.query(`
      ALTER TABLE tickets ADD CONSTRAINT tickets_organization_fkey FOREIGN KEY (workspace_id, organization_id)
        REFERENCES organizations(workspace_id, id) ON DELETE SET NULL (organization_id)`);
    await db.query(`CREATE INDEX tickets_workspace_organization_idx ON tickets (workspace_id, organization_id, created_at, id) WHERE organization_id IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX IF EXISTS tickets_workspace_organization_idx`);
    await db.query(`ALTER TABLE tickets DROP CONSTRAINT IF EXISTS tickets_organization_fkey`);
    await db.query(`ALTER TABLE tickets DROP COLUMN IF EXISTS organization_id`);
    await db.query(`DROP INDEX IF EXISTS contacts_workspace_organization_idx`);
    await db.query(`ALTER TABLE contacts DROP CONSTRAINT IF EXISTS contacts_organization_fkey`);
    await db.query(`ALTER TABLE contacts DROP COLUMN IF EXISTS organization_id`);
    await db.query(`DROP TABLE IF EXISTS organization_domains`);
    await db.query(`DROP TABLE IF EXISTS organizations`);
  }
}
