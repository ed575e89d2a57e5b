import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { systemPrincipal } from '../../../auth/principal';
import { DomainError } from '../../../common/errors/domain-errors';
import { ChannelSecrets } from '../../mail-secrets';
import { EmailIntakeService } from '../inbound/email-intake.service';
import { MailServerAddresses } from '../mail-server-addresses';
import { MailboxesRepository } from '../mailboxes/mailboxes.repository';
import { ImapFlowFetcher, MailboxFetcher } from './imap-fetcher';

const BATCH = 50;

/**
 * Reads a mailbox's new mail after its last UID into the same intake as the inbound webhook and records the cursor.
 * The interval poll and an IDLE notification both come here, and reads of one mailbox are queued behind each other
 * so two never overlap in this instance.
 */
@Injectable()
export class ImapMailboxReader {
  private readonly logger = new Logger('ImapMailboxReader');
  private readonly fetcher: MailboxFetcher;
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly mailboxes: MailboxesRepository,
    private readonly secrets: ChannelSecrets,
    private readonly intake: EmailIntakeService,
    addresses: MailServerAddresses,
  ) {
    this.fetcher = new ImapFlowFetcher((host) => addresses.connectTarget('imap', host));
  }

  /** Resolves once a read that started after this call has finished; failures are recorded on the mailbox, not thrown. */
  read(workspaceId: string, mailboxId: string): Promise<void> {
    const key = `${workspaceId}/${mailboxId}`;
    const next = (this.queues.get(key) ?? Promise.resolve()).then(() => this.readNow(workspaceId, mailboxId));
    this.queues.set(key, next);
    void next.finally(() => {
      if (this.queues.get(key) === next) this.queues.delete(key);
    });
    return next;
  }

  private async readNow(workspaceId: string, mailboxId: string): Promise<void> {
    try {
      // Read the cursor now, not when the read was asked for: the read queued ahead of this one may have moved it.
      const mailbox = await this.mailboxes.find(this.dataSource.manager, workspaceId, mailboxId);
      if (!mailbox?.imap) return;
      const principal = systemPrincipal(workspaceId);
      const password = this.secrets.open(workspaceId, 'imap', mailboxId, mailbox.imap.passwordSealed);
      const cursor = { uidValidity: mailbox.imapUidValidity, lastUid: mailbox.imapLastUid };
      const rejected: string[] = [];
      const next = await this.fetcher.fetchNew({ ...mailbox.imap, password }, cursor, BATCH, async (raw, uid) => {
        try {
          await this.intake.receive(principal, raw, { mailboxId });
        } catch (error) {
          // A message the intake refuses (no usable From, over a MIME limit, too large) is refused again on every
          // read: letting it fail the read would stop the mailbox at that UID for good. Anything else is retried.
          if (!(error instanceof DomainError)) throw error;
          this.logger.warn({ msg: 'IMAP message rejected', workspaceId, mailboxId, uid, bytes: raw.length, error: error.detail });
          rejected.push(`UID ${uid}: ${error.detail}`);
        }
      });
      // The admin sees what was left behind in the mailbox's last error; the read itself went on past it.
      const error = rejected.length ? `${rejected.length} message(s) rejected; ${rejected.join('; ')}`.slice(0, 500) : null;
      await this.mailboxes.recordPoll(this.dataSource.manager, workspaceId, mailboxId, { ...next, error });
    } catch (error) {
      const reason = (error as Error).message.slice(0, 500);
      this.logger.warn({ msg: 'IMAP read failed', workspaceId, mailboxId, error: reason });
      await this.mailboxes.recordPoll(this.dataSource.manager, workspaceId, mailboxId, { error: reason }).catch(() => undefined);
    }
  }
}
