import { Injectable } from '@nestjs/common';
import { Principal } from '../../auth/principal';
import { TransactionRunner } from '../../database/transaction-runner';
import { TicketView } from '../../tickets/dto/ticket.dto';
import { TicketsService } from '../../tickets/tickets.service';
import { AssignTicketInput } from './assign-ticket.dto';

@Injectable()
export class AssignTicketService {
  constructor(private readonly transactions: TransactionRunner, private readonly tickets: TicketsService) {}

  /** `{agentId}` assigns that agent, `{teamId}` routes through the team's strategy, `{}` unassigns. */
  assign(principal: Principal, ticketId: string, input: AssignTicketInput): Promise<TicketView> {
    return this.transactions.run((manager) => {
      if (input.agentId) {
        return this.tickets.applyChanges(manager, principal, ticketId, { teamId: input.teamId, assignee: { agentId: input.agentId } }, { reason: 'manual' });
      }
      if (input.teamId) {
        return this.tickets.applyChanges(manager, principal, ticketId, { teamId: input.teamId, assignee: { byTeamStrategy: true } }, { reason: 'strategy' });
      }
      return this.tickets.applyChanges(manager, principal, ticketId, { assignee: { agentId: null } }, { reason: 'manual' });
    });
  }
}
