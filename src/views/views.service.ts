import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Principal } from '../auth/principal';
import { Clock } from '../common/clock';
import { Conflict, Forbidden, ResourceNotFound, ValidationFailed } from '../common/errors/domain-errors';
import { Page } from '../common/pagination/cursor';
import { TransactionRunner } from '../database/transaction-runner';
import { Outbox } from '../events/outbox';
import { DEFAULT_TICKET_SORT, TicketFilter, TicketSort } from '../tickets/dto/list-tickets.query';
import { TicketView } from '../tickets/dto/ticket.dto';
import { renameTagInQuery } from '../tickets/tag-rename';
import { TicketsService } from '../tickets/tickets.service';
import { CreateViewInput, MAX_VIEWS, UpdateViewInput, VIEW_COUNT_CAP, ViewCountView, ViewView } from './dto/view.dto';
import { SavedViewEntity, ViewVisibility } from './entities/saved-view.entity';
import { ViewsRepository } from './views.repository';

function toView(view: SavedViewEntity): ViewView {
  return {
    id: view.id, name: view.name, filter: view.filter as TicketFilter, sort: view.sort as TicketSort, visibility: view.visibility,
    agentId: view.agentId, position: view.position, createdAt: view.createdAt, updatedAt: view.updatedAt,
  };
}

/** The filter as stored: only the keys that were given, as plain JSON. */
export function plainFilter(filter: TicketFilter | undefined): TicketFilter {
  return Object.fromEntries(Object.entries(filter ?? {}).filter(([, value]) => value !== undefined && value !== null));
}

/**
 * Saved views: a named ticket-list filter and sort. Shared views are the workspace's (every agent reads them, admins
 * change them); a personal view exists only for the agent that owns it, admins included: anyone else gets 404.
 */
@Injectable()
export class ViewsService {
  constructor(
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    private readonly outbox: Outbox,
    private readonly ticketsService: TicketsService,
    private readonly views: ViewsRepository,
  ) {}

  async list(principal: Principal, visibility?: ViewVisibility): Promise<ViewView[]> {
    const views = await this.views.visible(this.transactions.manager, principal.workspaceId, principal.agentId);
    return views.filter((view) => !visibility || view.visibility === visibility).map(toView);
  }

  async get(principal: Principal, id: string): Promise<ViewView> {
    return toView(await this.visible(this.transactions.manager, principal, id));
  }

  async create(principal: Principal, input: CreateViewInput): Promise<ViewView> {
    const visibility = input.visibility ?? 'personal';
    const agentId = this.owner(principal, visibility);
    const filter = await this.checkFilter(principal, input.filter);
    return this.transactions.run(async (manager) => {
      await this.views.lockList(manager, principal.workspaceId, agentId);
      const size = await this.views.listSize(manager, principal.workspaceId, agentId);
      if (size.count >= MAX_VIEWS) throw new Conflict(`A list holds at most ${MAX_VIEWS} views; delete one first.`, 'too_many_views', { limit: MAX_VIEWS });
      const now = this.clock.now();
      const view: SavedViewEntity = {
        workspaceId: principal.workspaceId, id: randomUUID(), name: input.name, filter, sort: input.sort ?? DEFAULT_TICKET_SORT, visibility, agentId,
        position: input.position ?? size.nextPosition, createdAt: now, updatedAt: now,
      };
      await this.views.insert(manager, view);
      const created = toView(view);
      await this.outbox.record(manager, principal, [{ type: 'view.created', subjectType: 'view', subjectId: view.id, data: { view: created } }]);
      return created;
    });
  }

  async update(principal: Principal, id: string, input: UpdateViewInput): Promise<ViewView> {
    const filter = input.filter === undefined ? undefined : await this.checkFilter(principal, input.filter);
    return this.transactions.run(async (manager) => {
      const view = await this.editable(manager, principal, id);
      const visibility = input.visibility ?? view.visibility;
      const agentId = visibility === view.visibility ? view.agentId : this.owner(principal, visibility);
      if (agentId !== view.agentId) {
        await this.views.lockList(manager, principal.workspaceId, agentId);
        if ((await this.views.listSize(manager, principal.workspaceId, agentId)).count >= MAX_VIEWS) {
          throw new Conflict(`A list holds at most ${MAX_VIEWS} views; delete one first.`, 'too_many_views', { limit: MAX_VIEWS });
        }
      }
      const updated: SavedViewEntity = {
        ...view, visibility, agentId, name: input.name ?? view.name, filter: filter ?? view.filter, sort: input.sort ?? view.sort,
        position: input.position ?? view.position, updatedAt: this.clock.now(),
      };
      const { workspaceId: _, id: __, createdAt: ___, ...change } = updated;
      await this.views.update(manager, principal.workspaceId, id, change);
      const result = toView(updated);
      await this.outbox.record(manager, principal, [{ type: 'view.updated', subjectType: 'view', subjectId: id, data: { view: result, previous: toView(view) } }]);
      return result;
    });
  }

  async delete(principal: Principal, id: string): Promise<void> {
    await this.transactions.run(async (manager) => {
      const view = await this.editable(manager, principal, id);
      await this.views.delete(manager, principal.workspaceId, id);
      await this.outbox.record(manager, principal, [{ type: 'view.deleted', subjectType: 'view', subjectId: id, data: { view: toView(view) } }]);
    });
  }

  /** The view's tickets, paged exactly like GET /v1/tickets with the view's filter and sort. */
  async listTickets(principal: Principal, id: string, page: { limit?: number; cursor?: string }): Promise<{ view: ViewView; page: Page<TicketView> }> {
    const view = toView(await this.visible(this.transactions.manager, principal, id));
    return { view, page: await this.ticketsService.list(principal, { ...view.filter, sort: view.sort, limit: page.limit, cursor: page.cursor }) };
  }

  /** Every view the caller sees, counted in one query; exact up to VIEW_COUNT_CAP, marked approximate above. */
  async counts(principal: Principal, visibility?: ViewVisibility): Promise<ViewCountView[]> {
    const views = await this.list(principal, visibility);
    const counts = await this.ticketsService.countMatching(principal, views.map((view) => view.filter), VIEW_COUNT_CAP);
    return views.map((view, index) => ({ id: view.id, count: Math.min(counts[index], VIEW_COUNT_CAP), approximate: counts[index] > VIEW_COUNT_CAP }));
  }

  /**
   * For a tag rename in the caller's transaction: views filtering on the tag (tag, or tag: terms of q) filter on the
   * new name, with view.updated. Returns how many views changed.
   */
  async renameTag(manager: EntityManager, principal: Principal, from: string, to: string): Promise<number> {
    const views = await this.views.lockUsingTag(manager, principal.workspaceId, from);
    let changed = 0;
    for (const view of views) {
      const filter = { ...(view.filter as TicketFilter) };
      const tagNamed = filter.tag !== undefined && filter.tag.trim().toLowerCase() === from;
      if (tagNamed) filter.tag = to;
      const q = filter.q === undefined ? null : renameTagInQuery(filter.q, from, to);
      if (q !== null) filter.q = q;
      if (!tagNamed && q === null) continue;
      const updated: SavedViewEntity = { ...view, filter: plainFilter(filter), updatedAt: this.clock.now() };
      await this.views.update(manager, principal.workspaceId, view.id, { filter: updated.filter, updatedAt: updated.updatedAt });
      await this.outbox.record(manager, principal, [{ type: 'view.updated', subjectType: 'view', subjectId: view.id, data: { view: toView(updated), previous: toView(view) } }]);
      changed++;
    }
    return changed;
  }

  /** Who owns a view of this visibility: nobody for a shared one (admins only), the calling agent for a personal one. */
  private owner(principal: Principal, visibility: ViewVisibility): string | null {
    if (visibility === 'shared') {
      if (principal.role !== 'admin') throw new Forbidden('Shared views need an admin; agents may create personal views.');
      return null;
    }
    if (!principal.agentId) throw ValidationFailed.field('visibility', 'a personal view belongs to an agent, and this credential is bound to none; use shared');
    return principal.agentId;
  }

  /** The filter checked as the ticket list checks it (q included), answered with the fields under `filter.`. */
  private async checkFilter(principal: Principal, filter: TicketFilter | undefined): Promise<TicketFilter> {
    const plain = plainFilter(filter);
    try {
      await this.ticketsService.list(principal, { ...plain, limit: 1 });
    } catch (error) {
      if (error instanceof ValidationFailed) throw new ValidationFailed(error.errors.map((entry) => ({ ...entry, field: `filter.${entry.field}` })));
      throw error;
    }
    return plain;
  }

  private async visible(manager: EntityManager, principal: Principal, id: string): Promise<SavedViewEntity> {
    const view = await this.views.find(manager, principal.workspaceId, id);
    if (!view || !canSee(principal, view)) throw new ResourceNotFound('view', id);
    return view;
  }

  private async editable(manager: EntityManager, principal: Principal, id: string): Promise<SavedViewEntity> {
    const view = await this.views.lock(manager, principal.workspaceId, id);
    if (!view || !canSee(principal, view)) throw new ResourceNotFound('view', id);
    if (view.visibility === 'shared' && principal.role !== 'admin') throw new Forbidden('Shared views need an admin to change; agents change their personal views.');
    return view;
  }
}

function canSee(principal: Principal, view: SavedViewEntity): boolean {
  return view.visibility === 'shared' || (principal.agentId !== null && view.agentId === principal.agentId);
}
