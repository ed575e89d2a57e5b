import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock';
import { Metrics } from '../../health/metrics/metrics';
import { TicketSlaRepository } from '../clocks/ticket-sla.repository';

/** SLA scan lag: a breach is recorded (and its webhook sent) this late, so alert when it grows past a few scan intervals. */
@Injectable()
export class SlaMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    private readonly clocks: TicketSlaRepository,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.metrics.gauge({
      name: 'deskline_sla_scan_lag_seconds',
      help: 'How long the most overdue SLA metric has been due without being recorded as breached (0 when the scan is up to date).',
      read: async () => [{ value: await this.clocks.oldestOverdueSeconds(this.dataSource.manager, this.clock.now()) }],
    });
  }
}
