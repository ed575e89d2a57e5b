import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { UploadStorage } from '../../config/uploads-config';
import { MessageAttachmentView } from '../../tickets/dto/message.dto';

export interface NewAttachment {
  fileName: string;
  contentType: string;
  contentId: string | null;
  inline: boolean;
  content: Buffer;
}

/** Inbound email attachments hold their bytes (`content`); uploaded ones point at their upload (`upload`). */
export interface StoredAttachment extends MessageAttachmentView {
  content: Buffer | null;
  upload: { id: string; storage: UploadStorage } | null;
}

/** Attachments live in the database beside their message, so a backup or a tenant move takes them along. */
@Injectable()
export class AttachmentsRepository {
  async insert(manager: EntityManager, workspaceId: string, ticketId: string, messageId: string, attachments: NewAttachment[]): Promise<void> {
    for (const [position, attachment] of attachments.entries()) {
      await manager.query(
        `INSERT INTO message_attachments (workspace_id, id, ticket_id, message_id, file_name, content_type, size_bytes, content_id, inline, content, position)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [workspaceId, randomUUID(), ticketId, messageId, attachment.fileName.slice(0, 255), attachment.contentType.slice(0, 255), attachment.content.length,
          attachment.contentId, attachment.inline, attachment.content, position],
      );
    }
  }

  /** Uploaded files becoming a message's attachments, in the order the request named them; the bytes stay in the upload. */
  async insertFromUploads(
    manager: EntityManager,
    workspaceId: string,
    ticketId: string,
    messageId: string,
    uploads: Array<{ id: string; fileName: string; contentType: string; size: number }>,
  ): Promise<MessageAttachmentView[]> {
    const views: MessageAttachmentView[] = [];
    for (const [position, upload] of uploads.entries()) {
      const id = randomUUID();
      await manager.query(
        `INSERT INTO message_attachments (workspace_id, id, ticket_id, message_id, file_name, content_type, size_bytes, content_id, inline, content, upload_id, position)
         VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, false, NULL, $8, $9)`,
        [workspaceId, id, ticketId, messageId, upload.fileName, upload.contentType, Number(upload.size), upload.id, position],
      );
      views.push({ id, fileName: upload.fileName, contentType: upload.contentType, size: Number(upload.size), inline: false });
    }
    return views;
  }

  /** Every attachment of one message with where its bytes are, for the outbound email that carries them. */
  async contentsOf(manager: EntityManager, workspaceId: string, messageId: string): Promise<StoredAttachment[]> {
    const rows: RawStored[] = await manager.query(
      `SELECT ${STORED} FROM message_attachments a LEFT JOIN uploads u ON u.workspace_id = a.workspace_id AND u.id = a.upload_id
        WHERE a.workspace_id = $1 AND a.message_id = $2 ORDER BY a.created_at, a.position, a.id`,
      [workspaceId, messageId],
    );
    return rows.map(stored);
  }

  async listFor(manager: EntityManager, workspaceId: string, messageIds: string[]): Promise<Array<MessageAttachmentView & { messageId: string }>> {
    return manager.query(
      `SELECT id, message_id AS "messageId", file_name AS "fileName", content_type AS "contentType", size_bytes AS size, inline
         FROM message_attachments WHERE workspace_id = $1 AND message_id = ANY($2) ORDER BY created_at, position, id`,
      [workspaceId, messageIds],
    );
  }

  async find(manager: EntityManager, workspaceId: string, ticketId: string, messageId: string, id: string): Promise<StoredAttachment | null> {
    const rows: RawStored[] = await manager.query(
      `SELECT ${STORED} FROM message_attachments a LEFT JOIN uploads u ON u.workspace_id = a.workspace_id AND u.id = a.upload_id
        WHERE a.workspace_id = $1 AND a.ticket_id = $2 AND a.message_id = $3 AND a.id = $4`,
      [workspaceId, ticketId, messageId, id],
    );
    return rows[0] ? stored(rows[0]) : null;
  }
}

const STORED = `a.id, a.file_name AS "fileName", a.content_type AS "contentType", a.size_bytes AS size, a.inline, a.content,
  a.upload_id AS "uploadId", u.storage`;
type RawStored = MessageAttachmentView & { content: Buffer | null; uploadId: string | null; storage: UploadStorage | null };
const stored = ({ uploadId, storage, ...row }: RawStored): StoredAttachment => ({
  ...row,
  upload: uploadId && storage ? { id: uploadId, storage } : null,
});
