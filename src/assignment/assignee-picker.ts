import { Injectable, OnModuleInit } from '@nestjs/common';
import { Clock } from '../common/clock';
import { EntityManager } from 'typeorm';
import { AgentsService } from '../agents/agents.service';
import { Principal } from '../auth/principal';
import { TeamsService } from '../teams/teams.service';
import { TicketReadModel } from '../tickets/queries/ticket-read-model.queries';
import { TeamAssigneePicker } from '../tickets/ticket-change-set';
import { TicketsService } from '../tickets/tickets.service';
import { AssignmentCandidate, pickByStrategy } from './assignment-strategies';
import { AssignmentRepository } from './assignment.repository';

const OPEN_STATUSES = ['new', 'open', 'pending', 'on_hold'];

/** Picks an agent for a ticket routed to a team, by the team's strategy, inside the ticket's transaction. */
@Injectable()
export class AssigneePicker implements TeamAssigneePicker, OnModuleInit {
  constructor(
    private readonly clock: Clock,
    private readonly repository: AssignmentRepository,
    private readonly tickets: TicketsService,
    private readonly teams: TeamsService,
    private readonly agents: AgentsService,
    private readonly ticketReads: TicketReadModel,
  ) {}

  onModuleInit(): void {
    this.tickets.useAssigneePicker(this);
  }

  async pick(manager: EntityManager, principal: Principal, teamId: string): Promise<{ agentId: string | null; strategy: string }> {
    const routing = await this.teams.routingOf(principal, teamId);
    if (routing === null || routing.strategy === 'manual') return { agentId: null, strategy: 'manual' };
    const lastAgentId = await this.repository.lockRotation(manager, principal.workspaceId, teamId);
    const candidates = await this.lockCandidates(manager, principal, routing.memberIds);
    const agentId = pickByStrategy(routing.strategy, candidates, lastAgentId);
    if (agentId) await this.repository.recordPick(manager, principal.workspaceId, teamId, agentId, this.clock.now());
    return { agentId, strategy: routing.strategy };
  }

  /**
   * Online, active members with their open-ticket counts (a deactivated agent keeps its availability but takes no
   * work). Load rows are locked first and everything else is read after the locks, so capacity holds across teams.
   */
  private async lockCandidates(manager: EntityManager, principal: Principal, memberIds: string[]): Promise<AssignmentCandidate[]> {
    const available = async (ids: string[]) =>
      [...(await this.agents.findByIds(principal, ids)).values()].filter((agent) => agent.availability === 'online' && agent.active);
    const members = await available(memberIds);
    if (members.length === 0) return [];
    const lastAssigned = await this.repository.lockLoads(manager, principal.workspaceId, members.map((agent) => agent.id));
    const locked = await available([...lastAssigned.keys()]);
    const openTickets = await this.ticketReads.assignedCounts(manager, principal.workspaceId, locked.map((agent) => agent.id), OPEN_STATUSES);
    return locked.map((agent) => ({
      agentId: agent.id, capacity: agent.capacity, openTickets: openTickets.get(agent.id) ?? 0, lastAssignedAt: lastAssigned.get(agent.id) ?? null,
    }));
  }
}
