import { TicketEntity } from '../../entities/ticket.entity';
import { TicketMessageEntity } from '../../entities/ticket-message.entity';
import { planMergedMessages, sourceNote, targetNote } from './plan-merge';

const at = (iso: string) => new Date(iso);
const ticket = (id: string, number: string, lastMessageSequence = 1) => ({ id, number, lastMessageSequence }) as TicketEntity;
const message = (ticketId: string, sequence: number, createdAt: string) => ({
  workspaceId: 'w', id: `${ticketId}-${sequence}`, ticketId, sequence, body: `${ticketId} ${sequence}`, html: null, visibility: 'public',
  authorType: 'contact', authorId: 'c', authorName: 'C', createdAt: at(createdAt), mergedFromTicketId: null, mergedFromNumber: null,
}) as TicketMessageEntity;

describe('planMergedMessages', () => {
  it('appends copies after the target\'s last message, keeping times and authors, marked with their ticket', () => {
    const target = ticket('t', '1', 3);
    const copies = planMergedMessages(target, [ticket('a', '7'), ticket('b', '9')], [message('a', 1, '2026-01-01T10:00:00Z'), message('b', 1, '2026-01-01T11:00:00Z')]);
    expect(copies.map((copy) => [copy.ticketId, copy.sequence, copy.mergedFromTicketId, copy.mergedFromNumber, copy.createdAt.toISOString(), copy.body])).toEqual([
      ['t', 4, 'a', '7', '2026-01-01T10:00:00.000Z', 'a 1'],
      ['t', 5, 'b', '9', '2026-01-01T11:00:00.000Z', 'b 1'],
    ]);
    expect(copies[0].id).not.toBe('a-1');
  });

  it('writes notes that link the target and name the sources', () => {
    expect(sourceNote(ticket('t', '1'), 'dup')).toBe('Merged into ticket #1 (t).\n\ndup');
    expect(targetNote([ticket('a', '7'), ticket('b', '9')], undefined)).toBe('Merged tickets #7, #9 into this ticket.');
    expect(targetNote([ticket('a', '7')], undefined)).toBe('Merged ticket #7 into this ticket.');
  });
});
