import { Injectable } from '@nestjs/common';
import { Principal } from '../../../auth/principal';
import { TransactionRunner } from '../../../database/transaction-runner';
import { TicketsService } from '../../../tickets/tickets.service';
import { previewChanges } from '../../actions/plan-actions';
import { TicketAction } from '../../actions/ticket-action.dto';
import { TicketActions } from '../../actions/ticket-actions';
import { MacroApplicationView, MacroView } from '../../dto/macro.dto';

/**
 * Applying a macro the caller may see to a ticket. Plan: the macro's actions become one ticket change set and its
 * preview; a dry run stops there and writes nothing. Check, write and record are the ticket-change use case's
 * (tickets/use-cases/change-ticket), run in one transaction with one grouped set of events naming the macro.
 */
@Injectable()
export class ApplyMacro {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly actions: TicketActions,
    private readonly tickets: TicketsService,
  ) {}

  async execute(principal: Principal, ticketId: string, macro: MacroView, dryRun: boolean): Promise<MacroApplicationView> {
    const actions: TicketAction[] = macro.actions;
    const agentName = principal.agentId ? principal.actor.name : null;
    const before = await this.tickets.get(principal, ticketId);
    const preview = previewChanges(before, await this.actions.plan(principal, before, actions, agentName));
    if (dryRun) return { dryRun: true, ticket: before, ...preview };
    const ticket = await this.transactions.run((manager) =>
      this.actions.apply(manager, principal, before, actions, { reason: 'macro', data: { macro: { id: macro.id, name: macro.name } } }, agentName));
    return { dryRun: false, ticket, ...preview };
  }
}
