import { randomUUID } from 'node:crypto';
import { TicketEntity } from '../../entities/ticket.entity';
import { TicketMessageEntity } from '../../entities/ticket-message.entity';

/** The copies a merge puts on the target: after its last message, in the sources' original order, keeping their times. */
export function planMergedMessages(target: TicketEntity, sources: TicketEntity[], messages: TicketMessageEntity[]): TicketMessageEntity[] {
  const numbers = new Map(sources.map((source) => [source.id, source.number]));
  return messages.map((message, index) => ({
    ...message,
    id: randomUUID(),
    ticketId: target.id,
    sequence: target.lastMessageSequence + index + 1,
    mergedFromTicketId: message.ticketId,
    mergedFromNumber: numbers.get(message.ticketId) ?? null,
  }));
}

/** The internal note each source gets, linking the target. */
export function sourceNote(target: TicketEntity, comment: string | undefined): string {
  return `Merged into ticket #${target.number} (${target.id}).${comment ? `\n\n${comment}` : ''}`;
}

/** The internal note the target gets, naming the sources. */
export function targetNote(sources: TicketEntity[], comment: string | undefined): string {
  const list = sources.map((source) => `#${source.number}`).join(', ');
  return `Merged ${sources.length === 1 ? 'ticket' : 'tickets'} ${list} into this ticket.${comment ? `\n\n${comment}` : ''}`;
}
