import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AdminOnly, CurrentPrincipal } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import { IdParamPipe } from '../common/http/id-param.pipe';
import { AgentsService } from './agents.service';
import { AgentView, CreateAgentInput, UpdateAgentInput } from './dto/agent.dto';

@Resolver(() => AgentView)
export class AgentsResolver {
  constructor(private readonly agentsService: AgentsService) {}

  @Query(() => [AgentView], { description: 'Agents of the workspace, oldest first (at most 100; use REST for deeper paging).' })
  async agents(@CurrentPrincipal() principal: Principal): Promise<AgentView[]> {
    return (await this.agentsService.list(principal, { limit: 100 })).data;
  }

  @Query(() => AgentView)
  agent(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }, IdParamPipe) id: string): Promise<AgentView> {
    return this.agentsService.get(principal, id);
  }

  @Mutation(() => AgentView)
  @AdminOnly()
  createAgent(@CurrentPrincipal() principal: Principal, @Args('input') input: CreateAgentInput): Promise<AgentView> {
    return this.agentsService.create(principal, input);
  }

  @Mutation(() => AgentView)
  @AdminOnly()
  updateAgent(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }, IdParamPipe) id: string, @Args('input') input: UpdateAgentInput): Promise<AgentView> {
    return this.agentsService.update(principal, id, input);
  }

  @Mutation(() => AgentView, { description: 'Clears the lock set by failed logins, and the account\'s login delays.' })
  @AdminOnly()
  unlockAgent(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }, IdParamPipe) id: string): Promise<AgentView> {
    return this.agentsService.unlock(principal, id);
  }
}
