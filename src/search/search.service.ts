import { Injectable } from '@nestjs/common';
import { Principal } from '../auth/principal';
import { Page } from '../common/pagination/cursor';
import { TransactionRunner } from '../database/transaction-runner';
import { TicketsService } from '../tickets/tickets.service';
import { SearchHitView } from './dto/search.dto';
import { toSafeHighlight } from './search-highlight';
import { parseSearchQuery } from './search-query';
import { SearchAudience, SearchRepository } from './search.repository';

@Injectable()
export class SearchService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly repository: SearchRepository,
    private readonly tickets: TicketsService,
  ) {}

  /**
   * Agents search everything, internal notes included. The requester-facing variant (for the portal) searches
   * only that requester's tickets and never matches or quotes internal notes.
   */
  async search(
    principal: Principal,
    input: { q: string; limit?: number; cursor?: string },
    audience: SearchAudience = { kind: 'agent' },
  ): Promise<Page<SearchHitView>> {
    const parsed = parseSearchQuery(input.q);
    const page = await this.repository.search(this.transactions.manager, principal.workspaceId, parsed, {
      agentId: principal.agentId,
      audience,
      limit: input.limit ?? 25,
      cursor: input.cursor,
    });
    const tickets = await Promise.all(page.hits.map((hit) => this.tickets.get(principal, hit.id)));
    return {
      data: page.hits.map((hit, index) => ({
        ticket: tickets[index],
        rank: hit.rank,
        highlights: { subject: toSafeHighlight(hit.subjectHighlight), body: toSafeHighlight(hit.bodyHighlight) },
        cursor: hit.cursor,
      })),
      nextCursor: page.nextCursor,
    };
  }
}
