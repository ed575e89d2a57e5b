import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly, CurrentPrincipal } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import { PageQuery } from '../common/dto/list-query.dto';
import { IdParamPipe } from '../common/http/id-param.pipe';
import { Page } from '../common/pagination/cursor';
import { AgentsService } from './agents.service';
import { AgentListView, AgentView, CreateAgentInput, UpdateAgentInput } from './dto/agent.dto';

@ApiTags('Agents')
@ApiBearerAuth()
@Controller('v1/agents')
export class AgentsController {
  constructor(private readonly agents: AgentsService) {}

  @Get()
  @ApiOperation({ summary: 'List agents', description: 'Any agent or admin. The workspace\'s agents, including deactivated ones (active=false), paged with limit and cursor.' })
  @ApiOkResponse({ type: AgentListView })
  list(@CurrentPrincipal() principal: Principal, @Query() page: PageQuery): Promise<Page<AgentView>> {
    return this.agents.list(principal, page);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get an agent', description: 'Any agent or admin. 404 for an agent of another workspace.' })
  @ApiOkResponse({ type: AgentView })
  get(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<AgentView> {
    return this.agents.get(principal, id);
  }

  @Post()
  @ApiConflictResponse({ description: 'duplicate: another agent has this email.' })
  @ApiOperation({
    summary: 'Add an agent',
    description:
      'Admins only. email is unique in the workspace (409 duplicate). A password (10 to 256 characters) lets the agent log in with POST /v1/auth/login; without one the agent works only through API keys bound to it. Emits agent.created.',
  })
  @AdminOnly()
  @ApiCreatedResponse({ type: AgentView })
  create(@CurrentPrincipal() principal: Principal, @Body() input: CreateAgentInput): Promise<AgentView> {
    return this.agents.create(principal, input);
  }

  @Patch(':id')
  @ApiConflictResponse({ description: 'duplicate: another agent has this email.' })
  @ApiOperation({
    summary: 'Update an agent',
    description:
      'Admins only. Changes only the fields sent. active=false deactivates the agent: it can no longer log in, its sessions end at once and API keys bound to it stop working. A new password ends every session of the agent. Changing role takes effect on the agent\'s next request, live tokens included. Emits agent.updated with the previous state.',
  })
  @AdminOnly()
  @ApiOkResponse({ type: AgentView })
  update(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Body() input: UpdateAgentInput): Promise<AgentView> {
    return this.agents.update(principal, id, input);
  }

  @Post(':id/unlock')
  @ApiOperation({
    summary: 'Unlock an agent',
    description:
      'Admins only. Clears the lock that repeated failed logins set and the account\'s login delays; unlocking an unlocked agent changes nothing.',
  })
  @AdminOnly()
  @HttpCode(200)
  @ApiOkResponse({ type: AgentView, description: 'The lock set by failed logins is cleared, and so are the account\'s login delays. Unlocking an unlocked agent changes nothing.' })
  unlock(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<AgentView> {
    return this.agents.unlock(principal, id);
  }
}
