import { Injectable, OnModuleInit } from '@nestjs/common';
import { MessageView } from '../../../tickets/dto/message.dto';
import { TicketView } from '../../../tickets/dto/ticket.dto';
import { TicketChangeContext, TicketChangeHooks, TicketChangeListener } from '../../../tickets/ticket-change-hooks';
import { EmailMessagesRepository } from '../email-messages.repository';
import { MailboxesRepository } from '../mailboxes/mailboxes.repository';
import { newMessageId, replyReferences, replySubject } from '../threading';

function ccAddressesOf(ticket: TicketView): string[] {
  const requester = ticket.requester.email?.toLowerCase();
  const emails = ticket.ccs.map((cc) => cc.email?.toLowerCase()).filter((email): email is string => Boolean(email) && email !== requester);
  return [...new Set(emails)];
}

/**
 * Queues a public helpdesk reply on an email ticket for sending, inside the reply's own transaction: the reply and
 * its outbound mail commit together or not at all, and the API never waits for SMTP.
 */
@Injectable()
export class OutboundMailListener implements TicketChangeListener, OnModuleInit {
  readonly order = 500;

  constructor(
    private readonly hooks: TicketChangeHooks,
    private readonly emails: EmailMessagesRepository,
    private readonly mailboxes: MailboxesRepository,
  ) {}

  onModuleInit(): void {
    this.hooks.register(this);
  }

  async onTicketChanged({ manager, principal, ticket, changes }: TicketChangeContext): Promise<void> {
    if (ticket.channel !== 'email') return;
    for (const change of changes) {
      if (change.type !== 'ticket.message_created') continue;
      const message = change.data?.message as MessageView | undefined;
      if (!message || message.visibility !== 'public' || message.author.type === 'contact') continue;
      const thread = await this.emails.threadOf(manager, principal.workspaceId, ticket.id);
      const mailbox = thread.mailboxId ? await this.mailboxes.find(manager, principal.workspaceId, thread.mailboxId) : null;
      await this.emails.insertOutbound(manager, {
        workspaceId: principal.workspaceId,
        messageId: newMessageId(mailbox?.address ?? 'deskline.invalid'),
        ticketId: ticket.id,
        ticketMessageId: message.id,
        mailboxId: mailbox?.id ?? null,
        inReplyTo: thread.lastInbound,
        references: replyReferences(thread.messageIds.filter((id) => id !== thread.lastInbound), thread.lastInbound),
        fromAddress: mailbox?.address ?? null,
        toAddresses: ticket.requester.email ? [ticket.requester.email] : [],
        // Public replies go To the requester and Cc the ticket's CCs.
        ccAddresses: ccAddressesOf(ticket),
        subject: replySubject(ticket.subject, ticket.number),
      });
      // Committed with the reply, this wakes the mail workers of every instance (NOTIFY is transactional).
      await this.emails.wakeMailWorkers(manager, principal.workspaceId);
    }
  }
}
