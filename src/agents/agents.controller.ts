import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
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
  @ApiOkResponse({ type: AgentListView })
  list(@CurrentPrincipal() principal: Principal, @Query() page: PageQuery): Promise<Page<AgentView>> {
    return this.agents.list(principal, page);
  }

  @Get(':id')
  @ApiOkResponse({ type: AgentView })
  get(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<AgentView> {
    return this.agents.get(principal, id);
  }

  @Post()
  @AdminOnly()
  @ApiCreatedResponse({ type: AgentView })
  create(@CurrentPrincipal() principal: Principal, @Body() input: CreateAgentInput): Promise<AgentView> {
    return this.agents.create(principal, input);
  }

  @Patch(':id')
  @AdminOnly()
  @ApiOkResponse({ type: AgentView })
  update(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string, @Body() input: UpdateAgentInput): Promise<AgentView> {
    return this.agents.update(principal, id, input);
  }

  @Post(':id/unlock')
  @AdminOnly()
  @HttpCode(200)
  @ApiOkResponse({ type: AgentView, description: 'The lock set by failed logins is cleared, and so are the account\'s login delays. Unlocking an unlocked agent changes nothing.' })
  unlock(@CurrentPrincipal() principal: Principal, @Param('id', IdParamPipe) id: string): Promise<AgentView> {
    return this.agents.unlock(principal, id);
  }
}
