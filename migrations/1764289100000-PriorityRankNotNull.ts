import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * priority_rank is generated from priority, which is NOT NULL, so it is never null; the column now says so, as the
 * entity always did (the entity-against-schema test found the mismatch). Validating the constraint reads the table once.
 */
export class PriorityRankNotNull1764289100000 implements MigrationInterface {
  name = 'PriorityRankNotNull1764289100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE tickets ALTER COLUMN priority_rank SET NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE tickets ALTER COLUMN priority_rank DROP NOT NULL`);
  }
}
