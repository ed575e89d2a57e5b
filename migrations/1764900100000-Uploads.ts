import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Files uploaded ahead of the message that carries them (POST /v1/uploads). An upload belongs to its workspace and to
 * the caller who sent it (an agent, an API key or a portal requester); until a message, or a macro, references it,
 * it expires (expires_at) and a job removes it. Its bytes live in upload_chunks (the default storage, so a database
 * backup holds every file) or in a file under DATA_DIR (storage = 'disk'). A message's attachment either holds its
 * bytes itself (inbound email, as before) or points at the upload that does.
 */
export class Uploads1764900100000 implements MigrationInterface {
  name = 'Uploads1764900100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE uploads (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        id uuid NOT NULL,
        uploader_type text NOT NULL CHECK (uploader_type IN ('agent', 'api_key', 'contact')),
        uploader_id uuid NOT NULL,
        file_name text NOT NULL,
        content_type text NOT NULL DEFAULT 'application/octet-stream',
        size_bytes bigint NOT NULL DEFAULT 0 CHECK (size_bytes >= 0),
        storage text NOT NULL CHECK (storage IN ('database', 'disk')),
        completed_at timestamptz(3),
        expires_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, id)
      )`);
    await db.query(`CREATE INDEX uploads_expiry_idx ON uploads (workspace_id, expires_at) WHERE expires_at IS NOT NULL`);
    await db.query(`
      CREATE TABLE upload_chunks (
        workspace_id uuid NOT NULL,
        upload_id uuid NOT NULL,
        position integer NOT NULL CHECK (position >= 0),
        data bytea NOT NULL,
        PRIMARY KEY (workspace_id, upload_id, position),
        FOREIGN KEY (workspace_id, upload_id) REFERENCES uploads(workspace_id, id) ON DELETE CASCADE
      )`);
    // Most uploads are already compressed (images, PDFs, archives): TOAST would spend CPU compressing them again.
    await db.query(`ALTER TABLE upload_chunks ALTER COLUMN data SET STORAGE EXTERNAL`);
    await db.query(`ALTER TABLE message_attachments ADD COLUMN upload_id uuid, ALTER COLUMN content DROP NOT NULL`);
    await db.query(`
      ALTER TABLE message_attachments
        ADD CONSTRAINT message_attachments_upload_fkey FOREIGN KEY (workspace_id, upload_id) REFERENCES uploads(workspace_id, id) ON DELETE RESTRICT,
        ADD CONSTRAINT message_attachments_content_or_upload CHECK ((content IS NULL) <> (upload_id IS NULL))`);
    await db.query(`CREATE INDEX message_attachments_upload_idx ON message_attachments (workspace_id, upload_id) WHERE upload_id IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    // Attachments whose bytes live in an upload cannot survive without the uploads table.
    await db.query(`DELETE FROM message_attachments WHERE content IS NULL`);
    await db.query(`DROP INDEX IF EXISTS message_attachments_upload_idx`);
    await db.query(`ALTER TABLE message_attachments DROP CONSTRAINT IF EXISTS message_attachments_content_or_upload, DROP CONSTRAINT IF EXISTS message_attachments_upload_fkey`);
    await db.query(`ALTER TABLE message_attachments DROP COLUMN upload_id, ALTER COLUMN content SET NOT NULL`);
    await db.query(`DROP TABLE IF EXISTS upload_chunks`);
    await db.query(`DROP TABLE IF EXISTS uploads`);
  }
}
