import { Injectable } from '@nestjs/common';
import { ValidationFailed } from '../common/errors/domain-errors';
import { TicketSlaView } from './dto/ticket-sla.dto';

/** Binds a value as the next positional parameter of a query and returns its placeholder ($n). */
export type BindParameter = (value: unknown) => string;

/** The longest search-box query a ticket list accepts in `q`. */
export const MAX_TICKET_SEARCH_LENGTH = 500;

/** What the SLA module adds to every ticket read: its clocks as the ticket view's `sla`, and the breached filter. */
export interface TicketSlaProjection {
  /** A SQL expression over `tickets t` selecting the ticket's SLA state as one value for `toView`. */
  readonly stateSql: string;
  /** A SQL condition over `tickets t`: a metric is past its target and not yet fulfilled. */
  readonly breachedSql: string;
  toView(state: unknown, now: Date): TicketSlaView | null;
}

/** What the search module adds to ticket lists: the search-box syntax of `q`, as WHERE conditions. */
export interface TicketListSearch {
  /** Conditions over `tickets t JOIN contacts c` (the requester); throws ValidationFailed naming `q` for a bad query. */
  conditions(q: string, bind: BindParameter, workspaceParameter: string): string[];
}

const NO_SLA: TicketSlaProjection = { stateSql: 'NULL', breachedSql: 'false', toView: () => null };

/**
 * The modules above tickets (sla, search) register what ticket reads need from them here, as they register change
 * hooks, so tickets never imports them. Registration happens at module init, before the first request.
 */
@Injectable()
export class TicketReadExtensions {
  private slaProjection: TicketSlaProjection = NO_SLA;
  private listSearch: TicketListSearch | null = null;

  useSla(projection: TicketSlaProjection): void {
    this.slaProjection = projection;
  }

  useSearch(search: TicketListSearch): void {
    this.listSearch = search;
  }

  get sla(): TicketSlaProjection {
    return this.slaProjection;
  }

  searchConditions(q: string, bind: BindParameter, workspaceParameter: string): string[] {
    if (!this.listSearch) throw ValidationFailed.field('q', 'search is not available in this deployment');
    return this.listSearch.conditions(q, bind, workspaceParameter);
  }
}
