import { Injectable } from '@nestjs/common';
import { TicketSlaView } from '../tickets/dto/ticket-sla.dto';
import { TicketReadExtensions, TicketSlaProjection } from '../tickets/ticket-read-extensions';
import { TICKET_SLA_BREACHED_SQL, TICKET_SLA_STATE_SQL, toTicketSlaView } from './ticket-sla-view';

/** Gives every ticket read its SLA: the tickets module selects this SQL with the ticket and maps it here. */
@Injectable()
export class TicketSlaReadModel implements TicketSlaProjection {
  readonly stateSql = TICKET_SLA_STATE_SQL;
  readonly breachedSql = TICKET_SLA_BREACHED_SQL;

  // Registered on construction rather than at module init, so no ticket is ever read without its SLA.
  constructor(extensions: TicketReadExtensions) {
    extensions.useSla(this);
  }

  toView(state: unknown, now: Date): TicketSlaView | null {
    return toTicketSlaView(state, now);
  }
}
