import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { sessionUrl } from '../../../database/session-url';
import { APP_CONFIG, AppConfig } from '../../../config/app-config';
import { TicketReadModel } from '../../../tickets/queries/ticket-read-model.queries';
import { MessageChannelDetails } from '../../attachments/attachments.service';
import { ChannelSecrets } from '../../mail-secrets';
import { ClaimedEmail, EmailMessagesRepository } from '../email-messages.repository';
import { MailServerAddresses, MailServerTarget, RefusedMailServer } from '../mail-server-addresses';
import { MailboxesRepository } from '../mailboxes/mailboxes.repository';
import { sendMail, SendResult } from './smtp-sender';

const BATCH = 20;
const LEASE_MS = 120_000;

/**
 * Sends queued replies through their mailbox's SMTP. Woken by NOTIFY when a reply commits, and by a poll for
 * retries coming due and work a stopped instance left; claims with SKIP LOCKED and a lease like the webhook dispatcher.
 */
@Injectable()
export class OutboundMailWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('OutboundMail');
  private listener: Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private cycle: Promise<void> | null = null;
  private again = false;
  private stopping = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly emails: EmailMessagesRepository,
    private readonly mailboxes: MailboxesRepository,
    private readonly secrets: ChannelSecrets,
    private readonly addresses: MailServerAddresses,
    private readonly ticketReads: TicketReadModel,
    private readonly attachments: MessageChannelDetails,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.channels.mailWorkerEnabled) return;
    await this.listen().catch((error) => this.logger.warn({ msg: 'Mail listener could not start; polling only', error: (error as Error).message }));
    this.timer = setInterval(() => this.kick(), this.config.channels.mailPollIntervalMs);
    this.timer.unref();
    this.kick();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await this.listener?.end().catch(() => undefined);
    await this.cycle;
  }

  /** Resolves once no sending cycle runs; for tests. */
  async idle(): Promise<void> {
    while (this.cycle) await this.cycle;
  }

  kick(): void {
    if (this.stopping) return;
    if (this.cycle) {
      this.again = true;
      return;
    }
    this.cycle = this.run().finally(() => (this.cycle = null));
  }

  private async listen(): Promise<void> {
    const client = new Client({ connectionString: sessionUrl(this.dataSource), application_name: 'deskline-mail-listener' });
    client.on('notification', () => this.kick());
    client.on('error', (error) => this.logger.warn({ msg: 'Mail listener connection lost; polling continues', error: error.message }));
    await client.connect();
    await this.emails.listenForMail(client);
    this.listener = client;
  }

  private async run(): Promise<void> {
    do {
      this.again = false;
      try {
        const claimed = await this.emails.claim(this.dataSource.manager, BATCH, LEASE_MS);
        await Promise.all(claimed.map((email) => this.deliver(email)));
        if (claimed.length === BATCH) this.again = true;
      } catch (error) {
        if (!this.stopping) this.logger.warn({ msg: 'Mail cycle failed; the next poll retries', error: (error as Error).message });
      }
    } while (this.again && !this.stopping);
  }

  private async deliver(email: ClaimedEmail): Promise<void> {
    const result = await this.attempt(email);
    const schedule = this.config.channels.mailRetryScheduleMs;
    if (result.ok) {
      await this.emails.settle(this.dataSource.manager, email, { state: 'sent', error: null });
    } else if (result.permanent || email.attemptCount >= schedule.length) {
      await this.emails.settle(this.dataSource.manager, email, { state: 'failed', error: result.reason });
    } else {
      await this.emails.settle(this.dataSource.manager, email, { state: 'queued', error: result.reason, retryInMs: schedule[email.attemptCount] });
    }
  }

  private async attempt(email: ClaimedEmail): Promise<SendResult> {
    const manager = this.dataSource.manager;
    const mailbox = email.mailboxId ? await this.mailboxes.find(manager, email.workspaceId, email.mailboxId) : null;
    if (!mailbox?.smtp) return { ok: false, permanent: true, reason: 'The ticket has no mailbox with SMTP settings to send from.' };
    if (email.toAddresses.length === 0) return { ok: false, permanent: true, reason: 'The requester has no email address.' };
    const message = await this.ticketReads.messageContent(manager, email.workspaceId, email.ticketMessageId);
    if (!message) return { ok: false, permanent: true, reason: 'The message no longer exists.' };
    let password: string;
    try {
      password = this.secrets.open(email.workspaceId, 'smtp', mailbox.id, mailbox.smtp.passwordSealed);
    } catch {
      return { ok: false, permanent: true, reason: 'The stored SMTP password cannot be decrypted; set it again.' };
    }
    let target: MailServerTarget;
    try {
      target = await this.addresses.connectTarget('smtp', mailbox.smtp.host);
    } catch (error) {
      // Refused is a setting to correct, not a passing failure; a name that does not resolve may resolve later.
      if (error instanceof RefusedMailServer) return { ok: false, permanent: true, reason: error.message };
      return { ok: false, permanent: false, reason: `SMTP host not found: ${(error as Error).message}`.slice(0, 500) };
    }
    const files = await this.attachments.filesOf(manager, email.workspaceId, email.ticketMessageId);
    return sendMail(
      { ...target, port: mailbox.smtp.port, secure: mailbox.smtp.secure, user: mailbox.smtp.user, password },
      {
        from: { name: mailbox.name, address: mailbox.address },
        to: email.toAddresses,
        cc: email.ccAddresses,
        subject: email.subject,
        messageId: email.messageId,
        inReplyTo: email.inReplyTo,
        references: email.references,
        text: message.body,
        html: message.html,
        attachments: files.map(({ fileName, contentType, content }) => ({ fileName, contentType, content })),
      },
    );
  }
}
