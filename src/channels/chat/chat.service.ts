import { Injectable } from '@nestjs/common';
import { AgentsService } from '../../agents/agents.service';
import { Principal } from '../../auth/principal';
import { ResourceNotFound, ValidationFailed } from '../../common/errors/domain-errors';
import { uniqueViolation } from '../../common/errors/postgres-errors';
import { TransactionRunner } from '../../database/transaction-runner';
import { Outbox } from '../../events/outbox';
import { ConversationService } from '../../tickets/conversation/conversation.service';
import { TicketsService } from '../../tickets/tickets.service';
import { ChatIntakeResultView, ChatTranscriptInput, ConvertChatMessageInput, CreateEscalationInput, EscalationView, ThreadMessageInput, UpdateEscalationInput } from './chat.dto';
import { ChatRepository } from './chat.repository';

/** Chat transcripts and team-chat messages become tickets; escalated tickets hear back from their chat thread. */
@Injectable()
export class ChatService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly repository: ChatRepository,
    private readonly tickets: TicketsService,
    private readonly conversation: ConversationService,
    private readonly agents: AgentsService,
    private readonly outbox: Outbox,
  ) {}

  async importTranscript(principal: Principal, input: ChatTranscriptInput): Promise<ChatIntakeResultView> {
    const firstVisitor = input.messages.findIndex((message) => message.author === 'visitor');
    if (firstVisitor < 0) throw ValidationFailed.field('messages', 'must contain at least one visitor message');
    const agentIds = [...new Set(input.messages.flatMap((message) => (message.author === 'agent' ? [message.agentId!] : [])))];
    const agents = await this.agents.findByIds(principal, agentIds);
    input.messages.forEach((message, index) => {
      if (message.author === 'agent' && !agents.has(message.agentId!)) throw ValidationFailed.field(`messages[${index}].agentId`, `no agent with id ${message.agentId} exists in this workspace`);
    });
    return this.idempotent(
      () => this.repository.transcript(this.transactions.manager, principal.workspaceId, input.transcriptId),
      async (manager) => {
        const ordered = [...input.messages].sort((a, b) => Date.parse(a.sentAt) - Date.parse(b.sentAt));
        const opener = ordered.find((message) => message.author === 'visitor')!;
        const ticket = await this.tickets.create(principal, {
          subject: `Chat: ${opener.body.replace(/\s+/g, ' ').slice(0, 80)}`,
          message: { body: opener.body },
          requester: { email: input.visitor.email, name: input.visitor.name },
          channel: 'chat',
        });
        const [first] = (await this.conversation.listMessages(principal, ticket.id, { limit: 1 })).data;
        const times = [{ messageId: first.id, at: opener.sentAt }];
        for (const message of ordered) {
          if (message === opener) continue;
          const author = message.author === 'agent'
            ? { ...principal, agentId: message.agentId!, actor: { type: 'agent' as const, id: message.agentId!, name: agents.get(message.agentId!)!.name } }
            : principal;
          const added = await this.conversation.addMessage(author, ticket.id, { body: message.body, ...(message.author === 'visitor' ? { authorContactId: ticket.requester.id } : {}) });
          times.push({ messageId: added.message.id, at: message.sentAt });
        }
        await this.conversation.backdateMessages(manager, principal.workspaceId, ticket.id, times);
        await this.repository.insertTranscript(manager, principal.workspaceId, {
          transcriptId: input.transcriptId, ticketId: ticket.id, metadata: input.metadata ?? {}, startedAt: input.startedAt, endedAt: input.endedAt ?? null,
        });
        return { ticketId: ticket.id, messageId: first.id };
      },
    );
  }

  async convert(principal: Principal, input: ConvertChatMessageInput): Promise<ChatIntakeResultView> {
    const chat = input.chatMessage;
    if (!chat.author.email) throw ValidationFailed.field('chatMessage.author.email', 'is required to find or create the requester');
    return this.idempotent(
      () => this.repository.link(this.transactions.manager, principal.workspaceId, chat.platform, chat.messageId).then((link) => link && { ticketId: link.ticketId, messageId: link.ticketMessageId }),
      async (manager) => {
        const ticket = await this.tickets.create(principal, {
          subject: input.subject ?? chat.text.replace(/\s+/g, ' ').slice(0, 80),
          message: { body: chat.permalink ? `${chat.text}\n\n${chat.permalink}` : chat.text },
          requester: { email: chat.author.email, name: chat.author.name },
          channel: 'chat_message',
        });
        const [first] = (await this.conversation.listMessages(principal, ticket.id, { limit: 1 })).data;
        await this.repository.insertLink(manager, principal.workspaceId, {
          platform: chat.platform, messageId: chat.messageId, kind: 'conversion', ticketId: ticket.id, ticketMessageId: first.id,
          channelId: chat.channelId, threadId: chat.threadId ?? null, permalink: chat.permalink ?? null,
        });
        return { ticketId: ticket.id, messageId: first.id };
      },
    );
  }

  async escalate(principal: Principal, ticketId: string, input: CreateEscalationInput): Promise<EscalationView> {
    return this.transactions.run(async (manager) => {
      const ticket = await this.tickets.get(principal, ticketId);
      const escalation = await this.repository.insertEscalation(manager, principal.workspaceId, ticket.id, input.platform, input.channelId);
      await this.outbox.record(manager, principal, [{ type: 'ticket.escalated', subjectType: 'ticket', subjectId: ticket.id, data: { ticket, escalation } }]);
      return escalation;
    });
  }

  async setThread(principal: Principal, ticketId: string, escalationId: string, input: UpdateEscalationInput): Promise<EscalationView> {
    try {
      return await this.transactions.run(async (manager) => {
        const escalation = await this.repository.setThread(manager, principal.workspaceId, ticketId, escalationId, input.threadId);
        if (!escalation) throw new ResourceNotFound('escalation', escalationId);
        return escalation;
      });
    } catch (error) {
      if (uniqueViolation(error) === 'ticket_escalations_thread_key') throw ValidationFailed.field('threadId', 'another escalation already uses this thread');
      throw error;
    }
  }

  /** A message posted in an escalation's thread: recorded on the ticket as an internal note, once. */
  async threadMessage(principal: Principal, input: ThreadMessageInput): Promise<ChatIntakeResultView> {
    const escalation = await this.repository.escalationOfThread(this.transactions.manager, principal.workspaceId, input.platform, input.channelId, input.threadId);
    if (!escalation) throw new ResourceNotFound('escalation thread', `${input.platform}/${input.channelId}/${input.threadId}`);
    return this.idempotent(
      () => this.repository.link(this.transactions.manager, principal.workspaceId, input.platform, input.messageId).then((link) => link && { ticketId: link.ticketId, messageId: link.ticketMessageId }),
      async (manager) => {
        const name = `${input.author.name ?? input.author.email ?? input.author.externalId ?? 'someone'} via ${input.platform}`;
        const speaker: Principal = { ...principal, agentId: null, actor: { ...principal.actor, name } };
        const added = await this.conversation.addMessage(speaker, escalation.ticketId, { body: input.text, visibility: 'internal' });
        await this.repository.insertLink(manager, principal.workspaceId, {
          platform: input.platform, messageId: input.messageId, kind: 'thread_reply', ticketId: escalation.ticketId, ticketMessageId: added.message.id,
          channelId: input.channelId, threadId: input.threadId, permalink: null,
        });
        return { ticketId: escalation.ticketId, messageId: added.message.id };
      },
    );
  }

  /** Exactly once per external id: a repeat (or a concurrent twin losing the unique race) answers with what was made first. */
  private async idempotent(
    existing: () => Promise<{ ticketId: string; messageId: string } | null>,
    create: (manager: import('typeorm').EntityManager) => Promise<{ ticketId: string; messageId: string }>,
  ): Promise<ChatIntakeResultView> {
    const found = await existing();
    if (found) return { outcome: 'duplicate', ...found };
    try {
      return { outcome: 'created', ...(await this.transactions.run(create)) };
    } catch (error) {
      if (uniqueViolation(error)) {
        const raced = await existing();
        if (raced) return { outcome: 'duplicate', ...raced };
      }
      throw error;
    }
  }
}
