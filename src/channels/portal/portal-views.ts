import { MessageView } from '../../tickets/dto/message.dto';
import { TicketView } from '../../tickets/dto/ticket.dto';
import { TicketStatus } from '../../tickets/ticket-lifecycle';
import { PortalMessageView, PortalTicketStatus, PortalTicketView } from './dto/portal.dto';

export function toPortalStatus(status: TicketStatus): PortalTicketStatus {
  return status === 'on_hold' ? 'open' : status;
}

/** The statuses a requester's filter stands for: open includes on_hold, which the portal shows as open. */
export function fromPortalStatuses(statuses: PortalTicketStatus[]): TicketStatus[] {
  return statuses.flatMap((status): TicketStatus[] => (status === 'open' ? ['open', 'on_hold'] : [status]));
}

/**
 * Field by field, so a field added to TicketView never reaches requesters by accident. `customFields` are the values
 * already narrowed to the fields visible to requesters (none unless the caller passes them).
 */
export function toPortalTicket(ticket: TicketView, customFields: Record<string, unknown> = {}): PortalTicketView {
  return {
    id: ticket.id,
    number: ticket.number,
    subject: ticket.subject,
    status: toPortalStatus(ticket.status),
    assignee: ticket.assignee ? { name: ticket.assignee.name } : null,
    followUpOfId: ticket.followUpOfId,
    createdAt: ticket.createdAt,
    updatedAt: ticket.updatedAt,
    resolvedAt: ticket.resolvedAt,
    closedAt: ticket.closedAt,
    customFields,
  };
}

export function toPortalMessage(message: MessageView): PortalMessageView {
  if (message.visibility !== 'public') throw new Error(`internal message ${message.id} reached the portal mapper`);
  const side = message.author.type === 'contact' ? 'requester' : 'support';
  return {
    id: message.id,
    ticketId: message.ticketId,
    body: message.body,
    html: message.html,
    // A system author is an integration's API key; its name is internal.
    author: { side, name: message.author.type === 'system' ? null : message.author.name },
    attachments: message.attachments.map(({ id, fileName, contentType, size, inline }) => ({ id, fileName, contentType, size, inline })),
    createdAt: message.createdAt,
  };
}
