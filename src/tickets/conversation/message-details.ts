import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { MessageAttachmentView, MessageDeliveryView, MessageView } from '../dto/message.dto';

export interface MessageDetail {
  attachments?: MessageAttachmentView[];
  delivery?: MessageDeliveryView;
}

/** A module that knows more about some messages (channels: attachments, email delivery) registers as a source. */
export interface MessageDetailsSource {
  detailsOf(manager: EntityManager, workspaceId: string, messageIds: string[]): Promise<Map<string, MessageDetail>>;
}

/** Fills the parts of a message other modules own, in one batched query per source, without tickets knowing them. */
@Injectable()
export class MessageDetails {
  private sources: MessageDetailsSource[] = [];

  register(source: MessageDetailsSource): void {
    this.sources = [...this.sources, source];
  }

  async fill(manager: EntityManager, workspaceId: string, messages: MessageView[]): Promise<MessageView[]> {
    if (messages.length === 0 || this.sources.length === 0) return messages;
    const ids = messages.map((message) => message.id);
    const found = await Promise.all(this.sources.map((source) => source.detailsOf(manager, workspaceId, ids)));
    return messages.map((message) => {
      const filled = { ...message };
      for (const details of found) {
        const detail = details.get(message.id);
        if (detail?.attachments) {
          // A message just written already lists the attachments it was given.
          const known = new Set(filled.attachments.map((attachment) => attachment.id));
          filled.attachments = [...filled.attachments, ...detail.attachments.filter((attachment) => !known.has(attachment.id))];
        }
        if (detail?.delivery) filled.delivery = detail.delivery;
      }
      return filled;
    });
  }
}
