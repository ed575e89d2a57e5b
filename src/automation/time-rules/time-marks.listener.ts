import { Injectable, OnModuleInit } from '@nestjs/common';
import { TicketChangeContext, TicketChangeHooks, TicketChangeListener } from '../../tickets/ticket-change-hooks';
import { TimeRulesRepository } from './time-rules.repository';

/**
 * Keeps the instants time conditions measure from (`ticket_time_marks`) in step with every ticket change, inside
 * its transaction: the status and priority, updated, status changed (creation counts), the latest requester message
 * and the latest public agent reply.
 */
@Injectable()
export class TimeMarksListener implements TicketChangeListener, OnModuleInit {
  // Before the change rules (50), so a time rule's own change is marked before the rules it triggers run.
  readonly order = 40;

  constructor(private readonly hooks: TicketChangeHooks, private readonly repository: TimeRulesRepository) {}

  onModuleInit(): void {
    this.hooks.register(this);
  }

  async onTicketChanged({ manager, principal, ticket, changes }: TicketChangeContext): Promise<boolean> {
    if (!changes.some((change) => change.type.startsWith('ticket.'))) return false;
    let statusChangedAt: Date | null = null;
    let requesterRepliedAt: Date | null = null;
    let agentRepliedAt: Date | null = null;
    for (const change of changes) {
      if (change.type === 'ticket.created') statusChangedAt = new Date(ticket.createdAt);
      if (change.type === 'ticket.status_changed') statusChangedAt = new Date(ticket.updatedAt);
      if (change.type === 'ticket.message_created') {
        const message = change.data.message;
        const at = new Date(message.createdAt);
        if (message.author.type === 'contact') requesterRepliedAt = at;
        else if (message.author.type === 'agent' && message.visibility === 'public') agentRepliedAt = at;
      }
    }
    await this.repository.recordMarks(manager, principal.workspaceId, {
      ticketId: ticket.id, status: ticket.status, priority: ticket.priority, createdAt: new Date(ticket.createdAt), updatedAt: new Date(ticket.updatedAt),
      statusChangedAt, requesterRepliedAt, agentRepliedAt,
    });
    return false;
  }
}
