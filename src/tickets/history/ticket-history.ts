import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Principal } from '../../auth/principal';
import { Clock } from '../../common/clock';
import { Page } from '../../common/pagination/cursor';
import { pageBySequence } from '../../common/pagination/keyset';
import { EventPayloads, TicketHistoryEventType } from '../../events/event-map';
import { Outbox, RecordedEvent } from '../../events/outbox';
import { TicketView } from '../dto/ticket.dto';
import { TicketEventView } from '../dto/ticket-event.dto';
import { FieldChanges, TicketEventEntity } from '../entities/ticket-event.entity';
import { TicketChangeHooks } from '../ticket-change-hooks';
import { TicketsRepository } from '../tickets.repository';

type HistoryData<K extends TicketHistoryEventType> = Omit<EventPayloads[K], 'ticket' | 'changes'>;

/**
 * One event of a ticket's history as its emitter states it: `data` is the event's payload (event-map.ts) without the
 * ticket, which the history adds. The index signature lets listeners read a field some event types carry
 * (`change.data?.message`) without narrowing first.
 */
export type TicketChange<K extends TicketHistoryEventType = TicketHistoryEventType> = {
  [T in K]: { type: T } & ('changes' extends keyof EventPayloads[T] ? { changes: FieldChanges } : { changes?: FieldChanges }) &
    (Record<string, never> extends HistoryData<T> ? { data?: HistoryData<T> & Record<string, unknown> } : { data: HistoryData<T> & Record<string, unknown> });
}[K];

/** The outbox event of one history entry. The cast is the one place the correlation of `type` and `data` is not visible to the compiler. */
function outboxEvent(ticket: TicketView, event: TicketEventEntity, change: TicketChange): RecordedEvent {
  const data = { ticket, ...(Object.keys(event.changes).length ? { changes: event.changes } : {}), ...change.data };
  return { type: change.type, subjectType: 'ticket', subjectId: ticket.id, sequence: event.sequence, data } as RecordedEvent;
}

function toView(event: TicketEventEntity): TicketEventView {
  return {
    id: event.id,
    ticketId: event.ticketId,
    sequence: event.sequence,
    type: event.type,
    actor: { type: event.actorType, id: event.actorId, name: event.actorName },
    changes: event.changes,
    data: event.data,
    createdAt: event.createdAt,
  };
}

/** Before/after for each field whose value differs; compared by JSON so arrays and objects compare by content. */
export function diff<T extends object>(before: T, after: T, fields: Array<keyof T>): FieldChanges {
  const changes: FieldChanges = {};
  for (const field of fields) {
    if (JSON.stringify(before[field]) !== JSON.stringify(after[field])) {
      changes[field as string] = { before: before[field] ?? null, after: after[field] ?? null };
    }
  }
  return changes;
}

/**
 * The ticket's history and its outbox events, written in the caller's transaction. Each event gets the next
 * per-ticket sequence, which the caller has already reserved on the locked ticket row.
 */
@Injectable()
export class TicketHistory {
  constructor(
    private readonly outbox: Outbox,
    private readonly hooks: TicketChangeHooks,
    private readonly tickets: TicketsRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * Events about a ticket that change none of its fields (an SLA warning or breach found by a scheduled job). The caller
   * holds the ticket's row lock; the sequences are reserved here.
   */
  async recordAbout(manager: EntityManager, principal: Principal, ticketId: string, changes: TicketChange[]): Promise<void> {
    if (changes.length === 0) return;
    const firstSequence = await this.tickets.reserveEventSequences(manager, principal.workspaceId, ticketId, changes.length);
    const view = await this.tickets.findView(manager, principal.workspaceId, ticketId);
    if (firstSequence === null || !view) throw new Error(`ticket ${ticketId} vanished while locked`);
    await this.record(manager, principal, view, firstSequence, changes);
  }

  /** Resolves true when a change hook (an automation rule) changed the ticket again, so `ticket` is no longer current. */
  async record(manager: EntityManager, principal: Principal, ticket: TicketView, firstSequence: number, changes: TicketChange[]): Promise<boolean> {
    if (changes.length === 0) return false;
    const createdAt = this.clock.now();
    const events: TicketEventEntity[] = changes.map((change, index) => ({
      workspaceId: principal.workspaceId,
      id: randomUUID(),
      ticketId: ticket.id,
      sequence: firstSequence + index,
      type: change.type,
      actorType: principal.actor.type,
      actorId: principal.actor.id,
      actorName: principal.actor.name,
      changes: change.changes ?? {},
      data: change.data ?? {},
      createdAt,
    }));
    await manager.insert(TicketEventEntity, events);
    await this.outbox.record(manager, principal, events.map((event, index) => outboxEvent(ticket, event, changes[index])));
    return this.hooks.run({ manager, principal, ticket, changes });
  }

  async list(manager: EntityManager, principal: Principal, ticketId: string, page: { limit?: number; cursor?: string }): Promise<Page<TicketEventView>> {
    const query = manager
      .createQueryBuilder(TicketEventEntity, 'event')
      .where('event.workspace_id = :workspaceId AND event.ticket_id = :ticketId', { workspaceId: principal.workspaceId, ticketId });
    const result = await pageBySequence(query, 'event', page);
    return { data: result.data.map(toView), nextCursor: result.nextCursor };
  }
}
