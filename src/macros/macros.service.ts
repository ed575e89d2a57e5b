import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Principal } from '../auth/principal';
import { Forbidden, ResourceNotFound, ValidationFailed } from '../common/errors/domain-errors';
import { Page } from '../common/pagination/cursor';
import { TransactionRunner } from '../database/transaction-runner';
import { Outbox } from '../events/outbox';
import { TeamsService } from '../teams/teams.service';
import { MessageAttachments } from '../tickets/conversation/message-attachments';
import { TicketAction } from './actions/ticket-action.dto';
import { TicketActions } from './actions/ticket-actions';
import { renameTagInActions } from './actions/plan-actions';
import { CreateMacroInput, MacroApplicationView, MacroView, UpdateMacroInput } from './dto/macro.dto';
import { MacroEntity, MacroVisibility } from './entities/macro.entity';
import { ApplyMacro } from './use-cases/apply-macro/apply-macro';
import { MacrosRepository } from './macros.repository';

/**
 * Whether the caller is the agent that owns a personal macro. An API key without an agent has agentId null, and so
 * has every workspace and team macro: null must never match null.
 */
function isOwnedBy(macro: Pick<MacroEntity, 'agentId'>, principal: Principal): boolean {
  return principal.agentId !== null && macro.agentId === principal.agentId;
}

function toView(macro: MacroEntity): MacroView {
  return {
    id: macro.id, name: macro.name, visibility: macro.visibility, teamId: macro.teamId, agentId: macro.agentId,
    actions: macro.actions as TicketAction[], createdAt: macro.createdAt, updatedAt: macro.updatedAt,
  };
}

@Injectable()
export class MacrosService {
  constructor(
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    private readonly outbox: Outbox,
    private readonly actions: TicketActions,
    private readonly applyMacro: ApplyMacro,
    private readonly teams: TeamsService,
    private readonly macros: MacrosRepository,
    private readonly attachments: MessageAttachments,
  ) {}

  /** Admins see every macro; agents see the workspace's, their teams' and their own. */
  async list(principal: Principal, page: { limit?: number; cursor?: string }): Promise<Page<MacroView>> {
    const reader = principal.role === 'admin'
      ? null
      : { agentId: principal.agentId, teamIds: principal.agentId ? await this.teams.teamIdsOfAgent(principal, principal.agentId) : [] };
    const result = await this.macros.page(this.transactions.manager, principal.workspaceId, reader, page);
    return { data: result.data.map(toView), nextCursor: result.nextCursor };
  }

  async get(principal: Principal, id: string): Promise<MacroView> {
    return toView(await this.visible(this.transactions.manager, principal, id));
  }

  async create(principal: Principal, input: CreateMacroInput): Promise<MacroView> {
    const scope = this.scope(principal, input.visibility ?? 'workspace', input.teamId ?? null, input.agentId ?? null);
    await this.actions.validate(principal, input.actions, 'actions', { allowSuggestions: false, allowAttachments: true });
    return this.transactions.run(async (manager) => {
      const now = this.clock.now();
      const macro: MacroEntity = { workspaceId: principal.workspaceId, id: randomUUID(), name: input.name, ...scope, actions: input.actions.map(plain), createdAt: now, updatedAt: now };
      await this.macros.insert(manager, macro);
      await this.keepAttachments(manager, principal, input.actions);
      const view = toView(macro);
      await this.outbox.record(manager, principal, [{ type: 'macro.created', subjectType: 'macro', subjectId: macro.id, data: { macro: view } }]);
      return view;
    });
  }

  async update(principal: Principal, id: string, input: UpdateMacroInput): Promise<MacroView> {
    if (input.actions) await this.actions.validate(principal, input.actions, 'actions', { allowSuggestions: false, allowAttachments: true });
    return this.transactions.run(async (manager) => {
      const macro = await this.editable(manager, principal, id);
      const visibility = input.visibility ?? macro.visibility;
      const scope = this.scope(principal, visibility, input.teamId ?? (visibility === 'team' ? macro.teamId : null), input.agentId ?? (visibility === 'agent' ? macro.agentId : null));
      const updated: MacroEntity = { ...macro, ...scope, name: input.name ?? macro.name, actions: input.actions ? input.actions.map(plain) : macro.actions, updatedAt: this.clock.now() };
      if (input.actions) await this.keepAttachments(manager, principal, input.actions);
      await this.macros.update(manager, principal.workspaceId, id, { name: updated.name, ...scope, actions: updated.actions, updatedAt: updated.updatedAt });
      const view = toView(updated);
      await this.outbox.record(manager, principal, [{ type: 'macro.updated', subjectType: 'macro', subjectId: id, data: { macro: view, previous: toView(macro) } }]);
      return view;
    });
  }

  /** A macro's files are its author's uploads, kept as long as the macro may send them. */
  private async keepAttachments(manager: EntityManager, principal: Principal, actions: TicketAction[]): Promise<void> {
    for (const [index, action] of actions.entries()) {
      if (action.attachments?.length) await this.attachments.keep(manager, principal, action.attachments, `actions[${index}].attachments`);
    }
  }

  async delete(principal: Principal, id: string): Promise<void> {
    await this.transactions.run(async (manager) => {
      const macro = await this.editable(manager, principal, id);
      await this.macros.delete(manager, principal.workspaceId, id);
      await this.outbox.record(manager, principal, [{ type: 'macro.deleted', subjectType: 'macro', subjectId: id, data: { macro: toView(macro) } }]);
    });
  }

  /** Every action in one transaction and one grouped set of ticket events; a dry run plans the same change and writes nothing. */
  async apply(principal: Principal, ticketId: string, macroId: string, dryRun: boolean): Promise<MacroApplicationView> {
    const macro = await this.visible(this.transactions.manager, principal, macroId);
    return this.applyMacro.execute(principal, ticketId, toView(macro), dryRun);
  }

  /**
   * For a tag rename (or removal, `to` null) in the caller's transaction: every macro adding or removing the tag gets
   * the new name (an action left with no tag is dropped), with macro.updated. Returns how many macros changed.
   */
  async renameTag(manager: EntityManager, principal: Principal, from: string, to: string | null): Promise<number> {
    const macros = await this.macros.lockAll(manager, principal.workspaceId);
    let changed = 0;
    for (const macro of macros) {
      const actions = renameTagInActions(macro.actions as TicketAction[], from, to);
      if (!actions) continue;
      const updated: MacroEntity = { ...macro, actions: actions.map(plain), updatedAt: this.clock.now() };
      await this.macros.update(manager, principal.workspaceId, macro.id, { actions: updated.actions, updatedAt: updated.updatedAt });
      await this.outbox.record(manager, principal, [{ type: 'macro.updated', subjectType: 'macro', subjectId: macro.id, data: { macro: toView(updated), previous: toView(macro) } }]);
      changed++;
    }
    return changed;
  }

  private scope(principal: Principal, visibility: MacroVisibility, teamId: string | null, agentId: string | null): Pick<MacroEntity, 'visibility' | 'teamId' | 'agentId'> {
    if (visibility === 'team' && !teamId) throw ValidationFailed.field('teamId', 'is required when visibility is team');
    if (visibility === 'agent' && !agentId) {
      if (!principal.agentId && principal.role === 'admin') throw ValidationFailed.field('agentId', 'is required when visibility is agent');
      agentId = principal.agentId;
    }
    if (principal.role !== 'admin' && (visibility !== 'agent' || principal.agentId === null || agentId !== principal.agentId)) {
      throw new Forbidden('Agents may only manage their own macros (visibility agent); workspace and team macros need an admin.');
    }
    return { visibility, teamId: visibility === 'team' ? teamId : null, agentId: visibility === 'agent' ? agentId : null };
  }

  private async visible(manager: EntityManager, principal: Principal, id: string): Promise<MacroEntity> {
    const macro = await this.macros.find(manager, principal.workspaceId, id);
    if (!macro || !(await this.canSee(principal, macro))) throw new ResourceNotFound('macro', id);
    return macro;
  }

  private async canSee(principal: Principal, macro: MacroEntity): Promise<boolean> {
    if (principal.role === 'admin' || macro.visibility === 'workspace' || isOwnedBy(macro, principal)) return true;
    if (macro.visibility !== 'team' || !macro.teamId || !principal.agentId) return false;
    return this.teams.isMember(principal, macro.teamId, principal.agentId);
  }

  private async editable(manager: EntityManager, principal: Principal, id: string): Promise<MacroEntity> {
    const macro = await this.macros.lock(manager, principal.workspaceId, id);
    if (!macro) throw new ResourceNotFound('macro', id);
    if (principal.role === 'admin' || isOwnedBy(macro, principal)) return macro;
    // A macro the caller may read but not change is forbidden; one it cannot even see does not exist for it.
    if (await this.canSee(principal, macro)) throw new Forbidden('Agents may only change their own macros; workspace and team macros need an admin.');
    throw new ResourceNotFound('macro', id);
  }
}

/** Stored without undefined keys, so the JSON reads back exactly as it was written. */
function plain(action: TicketAction): TicketAction {
  return Object.fromEntries(Object.entries(action).filter(([, value]) => value !== undefined)) as unknown as TicketAction;
}
