import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Principal } from '../../auth/principal';
import { ResourceNotFound } from '../../common/errors/domain-errors';
import { Page } from '../../common/pagination/cursor';
import { TransactionRunner } from '../../database/transaction-runner';
import { AddMessageInput, MessageView } from '../dto/message.dto';
import { TicketEventView } from '../dto/ticket-event.dto';
import { MessageVisibility } from '../entities/ticket-message.entity';
import { TicketHistory } from '../history/ticket-history';
import { TicketsRepository } from '../tickets.repository';
import { AddedMessage, AddMessage } from '../use-cases/add-message/add-message';
import { MessageDetails } from './message-details';
import { toMessageView } from './message-writer';
import { TicketMessagesRepository } from './ticket-messages.repository';

export type { AddedMessage };

/** A ticket's conversation and history: reads here, the adding of a message in use-cases/add-message. */
@Injectable()
export class ConversationService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly repository: TicketsRepository,
    private readonly messages: TicketMessagesRepository,
    private readonly history: TicketHistory,
    private readonly details: MessageDetails,
    private readonly addMessageUseCase: AddMessage,
  ) {}

  async addMessage(principal: Principal, ticketId: string, input: AddMessageInput): Promise<AddedMessage> {
    const added = await this.addMessageUseCase.execute(principal, ticketId, input);
    // Filled after the change's listeners ran, so a reply queued for email shows its delivery state at once.
    const [message] = await this.details.fill(this.transactions.manager, principal.workspaceId, [added.message]);
    return { ...added, message };
  }

  /** For imported conversations (chat transcripts): each message keeps the time it was written, not the import's. */
  backdateMessages(manager: EntityManager, workspaceId: string, ticketId: string, times: Array<{ messageId: string; at: string }>): Promise<void> {
    return this.repository.backdateMessages(manager, workspaceId, ticketId, times);
  }

  async listMessages(
    principal: Principal,
    ticketId: string,
    page: { limit?: number; cursor?: string; visibility?: MessageVisibility },
  ): Promise<Page<MessageView>> {
    const manager = this.transactions.manager;
    await this.assertTicket(manager, principal, ticketId);
    const result = await this.messages.page(manager, principal.workspaceId, ticketId, page);
    return { data: await this.details.fill(manager, principal.workspaceId, result.data.map(toMessageView)), nextCursor: result.nextCursor };
  }

  async listEvents(principal: Principal, ticketId: string, page: { limit?: number; cursor?: string }): Promise<Page<TicketEventView>> {
    const manager = this.transactions.manager;
    await this.assertTicket(manager, principal, ticketId);
    return this.history.list(manager, principal, ticketId, page);
  }

  private async assertTicket(manager: EntityManager, principal: Principal, ticketId: string): Promise<void> {
    if (!(await this.repository.exists(manager, principal.workspaceId, ticketId))) throw new ResourceNotFound('ticket', ticketId);
  }
}
