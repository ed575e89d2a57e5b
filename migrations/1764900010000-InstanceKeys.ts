import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The instance-wide keys every API instance must share (JWT signing, sealing). Each row always holds the key's
 * fingerprint, so an instance started with a different key is refused; `secret` holds the key itself only when no
 * instance was given it by environment and the database supplies it (see src/config/keys-config.ts).
 * Not a tenant table: the keys belong to the installation, not to a workspace.
 */
export class InstanceKeys1764900010000 implements MigrationInterface {
  name = 'InstanceKeys1764900010000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE instance_keys (
        name text PRIMARY KEY CHECK (name IN ('jwt', 'sealing')),
        fingerprint text NOT NULL,
        secret text,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS instance_keys`);
  }
}
