import { MigrationInterface, QueryRunner } from 'typeorm';

/** Per-date hours that replace a calendar's weekly ones (half days, opened weekends); existing calendars have none. */
export class SpecialDays1764289600000 implements MigrationInterface {
  name = 'SpecialDays1764289600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE business_hours ADD COLUMN special_days jsonb NOT NULL DEFAULT '[]'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE business_hours DROP COLUMN special_days`);
  }
}
