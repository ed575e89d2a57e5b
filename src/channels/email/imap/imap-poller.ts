import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../../config/app-config';
import { MailboxesRepository, MailboxRow } from '../mailboxes/mailboxes.repository';
import { ImapIdleSessions } from './imap-idle-sessions';
import { ImapMailboxReader } from './imap-mailbox-reader';

/**
 * Polls every mailbox with IMAP settings into the same intake as the inbound webhook, remembering the last UID per
 * mailbox (and its UIDVALIDITY) so nothing is read twice or skipped. A mailbox is claimed by moving its polled-at
 * time forward, so instances polling side by side never read the same mailbox at once. A mailbox whose IDLE session
 * another instance holds is that instance's to read; the holder still polls it, which covers a dropped connection.
 */
@Injectable()
export class ImapPoller implements OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly mailboxes: MailboxesRepository,
    private readonly reader: ImapMailboxReader,
    private readonly idleSessions: ImapIdleSessions,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.channels.mailWorkerEnabled) return;
    this.timer = setInterval(() => {
      if (!this.running) this.running = this.pollAll().finally(() => (this.running = null));
    }, this.config.channels.imapPollIntervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  async pollAll(): Promise<void> {
    const due: MailboxRow[] = (await this.mailboxes.withImap(this.dataSource.manager, this.idleSessions.holderId)).filter(
      (mailbox) => !mailbox.imapPolledAt || Date.now() - mailbox.imapPolledAt.getTime() >= this.config.channels.imapPollIntervalMs / 2,
    );
    for (const mailbox of due) await this.poll(mailbox);
  }

  async poll(mailbox: MailboxRow): Promise<void> {
    if (!(await this.mailboxes.claimPoll(this.dataSource.manager, mailbox, this.idleSessions.holderId))) return;
    await this.reader.read(mailbox.workspaceId, mailbox.id);
  }
}
