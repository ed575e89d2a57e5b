import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { isUUID } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { AgentsService } from '../agents/agents.service';
import { Principal } from '../auth/principal';
import { Conflict, ResourceNotFound, ValidationFailed } from '../common/errors/domain-errors';
import { foreignKeyViolation, uniqueViolation } from '../common/errors/postgres-errors';
import { Page } from '../common/pagination/cursor';
import { TransactionRunner } from '../database/transaction-runner';
import { Outbox } from '../events/outbox';
import { CreateTeamInput, TeamMemberView, TeamView, UpdateTeamInput } from './dto/team.dto';
import { AssignmentStrategy, TeamEntity } from './entities/team.entity';
import { TeamsRepository } from './teams.repository';

function toView(team: TeamEntity, members: TeamMemberView[]): TeamView {
  return { id: team.id, name: team.name, assignmentStrategy: team.assignmentStrategy, members, createdAt: team.createdAt, updatedAt: team.updatedAt };
}

const byName = (a: TeamMemberView, b: TeamMemberView) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

const duplicateName = (error: unknown) =>
  uniqueViolation(error) ? new Conflict('Another team in this workspace already has this name.', 'duplicate', { field: 'name' }) : null;

@Injectable()
export class TeamsService {
  constructor(
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    private readonly outbox: Outbox,
    private readonly agents: AgentsService,
    private readonly teams: TeamsRepository,
  ) {}

  async list(principal: Principal, page: { limit?: number; cursor?: string }): Promise<Page<TeamView>> {
    const result = await this.teams.page(this.transactions.manager, principal.workspaceId, page);
    const members = await this.membersOf(principal, result.data.map((team) => team.id));
    return { data: result.data.map((team) => toView(team, members.get(team.id) ?? [])), nextCursor: result.nextCursor };
  }

  async get(principal: Principal, id: string): Promise<TeamView> {
    const team = await this.teams.find(this.transactions.manager, principal.workspaceId, id);
    if (!team) throw new ResourceNotFound('team', id);
    return toView(team, (await this.membersOf(principal, [id])).get(id) ?? []);
  }

  /** Batch lookup for GraphQL loaders and ticket views; ids of other workspaces are simply absent. */
  async findByIds(principal: Principal, ids: readonly string[]): Promise<Map<string, TeamView>> {
    if (ids.length === 0) return new Map();
    const teams = await this.teams.findByIds(this.transactions.manager, principal.workspaceId, ids);
    const members = await this.membersOf(principal, teams.map((team) => team.id));
    return new Map(teams.map((team) => [team.id, toView(team, members.get(team.id) ?? [])]));
  }

  /** For other modules' inputs that name a team (a ticket's teamId): a missing one is the caller's invalid field. */
  async assertExists(principal: Principal, id: string, field = 'teamId'): Promise<void> {
    if (!isUUID(id)) throw ValidationFailed.field(field, 'must be a UUID');
    const exists = await this.teams.exists(this.transactions.manager, principal.workspaceId, id);
    if (!exists) throw ValidationFailed.field(field, `no team with id ${id} exists in this workspace`);
  }

  async create(principal: Principal, input: CreateTeamInput): Promise<TeamView> {
    try {
      return await this.transactions.run(async (manager) => {
        const members = await this.resolveMembers(principal, input.memberIds ?? []);
        const now = this.clock.now();
        const team = manager.create(TeamEntity, {
          workspaceId: principal.workspaceId, id: randomUUID(), name: input.name, assignmentStrategy: input.assignmentStrategy ?? 'manual', createdAt: now, updatedAt: now,
        });
        await this.teams.insert(manager, team);
        await this.teams.addMembers(manager, principal.workspaceId, team.id, members.map((member) => member.id), now);
        const view = toView(team, members);
        await this.outbox.record(manager, principal, [{ type: 'team.created', subjectType: 'team', subjectId: team.id, data: { team: view } }]);
        return view;
      });
    } catch (error) {
      throw duplicateName(error) ?? error;
    }
  }

  async update(principal: Principal, id: string, input: UpdateTeamInput): Promise<TeamView> {
    try {
      return await this.transactions.run(async (manager) => {
        const team = await this.lock(manager, principal, id);
        const members = input.memberIds === undefined ? undefined : await this.resolveMembers(principal, input.memberIds);
        return this.applyChange(manager, principal, team, { name: input.name, assignmentStrategy: input.assignmentStrategy, members: members ? () => members : undefined });
      });
    } catch (error) {
      throw duplicateName(error) ?? error;
    }
  }

  async delete(principal: Principal, id: string): Promise<void> {
    try {
      await this.transactions.run(async (manager) => {
        const team = await this.lock(manager, principal, id);
        const view = toView(team, (await this.membersOf(principal, [id])).get(id) ?? []);
        await this.teams.delete(manager, principal.workspaceId, id);
        await this.outbox.record(manager, principal, [{ type: 'team.deleted', subjectType: 'team', subjectId: id, data: { team: view } }]);
      });
    } catch (error) {
      if (foreignKeyViolation(error)) {
        throw new Conflict(`Team ${id} still has tickets; reassign them to another team before deleting it.`, 'team_has_tickets');
      }
      throw error;
    }
  }

  /** Idempotent: adding a member twice changes nothing the second time. */
  async addMember(principal: Principal, teamId: string, agentId: string): Promise<TeamView> {
    return this.transactions.run(async (manager) => {
      const team = await this.lock(manager, principal, teamId);
      const agent = await this.agent(principal, agentId);
      return this.applyChange(manager, principal, team, { members: (current) => [...current.filter((member) => member.id !== agent.id), agent] });
    });
  }

  async removeMember(principal: Principal, teamId: string, agentId: string): Promise<TeamView> {
    return this.transactions.run(async (manager) => {
      const team = await this.lock(manager, principal, teamId);
      const agent = await this.agent(principal, agentId);
      return this.applyChange(manager, principal, team, { members: (current) => current.filter((member) => member.id !== agent.id) });
    });
  }

  /** Writes what differs from the stored team and records one team.updated event; a change to nothing writes nothing. */
  private async applyChange(
    manager: EntityManager,
    principal: Principal,
    team: TeamEntity,
    change: { name?: string; assignmentStrategy?: AssignmentStrategy; members?: (current: TeamMemberView[]) => TeamMemberView[] },
  ): Promise<TeamView> {
    const before = toView(team, (await this.membersOf(principal, [team.id])).get(team.id) ?? []);
    const name = change.name ?? before.name;
    const assignmentStrategy = change.assignmentStrategy ?? before.assignmentStrategy;
    const members = change.members ? change.members(before.members).sort(byName) : before.members;
    const beforeIds = new Set(before.members.map((member) => member.id));
    const afterIds = new Set(members.map((member) => member.id));
    const added = [...afterIds].filter((agentId) => !beforeIds.has(agentId));
    const removed = [...beforeIds].filter((agentId) => !afterIds.has(agentId));

    const changes: Record<string, { before: unknown; after: unknown }> = {};
    if (name !== before.name) changes.name = { before: before.name, after: name };
    if (assignmentStrategy !== before.assignmentStrategy) changes.assignmentStrategy = { before: before.assignmentStrategy, after: assignmentStrategy };
    if (added.length > 0 || removed.length > 0) changes.memberIds = { before: [...beforeIds], after: [...afterIds] };
    if (Object.keys(changes).length === 0) return before;

    const updatedAt = this.clock.now();
    await this.teams.update(manager, principal.workspaceId, team.id, { name, assignmentStrategy, updatedAt });
    await this.teams.removeMembers(manager, principal.workspaceId, team.id, removed);
    await this.teams.addMembers(manager, principal.workspaceId, team.id, added, updatedAt);
    const view: TeamView = { ...before, name, assignmentStrategy, members, updatedAt };
    await this.outbox.record(manager, principal, [{ type: 'team.updated', subjectType: 'team', subjectId: team.id, data: { team: view, changes } }]);
    return view;
  }

  /** How the team routes new tickets, or null when there is no such team; for the assignment module. */
  async routingOf(principal: Principal, teamId: string): Promise<{ strategy: AssignmentStrategy; memberIds: string[] } | null> {
    const team = await this.teams.find(this.transactions.manager, principal.workspaceId, teamId);
    if (!team) return null;
    const members = await this.teams.membershipsOf(this.transactions.manager, principal.workspaceId, [teamId]);
    return { strategy: team.assignmentStrategy, memberIds: members.map((member) => member.agentId) };
  }

  /** The ids of the teams an agent belongs to, for other modules' visibility rules (team macros). */
  async teamIdsOfAgent(principal: Principal, agentId: string): Promise<string[]> {
    return this.teams.teamIdsOfAgent(this.transactions.manager, principal.workspaceId, agentId);
  }

  async isMember(principal: Principal, teamId: string, agentId: string): Promise<boolean> {
    return this.teams.isMember(this.transactions.manager, principal.workspaceId, teamId, agentId);
  }

  /** Locking the team row serialises every change to its name and member set. */
  private async lock(manager: EntityManager, principal: Principal, id: string): Promise<TeamEntity> {
    const team = await this.teams.lock(manager, principal.workspaceId, id);
    if (!team) throw new ResourceNotFound('team', id);
    return team;
  }

  private async agent(principal: Principal, agentId: string): Promise<TeamMemberView> {
    const agent = (await this.agents.findByIds(principal, [agentId])).get(agentId);
    if (!agent) throw new ResourceNotFound('agent', agentId);
    return { id: agent.id, name: agent.name };
  }

  private async resolveMembers(principal: Principal, memberIds: readonly string[]): Promise<TeamMemberView[]> {
    const ids = memberIds.map((id) => id.toLowerCase());
    const agents = await this.agents.findByIds(principal, [...new Set(ids)]);
    const unknown = ids.flatMap((id, index) => (agents.has(id) ? [] : [{ field: `memberIds[${index}]`, message: `no agent with id ${id} exists in this workspace` }]));
    if (unknown.length > 0) throw new ValidationFailed(unknown);
    return [...agents.values()].map((agent) => ({ id: agent.id, name: agent.name })).sort(byName);
  }

  private async membersOf(principal: Principal, teamIds: readonly string[]): Promise<Map<string, TeamMemberView[]>> {
    const byTeam = new Map<string, TeamMemberView[]>(teamIds.map((id) => [id, []]));
    if (teamIds.length === 0) return byTeam;
    const rows = await this.teams.membershipsOf(this.transactions.manager, principal.workspaceId, teamIds);
    const agents = await this.agents.findByIds(principal, [...new Set(rows.map((row) => row.agentId))]);
    for (const row of rows) {
      const agent = agents.get(row.agentId);
      if (agent) byTeam.get(row.teamId)?.push({ id: agent.id, name: agent.name });
    }
    for (const members of byTeam.values()) members.sort(byName);
    return byTeam;
  }
}
