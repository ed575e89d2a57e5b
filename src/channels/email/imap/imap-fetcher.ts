import { ImapFlow } from 'imapflow';

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
  fetchNew(settings: ImapSettings, cursor: ImapCursor, batch: number, receive: (raw: Buffer) => Promise<void>): Promise<{ uidValidity: number; lastUid: number }>;
}

export class ImapFlowFetcher implements MailboxFetcher {
  async fetchNew(settings: ImapSettings, cursor: ImapCursor, batch: number, receive: (raw: Buffer) => Promise<void>) {
    const client = new ImapFlow({ host: settings.host, port: settings.port, secure: settings.secure, auth: { user: settings.user, pass: settings.password }, logger: false });
    await client.connect();
    try {
      const lock = await client.getMailboxLock('INBOX');
      try {
        const mailbox = client.mailbox;
        const uidValidity = mailbox ? Number(mailbox.uidValidity) : 0;
        let lastUid = cursor.uidValidity === uidValidity ? (cursor.lastUid ?? 0) : 0;
        // "n:*" always names the newest message even when it is older than n, hence the uid filter.
        const messages: Array<{ uid: number; source: Buffer }> = [];
        for await (const message of client.fetch(`${lastUid + 1}:*`, { uid: true, source: true }, { uid: true })) {
          if (message.uid > lastUid && message.source && messages.length < batch) messages.push({ uid: message.uid, source: message.source });
        }
        for (const message of messages.sort((a, b) => a.uid - b.uid)) {
          await receive(message.source);
          await client.messageFlagsAdd(String(message.uid), ['\\Seen'], { uid: true });
          lastUid = message.uid;
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
