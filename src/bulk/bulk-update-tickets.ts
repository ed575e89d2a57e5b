import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AgentsService } from '../agents/agents.service';
import { Principal } from '../auth/principal';
import { DomainError, ResourceNotFound, ValidationFailed } from '../common/errors/domain-errors';
import { toProblem } from '../common/errors/problem-exception.filter';
import { TransactionRunner } from '../database/transaction-runner';
import { TicketAction } from '../macros/actions/ticket-action.dto';
import { TicketActions } from '../macros/actions/ticket-actions';
import { MacrosService } from '../macros/macros.service';
import { TeamsService } from '../teams/teams.service';
import { ChangeOrigin, normaliseTags, TicketChangeSet } from '../tickets/ticket-change-set';
import { TicketsService } from '../tickets/tickets.service';
import { BulkTicketChangesInput, BulkTicketResultView, BulkUpdateTicketsInput, BulkUpdateView } from './dto/bulk.dto';

/** Tickets changed at once when no surrounding transaction forces one after another; each holds a pool connection. */
const BULK_CONCURRENCY = 4;

/** What every ticket of the call gets: one change set, or a macro planned per ticket. */
type BulkPlan = { kind: 'changes'; changes: TicketChangeSet } | { kind: 'macro'; macro: { id: string; name: string; actions: TicketAction[] } };

/**
 * The same change (or macro) applied to up to 100 tickets, each in its own transaction through the ticket-change use
 * case, so each gets its own history, events, SLA recompute and automation rules, and one ticket's refusal (closed,
 * gone, an invalid move) leaves the others alone. The request as a whole is checked first: a bad body, an unknown
 * team, agent or macro refuses the call before any ticket changes.
 */
@Injectable()
export class BulkUpdateTickets {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly dataSource: DataSource,
    private readonly tickets: TicketsService,
    private readonly actions: TicketActions,
    private readonly macros: MacrosService,
    private readonly teams: TeamsService,
    private readonly agents: AgentsService,
  ) {}

  async execute(principal: Principal, input: BulkUpdateTicketsInput): Promise<BulkUpdateView> {
    const plan = await this.plan(principal, input);
    const results: BulkTicketResultView[] = new Array(input.ids.length);
    // Without a surrounding transaction each ticket's transaction takes its own connection, a few at a time. When an
    // Idempotency-Key wraps the call, each is a savepoint of that one connection, and nested runs of one transaction
    // must not run concurrently: one after another then.
    const workers = this.transactions.manager === this.dataSource.manager ? BULK_CONCURRENCY : 1;
    let next = 0;
    await Promise.all(Array.from({ length: Math.min(workers, input.ids.length) }, async () => {
      while (next < input.ids.length) {
        const index = next++;
        results[index] = await this.changeOne(principal, input.ids[index], plan);
      }
    }));
    const count = (outcome: BulkTicketResultView['outcome']) => results.filter((result) => result.outcome === outcome).length;
    return { results, updated: count('updated'), unchanged: count('unchanged'), failed: count('failed') };
  }

  private async plan(principal: Principal, input: BulkUpdateTicketsInput): Promise<BulkPlan> {
    if ((input.changes === undefined || input.changes === null) === (input.macroId === undefined || input.macroId === null)) {
      throw ValidationFailed.field('changes', 'give either changes or macroId, not both and not neither');
    }
    if (input.macroId) {
      try {
        const macro = await this.macros.get(principal, input.macroId);
        return { kind: 'macro', macro: { id: macro.id, name: macro.name, actions: macro.actions } };
      } catch (error) {
        if (error instanceof ResourceNotFound) throw ValidationFailed.field('macroId', `no macro with id ${input.macroId} that you can see exists in this workspace`);
        throw error;
      }
    }
    const changes = toChangeSet(input.changes!);
    if (Object.keys(changes).length === 0) throw ValidationFailed.field('changes', 'must change at least one field');
    if (changes.teamId) await this.teams.assertExists(principal, changes.teamId, 'changes.teamId');
    if (changes.assignee && 'agentId' in changes.assignee && changes.assignee.agentId) {
      const agentId = changes.assignee.agentId;
      if (!(await this.agents.findByIds(principal, [agentId])).has(agentId)) throw ValidationFailed.field('changes.assigneeId', `no agent with id ${agentId} exists in this workspace`);
    }
    return { kind: 'changes', changes };
  }

  private async changeOne(principal: Principal, id: string, plan: BulkPlan): Promise<BulkTicketResultView> {
    try {
      const { before, after } = await this.transactions.run(async (manager) => {
        const current = await this.tickets.get(principal, id);
        if (plan.kind === 'changes') {
          const origin: ChangeOrigin = { reason: 'manual', data: { bulk: true } };
          return { before: current, after: await this.tickets.applyChanges(manager, principal, id, plan.changes, origin) };
        }
        const origin: ChangeOrigin = { reason: 'macro', data: { macro: { id: plan.macro.id, name: plan.macro.name }, bulk: true } };
        const agentName = principal.agentId ? principal.actor.name : null;
        return { before: current, after: await this.actions.apply(manager, principal, current, plan.macro.actions, origin, agentName) };
      });
      return { id, outcome: after.version === before.version ? 'unchanged' : 'updated', version: after.version, problem: null };
    } catch (error) {
      const problem = toProblem(error);
      // Only a refusal of this ticket is answered in the list; anything else (the database gone) fails the call.
      if (!(error instanceof DomainError) || problem.status >= 500) throw error;
      return { id, outcome: 'failed', version: null, problem: { status: problem.status, code: error.code, detail: problem.detail } };
    }
  }
}

function toChangeSet(changes: BulkTicketChangesInput): TicketChangeSet {
  const set: TicketChangeSet = {};
  if (changes.status !== undefined) set.status = changes.status;
  if (changes.priority !== undefined) set.priority = changes.priority;
  if (changes.type !== undefined) set.type = changes.type;
  if (changes.teamId !== undefined) set.teamId = changes.teamId;
  if (changes.assigneeId !== undefined) set.assignee = { agentId: changes.assigneeId };
  if (changes.addTags?.length) set.addTags = normaliseTags(changes.addTags);
  if (changes.removeTags?.length) set.removeTags = normaliseTags(changes.removeTags);
  if (changes.customFields !== undefined && Object.keys(changes.customFields).length > 0) set.customFields = changes.customFields;
  return set;
}
