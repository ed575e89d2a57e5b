import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Deployment-wide mail figures for the metrics endpoint; aggregates only. */
@Injectable()
export class MailMetricsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Outgoing emails not yet sent, and the age of the oldest (the partial queued index serves it). */
  async outboundQueue(): Promise<{ count: number; oldestSeconds: number }> {
    const [row]: Array<{ count: number; oldest_seconds: number }> = await this.dataSource.query(
      `SELECT count(*)::int AS count, COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS oldest_seconds
         FROM email_messages WHERE delivery_state = 'queued'`,
    );
    return { count: row.count, oldestSeconds: row.oldest_seconds };
  }

  /** Mailboxes whose last IMAP poll or IDLE session failed (the error stays until a fetch succeeds). */
  async mailboxesWithImapErrors(): Promise<number> {
    const [row]: Array<{ count: number }> = await this.dataSource.query(`SELECT count(*)::int AS count FROM mailboxes WHERE imap_error IS NOT NULL`);
    return row.count;
  }
}
