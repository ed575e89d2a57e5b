import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Principal } from '../auth/principal';
import { Conflict } from '../common/errors/domain-errors';
import { TransactionRunner } from '../database/transaction-runner';
import { Outbox } from '../events/outbox';
import { TicketsService } from '../tickets/tickets.service';
import { RateTicketInput, SatisfactionRatingView } from './dto/satisfaction.dto';
import { SatisfactionRepository } from './satisfaction.repository';


@Injectable()
export class SatisfactionService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly tickets: TicketsService,
    private readonly outbox: Outbox,
    private readonly ratings: SatisfactionRepository,
  ) {}

  /**
   * The requester's verdict on a resolution. A resolution is identified by the ticket's resolvedAt, which a reopen
   * clears, so a ticket resolved again can be rated again; the unique index settles concurrent attempts.
   */
  async rate(principal: Principal, ticketId: string, input: RateTicketInput): Promise<SatisfactionRatingView> {
    return this.transactions.run(async (manager) => {
      const ticket = await this.tickets.get(principal, ticketId);
      if ((ticket.status !== 'resolved' && ticket.status !== 'closed') || !ticket.resolvedAt) {
        throw new Conflict(`Ticket #${ticket.number} is ${ticket.status}; it can be rated once it is resolved.`, 'ticket_not_resolved', { ticketStatus: ticket.status });
      }
      const rating = await this.ratings.insertUnlessRated(manager, {
        workspaceId: principal.workspaceId, id: randomUUID(), ticketId: ticket.id, requesterId: ticket.requester.id,
        resolvedAt: ticket.resolvedAt, rating: input.rating, comment: input.comment ?? null,
      });
      if (!rating) {
        throw new Conflict(`This resolution of ticket #${ticket.number} has already been rated.`, 'already_rated', { resolvedAt: ticket.resolvedAt });
      }
      await this.outbox.record(manager, principal, [{
        type: 'ticket.satisfaction_rated',
        subjectType: 'ticket',
        subjectId: ticket.id,
        data: { ticket, rating },
      }]);
      return rating;
    });
  }
}
