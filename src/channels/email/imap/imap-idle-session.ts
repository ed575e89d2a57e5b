import { Logger } from '@nestjs/common';
import { ImapFlow } from 'imapflow';
import { MailServerTarget, RefusedMailServer } from '../mail-server-addresses';
import { connectionOptions, ImapSettings } from './imap-fetcher';

export interface IdleSessionEvents {
  /** INBOX may have new mail: read it. Never called again before the previous call has settled. */
  newMail(): Promise<void>;
  /** The server does not offer IDLE; the session has ended and the mailbox is left to the poller. */
  unsupported(): void;
  /** The server's address is refused by the address policy; the session has ended without connecting. */
  refused(reason: string): void;
}

const FIRST_RETRY_MS = 1000;
const LONGEST_RETRY_MS = 60_000;
// Below imapflow's 5-minute socket timeout, and far below the 29 minutes after which RFC 2177 lets a server drop us.
const IDLE_RESTART_MS = 4 * 60_000;
const LOGOUT_WAIT_MS = 2000;

/**
 * One long-lived IMAP connection watching a mailbox's INBOX with IDLE. Each EXISTS the server pushes wakes a read
 * (coalesced: notifications during a read cause one more read after it). A dropped connection is opened again after
 * a growing, jittered delay; meanwhile the interval poll keeps the mailbox read.
 */
export class ImapIdleSession {
  private readonly logger = new Logger('ImapIdleSession');
  private client: ImapFlow | null = null;
  private stopped = false;
  private loop: Promise<void> | null = null;
  private retry: { timer: NodeJS.Timeout; wake: () => void } | null = null;
  private reading: Promise<void> | null = null;
  private readAgain = false;
  /** True while the connection is open and idling, for tests and diagnostics. */
  listening = false;

  constructor(
    readonly mailboxId: string,
    private readonly settings: ImapSettings,
    private readonly events: IdleSessionEvents,
    private readonly resolve: (host: string) => Promise<MailServerTarget>,
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) {
      clearTimeout(this.retry.timer);
      this.retry.wake();
    }
    const client = this.client;
    if (client) {
      if (client.usable) {
        let timer: NodeJS.Timeout | undefined;
        // LOGOUT breaks IDLE and says goodbye; a server that does not answer in time just gets the socket closed.
        await Promise.race([client.logout().catch(() => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, LOGOUT_WAIT_MS)))]);
        clearTimeout(timer);
      }
      client.close();
    }
    await this.loop;
    await this.reading;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      let target: MailServerTarget;
      try {
        // Resolved and checked again on every reconnection: the name may point somewhere else by now.
        target = await this.resolve(this.settings.host);
      } catch (error) {
        if (error instanceof RefusedMailServer) return this.events.refused(error.message);
        if (this.stopped) break;
        this.logger.warn({ msg: 'IMAP IDLE host did not resolve', mailboxId: this.mailboxId, error: (error as Error).message.slice(0, 500) });
        await this.backOff(++failures);
        continue;
      }
      if (this.stopped) break;
      const client = new ImapFlow({ ...connectionOptions(this.settings, target), disableAutoIdle: true, maxIdleTime: IDLE_RESTART_MS });
      this.client = client;
      // Emitted at most once, just before 'close'; the loop below notices the closed connection and reconnects.
      client.on('error', (error: Error) => this.logger.debug({ msg: 'IMAP IDLE connection error', mailboxId: this.mailboxId, error: error.message }));
      try {
        await client.connect();
        if (this.stopped) break;
        if (!client.capabilities.has('IDLE')) {
          this.events.unsupported();
          return;
        }
        // Read-only: the reads mark messages seen over their own connection; this one only listens.
        await client.mailboxOpen('INBOX', { readOnly: true });
        client.on('exists', () => this.wake());
        failures = 0;
        this.listening = true;
        // Mail may have arrived while nobody was listening.
        this.wake();
        while (!this.stopped && client.usable) {
          if ((await client.idle()) === false && !this.stopped) throw new Error('the server refused IDLE');
        }
      } catch (error) {
        if (!this.stopped) this.logger.warn({ msg: 'IMAP IDLE connection failed', mailboxId: this.mailboxId, error: (error as Error).message.slice(0, 500) });
      } finally {
        this.listening = false;
        this.client = null;
        client.removeAllListeners('exists');
        client.close();
      }
      if (this.stopped) break;
      await this.backOff(++failures);
    }
  }

  private wake(): void {
    if (this.stopped) return;
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = (async () => {
      do {
        this.readAgain = false;
        await this.events.newMail().catch((error: Error) => this.logger.warn({ msg: 'IMAP read after IDLE failed', mailboxId: this.mailboxId, error: error.message }));
      } while (this.readAgain && !this.stopped);
    })().finally(() => (this.reading = null));
  }

  /** A growing, jittered wait before the next connection attempt. */
  private backOff(failures: number): Promise<void> {
    return this.pause(Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** (failures - 1)) * (0.5 + Math.random() / 2));
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        this.retry = null;
        resolve();
      };
      this.retry = { timer: setTimeout(wake, ms), wake };
    });
  }
}
