import { Injectable } from '@nestjs/common';
import { BindParameter, TicketListSearch, TicketReadExtensions } from '../tickets/ticket-read-extensions';
import { parseSearchQuery } from './search-query';
import { ticketListSearchConditions } from './search-sql';

/** The search-box syntax of ticket lists' `q`, parsed and turned into SQL here rather than in the tickets module. */
@Injectable()
export class TicketListSearchConditions implements TicketListSearch {
  // Registered on construction rather than at module init, so no list query ever misses it.
  constructor(extensions: TicketReadExtensions) {
    extensions.useSearch(this);
  }

  conditions(q: string, bind: BindParameter, workspaceParameter: string): string[] {
    return ticketListSearchConditions(parseSearchQuery(q), bind, workspaceParameter);
  }
}
