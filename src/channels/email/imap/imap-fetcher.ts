import { ImapFlow } from 'imapflow';
import { MailServerTarget } from '../mail-server-addresses';

export interface ImapSettings {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  password: string;
}

export interface ImapCursor {
  uidValidity: number | null;
  lastUid: number | null;
}

/** Reads new mail from a mailbox's INBOX; an interface so the poller's bookkeeping does not depend on one client. */
export interface MailboxFetcher {
  /**
   * Hands each message with a UID after the cursor to `receive`, in UID order, marks it seen once received, and
   * answers the new cursor. A changed UIDVALIDITY means the old UIDs are void: everything is read again (the intake
   * stores each Message-ID once, so nothing is duplicated).
   */
  fetchNew(settings: ImapSettings, cursor: ImapCursor, batch: number, receive: (raw: Buffer, uid: number) => Promise<void>): Promise<{ uidValidity: number; lastUid: number }>;
}

/** Settings for one connection: the stored host replaced by the checked address to connect to. */
export function connectionOptions(settings: ImapSettings, target: MailServerTarget) {
  return {
    host: target.host,
    ...(target.servername ? { servername: target.servername } : {}),
    port: settings.port,
    secure: settings.secure,
    auth: { user: settings.user, pass: settings.password },
    logger: false as const,
  };
}

export class ImapFlowFetcher implements MailboxFetcher {
  constructor(private readonly resolve: (host: string) => Promise<MailServerTarget>) {}

  async fetchNew(settings: ImapSettings, cursor: ImapCursor, batch: number, receive: (raw: Buffer, uid: number) => Promise<void>) {
    const client = new ImapFlow(connectionOptions(settings, await this.resolve(settings.host)));
    await client.connect();
    try {
      const lock = await client.getMailboxLock('INBOX');
      try {
        const mailbox = client.mailbox;
        const uidValidity = mailbox ? Number(mailbox.uidValidity) : 0;
        let lastUid = cursor.uidValidity === uidValidity ? (cursor.lastUid ?? 0) : 0;
        // UIDs first, bodies one at a time: "n:*" always names the newest message even when it is older than n, and
        // a mailbox with a backlog must not be downloaded whole to read one batch.
        const found = await client.search({ uid: `${lastUid + 1}:*` }, { uid: true });
        const uids = (Array.isArray(found) ? found : []).filter((uid) => uid > lastUid).sort((a, b) => a - b).slice(0, batch);
        for (const uid of uids) {
          const message = await client.fetchOne(String(uid), { source: true }, { uid: true });
          // Expunged since the search: nothing to read, and its UID will never come back.
          if (message && message.source) {
            await receive(message.source, uid);
            await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
          }
          lastUid = uid;
        }
        return { uidValidity, lastUid };
      } finally {
        lock.release();
      }
    } finally {
      await client.logout().catch(() => client.close());
    }
  }
}
