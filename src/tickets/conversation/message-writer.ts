import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Principal } from '../../auth/principal';
import { MessageView } from '../dto/message.dto';
import { AuthorType, MessageVisibility, TicketMessageEntity } from '../entities/ticket-message.entity';
import { MessageAttachments } from './message-attachments';
import { sanitizeMessageHtml } from './sanitize-message-html';

/** Who sends the message's `attachments` (checked as their uploader) and the field a refusal names. */
export interface AttachmentContext {
  principal: Principal;
  field: string;
  anyUploader?: boolean;
}

export function toMessageView(message: TicketMessageEntity): MessageView {
  return {
    id: message.id,
    ticketId: message.ticketId,
    sequence: message.sequence,
    body: message.body,
    html: message.html,
    visibility: message.visibility,
    author: { type: message.authorType, id: message.authorId, name: message.authorName },
    createdAt: message.createdAt,
    attachments: [],
    delivery: null,
    mergedFrom: message.mergedFromTicketId ? { ticketId: message.mergedFromTicketId, number: Number(message.mergedFromNumber) } : null,
  };
}

/** Inserts one message at a sequence the caller reserved on the locked ticket row. */
@Injectable()
export class MessageWriter {
  constructor(private readonly attachments: MessageAttachments) {}

  async insert(
    manager: EntityManager,
    workspaceId: string,
    ticketId: string,
    sequence: number,
    input: { body: string; html?: string; visibility?: MessageVisibility; attachments?: string[] },
    author: { type: AuthorType; id: string | null; name: string | null },
    createdAt: Date,
    attaching?: AttachmentContext,
  ): Promise<MessageView> {
    const message: TicketMessageEntity = {
      workspaceId,
      id: randomUUID(),
      ticketId,
      sequence,
      body: input.body,
      html: input.html ? sanitizeMessageHtml(input.html) : null,
      visibility: input.visibility ?? 'public',
      authorType: author.type,
      authorId: author.id,
      authorName: author.name,
      createdAt,
      mergedFromTicketId: null,
      mergedFromNumber: null,
    };
    await manager.insert(TicketMessageEntity, message);
    const view = toMessageView(message);
    if (!input.attachments?.length) return view;
    if (!attaching) throw new Error('A message with attachments needs the caller that sends them');
    const attached = await this.attachments.attach(manager, attaching.principal, ticketId, message.id, {
      uploadIds: input.attachments,
      field: attaching.field,
      anyUploader: attaching.anyUploader,
    });
    return { ...view, attachments: attached };
  }
}
