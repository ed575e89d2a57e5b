import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly, CurrentPrincipal } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import { PageQuery } from '../common/dto/list-query.dto';
import { IdParamPipe } from '../common/http/id-param.pipe';
import { Page } from '../common/pagination/cursor';
import { CreateTeamInput, TeamListView, TeamView, UpdateTeamInput } from './dto/team.dto';
import { TeamsService } from './teams.service';

@ApiTags('Teams')
@ApiBearerAuth()
@Controller('v1/teams')
export class TeamsController {
  constructor(private readonly teams: TeamsService) {}

  @Get()
  @ApiOperation({ summary: 'List teams', description: 'Any agent or admin. Oldest first, with their members and assignment strategy, paged with limit and cursor.' })
  @ApiOkResponse({ type: TeamListView, description: 'Oldest first.' })
  list(@CurrentPrincipal() principal: Principal, @Query() page: PageQuery): Promise<Page<TeamView>> {
    return this.teams.list(principal, page);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a team', description: 'Any agent or admin. 404 for a team of another workspace.' })
  @ApiOkResponse({ type: TeamView })
  get(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<TeamView> {
    return this.teams.get(principal, id);
  }

  @Post()
  @ApiConflictResponse({ description: 'duplicate: another team has this name.' })
  @ApiOperation({
    summary: 'Create a team',
    description:
      'Admins only. name is unique in the workspace, compared case-insensitively (409 duplicate). memberIds must be agents of this workspace (422 otherwise). assignmentStrategy decides who gets the team\'s new tickets when none is named. Emits team.created.',
  })
  @AdminOnly()
  @ApiCreatedResponse({ type: TeamView })
  create(@CurrentPrincipal() principal: Principal, @Body() input: CreateTeamInput): Promise<TeamView> {
    return this.teams.create(principal, input);
  }

  @Patch(':id')
  @ApiConflictResponse({ description: 'duplicate: another team has this name.' })
  @ApiOperation({
    summary: 'Update a team',
    description:
      'Admins only. Changes only the fields sent; memberIds replaces the whole set of members. Name uniqueness as on create (409 duplicate). Emits team.updated.',
  })
  @AdminOnly()
  @ApiOkResponse({ type: TeamView })
  update(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Body() input: UpdateTeamInput): Promise<TeamView> {
    return this.teams.update(principal, id, input);
  }

  @Delete(':id')
  @ApiConflictResponse({ description: 'team_has_tickets: tickets still reference the team.' })
  @ApiOperation({
    summary: 'Delete a team',
    description:
      'Admins only. A team that tickets still reference cannot be deleted (409 team_has_tickets): move those tickets to another team first. Emits team.deleted with its last state.',
  })
  @AdminOnly()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted. A team that tickets still reference answers 409 team_has_tickets.' })
  async delete(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<void> {
    await this.teams.delete(principal, id);
  }

  @Put(':id/members/:agentId')
  @ApiOperation({
    summary: 'Add an agent to a team',
    description:
      'Admins only. Idempotent: adding an existing member changes nothing. 404 when the team or the agent is not in the workspace.',
  })
  @AdminOnly()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The agent is a member; adding an existing member changes nothing.' })
  async addMember(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Param('agentId', IdParamPipe) agentId: string): Promise<void> {
    await this.teams.addMember(principal, id, agentId);
  }

  @Delete(':id/members/:agentId')
  @ApiOperation({
    summary: 'Remove an agent from a team',
    description:
      'Admins only. Idempotent: removing an agent who is not a member changes nothing.',
  })
  @AdminOnly()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The agent is not a member (any more).' })
  async removeMember(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Param('agentId', IdParamPipe) agentId: string): Promise<void> {
    await this.teams.removeMember(principal, id, agentId);
  }
}
