import { Injectable } from '@nestjs/common';
import { AutomationRulesService } from '../automation/automation-rules.service';
import { Principal } from '../auth/principal';
import { DomainError, ValidationFailed } from '../common/errors/domain-errors';
import { TransactionRunner } from '../database/transaction-runner';
import { MacrosService } from '../macros/macros.service';
import { MAX_TAG } from '../tickets/dto/ticket.dto';
import { ChangeOrigin } from '../tickets/ticket-change-set';
import { TicketsService } from '../tickets/tickets.service';
import { ViewsService } from '../views/views.service';
import { TagChangeView, TagView } from './dto/tag.dto';

/** Tickets changed per transaction by a rename or removal. */
export const TAG_BATCH_SIZE = 100;

const normal = (tag: string) => tag.trim().toLowerCase();

/**
 * The workspace's tags: listed from the tickets with their use, renamed or removed everywhere they are kept. Tickets
 * change through the ticket-change use case (history and events per ticket), a batch of 100 per transaction; macros,
 * rules and views change in the first batch's transaction, each with its own updated event. Closed tickets are final
 * and keep their tags.
 */
@Injectable()
export class TagsService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly tickets: TicketsService,
    private readonly macros: MacrosService,
    private readonly rules: AutomationRulesService,
    private readonly views: ViewsService,
  ) {}

  list(principal: Principal, query: { prefix?: string; limit?: number }): Promise<TagView[]> {
    return this.tickets.tagCounts(principal, normal(query.prefix ?? ''), query.limit ?? 20);
  }

  rename(principal: Principal, from: string, to: string): Promise<TagChangeView> {
    const source = normal(from);
    const target = normal(to);
    if (!source) throw ValidationFailed.field('from', 'must not be blank');
    if (!target) throw ValidationFailed.field('to', 'must not be blank');
    if (source === target) throw ValidationFailed.field('to', 'is the same tag as from');
    return this.change(principal, source, target);
  }

  remove(principal: Principal, tag: string): Promise<TagChangeView> {
    const source = normal(tag);
    if (!source || source.length > MAX_TAG) throw ValidationFailed.field('tag', `must be 1 to ${MAX_TAG} characters`);
    return this.change(principal, source, null);
  }

  private async change(principal: Principal, from: string, to: string | null): Promise<TagChangeView> {
    const result: TagChangeView = { from, to, tickets: 0, skippedTickets: 0, macros: 0, rules: 0, views: 0 };
    const origin: ChangeOrigin = { reason: 'manual', data: { reason: to === null ? 'tag_removed' : 'tag_renamed' } };
    let afterId: string | null = null;
    let first = true;
    for (;;) {
      const batch: string[] = await this.transactions.run(async (manager) => {
        if (first) {
          result.macros = await this.macros.renameTag(manager, principal, from, to);
          result.rules = await this.rules.renameTag(manager, principal, from, to);
          // A filter on a removed tag keeps its meaning (nothing carries the tag any more), so views change on renames only.
          result.views = to === null ? 0 : await this.views.renameTag(manager, principal, from, to);
        }
        const ids = await this.tickets.ticketIdsCarryingTag(manager, principal, from, afterId, TAG_BATCH_SIZE);
        for (const id of ids) {
          try {
            // A savepoint per ticket: one that cannot change (closed meanwhile) leaves the rest of the batch alone.
            await this.transactions.run((inner) => this.tickets.applyChanges(inner, principal, id, to === null ? { removeTags: [from] } : { addTags: [to], removeTags: [from] }, origin));
            result.tickets++;
          } catch (error) {
            if (!(error instanceof DomainError) || error.status >= 500) throw error;
            result.skippedTickets++;
          }
        }
        return ids;
      });
      first = false;
      if (batch.length < TAG_BATCH_SIZE) return result;
      afterId = batch[batch.length - 1];
    }
  }
}
