import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { UploadStorage } from '../../config/uploads-config';

export type UploaderType = 'agent' | 'api_key' | 'contact';

export interface UploadRow {
  id: string;
  uploaderType: UploaderType;
  uploaderId: string;
  fileName: string;
  contentType: string;
  size: number;
  storage: UploadStorage;
  completed: boolean;
  expiresAt: Date | null;
}

const COLUMNS = `id, uploader_type AS "uploaderType", uploader_id AS "uploaderId", file_name AS "fileName", content_type AS "contentType",
  size_bytes::float8 AS size, storage, completed_at IS NOT NULL AS completed, expires_at AS "expiresAt"`;

/** Uploads and, with database storage, their bytes in chunks. */
@Injectable()
export class UploadsRepository {
  async insert(
    manager: EntityManager,
    row: { workspaceId: string; id: string; uploaderType: UploaderType; uploaderId: string; fileName: string; storage: UploadStorage; expiresAt: Date },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO uploads (workspace_id, id, uploader_type, uploader_id, file_name, storage, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [row.workspaceId, row.id, row.uploaderType, row.uploaderId, row.fileName.slice(0, 255), row.storage, row.expiresAt],
    );
  }

  async complete(manager: EntityManager, workspaceId: string, id: string, size: number, contentType: string, at: Date): Promise<void> {
    await manager.query(`UPDATE uploads SET size_bytes = $3, content_type = $4, completed_at = $5 WHERE workspace_id = $1 AND id = $2`, [
      workspaceId, id, size, contentType, at,
    ]);
  }

  async remove(manager: EntityManager, workspaceId: string, id: string): Promise<void> {
    await manager.query(`DELETE FROM uploads WHERE workspace_id = $1 AND id = $2`, [workspaceId, id]);
  }

  /** The uploads named, locked so the expiry job cannot remove one while a message takes it. */
  async lock(manager: EntityManager, workspaceId: string, ids: string[]): Promise<UploadRow[]> {
    return manager.query(`SELECT ${COLUMNS} FROM uploads WHERE workspace_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE`, [workspaceId, ids]);
  }

  async find(manager: EntityManager, workspaceId: string, id: string): Promise<UploadRow | null> {
    const rows = await manager.query(`SELECT ${COLUMNS} FROM uploads WHERE workspace_id = $1 AND id = $2`, [workspaceId, id]);
    return rows[0] ?? null;
  }

  /** Referenced uploads are kept as long as what references them. */
  async keep(manager: EntityManager, workspaceId: string, ids: string[]): Promise<void> {
    await manager.query(`UPDATE uploads SET expires_at = NULL WHERE workspace_id = $1 AND id = ANY($2::uuid[]) AND expires_at IS NOT NULL`, [workspaceId, ids]);
  }

  async insertChunk(manager: EntityManager, workspaceId: string, uploadId: string, position: number, data: Buffer): Promise<void> {
    await manager.query(`INSERT INTO upload_chunks (workspace_id, upload_id, position, data) VALUES ($1, $2, $3, $4)`, [workspaceId, uploadId, position, data]);
  }

  async chunk(manager: EntityManager, workspaceId: string, uploadId: string, position: number): Promise<Buffer | null> {
    const rows = await manager.query(`SELECT data FROM upload_chunks WHERE workspace_id = $1 AND upload_id = $2 AND position = $3`, [workspaceId, uploadId, position]);
    return rows[0]?.data ?? null;
  }

  /**
   * Removes up to `limit` uploads past their expiry that no message references (any workspace: the job runs for the
   * instance), skipping rows a message is taking right now, and answers what was removed so disk files follow.
   */
  async deleteExpired(manager: EntityManager, now: Date, limit: number): Promise<Array<{ workspaceId: string; id: string; storage: UploadStorage }>> {
    // A DELETE answers [rows, count] through TypeORM's postgres driver.
    const [rows]: [Array<{ workspaceId: string; id: string; storage: UploadStorage }>, number] = await manager.query(
      `DELETE FROM uploads u USING (
         SELECT workspace_id, id FROM uploads candidate
          WHERE candidate.expires_at < $1
            AND NOT EXISTS (SELECT 1 FROM message_attachments a WHERE a.workspace_id = candidate.workspace_id AND a.upload_id = candidate.id)
          LIMIT $2 FOR UPDATE SKIP LOCKED
       ) expired
       WHERE u.workspace_id = expired.workspace_id AND u.id = expired.id
       RETURNING u.workspace_id AS "workspaceId", u.id, u.storage`,
      [now, limit],
    );
    return rows;
  }
}
