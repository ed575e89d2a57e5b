import { Inject, Injectable, Logger } from '@nestjs/common';
import { Principal } from '../../../auth/principal';
import { ResourceNotFound, ValidationFailed } from '../../../common/errors/domain-errors';
import { uniqueViolation } from '../../../common/errors/postgres-errors';
import { MAX_TEXT } from '../../../common/dto/validators';
import { APP_CONFIG, AppConfig } from '../../../config/app-config';
import { TransactionRunner } from '../../../database/transaction-runner';
import { ContactsService } from '../../../contacts/contacts.service';
import { ConversationService } from '../../../tickets/conversation/conversation.service';
import { TicketReadModel } from '../../../tickets/queries/ticket-read-model.queries';
import { TicketsService } from '../../../tickets/tickets.service';
import { TicketParticipantsService } from '../../../tickets/participants/ticket-participants.service';
import { EmailSettingsService } from '../settings/email-settings.service';
import { AttachmentsRepository } from '../../attachments/attachments.repository';
import { suppressionReason, SuppressionReason } from '../auto-reply';
import { EmailMessagesRepository } from '../email-messages.repository';
import { MailboxesRepository } from '../mailboxes/mailboxes.repository';
import { stripQuotedHtml, stripQuotedReply } from '../quote-stripping';
import { subjectTicketNumber, ticketSubjectOf } from '../threading';
import { EmailLimitExceeded } from './email-limit-exceeded';
import { mimeLimitBreach } from './mime-limits';
import { ParsedEmail, parseEmail } from './parse-email';

export type IntakeOutcome =
  | { outcome: 'created' | 'appended'; ticketId: string; messageId: string; skippedAttachments: string[] }
  | { outcome: 'duplicate'; ticketId: string; messageId: string }
  | { outcome: 'suppressed'; reason: SuppressionReason };

/**
 * One pipeline for every inbound email, whichever door it came through (webhook or IMAP): loop protection,
 * exactly-once by Message-ID, threading by headers then by subject token, and the message with its attachments.
 */
@Injectable()
export class EmailIntakeService {
  private readonly logger = new Logger('EmailIntake');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly transactions: TransactionRunner,
    private readonly mailboxes: MailboxesRepository,
    private readonly emails: EmailMessagesRepository,
    private readonly attachments: AttachmentsRepository,
    private readonly contacts: ContactsService,
    private readonly tickets: TicketsService,
    private readonly conversation: ConversationService,
    private readonly ticketReads: TicketReadModel,
    private readonly participants: TicketParticipantsService,
    private readonly emailSettings: EmailSettingsService,
  ) {}

  async receive(principal: Principal, raw: Buffer, options: { mailboxId?: string } = {}): Promise<IntakeOutcome> {
    if (raw.length === 0) throw ValidationFailed.field('raw', 'is empty');
    if (raw.length > this.config.channels.maxEmailBytes) throw ValidationFailed.field('raw', `is larger than ${this.config.channels.maxEmailBytes} bytes`);
    const breach = mimeLimitBreach(raw, this.config.mailSecurity);
    if (breach) throw new EmailLimitExceeded(breach);
    const email = await this.parse(raw);
    const own = await this.mailboxes.addresses(this.transactions.manager, principal.workspaceId);
    const reason = suppressionReason(email.header, email.from.address, own.map((mailbox) => mailbox.address));
    if (reason) {
      this.logger.log({ msg: 'Inbound email suppressed', reason, workspaceId: principal.workspaceId, messageId: email.messageId });
      return { outcome: 'suppressed', reason };
    }
    // Not a machine by its headers, yet nobody to answer: refused, not passed off as suppressed mailer-daemon mail.
    if (!email.from.address || !USABLE_SENDER.test(email.from.address)) {
      throw ValidationFailed.field('From', 'names no sender address a reply could reach, so the email cannot become a ticket');
    }
    let mailboxId: string | null = null;
    if (options.mailboxId) {
      if (!own.some((mailbox) => mailbox.id === options.mailboxId)) throw new ResourceNotFound('mailbox', options.mailboxId);
      mailboxId = options.mailboxId;
    } else {
      mailboxId = own.find((mailbox) => email.recipients.includes(mailbox.address))?.id ?? null;
    }
    try {
      const ownAddresses = own.map((mailbox) => mailbox.address.toLowerCase());
      return await this.transactions.run(() => this.store(principal, email, raw, mailboxId, ownAddresses));
    } catch (error) {
      // The same email delivered twice at once: the second transaction lost the race on the Message-ID.
      if (uniqueViolation(error) === 'email_messages_workspace_message_id_key') {
        const existing = await this.emails.findByMessageId(this.transactions.manager, principal.workspaceId, email.messageId);
        if (existing) return { outcome: 'duplicate', ticketId: existing.ticketId, messageId: existing.ticketMessageId };
      }
      throw error;
    }
  }

  private async store(principal: Principal, email: ParsedEmail, raw: Buffer, mailboxId: string | null, ownAddresses: string[]): Promise<IntakeOutcome> {
    const manager = this.transactions.manager;
    const existing = await this.emails.findByMessageId(manager, principal.workspaceId, email.messageId);
    if (existing) return { outcome: 'duplicate', ticketId: existing.ticketId, messageId: existing.ticketMessageId };

    const requester = await this.contacts.findOrCreateRequester(principal, { email: email.from.address!, name: email.from.name ?? undefined });
    const threadTicketId = await this.threadTicket(principal, email, requester.id);
    const { accepted, skipped } = this.acceptedAttachments(email);
    const fullText = email.text || '(no text)';

    let ticketId: string;
    let messageId: string;
    let outcome: 'created' | 'appended';
    if (threadTicketId) {
      const added = await this.conversation.addMessage(principal, threadTicketId, {
        body: truncate(stripQuotedReply(fullText), MAX_TEXT),
        html: email.html ? truncate(stripQuotedHtml(email.html), MAX_TEXT * 4) : undefined,
        authorContactId: requester.id,
      });
      ticketId = added.message.ticketId;
      messageId = added.message.id;
      outcome = 'appended';
    } else {
      const mailbox = mailboxId ? await this.mailboxes.find(manager, principal.workspaceId, mailboxId) : null;
      const ticket = await this.tickets.create(principal, {
        subject: ticketSubjectOf(email.subject),
        message: { body: truncate(fullText, MAX_TEXT), html: email.html ? truncate(email.html, MAX_TEXT * 4) : undefined },
        requester: { email: requester.email!, name: requester.name ?? undefined },
        channel: 'email',
        teamId: mailbox?.teamId ?? undefined,
      });
      const [first] = (await this.conversation.listMessages(principal, ticket.id, { limit: 1 })).data;
      ticketId = ticket.id;
      messageId = first.id;
      outcome = 'created';
    }
    await this.attachments.insert(manager, principal.workspaceId, ticketId, messageId, accepted);
    await this.copyCcs(principal, email, ticketId, ownAddresses);
    await this.emails.insertInbound(manager, {
      workspaceId: principal.workspaceId,
      messageId: email.messageId,
      ticketId,
      ticketMessageId: messageId,
      mailboxId,
      inReplyTo: email.inReplyTo[0] ?? null,
      references: email.references,
      fromAddress: email.from.address,
      toAddresses: email.recipients,
      subject: email.subject,
      raw,
      fullText,
    });
    return { outcome, ticketId, messageId, skippedAttachments: skipped };
  }

  /**
   * The ticket a reply belongs to: by the Message-IDs it answers, else by the [#n] subject token. Only the ticket's
   * requester or a CC continues a ticket; anyone else who writes in opens their own. A merged ticket's replies go to its target.
   */
  private async threadTicket(principal: Principal, email: ParsedEmail, requesterId: string): Promise<string | null> {
    const manager = this.transactions.manager;
    let ticketId = await this.emails.ticketOfThread(manager, principal.workspaceId, [...email.inReplyTo, ...email.references]);
    if (!ticketId) {
      const number = subjectTicketNumber(email.subject);
      if (number !== null) {
        ticketId = await this.ticketReads.ticketIdByNumber(manager, principal.workspaceId, number);
      }
    }
    if (!ticketId) return null;
    let ticket = await this.tickets.get(principal, ticketId);
    // The thread's requester or one of its CCs continues it.
    if (ticket.requester.id !== requesterId && !ticket.ccs.some((cc) => cc.id === requesterId)) return null;
    // A reply to a merged ticket lands on the ticket it was merged into (which may have been merged on in turn).
    for (let hops = 0; ticket.mergedIntoId && hops < MAX_MERGE_HOPS; hops++) ticket = await this.tickets.get(principal, ticket.mergedIntoId);
    return ticket.id;
  }

  /** The email's Cc addresses become CCs of its ticket (workspace setting, default on); our own mailboxes and the sender never do. */
  private async copyCcs(principal: Principal, email: ParsedEmail, ticketId: string, ownAddresses: string[]): Promise<void> {
    const copied = email.cc.filter((cc) => cc.address !== email.from.address && !ownAddresses.includes(cc.address) && USABLE_SENDER.test(cc.address)).slice(0, MAX_INBOUND_CCS);
    if (copied.length === 0 || !(await this.emailSettings.get(principal)).inboundCcEnabled) return;
    const contactIds: string[] = [];
    for (const cc of copied) contactIds.push((await this.contacts.findOrCreateRequester(principal, { email: cc.address, name: cc.name ?? undefined })).id);
    await this.participants.addCcsFrom(this.transactions.manager, principal, ticketId, contactIds);
  }

  private async parse(raw: Buffer): Promise<ParsedEmail> {
    try {
      return await parseEmail(raw);
    } catch (error) {
      // The parser gave up on what it was sent: that is the sender's malformed input, not our failure.
      this.logger.warn({ msg: 'Inbound email unreadable', bytes: raw.length, error: (error as Error).message });
      throw ValidationFailed.field('raw', 'could not be read as an email (RFC 5322 / MIME)');
    }
  }

  private acceptedAttachments(email: ParsedEmail) {
    const limit = this.config.channels.maxAttachmentBytes;
    return {
      accepted: email.attachments.filter((attachment) => attachment.content.length <= limit),
      skipped: email.attachments.filter((attachment) => attachment.content.length > limit).map((attachment) => attachment.fileName),
    };
  }
}

const MAX_MERGE_HOPS = 20;
/** More Cc addresses than this on one email are not all copied: a mass mailing is not a conversation. */
const MAX_INBOUND_CCS = 20;

// A mailbox at a domain with a dot in it: root@localhost and friends are this machine's daemons, nobody to answer.
const USABLE_SENDER = /^[^\s@<>]+@[^\s@<>.]+(\.[^\s@<>.]+)+$/;

function truncate(text: string, max: number): string {
  return text.length > max ? text.slice(0, max) : text;
}
