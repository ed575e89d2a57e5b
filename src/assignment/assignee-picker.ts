import { Injectable, OnModuleInit } from '@nestjs/common';
import { Clock } from '../common/clock';
import { EntityManager } from 'typeorm';
import { Principal } from '../auth/principal';
import { TeamAssigneePicker } from '../tickets/ticket-change-set';
import { TicketsService } from '../tickets/tickets.service';
import { pickByStrategy } from './assignment-strategies';
import { AssignmentRepository } from './assignment.repository';

/** Picks an agent for a ticket routed to a team, by the team's strategy, inside the ticket's transaction. */
@Injectable()
export class AssigneePicker implements TeamAssigneePicker, OnModuleInit {
  constructor(private readonly clock: Clock, private readonly repository: AssignmentRepository, private readonly tickets: TicketsService) {}

  onModuleInit(): void {
    this.tickets.useAssigneePicker(this);
  }

  async pick(manager: EntityManager, principal: Principal, teamId: string): Promise<{ agentId: string | null; strategy: string }> {
    const strategy = await this.repository.strategyOf(manager, principal.workspaceId, teamId);
    if (strategy === null || strategy === 'manual') return { agentId: null, strategy: 'manual' };
    const lastAgentId = await this.repository.lockRotation(manager, principal.workspaceId, teamId);
    const candidates = await this.repository.lockCandidates(manager, principal.workspaceId, teamId);
    const agentId = pickByStrategy(strategy, candidates, lastAgentId);
    if (agentId) await this.repository.recordPick(manager, principal.workspaceId, teamId, agentId, this.clock.now());
    return { agentId, strategy };
  }
}
