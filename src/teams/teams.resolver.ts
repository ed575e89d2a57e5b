import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { connection } from '../graphql/connection';
import { creationCursor } from '../common/pagination/keyset';
import { AdminOnly, CurrentPrincipal } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import { IdParamPipe } from '../common/http/id-param.pipe';
import { CreateTeamInput, TeamConnection, TeamsArgs, TeamView, UpdateTeamInput } from './dto/team.dto';
import { TeamsService } from './teams.service';

@Resolver(() => TeamView)
export class TeamsResolver {
  constructor(private readonly teamsService: TeamsService) {}

  @Query(() => TeamConnection, { description: 'Teams of the workspace, oldest first.' })
  teams(@CurrentPrincipal() principal: Principal, @Args() args: TeamsArgs): Promise<TeamConnection> {
    return connection(() => this.teamsService.list(principal, { limit: args.first, cursor: args.after }), creationCursor);
  }

  @Query(() => TeamView)
  team(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }, IdParamPipe) id: string): Promise<TeamView> {
    return this.teamsService.get(principal, id);
  }

  @Mutation(() => TeamView)
  @AdminOnly()
  createTeam(@CurrentPrincipal() principal: Principal, @Args('input') input: CreateTeamInput): Promise<TeamView> {
    return this.teamsService.create(principal, input);
  }

  @Mutation(() => TeamView)
  @AdminOnly()
  updateTeam(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }, IdParamPipe) id: string,
    @Args('input') input: UpdateTeamInput,
  ): Promise<TeamView> {
    return this.teamsService.update(principal, id, input);
  }

  @Mutation(() => ID, { description: 'Returns the id of the deleted team.' })
  @AdminOnly()
  async deleteTeam(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }, IdParamPipe) id: string): Promise<string> {
    await this.teamsService.delete(principal, id);
    return id;
  }

  @Mutation(() => TeamView)
  @AdminOnly()
  addTeamMember(
    @CurrentPrincipal() principal: Principal,
    @Args('teamId', { type: () => ID }, IdParamPipe) teamId: string,
    @Args('agentId', { type: () => ID }, IdParamPipe) agentId: string,
  ): Promise<TeamView> {
    return this.teamsService.addMember(principal, teamId, agentId);
  }

  @Mutation(() => TeamView)
  @AdminOnly()
  removeTeamMember(
    @CurrentPrincipal() principal: Principal,
    @Args('teamId', { type: () => ID }, IdParamPipe) teamId: string,
    @Args('agentId', { type: () => ID }, IdParamPipe) agentId: string,
  ): Promise<TeamView> {
    return this.teamsService.removeMember(principal, teamId, agentId);
  }
}
