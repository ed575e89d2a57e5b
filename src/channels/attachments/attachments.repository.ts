import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { MessageAttachmentView } from '../../tickets/dto/message.dto';

export interface NewAttachment {
  fileName: string;
  contentType: string;
  contentId: string | null;
  inline: boolean;
  content: Buffer;
}

export interface StoredAttachment extends MessageAttachmentView {
  content: Buffer;
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

  async listFor(manager: EntityManager, workspaceId: string, messageIds: string[]): Promise<Array<MessageAttachmentView & { messageId: string }>> {
    return manager.query(
      `SELECT id, message_id AS "messageId", file_name AS "fileName", content_type AS "contentType", size_bytes AS size, inline
         FROM message_attachments WHERE workspace_id = $1 AND message_id = ANY($2) ORDER BY created_at, position, id`,
      [workspaceId, messageIds],
    );
  }

  /** `publicOnly` finds nothing on an internal note, for requesters. */
  async find(manager: EntityManager, workspaceId: string, ticketId: string, messageId: string, id: string, options: { publicOnly?: boolean } = {}): Promise<StoredAttachment | null> {
    const rows = await manager.query(
      `SELECT a.id, a.file_name AS "fileName", a.content_type AS "contentType", a.size_bytes AS size, a.inline, a.content
         FROM message_attachments a
        WHERE a.workspace_id = $1 AND a.ticket_id = $2 AND a.message_id = $3 AND a.id = $4
          ${options.publicOnly ? `AND EXISTS (SELECT 1 FROM ticket_messages m WHERE m.workspace_id = a.workspace_id AND m.id = a.message_id AND m.visibility = 'public')` : ''}`,
      [workspaceId, ticketId, messageId, id],
    );
    return rows[0] ?? null;
  }
}
