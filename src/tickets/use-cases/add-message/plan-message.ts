import type { FieldChanges } from '../../../events/event-map';
import { TicketEntity } from '../../entities/ticket.entity';
import { AuthorType, MessageVisibility } from '../../entities/ticket-message.entity';
import { statusAfterMessage } from '../../ticket-lifecycle';

export interface MessagePlan {
  sequence: number;
  /** The row's columns the message changes. */
  row: Pick<TicketEntity, 'status' | 'firstRespondedAt' | 'resolvedAt'>;
  /** Set when the message moves the status (a reply starts work, a requester reopens). */
  statusChange: FieldChanges | null;
}

/** The plan step of adding a message to an open ticket: pure, from the locked row, who writes and how visibly. */
export function planMessage(ticket: TicketEntity, authorType: AuthorType, visibility: MessageVisibility, now: Date): MessagePlan {
  const effect = statusAfterMessage(ticket, authorType === 'contact' ? 'requester' : 'helpdesk', visibility);
  return {
    sequence: ticket.lastMessageSequence + 1,
    row: {
      status: effect.status,
      firstRespondedAt: effect.setFirstRespondedAt ? now : ticket.firstRespondedAt,
      resolvedAt: effect.status === 'open' && ticket.status === 'resolved' ? null : ticket.resolvedAt,
    },
    statusChange: effect.status !== ticket.status ? { status: { before: ticket.status, after: effect.status } } : null,
  };
}
