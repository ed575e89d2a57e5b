import { Injectable } from '@nestjs/common';
import { systemPrincipal } from '../../auth/principal';
import { Clock } from '../../common/clock';
import { TransactionRunner } from '../../database/transaction-runner';
import { TicketsService } from '../../tickets/tickets.service';
import { MIN_AUTO_CLOSE_DAYS, SlaSettingsService } from '../settings/sla-settings.service';

const BATCH = 100;
const DAY_MS = 86_400_000;

/**
 * Closes tickets that stayed resolved for the workspace's number of days. Each ticket closes through the tickets
 * service, so the change is recorded like any other (ticket.updated and ticket.status_changed, by "system"), with
 * `data: {reason: 'auto_close', afterDays}` saying why.
 */
@Injectable()
export class AutoCloser {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly settings: SlaSettingsService,
    private readonly tickets: TicketsService,
    private readonly clock: Clock,
  ) {}

  async closeDue(): Promise<number> {
    let closed = 0;
    for (;;) {
      const batch = await this.transactions.run(async (manager) => {
        const now = this.clock.now();
        const due = await this.settings.lockResolvedTicketsDue(manager, now, new Date(now.getTime() - MIN_AUTO_CLOSE_DAYS * DAY_MS), BATCH);
        for (const { workspaceId, ticketId, afterDays } of due) {
          await this.tickets.applyChanges(manager, systemPrincipal(workspaceId), ticketId, { status: 'closed' }, { reason: 'auto_close', data: { reason: 'auto_close', afterDays } });
        }
        return due.length;
      });
      closed += batch;
      if (batch < BATCH) return closed;
    }
  }
}
