import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Principal } from '../../auth/principal';
import { ValidationFailed } from '../../common/errors/domain-errors';
import { MessageAttachmentView } from '../dto/message.dto';

/** Which uploads a new message carries, and under whose name they are checked. */
export interface AttachmentRequest {
  uploadIds: string[];
  /** The input field named in a 422 (`attachments`, `message.attachments`, `actions[0].attachments`). */
  field: string;
  /**
   * The caller need not be the uploader: a macro carries files its author uploaded (checked when the macro was saved),
   * and every agent who applies it sends them. The workspace is always checked.
   */
  anyUploader?: boolean;
}

/** The module that stores uploaded files (channels) binds them to messages; tickets only asks. */
export interface MessageAttachmentBinder {
  attach(manager: EntityManager, principal: Principal, ticketId: string, messageId: string, request: AttachmentRequest): Promise<MessageAttachmentView[]>;
  /** Checks the caller's uploads as for a message and keeps them past their expiry (a macro's files). */
  keep(manager: EntityManager, principal: Principal, uploadIds: string[], field: string): Promise<void>;
}

/** Binds a new message's uploads to it, in the message's transaction, without tickets knowing how files are kept. */
@Injectable()
export class MessageAttachments {
  private binder: MessageAttachmentBinder | null = null;

  register(binder: MessageAttachmentBinder): void {
    this.binder = binder;
  }

  async attach(manager: EntityManager, principal: Principal, ticketId: string, messageId: string, request: AttachmentRequest): Promise<MessageAttachmentView[]> {
    if (request.uploadIds.length === 0) return [];
    if (!this.binder) throw ValidationFailed.field(request.field, 'file uploads are not available on this server');
    return this.binder.attach(manager, principal, ticketId, messageId, request);
  }

  /** For what sends the same files again and again (a macro's add_reply): the caller's uploads, kept from now on. */
  async keep(manager: EntityManager, principal: Principal, uploadIds: string[], field: string): Promise<void> {
    if (uploadIds.length === 0) return;
    if (!this.binder) throw ValidationFailed.field(field, 'file uploads are not available on this server');
    await this.binder.keep(manager, principal, uploadIds, field);
  }
}
