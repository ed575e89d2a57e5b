import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Principal } from '../auth/principal';
import { Conflict } from '../common/errors/domain-errors';
import { TransactionRunner } from '../database/transaction-runner';
import { Outbox } from '../events/outbox';
import { TicketsService } from '../tickets/tickets.service';
import { RateTicketInput, SatisfactionRatingView } from './dto/satisfaction.dto';

interface RatingRow {
  id: string;
  ticket_id: string;
  requester_id: string;
  rating: SatisfactionRatingView['rating'];
  comment: string | null;
  resolved_at: Date;
  created_at: Date;
}

const toView = (row: RatingRow): SatisfactionRatingView => ({
  id: row.id,
  ticketId: row.ticket_id,
  requesterId: row.requester_id,
  rating: row.rating,
  comment: row.comment,
  resolvedAt: row.resolved_at,
  createdAt: row.created_at,
});

@Injectable()
export class SatisfactionService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly tickets: TicketsService,
    private readonly outbox: Outbox,
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
      const rows: RatingRow[] = await manager.query(
        `INSERT INTO satisfaction_ratings (workspace_id, id, ticket_id, requester_id, resolved_at, rating, comment)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (workspace_id, ticket_id, resolved_at) DO NOTHING
         RETURNING id, ticket_id, requester_id, rating, comment, resolved_at, created_at`,
        [principal.workspaceId, randomUUID(), ticket.id, ticket.requester.id, ticket.resolvedAt, input.rating, input.comment ?? null],
      );
      if (rows.length === 0) {
        throw new Conflict(`This resolution of ticket #${ticket.number} has already been rated.`, 'already_rated', { resolvedAt: ticket.resolvedAt });
      }
      const rating = toView(rows[0]);
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
