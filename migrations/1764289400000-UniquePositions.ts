import { MigrationInterface, QueryRunner } from 'typeorm';

const ORDERED_LISTS = ['sla_policies', 'automation_rules'];

/**
 * SLA policies and automation rules are tried in order of position, and two rows could share one, leaving their order
 * to random ids. Positions become 0..n-1 per workspace, in the order the rows ran until now (position, then id), and
 * a unique constraint keeps them apart. It is deferrable so that one UPDATE can shift a whole list (checked at the end
 * of the statement rather than row by row).
 */
export class UniquePositions1764289400000 implements MigrationInterface {
  name = 'UniquePositions1764289400000';

  async up(db: QueryRunner): Promise<void> {
    for (const table of ORDERED_LISTS) {
      await db.query(`
        UPDATE ${table} AS listed SET position = ranked.rank
          FROM (SELECT workspace_id, id, row_number() OVER (PARTITION BY workspace_id ORDER BY position, id) - 1 AS rank FROM ${table}) AS ranked
         WHERE listed.workspace_id = ranked.workspace_id AND listed.id = ranked.id AND listed.position <> ranked.rank`);
      await db.query(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_workspace_position_key UNIQUE (workspace_id, position) DEFERRABLE INITIALLY IMMEDIATE`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ORDERED_LISTS) await db.query(`ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${table}_workspace_position_key`);
  }
}
