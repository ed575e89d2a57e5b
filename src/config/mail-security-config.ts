import { flag, integer } from './app-config';

/** What mailbox settings may reach and how much structure an inbound email may carry before it is refused. */
export interface MailSecurityConfig {
  /** Mailbox IMAP/SMTP hosts on loopback, private, link-local or metadata addresses allowed: local development and tests only. */
  allowPrivateAddresses: boolean;
  /** Most MIME parts one email may have, counted before parsing. */
  maxParts: number;
  /** Longest physical header line, in bytes, in the message header or any part's header. */
  maxHeaderLineBytes: number;
  /** Most header lines (continuation lines included) in the message header or in any one part's header. */
  maxHeaderLines: number;
}

export function mailSecurityConfig(env: NodeJS.ProcessEnv): MailSecurityConfig {
  return {
    allowPrivateAddresses: flag(env, 'MAIL_ALLOW_PRIVATE', false),
    maxParts: integer(env, 'MAIL_MAX_PARTS', 500, 1, 100_000),
    // RFC 5322 asks for 998; real mailers send longer unfolded To: and DKIM lines, so the default leaves room.
    maxHeaderLineBytes: integer(env, 'MAIL_MAX_HEADER_LINE_BYTES', 16 * 1024, 998, 1024 * 1024),
    maxHeaderLines: integer(env, 'MAIL_MAX_HEADER_LINES', 1000, 50, 100_000),
  };
}
