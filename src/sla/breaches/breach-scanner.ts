import { Inject, Injectable } from '@nestjs/common';
import { systemPrincipal } from '../../auth/principal';
import { Clock } from '../../common/clock';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { TransactionRunner } from '../../database/transaction-runner';
import { TicketChange, TicketHistory } from '../../tickets/history/ticket-history';
import { TicketSlaRepository } from '../clocks/ticket-sla.repository';

const BATCH = 100;
const MINUTE_MS = 60_000;

/**
 * Marks metrics past their due time as breached and warns shortly before, each exactly once per metric cycle:
 * a scan locks the tickets it works on with SKIP LOCKED, re-reads their metrics under that lock, and records the
 * ticket events in the same transaction that flips the metric, so a concurrent scanner finds nothing left to do.
 */
@Injectable()
export class BreachScanner {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly transactions: TransactionRunner,
    private readonly clocks: TicketSlaRepository,
    private readonly history: TicketHistory,
    private readonly clock: Clock,
  ) {}

  /** Processes what is due in batches until nothing is left; returns the number of events written. */
  async scan(): Promise<number> {
    let written = 0;
    for (;;) {
      const { tickets, events } = await this.scanBatch();
      written += events;
      if (tickets < BATCH || events === 0) return written;
    }
  }

  private scanBatch(): Promise<{ tickets: number; events: number }> {
    const now = this.clock.now();
    const warnUntil = new Date(now.getTime() + this.config.sla.warningMinutes * MINUTE_MS);
    return this.transactions.run(async (manager) => {
      const tickets = await this.clocks.lockTicketsWithMetricsDue(manager, now, warnUntil, BATCH);
      let events = 0;
      for (const { workspaceId, ticketId } of tickets) {
        const changes: TicketChange[] = [];
        for (const metric of await this.clocks.activeDue(manager, workspaceId, ticketId, warnUntil)) {
          const data = { sla: { metric: metric.metric, cycle: metric.cycle, dueAt: metric.dueAt.toISOString() } };
          if (metric.dueAt <= now) {
            await this.clocks.markBreached(manager, metric, now);
            changes.push({ type: 'sla.breached', data });
          } else if (metric.warnedAt === null && this.config.sla.warningMinutes > 0) {
            await this.clocks.markWarned(manager, metric, now);
            changes.push({ type: 'sla.warning', data });
          }
        }
        await this.history.recordAbout(manager, systemPrincipal(workspaceId), ticketId, changes);
        events += changes.length;
      }
      return { tickets: tickets.length, events };
    });
  }
}
