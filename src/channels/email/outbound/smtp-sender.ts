import { Readable } from 'node:stream';
import { createTransport } from 'nodemailer';

export interface SmtpSettings {
  /** The checked address to connect to (see MailServerAddresses), not the stored name. */
  host: string;
  /** The stored name, which the server's TLS certificate must carry, when the mailbox names its server. */
  servername?: string;
  port: number;
  secure: boolean;
  user: string;
  password: string;
}

export interface OutgoingMail {
  from: { name: string; address: string };
  to: string[];
  /** The ticket's CCs. */
  cc?: string[];
  subject: string;
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  text: string;
  html: string | null;
  /** Streamed into the message as it is sent. */
  attachments?: Array<{ fileName: string; contentType: string; content: Buffer | Readable }>;
}

export type SendResult = { ok: true } | { ok: false; permanent: boolean; reason: string };

const wrap = (id: string) => `<${id}>`;

/** One SMTP submission. A 5xx answer is permanent (retrying cannot help); anything else may pass later. */
export async function sendMail(settings: SmtpSettings, mail: OutgoingMail): Promise<SendResult> {
  const transport = createTransport({
    host: settings.host,
    ...(settings.servername ? { servername: settings.servername } : {}),
    port: settings.port,
    secure: settings.secure,
    auth: { user: settings.user, pass: settings.password },
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  try {
    await transport.sendMail({
      from: { name: mail.from.name, address: mail.from.address },
      to: mail.to,
      cc: mail.cc?.length ? mail.cc : undefined,
      subject: mail.subject,
      messageId: wrap(mail.messageId),
      inReplyTo: mail.inReplyTo ? wrap(mail.inReplyTo) : undefined,
      references: mail.references.map(wrap),
      text: mail.text,
      html: mail.html ?? undefined,
      attachments: (mail.attachments ?? []).map((file) => ({ filename: file.fileName, contentType: file.contentType, content: file.content })),
    });
    return { ok: true };
  } catch (error) {
    const failure = error as { responseCode?: number; response?: string; message: string };
    const permanent = typeof failure.responseCode === 'number' && failure.responseCode >= 500;
    return { ok: false, permanent, reason: (failure.response ?? failure.message).slice(0, 500) };
  } finally {
    transport.close();
  }
}
