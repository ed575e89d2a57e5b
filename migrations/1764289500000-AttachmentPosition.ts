import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The attachments of one message were listed by (created_at, id): one transaction gives them all the same created_at,
 * so their order was the random order of their UUIDs. position keeps the order they had in the email or the request.
 * Existing rows get 0 and keep today's order among themselves.
 */
export class AttachmentPosition1764289500000 implements MigrationInterface {
  name = 'AttachmentPosition1764289500000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE message_attachments ADD COLUMN position smallint NOT NULL DEFAULT 0`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE message_attachments DROP COLUMN position`);
  }
}
