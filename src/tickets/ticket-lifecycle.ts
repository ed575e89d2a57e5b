export const TICKET_STATUSES = ['new', 'open', 'pending', 'on_hold', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

export const TICKET_TYPES = ['question', 'incident', 'problem', 'task'] as const;
export type TicketType = (typeof TICKET_TYPES)[number];

export const TICKET_CHANNELS = ['api', 'email', 'chat', 'portal', 'chat_message'] as const;
export type TicketChannel = (typeof TICKET_CHANNELS)[number];

/**
 * Where a status may move by an explicit change. `new` is only ever a starting point: once a ticket has been
 * worked it never returns there. `closed` is final.
 */
const NEXT_STATUSES: Record<TicketStatus, TicketStatus[]> = {
  new: ['open', 'pending', 'on_hold', 'resolved', 'closed'],
  open: ['pending', 'on_hold', 'resolved', 'closed'],
  pending: ['open', 'on_hold', 'resolved', 'closed'],
  on_hold: ['open', 'pending', 'resolved', 'closed'],
  resolved: ['open', 'closed'],
  closed: [],
};

export function allowedNextStatuses(from: TicketStatus): TicketStatus[] {
  return NEXT_STATUSES[from];
}

export function canTransition(from: TicketStatus, to: TicketStatus): boolean {
  return from === to || NEXT_STATUSES[from].includes(to);
}

/** Who wrote a message, as far as the lifecycle cares: the requester side or the helpdesk side. */
export type MessageSide = 'requester' | 'helpdesk';

export interface MessageEffect {
  status: TicketStatus;
  setFirstRespondedAt: boolean;
}

/**
 * The status a message leaves the ticket in. A helpdesk public reply starts work on a new ticket; a requester's
 * public message reopens a ticket that was waiting on them or already resolved. Internal notes change nothing.
 */
export function statusAfterMessage(
  ticket: { status: TicketStatus; firstRespondedAt: Date | null },
  side: MessageSide,
  visibility: 'public' | 'internal',
): MessageEffect {
  if (visibility === 'internal') return { status: ticket.status, setFirstRespondedAt: false };
  if (side === 'helpdesk') {
    return { status: ticket.status === 'new' ? 'open' : ticket.status, setFirstRespondedAt: ticket.firstRespondedAt === null };
  }
  const reopens = ticket.status === 'pending' || ticket.status === 'resolved';
  return { status: reopens ? 'open' : ticket.status, setFirstRespondedAt: false };
}

/** Assigning an owner is working the ticket. */
export function statusAfterAssignment(status: TicketStatus, assigneeId: string | null): TicketStatus {
  return status === 'new' && assigneeId !== null ? 'open' : status;
}

export const PRIORITY_RANK: Record<TicketPriority, number> = { low: 1, normal: 2, high: 3, urgent: 4 };
