import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../../config/app-config';
import { ChannelSecrets } from '../../mail-secrets';
import { MailServerAddresses } from '../mail-server-addresses';
import { MailboxesRepository, MailboxRow } from '../mailboxes/mailboxes.repository';
import { ImapIdleSession } from './imap-idle-session';
import { ImapMailboxReader } from './imap-mailbox-reader';

// How long an instance leaves a mailbox whose server lacks IDLE to the poller before it asks the server again.
const RECHECK_WITHOUT_IDLE_MS = 3600_000;

/**
 * Keeps one IDLE session per mailbox this instance holds the lease of. The lease (holder and expiry on the mailbox
 * row) is renewed every third of its length, so exactly one live instance holds a mailbox's session; a holder that
 * dies stops renewing and another instance takes the mailbox over once the lease expires. Shutdown releases the leases
 * at once.
 */
@Injectable()
export class ImapIdleSessions implements OnApplicationBootstrap, OnModuleDestroy {
  /** This instance's name on the leases it holds. */
  readonly holderId = randomUUID();
  private readonly logger = new Logger('ImapIdleSessions');
  private readonly sessions = new Map<string, { session: ImapIdleSession; settings: string }>();
  private readonly withoutIdleUntil = new Map<string, number>();
  /** Sessions told to stop whose last read may still be running; shutdown waits for them. */
  private readonly ending = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopping = false;
  private renewedAt = Date.now();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly mailboxes: MailboxesRepository,
    private readonly secrets: ChannelSecrets,
    private readonly reader: ImapMailboxReader,
    private readonly addresses: MailServerAddresses,
  ) {}

  onApplicationBootstrap(): void {
    const { mailWorkerEnabled, imapIdleEnabled, imapIdleMaxSessions, imapIdleLeaseMs } = this.config.channels;
    if (!mailWorkerEnabled || !imapIdleEnabled || imapIdleMaxSessions === 0) return;
    this.timer = setInterval(() => this.tick(), Math.floor(imapIdleLeaseMs / 3));
    this.timer.unref();
    this.tick();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    for (const id of [...this.sessions.keys()]) this.end(id);
    await Promise.all(this.ending);
    await this.mailboxes.releaseIdleLeases(this.dataSource.manager, this.holderId).catch((error: Error) => {
      this.logger.warn({ msg: 'IMAP IDLE leases not released; they expire on their own', error: error.message });
    });
  }

  /** Whether this instance has a connected, idling session on the mailbox. */
  listening(mailboxId: string): boolean {
    return this.sessions.get(mailboxId)?.session.listening ?? false;
  }

  private tick(): void {
    if (this.running || this.stopping) return;
    this.running = this.maintain().finally(() => (this.running = null));
  }

  private async maintain(): Promise<void> {
    const { imapIdleLeaseMs, imapIdleMaxSessions } = this.config.channels;
    try {
      const held = new Map((await this.mailboxes.renewIdleLeases(this.dataSource.manager, this.holderId, imapIdleLeaseMs)).map((row) => [row.id, row]));
      this.renewedAt = Date.now();
      for (const [id, entry] of this.sessions) {
        const row = held.get(id);
        // Lost (taken over after a missed renewal, or the mailbox deleted), or its IMAP settings changed.
        if (!row || settingsOf(row) !== entry.settings) this.end(id);
      }
      for (const row of held.values()) if (!this.sessions.has(row.id)) this.begin(row);

      const now = Date.now();
      for (const [id, until] of this.withoutIdleUntil) if (until <= now) this.withoutIdleUntil.delete(id);
      const room = imapIdleMaxSessions - this.sessions.size;
      if (room <= 0 || this.stopping) return;
      const acquired = await this.mailboxes.acquireIdleLeases(this.dataSource.manager, this.holderId, imapIdleLeaseMs, room, [...this.withoutIdleUntil.keys()]);
      for (const row of acquired) this.begin(row);
    } catch (error) {
      this.logger.warn({ msg: 'IMAP IDLE lease upkeep failed', error: (error as Error).message });
      // Past its expiry another instance may already hold the lease: two sessions must not read one mailbox.
      if (Date.now() - this.renewedAt >= imapIdleLeaseMs) for (const id of [...this.sessions.keys()]) this.end(id);
    }
  }

  private begin(row: MailboxRow): void {
    if (this.stopping || !row.imap) return;
    let password: string;
    try {
      password = this.secrets.open(row.workspaceId, 'imap', row.id, row.imap.passwordSealed);
    } catch (error) {
      // The poller records the same failure on the mailbox, where an admin sees it.
      this.leaveToPoller(row.id, (error as Error).message);
      return;
    }
    const session = new ImapIdleSession(row.id, { ...row.imap, password }, {
      newMail: () => this.reader.read(row.workspaceId, row.id),
      unsupported: () => this.leaveToPoller(row.id, 'the server does not offer IDLE'),
      refused: (reason) => this.leaveToPoller(row.id, reason),
    }, (host) => this.addresses.connectTarget('imap', host));
    this.sessions.set(row.id, { session, settings: settingsOf(row) });
    session.start();
  }

  /** Stops a session without waiting for it, so one slow read cannot hold up the renewal of the other leases. */
  private end(mailboxId: string): void {
    const entry = this.sessions.get(mailboxId);
    if (!entry) return;
    this.sessions.delete(mailboxId);
    const stopped = entry.session.stop();
    this.ending.add(stopped);
    void stopped.finally(() => this.ending.delete(stopped));
  }

  private leaveToPoller(mailboxId: string, reason: string): void {
    this.logger.log({ msg: 'IMAP mailbox left to the interval poll', mailboxId, reason });
    this.withoutIdleUntil.set(mailboxId, Date.now() + RECHECK_WITHOUT_IDLE_MS);
    this.sessions.delete(mailboxId);
    void this.mailboxes.releaseIdleLeases(this.dataSource.manager, this.holderId, [mailboxId]).catch(() => undefined);
  }
}

function settingsOf(row: MailboxRow): string {
  return JSON.stringify(row.imap);
}
