import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
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
  @ApiOkResponse({ type: TeamListView, description: 'Oldest first.' })
  list(@CurrentPrincipal() principal: Principal, @Query() page: PageQuery): Promise<Page<TeamView>> {
    return this.teams.list(principal, page);
  }

  @Get(':id')
  @ApiOkResponse({ type: TeamView })
  get(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<TeamView> {
    return this.teams.get(principal, id);
  }

  @Post()
  @AdminOnly()
  @ApiCreatedResponse({ type: TeamView })
  create(@CurrentPrincipal() principal: Principal, @Body() input: CreateTeamInput): Promise<TeamView> {
    return this.teams.create(principal, input);
  }

  @Patch(':id')
  @AdminOnly()
  @ApiOkResponse({ type: TeamView })
  update(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Body() input: UpdateTeamInput): Promise<TeamView> {
    return this.teams.update(principal, id, input);
  }

  @Delete(':id')
  @AdminOnly()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted. A team that tickets still reference answers 409 team_has_tickets.' })
  async delete(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<void> {
    await this.teams.delete(principal, id);
  }

  @Put(':id/members/:agentId')
  @AdminOnly()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The agent is a member; adding an existing member changes nothing.' })
  async addMember(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Param('agentId', IdParamPipe) agentId: string): Promise<void> {
    await this.teams.addMember(principal, id, agentId);
  }

  @Delete(':id/members/:agentId')
  @AdminOnly()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The agent is not a member (any more).' })
  async removeMember(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Param('agentId', IdParamPipe) agentId: string): Promise<void> {
    await this.teams.removeMember(principal, id, agentId);
  }
}
