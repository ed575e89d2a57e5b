import { Injectable, OnModuleInit } from '@nestjs/common';
import { Metrics, oncePerScrape } from '../../health/metrics/metrics';
import { MailMetricsRepository } from './mail-metrics.repository';

/** The mail channel as an operator watches it: replies waiting to go out, and mailboxes that cannot be read. */
@Injectable()
export class MailMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    private readonly repository: MailMetricsRepository,
  ) {}

  onModuleInit(): void {
    const queue = oncePerScrape(() => this.repository.outboundQueue());
    this.metrics.gauge({
      name: 'deskline_mail_outbound_queued',
      help: 'Outgoing emails queued for (another) SMTP attempt.',
      read: async () => [{ value: (await queue()).count }],
    });
    this.metrics.gauge({
      name: 'deskline_mail_outbound_oldest_queued_seconds',
      help: 'Age of the oldest outgoing email not yet sent (0 when the queue is empty).',
      read: async () => [{ value: (await queue()).oldestSeconds }],
    });
    this.metrics.gauge({
      name: 'deskline_mail_imap_mailboxes_failing',
      help: 'Connected mailboxes whose last IMAP fetch failed.',
      read: async () => [{ value: await this.repository.mailboxesWithImapErrors() }],
    });
  }
}
