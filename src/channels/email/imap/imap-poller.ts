import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { systemPrincipal } from '../../../auth/principal';
import { DomainError } from '../../../common/errors/domain-errors';
import { APP_CONFIG, AppConfig } from '../../../config/app-config';
import { ChannelSecrets } from '../../mail-secrets';
import { EmailIntakeService } from '../inbound/email-intake.service';
import { MailboxesRepository, MailboxRow } from '../mailboxes/mailboxes.repository';
import { ImapFlowFetcher, MailboxFetcher } from './imap-fetcher';

const BATCH = 50;

/**
 * Polls every mailbox with IMAP settings into the same intake as the inbound webhook, remembering the last UID per
 * mailbox (and its UIDVALIDITY) so nothing is read twice or skipped. A mailbox is claimed by moving its polled-at
 * time forward, so instances polling side by side never read the same mailbox at once.
 */
@Injectable()
export class ImapPoller implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ImapPoller');
  private readonly fetcher: MailboxFetcher = new ImapFlowFetcher();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly mailboxes: MailboxesRepository,
    private readonly secrets: ChannelSecrets,
    private readonly intake: EmailIntakeService,
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
    await this.running;
  }

  async pollAll(): Promise<void> {
    const due: MailboxRow[] = (await this.mailboxes.withImap(this.dataSource.manager)).filter(
      (mailbox) => !mailbox.imapPolledAt || Date.now() - mailbox.imapPolledAt.getTime() >= this.config.channels.imapPollIntervalMs / 2,
    );
    for (const mailbox of due) await this.poll(mailbox);
  }

  async poll(mailbox: MailboxRow): Promise<void> {
    const claimed: [unknown[], number] = await this.dataSource.query(
      `UPDATE mailboxes SET imap_polled_at = now() WHERE workspace_id = $1 AND id = $2 AND imap_polled_at IS NOT DISTINCT FROM $3 RETURNING id`,
      [mailbox.workspaceId, mailbox.id, mailbox.imapPolledAt],
    );
    if (claimed[1] === 0) return;
    const principal = systemPrincipal(mailbox.workspaceId);
    let cursor = { uidValidity: mailbox.imapUidValidity, lastUid: mailbox.imapLastUid };
    try {
      const imap = mailbox.imap!;
      const password = this.secrets.open(mailbox.workspaceId, 'imap', mailbox.id, imap.passwordSealed);
      const next = await this.fetcher.fetchNew({ ...imap, password }, cursor, BATCH, async (raw) => {
        try {
          await this.intake.receive(principal, raw, { mailboxId: mailbox.id });
        } catch (error) {
          // A message the intake refuses (a sender like root@localhost, too large) is refused again on every read:
          // letting it fail the poll would stop the mailbox at that UID for good. Anything else is retried next poll.
          if (!(error instanceof DomainError)) throw error;
          this.logger.warn({ msg: 'IMAP message rejected', workspaceId: mailbox.workspaceId, mailboxId: mailbox.id, bytes: raw.length, error: error.detail });
        }
      });
      cursor = next;
      await this.mailboxes.recordPoll(this.dataSource.manager, mailbox.workspaceId, mailbox.id, { ...next, error: null });
    } catch (error) {
      const reason = (error as Error).message.slice(0, 500);
      this.logger.warn({ msg: 'IMAP poll failed', workspaceId: mailbox.workspaceId, mailboxId: mailbox.id, error: reason });
      await this.mailboxes.recordPoll(this.dataSource.manager, mailbox.workspaceId, mailbox.id, { error: reason });
    }
  }
}
