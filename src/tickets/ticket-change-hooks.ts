import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Principal } from '../auth/principal';
import { TicketView } from './dto/ticket.dto';
import { TicketChange } from './history/ticket-history';

export interface TicketChangeContext {
  manager: EntityManager;
  principal: Principal;
  /** The ticket as the change left it. */
  ticket: TicketView;
  /** The events the change recorded (ticket.created, ticket.updated with before/after, ticket.message_created, ...). */
  changes: TicketChange[];
}

/**
 * Modules that must react to a ticket change inside its transaction (SLA clocks, automation rules) register
 * here instead of the tickets module knowing about them. Listeners run in ascending `order`.
 */
export interface TicketChangeListener {
  readonly order: number;
  /** Resolves true when the listener changed the ticket's row, so a view read before the hooks is stale. */
  onTicketChanged(context: TicketChangeContext): Promise<boolean | void>;
}

@Injectable()
export class TicketChangeHooks {
  private listeners: TicketChangeListener[] = [];

  register(listener: TicketChangeListener): void {
    this.listeners = [...this.listeners, listener].sort((a, b) => a.order - b.order);
  }

  /** True when some listener changed the ticket's row. */
  async run(context: TicketChangeContext): Promise<boolean> {
    let rewritten = false;
    for (const listener of this.listeners) rewritten = (await listener.onTicketChanged(context)) === true || rewritten;
    return rewritten;
  }
}
